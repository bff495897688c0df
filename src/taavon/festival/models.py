"""The festival of top cooperatives (جشنواره تعاونی‌های برتر): an edition, its criteria and their weights per category
(the registry's sectors), candidates checked for eligibility, stage 1 (scores computed from Taavon's records, every
number traceable to its sources), stage 2 (jurors, three a category by default, who score only their assignments
and never a cooperative they declared a conflict with), the ranking per category, appeals, certificates.

Every model keeps its history, so that a ranking can be explained — and reproduced — as of any date."""

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
from taavon.places.models import Province
from taavon.registry.models import Cooperative, Sector


class Edition(Versioned, TimeStampedModel):
    """One year's festival (the 20th: 1404). Its dates decide its phase: applications, stage 1, the jury (scores lock
    at `jury_locks_at`), results, appeals."""

    number = models.PositiveSmallIntegerField(_("edition"), unique=True)
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_markup])
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    applications_open = models.DateField(_("applications open"))
    applications_close = models.DateField(_("applications close"))
    jury_locks_at = models.DateTimeField(_("jury scores lock at"))
    results_on = models.DateField(_("results announced on"))
    appeals_close = models.DateField(_("appeals close"))
    record_updated_since = models.DateField(
        _("records updated since"),
        help_text=_("A candidate's identity record must have been updated on or after this day."),
    )
    min_record_health = models.PositiveSmallIntegerField(
        _("minimum record health (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    jurors_per_category = models.PositiveSmallIntegerField(_("jurors per category"), default=3)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-number"]
        verbose_name = _("festival edition")
        verbose_name_plural = _("festival editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_close__gte=models.F("applications_open")),
                name="festival_application_window",
            ),
            models.CheckConstraint(
                condition=Q(appeals_close__gte=models.F("results_on")), name="festival_appeal_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class CriterionKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    JURY = "jury", _("Scored by the jurors")


class Criterion(BilingualName, TimeStampedModel):
    """A criterion of an edition: computed from Taavon's records (`indicator`: the code of a festival.indicators
    function, whose formula the pages show), or scored by the jurors within [low, high]."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("edition")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_fa = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    low = models.DecimalField(_("lowest score"), max_digits=7, decimal_places=2, default=0)
    high = models.DecimalField(_("highest score"), max_digits=7, decimal_places=2, default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="festival_criterion_code"),
            models.CheckConstraint(condition=Q(high__gt=models.F("low")), name="festival_criterion_range"),
            models.CheckConstraint(
                condition=~Q(kind="computed") | ~Q(indicator=""), name="festival_computed_has_indicator"
            ),
        ]


class Weight(TimeStampedModel):
    """A criterion's weight in a category (percent); an edition's weights in a category sum to 100."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="weights")
    category = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="weights")
    percent = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "category", "criterion__order"]
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        constraints = [
            models.UniqueConstraint(fields=["edition", "category", "criterion"], name="festival_one_weight"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="festival_weight_percent"
            ),
        ]


class CandidateStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    FLAGGED = "flagged", _("No longer eligible (flagged)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Applied through the portal")
    NOMINATED = "nominated", _("Nominated by the county office")


class CandidateQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Candidate(Versioned, TimeStampedModel):
    """A cooperative taking part in an edition, in its category (its sector when it applied), with the reasons of
    its eligibility as last checked (a list of {code, ok, text-params})."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("edition")
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        related_name="festival_candidacies",
        verbose_name=_("cooperative"),
    )
    category = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    channel = models.CharField(_("how it came"), max_length=10, choices=Channel.choices)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied at"))
    status = models.CharField(_("status"), max_length=12, choices=CandidateStatus.choices, db_index=True)
    eligibility = models.JSONField(_("eligibility checks"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"))

    objects = CandidateQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "category", "cooperative__name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["edition", "cooperative"], name="festival_one_candidacy"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.cooperative_id}"


class ScoreQuerySet(ScopedQuerySet):
    county_path = "candidate__cooperative__county"
    cooperative_path = "candidate__cooperative"


class ComputedScore(TimeStampedModel):
    """Stage 1: a computed criterion's raw value for a candidate, its value normalised within the category (0–100)
    and the evidence behind it (the source records: [{kind, id, label, value}])."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="computed_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    raw = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    normalised = models.DecimalField(_("normalised (0–100)"), max_digits=7, decimal_places=3, default=0)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    objects = ScoreQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["candidate", "criterion__order"]
        verbose_name = _("computed score")
        verbose_name_plural = _("computed scores")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "criterion"], name="festival_one_computed_score"),
        ]


class JurorAssignment(TimeStampedModel):
    """A juror assigned to a category of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_assignments",
        verbose_name=_("juror"),
    )
    category = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "category", "juror"]
        verbose_name = _("juror's assignment")
        verbose_name_plural = _("jurors' assignments")
        constraints = [
            models.UniqueConstraint(fields=["edition", "juror", "category"], name="festival_one_assignment"),
        ]


class Conflict(TimeStampedModel):
    """A juror's declared conflict of interest with a cooperative: they never see it, nor score it."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="conflicts")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_conflicts"
    )
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True, validators=[validate_no_markup])
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "juror"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["edition", "juror", "cooperative"], name="festival_one_conflict"),
        ]


class JuryScore(TimeStampedModel):
    """Stage 2: a juror's score of a candidate on a jury criterion, within its range, with a comment."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="jury_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_scores")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), max_length=2000, blank=True, validators=[validate_no_markup])

    objects = ScoreQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["candidate", "criterion__order", "juror"]
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "criterion", "juror"], name="festival_one_jury_score"
            ),
        ]


class Ranking(TimeStampedModel):
    """A candidate's place in its category as published (and as re-ranked after an appeal: the history keeps every
    earlier place). Scores 0–100: computed part + jury part = total, by the edition's weights."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="ranking")
    rank = models.PositiveSmallIntegerField(_("rank"))
    computed_score = models.DecimalField(_("computed score"), max_digits=7, decimal_places=3)
    jury_score = models.DecimalField(_("jury score"), max_digits=7, decimal_places=3)
    total_score = models.DecimalField(_("total score"), max_digits=7, decimal_places=3)

    objects = ScoreQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["candidate__category", "rank"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")


class AppealStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("appeal", "Waiting for a decision")
    ACCEPTED = "accepted", pgettext_lazy("appeal", "Accepted")
    REJECTED = "rejected", pgettext_lazy("appeal", "Rejected")


class Appeal(Versioned, TimeStampedModel):
    """A candidate's appeal of one criterion's score, with its reason and evidence; a reviewer decides. An accepted
    appeal sets the criterion's corrected score (0–100) and re-ranks the category."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="appeals")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    reason = models.TextField(_("reason"), max_length=3000, validators=[validate_no_markup])
    evidence = models.FileField(_("evidence"), upload_to=UnguessablePath("festival"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), max_length=3000, blank=True, validators=[validate_no_markup])
    corrected = models.DecimalField(
        _("corrected score (0–100)"),
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = ScoreQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(corrected__isnull=False),
                name="festival_accepted_corrects",
            ),
        ]
