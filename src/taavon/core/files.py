"""Checks for uploaded documents (evidence, minutes, financial statements): PDF or image, within the size limit."""

import os
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from taavon.core.formatting import digits

SIGNATURES = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")
SAFE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".xls", ".ods", ".csv"}


def validate_document(upload: UploadedFile | None, *, field: str) -> None:
    """Refuse a file that is not a PDF, JPG or PNG (by its content, not its name) or is over the size limit."""
    if upload is None:
        return
    limit = settings.TAAVON_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        mb = digits(limit // (1024 * 1024))
        raise ValidationError({field: [_("The file is larger than %(mb)s MB.") % {"mb": mb}]})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES):
        raise ValidationError({field: [_("The file must be a PDF or a JPG/PNG image.")]})


@deconstructible
class UnguessablePath:
    """upload_to for documents: `<folder>/<year>/<random>.<ext>` — the name tells nothing (not the uploader's file
    name, nor a sequence), so a path cannot be guessed; the files are served only through `core.views.document`."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lower()
        ext = ext if ext in SAFE_EXTENSIONS else ""
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_urlsafe(18)}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessablePath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


UNGUESSABLE_NAME = re.compile(r"^[a-z]+/\d{4}/[A-Za-z0-9_-]{24}(\.[a-z]+)?$")


def rename_to_unguessable(model, field: str, folder: str, history_model=None) -> int:
    """Move the files a model's rows hold under guessable names (the uploader's file name, kept before names were
    random) to unguessable ones, and point the rows — and their history rows — at them. A data migration's step;
    returns how many files moved."""
    from django.core.files.storage import default_storage

    moved = 0
    make = UnguessablePath(folder)
    for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        if not name or UNGUESSABLE_NAME.match(name):
            continue
        new = make(None, name)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                new = default_storage.save(new, handle)
            default_storage.delete(name)
        model.objects.filter(pk=pk).update(**{field: new})
        if history_model is not None:
            history_model.objects.filter(**{field: name}).update(**{field: new})
        moved += 1
    return moved
