"""Template filters for the Persian interface: digits, Jalali dates, money.

Registered as builtins in settings, so every template can use them without {% load %}.
"""

import datetime

from django import template
from django.utils import timezone, translation

from taavon.persian import format_jalali, format_jalali_datetime, format_rial, format_toman, to_persian_digits

register = template.Library()


def _persian() -> bool:
    return (translation.get_language() or "fa").startswith("fa")


@register.filter
def fa(value):
    """Persian digits in the Persian interface; unchanged in English."""
    if value is None:
        return ""
    return to_persian_digits(value) if _persian() else str(value)


@register.filter
def num(value):
    """A whole number with thousands separators (Persian digits and ٬ in Persian)."""
    if value is None or value == "":
        return ""
    if _persian():
        return format_rial(int(value))
    return f"{int(value):,}"


@register.filter
def jdate(value, style="long"):
    """A date in the Jalali calendar ("۱۱ شهریور ۱۴۰۴"); datetimes in local time with the hour."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if style == "long":
            return format_jalali_datetime(value)
        value = value.date()
    return format_jalali(value, style)


@register.filter
def toman(value):
    """Integer rials shown in toman with a word for the scale ("۱۹۵ میلیارد تومان")."""
    if value is None or value == "":
        return ""
    return format_toman(int(value))


@register.filter
def rial(value):
    if value is None or value == "":
        return ""
    return format_rial(int(value)) + " ریال"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for sorting and pagination links)."""
    params = context["request"].GET.copy()
    for key, val in changes.items():
        if val is None or val == "":
            params.pop(key, None)
        else:
            params[key] = val
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
