"""Every import is kept: who, when, the file, the mapping, the counts, and the records it touched."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import users_q
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel
from taavon.imports.fields import MessageJSONField, MessageTextField


class BatchStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import status", "Queued")
    RUNNING = "running", pgettext_lazy("import status", "Processing")
    PREVIEWED = "previewed", pgettext_lazy("import status", "Previewed")
    COMMITTED = "committed", pgettext_lazy("import status", "Imported")
    FAILED = "failed", pgettext_lazy("import status", "Failed")
    UNDOING = "undoing", pgettext_lazy("import status", "Undoing")
    UNDONE = "undone", pgettext_lazy("import status", "Undone")


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """The imports a user may follow: their own; a province's for its provincial staff; all for administrators."""
        return self.filter(users_q(user, path="created_by"))


class ImportBatch(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=UnguessablePath("imports"))
    filename = models.CharField(_("file name"), max_length=255)
    unit = models.CharField(_("unit of amounts"), max_length=20, default="rial")
    mapping = models.JSONField(
        _("column mapping"), default=dict, help_text=_("Which column of the file is which field.")
    )
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    header_signature = models.CharField(max_length=64, db_index=True, blank=True)
    header = models.JSONField(
        _("headers"),
        default=list,
        blank=True,
        help_text=_("The cells of the header row, as they were in the file."),
    )
    decisions = models.JSONField(_("decisions on similar names"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    error = MessageTextField(_("error"), blank=True)
    near = models.JSONField(_("similar names"), default=list, blank=True)
    sample = MessageJSONField(_("sample of rows"), default=list, blank=True)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problems = MessageJSONField(_("problems"), default=list, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import from a file")
        verbose_name_plural = _("imports from files")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        """What the file held (cooperatives, members...), in the reader's language."""
        from taavon.imports.kinds import KINDS

        return str(KINDS[self.kind].label) if self.kind in KINDS else self.kind


class ImportedRecord(models.Model):
    """A record an import created or updated, with the history row it left (for undo)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, help_text=_("The record, when it is not a cooperative."))
    order = models.PositiveIntegerField(
        default=0, help_text=_("The order in which the import made the records.")
    )
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
    from_status = models.CharField(_("from status"), max_length=20, choices=BatchStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=BatchStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the system (a background job that had stopped was released)."),
    )
    at = models.DateTimeField(_("time"), db_index=True)
    note = MessageTextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("import event")
        verbose_name_plural = _("import events")

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.from_status} → {self.to_status}"
