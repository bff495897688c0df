"""Field validators shared by the apps; the rules themselves come from taavon.persian."""

from django.core.exceptions import ValidationError

from taavon.persian import has_markup


def validate_no_markup(value: str) -> None:
    if value and has_markup(value):
        raise ValidationError("متن نباید کد HTML یا اسکریپت داشته باشد.", code="markup")
