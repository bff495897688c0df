"""Field visits (حضور در واحدهای اقتصادی): the plan, the inspector's report, its findings and the action items that
follow each finding to its end.

A visit belongs to its cooperative's county (the county's staff plan and follow it: no new jurisdiction); its
inspectors are county staff marked as inspectors. Visits know nothing of the apps that ask for them: a purpose is a
list of data, and a dormancy case's step links to its visit, not the other way. Every model here keeps its history:
the figures (visits against the plan, open findings, overdue actions) can be reproduced as of any date."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import BilingualName, TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup
from taavon.places.models import County
from taavon.registry.models import Cooperative


class Purpose(BilingualName, TimeStampedModel):
    """Why a unit is visited (routine, follow-up, dormancy case, complaint, festival verification): a list an
    administrator extends in /admin/."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = AuditHistory()

    class Meta:
        ordering = ["order", "name_fa"]
        verbose_name = _("visit purpose")
        verbose_name_plural = _("visit purposes")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("visit", "Planned")
    REPORTED = "reported", pgettext_lazy("visit", "Reported")
    CANCELLED = "cancelled", pgettext_lazy("visit", "Cancelled")


class UnitState(models.TextChoices):
    """What the inspector found at the unit."""

    OPERATING = "operating", _("Operating")
    IDLE = "idle", _("Open, not operating")
    CLOSED = "closed", _("Closed")
    NOT_FOUND = "not_found", _("Not found at the address")


# the states that feed triage's `visit_closed` rule
CLOSED_STATES = (UnitState.CLOSED, UnitState.NOT_FOUND)


class VisitQuerySet(ScopedQuerySet):
    county_path = "county"
    cooperative_path = "cooperative"

    def reported(self):
        return self.filter(status=VisitStatus.REPORTED)

    def planned(self):
        return self.filter(status=VisitStatus.PLANNED)


class Visit(Versioned, TimeStampedModel):
    """A visit to a cooperative unit: planned (a date, inspectors, a purpose), then reported (what was found).
    A report sent from a phone carries the id its device gave it (`client_id`): a retry never makes a second visit."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cooperative")
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("county"),
        help_text=_("The cooperative's county when the visit was planned: its office plans and follows it."),
    )
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, verbose_name=_("purpose"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED, db_index=True
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("inspectors"), blank=True
    )
    plan_note = models.CharField(
        _("what to look at"), max_length=300, blank=True, validators=[validate_no_markup]
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    # the report
    visited_on = models.DateField(_("visited on"), null=True, blank=True, db_index=True)
    unit_state = models.CharField(_("the unit"), max_length=10, choices=UnitState.choices, blank=True)
    workers_women = models.PositiveSmallIntegerField(
        _("women working"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    workers_men = models.PositiveSmallIntegerField(
        _("men working"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=5000, blank=True, validators=[validate_no_markup])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("received at"), null=True, blank=True)
    client_id = models.UUIDField(_("the device's id of the report"), null=True, blank=True, unique=True)
    client_digest = models.CharField(max_length=64, blank=True, editable=False)
    conflict = models.TextField(
        _("conflict to review"),
        max_length=2000,
        blank=True,
        help_text=_("What changed on the server while the report waited on the device; empty once reviewed."),
    )

    objects = VisitQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"], m2m_fields=[inspectors])

    class Meta:
        ordering = ["-visited_on", "-planned_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="reported") | Q(visited_on__isnull=False) & ~Q(unit_state=""),
                name="visits_reported_has_date_and_state",
            ),
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(planned_on__isnull=False),
                name="visits_planned_has_date",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "planned_on"],
                condition=Q(status="planned"),
                name="visits_one_planned_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status", "planned_on"], name="visits_county_plan"),
            models.Index(fields=["cooperative", "status", "visited_on"], name="visits_coop_last"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.visited_on or self.planned_on}"

    @property
    def workers(self) -> int | None:
        if self.workers_women is None and self.workers_men is None:
            return None
        return (self.workers_women or 0) + (self.workers_men or 0)


class PhotoQuerySet(ScopedQuerySet):
    county_path = "visit__county"
    cooperative_path = None  # a representative does not see the inspectors' photos


class Photo(TimeStampedModel):
    """A photo taken at the visit (resized on the phone; checked by its content on the server)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    file = models.FileField(_("photo"), upload_to=UnguessablePath("visits"))
    caption = models.CharField(_("caption"), max_length=200, blank=True, validators=[validate_no_markup])
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PhotoQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class FindingCategory(models.TextChoices):
    FINANCING = "financing", _("Financing")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    MARKET = "market", _("Market and sales")
    PERMITS = "permits", _("Permits")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure and utilities")
    LABOUR = "labour", _("Labour")
    INSURANCE_TAX = "insurance_tax", _("Insurance and tax")
    DISPUTES = "disputes", _("Members' disputes")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical: the unit may stop")


SEVERITY_ORDER = {s: i for i, s in enumerate(Severity.values)}


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    CLOSED = "closed", pgettext_lazy("finding", "Closed")


class FindingQuerySet(ScopedQuerySet):
    county_path = "visit__county"
    cooperative_path = None

    def open(self):
        return self.filter(status=FindingStatus.OPEN)


class Finding(Versioned, TimeStampedModel):
    """A problem seen at a visit. It closes only when its action items are done, with a note of the result."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("visit")
    )
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"), max_length=3000, validators=[validate_no_markup])
    status = models.CharField(
        _("status"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    result = models.TextField(_("result"), max_length=3000, blank=True, validators=[validate_no_markup])

    objects = FindingQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False) & ~Q(result=""),
                name="visits_closed_finding_has_result",
            ),
        ]
        indexes = [models.Index(fields=["status", "category"], name="visits_finding_open")]

    def __str__(self) -> str:
        return f"{self.category}: {self.description[:40]}"


class Owner(models.TextChoices):
    OFFICER = "officer", _("An officer of the directorate")
    AGENCY = "agency", _("Another agency")
    COOPERATIVE = "cooperative", _("The cooperative")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action", "To do")
    IN_PROGRESS = "in_progress", pgettext_lazy("action", "In progress")
    DONE = "done", pgettext_lazy("action", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action", "Cancelled")


ACTION_OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def overdue_q(today, prefix: str = "") -> Q:
    """The one definition of an overdue action item: open and past its due day (`prefix`: the path to the action,
    e.g. "actions__" from a finding)."""
    return Q(**{f"{prefix}status__in": ACTION_OPEN, f"{prefix}due_on__lt": today})


class ActionQuerySet(ScopedQuerySet):
    county_path = "finding__visit__county"
    cooperative_path = None

    def open(self):
        return self.filter(status__in=ACTION_OPEN)

    def overdue(self, today):
        """Open and past its due day: the one definition of «overdue» (lists, panels, figures)."""
        return self.filter(overdue_q(today))


class Action(Versioned, TimeStampedModel):
    """What is to be done about a finding: what, who (an officer, another agency named by text, or the
    cooperative), by when. It can become a service-desk request (then the request carries it on)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="actions", verbose_name=_("finding")
    )
    what = models.CharField(_("what is to be done"), max_length=300, validators=[validate_no_markup])
    owner = models.CharField(_("who does it"), max_length=12, choices=Owner.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_actions",
        verbose_name=_("officer"),
    )
    agency = models.CharField(_("agency"), max_length=200, blank=True, validators=[validate_no_markup])
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True, validators=[validate_no_markup])
    request = models.OneToOneField(
        "servicedesk.Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_action",
        verbose_name=_("service desk request"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ActionQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner="officer") | Q(officer__isnull=False), name="visits_officer_action_named"
            ),
            models.CheckConstraint(
                condition=~Q(owner="agency") | ~Q(agency=""), name="visits_agency_action_named"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="visits_done_action_dated"
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, today) -> bool:
        """The same as ActionQuerySet.overdue, for one action in hand."""
        return self.status in ACTION_OPEN and self.due_on < today
