"""Field validators shared by the apps; the rules themselves come from taavon.persian."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from taavon.persian import has_hidden_controls, has_markup


def validate_no_markup(value: str) -> None:
    """Text typed by people: no HTML or script, and no invisible control or bidi-override characters."""
    if value and has_markup(value):
        raise ValidationError(_("The text must not contain HTML or script."), code="markup")
    if value and has_hidden_controls(value):
        raise ValidationError(
            _("The text has invisible control characters (such as a direction change); remove them."),
            code="controls",
        )


_PHONE_SEPARATORS = re.compile(r"[\s\-()]")


def validate_phone(value: str) -> None:
    """A landline or mobile number: 0 and 9 or 10 more digits (+98 for the 0), or an 8-digit local number; spaces,
    dashes and brackets between the digits are allowed."""
    if not value:
        return
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+98"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"0\d{9,10}|[1-9]\d{7}", digits):
        raise ValidationError(
            _(
                "A phone number starts with 0 and has 10 or 11 digits (e.g. 06633224455), "
                "or is a local number of 8 digits."
            ),
            code="phone",
        )


def validate_registration_number(value: str) -> None:
    """A cooperative's registration number at the companies registry: digits only, at most 12."""
    if value and not re.fullmatch(r"\d{1,12}", value):
        raise ValidationError(
            _("A registration number has digits only (at most 12)."), code="registration_number"
        )
