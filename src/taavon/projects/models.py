"""Cooperative projects (طرح): investment, members' contribution, bank facilities, jobs, stage and opening."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup
from taavon.places.models import County
from taavon.registry.models import MAX_RIAL, Activity, Cooperative, Sector

MAX_JOBS = 1_000_000


class Stage(models.TextChoices):
    STUDY = "study", "مطالعه"
    LICENSING = "licensing", "اخذ مجوز"
    CONSTRUCTION = "construction", "در حال اجرا"
    READY = "ready", "آمادهٔ افتتاح"
    OPENED = "opened", "افتتاح‌شده (در حال بهره‌برداری)"
    STALLED = "stalled", "متوقف"
    CANCELLED = "cancelled", "لغوشده"


def _jobs(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, validators=[MaxValueValidator(MAX_JOBS)])


def _rial(label: str, **kwargs) -> models.PositiveBigIntegerField:
    return models.PositiveBigIntegerField(label, validators=[MaxValueValidator(MAX_RIAL)], **kwargs)


class ProjectQuerySet(ScopedQuerySet):
    county_path = "county"
    cooperative_path = "cooperative"
    also_county_paths = ("cooperative__county",)


class Project(Versioned, TimeStampedModel):
    """A cooperative's project. Its stage changes only through `project_change_stage`."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="projects", verbose_name="تعاونی"
    )
    title = models.CharField("عنوان طرح", max_length=200, validators=[validate_no_markup])
    title_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="projects", verbose_name="گرایش"
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name="فعالیت",
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="projects", verbose_name="شهرستان محل اجرا"
    )
    stage = models.CharField(
        "مرحله", max_length=20, choices=Stage.choices, default=Stage.STUDY, editable=False, db_index=True
    )
    investment_rial = _rial("سرمایه‌گذاری کل (ریال)", default=0)
    members_contribution_rial = _rial("آوردهٔ اعضا (ریال)", default=0)
    jobs_direct_planned = _jobs("اشتغال مستقیم پیش‌بینی‌شده")
    jobs_indirect_planned = _jobs("اشتغال غیرمستقیم پیش‌بینی‌شده")
    jobs_women_planned = _jobs("اشتغال زنان پیش‌بینی‌شده")
    jobs_direct_actual = _jobs("اشتغال مستقیم محقق‌شده")
    jobs_indirect_actual = _jobs("اشتغال غیرمستقیم محقق‌شده")
    jobs_women_actual = _jobs("اشتغال زنان محقق‌شده")
    start_date = models.DateField("تاریخ شروع", null=True, blank=True)
    expected_opening_date = models.DateField("تاریخ پیش‌بینی افتتاح", null=True, blank=True, db_index=True)
    actual_opening_date = models.DateField(
        "تاریخ افتتاح", null=True, blank=True, editable=False, db_index=True
    )
    progress_percent = models.PositiveSmallIntegerField(
        "پیشرفت فیزیکی (٪)", default=0, validators=[MaxValueValidator(100)]
    )
    notes = models.TextField("یادداشت", blank=True, max_length=5000, validators=[validate_no_markup])

    objects = ProjectQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "طرح"
        verbose_name_plural = "طرح‌ها"
        indexes = [
            models.Index(fields=["county", "stage"], name="project_county_stage"),
            models.Index(fields=["sector", "stage"], name="project_sector_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members_contribution_rial__lte=models.F("investment_rial")),
                name="project_contribution_le_investment",
                violation_error_message="آوردهٔ اعضا نمی‌تواند از کل سرمایه‌گذاری بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="project_progress_le_100",
                violation_error_message="پیشرفت فیزیکی نمی‌تواند از ۱۰۰٪ بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_opening_date__isnull=True) | models.Q(stage="opened"),
                name="project_opening_only_when_opened",
                violation_error_message="تاریخ افتتاح فقط برای طرح افتتاح‌شده ثبت می‌شود.",
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
    from_stage = models.CharField("از مرحله", max_length=20, choices=Stage.choices)
    to_stage = models.CharField("به مرحله", max_length=20, choices=Stage.choices)
    date = models.DateField("تاریخ", help_text=_("روزی که طرح به مرحلهٔ تازه رسید."))
    reason = models.TextField("شرح", blank=True, max_length=2000, validators=[validate_no_markup])
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("زمان ثبت")

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "تغییر مرحله"
        verbose_name_plural = "تغییرات مرحله"

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class FacilityQuerySet(ScopedQuerySet):
    county_path = "project__county"
    cooperative_path = "project__cooperative"
    also_county_paths = ("project__cooperative__county",)


class Facility(Versioned, TimeStampedModel):
    """A bank facility (loan) for a project: requested ≥ approved ≥ paid."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="facilities", verbose_name="طرح"
    )
    bank = models.CharField("بانک", max_length=80, validators=[validate_no_markup])
    scheme = models.CharField("محل اعتبار / طرح", max_length=120, blank=True, validators=[validate_no_markup])
    requested_rial = _rial("مبلغ درخواستی (ریال)", default=0)
    approved_rial = _rial("مبلغ مصوب (ریال)", default=0)
    paid_rial = _rial("مبلغ پرداخت‌شده (ریال)", default=0)
    requested_date = models.DateField("تاریخ درخواست", null=True, blank=True)
    approved_date = models.DateField("تاریخ تصویب", null=True, blank=True)
    paid_date = models.DateField("تاریخ پرداخت", null=True, blank=True)

    objects = FacilityQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["requested_date", "id"]
        verbose_name = "تسهیلات بانکی"
        verbose_name_plural = "تسهیلات بانکی"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_rial__lte=models.F("approved_rial")),
                name="facility_paid_le_approved",
                violation_error_message="مبلغ پرداخت‌شده نمی‌تواند از مبلغ مصوب بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_rial__lte=models.F("requested_rial")),
                name="facility_approved_le_requested",
                violation_error_message="مبلغ مصوب نمی‌تواند از مبلغ درخواستی بیشتر باشد.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} — {self.project_id}"
