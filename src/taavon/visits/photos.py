"""A visit's photos: checked by their content (a JPEG, PNG or WebP image that Pillow can read), within the size
limit, and kept as JPEG or PNG no wider than MAX_SIDE (the phone resizes before sending; a photo sent whole is resized
here)."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from taavon.core.formatting import number

MAX_SIDE = 1600
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".jpg"}


@dataclass(frozen=True)
class PhotoInfo:
    digest: str  # sha256 of the bytes as sent: the same photo sent again is the same report
    width: int
    height: int
    name: str
    content: ContentFile


def check_photo(upload) -> PhotoInfo:
    """The photo as it will be kept, or a ValidationError saying what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.TAAVON_VISIT_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The photo is larger than %(mb)s MB.") % {"mb": number(limit // (1024 * 1024))},
            code="too_large",
        )
    data = upload.read(limit + 1)
    upload.seek(0) if hasattr(upload, "seek") else None
    if len(data) > limit:
        raise ValidationError(
            _("The photo is larger than %(mb)s MB.") % {"mb": number(limit // (1024 * 1024))},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a photo (JPG, PNG or WebP)."), code="not_image") from None
    if kind not in FORMATS:
        raise ValidationError(_("This file is not a photo (JPG, PNG or WebP)."), code="not_image")
    digest = hashlib.sha256(data).hexdigest()
    ext = FORMATS[kind]
    if kind == "JPEG" and max(image.size) <= MAX_SIDE:
        content = data  # kept as sent
    else:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if ext == ".png":
            image.save(out, "PNG", optimize=True)
        else:
            image.convert("RGB").save(out, "JPEG", quality=82)
        content = out.getvalue()
    width, height = image.size
    return PhotoInfo(digest, width, height, f"photo{ext}", ContentFile(content))
