"""Cooperative projects (طرح): investment, members' contribution, bank facilities, jobs, stage and opening."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup
from taavon.places.models import County
from taavon.registry.models import MAX_RIAL, Activity, Cooperative, Sector

MAX_JOBS = 1_000_000


class Stage(models.TextChoices):
    STUDY = "study", pgettext_lazy("project stage", "Study")
    LICENSING = "licensing", pgettext_lazy("project stage", "Licensing")
    CONSTRUCTION = "construction", pgettext_lazy("project stage", "Under construction")
    READY = "ready", pgettext_lazy("project stage", "Ready to open")
    OPENED = "opened", pgettext_lazy("project stage", "Opened (in operation)")
    STALLED = "stalled", pgettext_lazy("project stage", "Stalled")
    CANCELLED = "cancelled", pgettext_lazy("project stage", "Cancelled")


def _jobs(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, validators=[MaxValueValidator(MAX_JOBS)])


def _rial(label, **kwargs) -> models.PositiveBigIntegerField:
    return models.PositiveBigIntegerField(label, validators=[MaxValueValidator(MAX_RIAL)], **kwargs)


class ProjectQuerySet(ScopedQuerySet):
    county_path = "county"
    cooperative_path = "cooperative"
    also_county_paths = ("cooperative__county",)


class Project(Versioned, TimeStampedModel):
    """A cooperative's project. Its stage changes only through `project_change_stage`."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="projects", verbose_name=_("cooperative")
    )
    title = models.CharField(_("project title"), max_length=200, validators=[validate_no_markup])
    title_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="projects", verbose_name=_("sector")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("activity"),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="projects", verbose_name=_("project county")
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.STUDY, editable=False, db_index=True
    )
    investment_rial = _rial(_("total investment (rials)"), default=0)
    members_contribution_rial = _rial(_("members' contribution (rials)"), default=0)
    jobs_direct_planned = _jobs(_("planned direct jobs"))
    jobs_indirect_planned = _jobs(_("planned indirect jobs"))
    jobs_women_planned = _jobs(_("planned jobs for women"))
    jobs_direct_actual = _jobs(_("direct jobs created"))
    jobs_indirect_actual = _jobs(_("indirect jobs created"))
    jobs_women_actual = _jobs(_("jobs for women created"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    expected_opening_date = models.DateField(_("expected opening date"), null=True, blank=True, db_index=True)
    actual_opening_date = models.DateField(
        _("opening date"), null=True, blank=True, editable=False, db_index=True
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000, validators=[validate_no_markup])

    objects = ProjectQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["county", "stage"], name="project_county_stage"),
            models.Index(fields=["sector", "stage"], name="project_sector_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members_contribution_rial__lte=models.F("investment_rial")),
                name="project_contribution_le_investment",
                violation_error_message=_(
                    "The members' contribution cannot be more than the total investment."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="project_progress_le_100",
                violation_error_message=_("Physical progress cannot be more than 100 percent."),
            ),
            models.CheckConstraint(
                condition=models.Q(actual_opening_date__isnull=True) | models.Q(stage="opened"),
                name="project_opening_only_when_opened",
                violation_error_message=_("An opening date is recorded only for an opened project."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StageChangeQuerySet(ScopedQuerySet):
    county_path = "project__county"
    cooperative_path = "project__cooperative"
    also_county_paths = ("project__cooperative__county",)


class StageChange(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"), help_text=_("The day the project reached the new stage."))
    reason = models.TextField(_("description"), blank=True, max_length=2000, validators=[validate_no_markup])
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("recorded at"))

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class FacilityQuerySet(ScopedQuerySet):
    county_path = "project__county"
    cooperative_path = "project__cooperative"
    also_county_paths = ("project__cooperative__county",)


class Facility(Versioned, TimeStampedModel):
    """A bank facility (loan) for a project: requested ≥ approved ≥ paid."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("project")
    )
    bank = models.CharField(_("bank"), max_length=80, validators=[validate_no_markup])
    scheme = models.CharField(
        _("credit line / scheme"), max_length=120, blank=True, validators=[validate_no_markup]
    )
    requested_rial = _rial(_("amount requested (rials)"), default=0)
    approved_rial = _rial(_("amount approved (rials)"), default=0)
    paid_rial = _rial(_("amount paid (rials)"), default=0)
    requested_date = models.DateField(_("date requested"), null=True, blank=True)
    approved_date = models.DateField(_("date approved"), null=True, blank=True)
    paid_date = models.DateField(_("date paid"), null=True, blank=True)

    objects = FacilityQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["requested_date", "id"]
        verbose_name = _("bank facility")
        verbose_name_plural = _("bank facilities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_rial__lte=models.F("approved_rial")),
                name="facility_paid_le_approved",
                violation_error_message=_("The amount paid cannot be more than the amount approved."),
            ),
            models.CheckConstraint(
                condition=models.Q(approved_rial__lte=models.F("requested_rial")),
                name="facility_approved_le_requested",
                violation_error_message=_("The amount approved cannot be more than the amount requested."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} — {self.project_id}"


# the dashboard's summary table lives in its own module (kept current by the services; see summary.py)
from taavon.projects.summary import ProjectSum  # noqa: E402,F401
