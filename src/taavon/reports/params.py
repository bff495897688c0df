"""Parsing the public parameters of the press summary and the statistics API (province, Jalali or ISO dates)."""

import datetime

from taavon.persian import JalaliDateError, parse_jalali, search_key
from taavon.places.models import Province


class ParamError(ValueError):
    """A parameter that cannot be understood; str() is a Persian message."""


def province_lookup(value: str | None) -> Province | None:
    """A province by ISO code (IR-15), English name or slug (lorestan), or Persian name (لرستان)."""
    if not value:
        return None
    value = value.strip()
    if "\x00" in value or len(value) > 80:
        raise ParamError("نام استان نامعتبر است.")
    qs = Province.objects.all()
    found = (
        qs.filter(code__iexact=value).first()
        or qs.filter(name_en__iexact=value.replace("-", " ")).first()
        or qs.filter(name_key=search_key(value)).first()
    )
    if found is None:
        raise ParamError(f"استان «{value}» شناخته نشد.")
    return found


def date_param(value: str | None, name: str) -> datetime.date | None:
    """A Jalali date with any digits (1404-06-11, ۱۴۰۴/۰۶/۱۱) or an ISO Gregorian date (2025-09-02)."""
    if not value:
        return None
    if "\x00" in value or len(value) > 40:
        raise ParamError(f"{name}: تاریخ نامعتبر است.")
    try:
        return parse_jalali(value)
    except JalaliDateError as exc:
        raise ParamError(f"{name}: {exc}") from exc
