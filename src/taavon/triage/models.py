"""Settling the fate of dormant cooperatives (تعیین تکلیف): the early-warning rules' settings, the flags they raise,
and the cases that carry a flagged cooperative to a decision.

A flag is raised and cleared only by the evaluation (triage.evaluation); a case is opened only by staff
(triage.cases). Every model here keeps its history: the figures (flagged, in case, settled) can be reproduced as of
any date."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup
from taavon.places.models import County
from taavon.registry.models import Cooperative

MAX_THRESHOLD = 600  # months (50 years) or counts: a larger setting is a typing mistake
MAX_WEIGHT = 100
PDF_OR_IMAGE = FileExtensionValidator(
    ["pdf", "jpg", "jpeg", "png"], _("Only a PDF file or an image (JPG, PNG) is accepted.")
)


class SettingKind(models.TextChoices):
    RULE = "rule", _("Early-warning rule")
    HEALTH = "health", _("Record freshness cycle")


class RuleSetting(TimeStampedModel):
    """An administrator's setting of a rule (threshold, weight, on/off) or of a record-health cycle (months).
    A missing row means the rule's defaults (triage.rules)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SettingKind.choices, default=SettingKind.RULE)
    enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.PositiveIntegerField(_("threshold"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    history = AuditHistory()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__lte=MAX_THRESHOLD),
                name="triage_threshold_sane",
            ),
            models.CheckConstraint(condition=Q(weight__lte=MAX_WEIGHT), name="triage_weight_sane"),
        ]

    def __str__(self) -> str:
        return self.code


class FlagQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"

    def raised(self):
        return self.filter(cleared_on__isnull=True)


class Flag(TimeStampedModel):
    """A rule holds for a cooperative: raised on a date, kept while it holds, cleared when it no longer does (the row
    stays, with its dates). `params`: the facts its explanation names (dates, counts — not "months ago", which the
    explanation computes when it is read, so a flag that still holds is not rewritten every night)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="triage_flags", verbose_name=_("cooperative")
    )
    rule = models.SlugField(_("rule"), max_length=40)
    raised_on = models.DateField(_("raised on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    params = models.JSONField(_("figures"), default=dict, blank=True)

    objects = FlagQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-raised_on", "rule"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "rule"],
                condition=Q(cleared_on__isnull=True),
                name="triage_one_raised_flag",
            )
        ]
        indexes = [models.Index(fields=["rule", "cleared_on"], name="triage_flag_rule")]

    def __str__(self) -> str:
        return f"{self.rule} — {self.cooperative_id}"


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case", "Open")
    DECIDED = "decided", pgettext_lazy("case", "Decided")


class Outcome(models.TextChoices):
    REVIVED = "revived", _("Revived")
    MERGED = "merged", _("Merged into another cooperative")
    LIQUIDATION = "liquidation", _("Referred to liquidation")
    DISSOLVED = "dissolved", _("Dissolved")
    NOT_DORMANT = "not_dormant", _("Not dormant after all")


class CaseQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"

    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class Case(Versioned, TimeStampedModel):
    """A flagged (or hand-picked) cooperative's case, from opening to a decision. The decision changes the
    cooperative's status only through the registry's status service, with the case as its evidence."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="triage_cases", verbose_name=_("cooperative")
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    reason = models.TextField(_("why the case was opened"), max_length=2000, validators=[validate_no_markup])
    flags_at_opening = models.JSONField(_("flags when opened"), default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="triage_cases",
        verbose_name=_("assigned to"),
    )
    deadline = models.DateField(_("deadline"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(
        _("grounds of the decision"), max_length=5000, blank=True, validators=[validate_no_markup]
    )
    evidence = models.FileField(
        _("evidence"),
        upload_to=UnguessablePath("triage"),
        blank=True,
        validators=[PDF_OR_IMAGE],
    )
    evidence_step = models.ForeignKey(
        "CaseStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence step"),
        help_text=_("The step of the case the decision rests on (a meeting, documents received...)."),
    )
    merged_into = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )

    objects = CaseQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative"], condition=Q(status="open"), name="triage_one_open_case"
            ),
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | ~Q(status="open") & ~Q(outcome=""),
                name="triage_decided_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} ({self.opened_on})"


class StepKind(models.TextChoices):
    CONTACT = "contact", _("Contact attempt")
    SUMMONS = "summons", _("Summons letter")
    MEETING = "meeting", _("Meeting")
    DOCUMENTS = "documents", _("Documents received")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")


class CaseStepQuerySet(ScopedQuerySet):
    county_path = "case__cooperative__county"
    cooperative_path = "case__cooperative"


class CaseStep(TimeStampedModel):
    """A dated step of a case: a contact attempt (by phone, letter or visit; reached or not), the summons letter, a
    meeting, documents received."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True, validators=[validate_no_markup])
    document = models.FileField(
        _("document"), upload_to=UnguessablePath("triage"), blank=True, validators=[PDF_OR_IMAGE]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("field visit"),
        help_text=_("The field visit planned for this step (a visit knows nothing of the case)."),
    )

    objects = CaseStepQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class CommitmentKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Ordinary general assembly held")
    BOARD = "board", _("Board of directors elected")
    RETURN = "return", _("Annual return filed")


class CommitmentQuerySet(ScopedQuerySet):
    county_path = "case__cooperative__county"
    cooperative_path = "case__cooperative"


class Commitment(TimeStampedModel):
    """A commitment of a revival plan, with its deadline; closed by the matching record when it arrives (an
    assembly, an election, a return recorded after the plan was made)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("case")
    )
    kind = models.CharField(_("commitment"), max_length=10, choices=CommitmentKind.choices)
    deadline = models.DateField(_("deadline"))
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="triage_one_commitment_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ≤ {self.deadline}"


__all__ = [
    "Case",
    "CaseStatus",
    "CaseStep",
    "Channel",
    "Commitment",
    "CommitmentKind",
    "County",
    "Flag",
    "Outcome",
    "RuleSetting",
    "SettingKind",
    "StepKind",
]
