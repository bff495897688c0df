"""Every import is kept: who, when, the file, the mapping, the counts, and the records it touched."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import users_q
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "در صف"
    RUNNING = "running", "در حال پردازش"
    PREVIEWED = "previewed", "پیش‌نمایش"
    COMMITTED = "committed", "واردشده"
    FAILED = "failed", "ناموفق"
    UNDOING = "undoing", "در حال بازگرداندن"
    UNDONE = "undone", "بازگردانده‌شده"


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """The imports a user may follow: their own; a province's for its provincial staff; all for administrators."""
        return self.filter(users_q(user, path="created_by"))


class ImportBatch(TimeStampedModel):
    kind = models.CharField("نوع", max_length=30)
    file = models.FileField("فایل", upload_to=UnguessablePath("imports"))
    filename = models.CharField("نام فایل", max_length=255)
    unit = models.CharField("واحد مبالغ", max_length=20, default="rial")
    mapping = models.JSONField("نگاشت ستون‌ها", default=dict, help_text=_("کدام ستون فایل، کدام فیلد است."))
    header_row = models.PositiveIntegerField("ردیف سرستون", default=1)
    header_signature = models.CharField(max_length=64, db_index=True, blank=True)
    header = models.JSONField(
        "سرستون‌ها", default=list, blank=True, help_text=_("خانه‌های ردیف سرستون، چنان‌که در فایل بود.")
    )
    decisions = models.JSONField("تصمیم‌ها دربارهٔ نام‌های مشابه", default=dict, blank=True)
    status = models.CharField("وضعیت", max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    error = models.TextField("خطا", blank=True)
    near = models.JSONField("نام‌های مشابه", default=list, blank=True)
    sample = models.JSONField("نمونهٔ ردیف‌ها", default=list, blank=True)
    valid_only = models.BooleanField("فقط ردیف‌های درست", default=False)
    counts = models.JSONField("شمارش", default=dict, blank=True)
    problems = models.JSONField("ایرادها", default=list, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "ورود از فایل"
        verbose_name_plural = "ورودها از فایل"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportedRecord(models.Model):
    """A record an import created or updated, with the history row it left (for undo)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, help_text=_("سابقه، وقتی تعاونی نیست."))
    order = models.PositiveIntegerField(default=0, help_text=_("ترتیبی که ورود سوابق را ساخت."))
    action = models.CharField(max_length=10)  # created | updated
    history_id_before = models.BigIntegerField(null=True)
    history_id_after = models.BigIntegerField(null=True)
    row_number = models.PositiveIntegerField()

    class Meta:
        ordering = ["row_number", "order"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.action}"


class SavedMapping(TimeStampedModel):
    """A mapping the user corrected, reused for the next file with the same headers."""

    kind = models.CharField(max_length=30)
    header_signature = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)

    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "header_signature"], name="one_mapping_per_headers")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.header_signature[:8]}"


class BatchEvent(models.Model):
    """One step of an import's life (queued → running → previewed → committed → undone...): who, when, from, to,
    and why (a refusal, a crash, a worker that died). Written by imports.services.batch_move, nowhere else."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("از وضعیت", max_length=20, choices=BatchStatus.choices)
    to_status = models.CharField("به وضعیت", max_length=20, choices=BatchStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("خالی: سامانه (کار پس‌زمینه‌ای که متوقف شده بود آزاد شد)."),
    )
    at = models.DateTimeField("زمان", db_index=True)
    note = models.TextField("توضیح", blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "رویداد ورود"
        verbose_name_plural = "رویدادهای ورود"

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.from_status} → {self.to_status}"
