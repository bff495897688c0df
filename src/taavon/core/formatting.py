"""Numbers, dates and money as the interface's language shows them — one place, for templates (the filters in
core/templatetags/persian.py) and for Python that builds a message (`_("... %(count)s ...") % {"count":
number(n)}`): digits never come from a translated string.

Persian: Persian digits, Jalali dates ("۱۱ شهریور ۱۴۰۴"), toman with a Persian scale word. English: ASCII digits,
Gregorian dates ("2 September 2025"), and beside them the Jalali date where the date is a legal fact
(`legal_date`), amounts with the unit named ("195 billion toman").
"""

import datetime

from django.utils import timezone

from taavon.core.models import english
from taavon.persian import (
    format_gregorian,
    format_gregorian_datetime,
    format_jalali,
    format_jalali_datetime,
    format_jalali_latin,
    format_rial,
    format_toman,
    format_toman_en,
    to_ascii_digits,
    to_persian_digits,
)

__all__ = ["date", "decimal", "digits", "english", "legal_date", "number", "rial", "toman"]


def digits(value) -> str:
    """The value's text with the language's digits (Persian in Persian, ASCII in English)."""
    if value is None:
        return ""
    return to_ascii_digits(str(value)) if english() else to_persian_digits(value)


def number(value) -> str:
    """A whole number with thousands separators: "۱٬۲۳۴" / "1,234"."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}" if english() else format_rial(int(value))


def decimal(value, places: int | None = None) -> str:
    """A decimal number as the reader writes it: Persian digits and separators («۸۳٫۳۷», «۱٬۲۳۴٫۵») in Persian,
    "1,234.5" in English; `places`: rounded to that many decimals (kept, «۷۰٫۰۰»), else without trailing zeros."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return digits(value)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{d:,.{places}f}"
    else:
        text = f"{d.normalize():,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if english():
        return text
    return to_persian_digits(text.replace(",", "\u066c").replace(".", "\u066b"))


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date(value, style: str = "long") -> str:
    """A date ("۱۱ شهریور ۱۴۰۴" / "2 September 2025"); a datetime in local time with the hour (style "long")."""
    if not value:
        return ""
    value = _local(value)
    if style == "iso":  # the Jalali ISO form, for addresses and files: the same in both languages
        return format_jalali(value.date() if isinstance(value, datetime.datetime) else value, "iso")
    moment = isinstance(value, datetime.datetime) and style == "long"
    if english():
        if moment:
            return format_gregorian_datetime(value)
        if style == "short":
            return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
        return format_gregorian(value)
    if moment:
        return format_jalali_datetime(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return format_jalali(value, style)


def legal_date(value) -> str:
    """A date that is a legal fact (registration, a status change, an assembly): in English the Gregorian date with
    the Jalali one beside it, "2 September 2025 (11 Shahrivar 1404)"; in Persian the Jalali date."""
    if not value:
        return ""
    if english():
        value = _local(value)
        return f"{format_gregorian(value)} ({format_jalali_latin(value)})"
    return date(value)


def toman(rials) -> str:
    """Integer rials in toman with a scale word: "۱۹۵ میلیارد تومان" / "195 billion toman"."""
    if rials is None or rials == "":
        return ""
    return format_toman_en(int(rials)) if english() else format_toman(int(rials))


def rial(rials) -> str:
    """Integer rials, the unit named: "۱٬۲۳۴ ریال" / "1,234 rials"."""
    if rials is None or rials == "":
        return ""
    if english():
        return f"{int(rials):,} rials"
    return format_rial(int(rials)) + " ریال"
