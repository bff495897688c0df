"""Checks for uploaded documents (evidence, minutes, financial statements): PDF or image, within the size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from taavon.persian import to_persian_digits

SIGNATURES = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")


def validate_document(upload: UploadedFile | None, *, field: str) -> None:
    """Refuse a file that is not a PDF, JPG or PNG (by its content, not its name) or is over the size limit."""
    if upload is None:
        return
    limit = settings.TAAVON_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        mb = to_persian_digits(limit // (1024 * 1024))
        raise ValidationError({field: [f"حجم فایل بیش از {mb} مگابایت است."]})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES):
        raise ValidationError({field: ["فایل باید PDF یا تصویر JPG/PNG باشد."]})
