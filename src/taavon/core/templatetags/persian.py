"""Template filters for numbers, dates and money in the interface's language (core/formatting.py).

Registered as builtins in settings, so every template can use them without {% load %}.
"""

from django import template

from taavon.core import formatting

register = template.Library()


@register.filter
def fa(value):
    """The value's digits in the interface's language (Persian digits in Persian, ASCII in English)."""
    return formatting.digits(value)


@register.filter
def num(value):
    """A whole number with thousands separators ("۱٬۲۳۴" / "1,234")."""
    return formatting.number(value)


@register.filter
def dec(value, places=None):
    """A decimal number ("۸۳٫۳۷" / "83.37"); `|dec:2` keeps two decimals."""
    return formatting.decimal(value, None if places in (None, "") else int(places))


@register.filter
def jdate(value, style="long"):
    """A date: Jalali in Persian ("۱۱ شهریور ۱۴۰۴"), Gregorian in English; datetimes in local time with the hour."""
    return formatting.date(value, style)


@register.filter
def legaldate(value):
    """A date that is a legal fact (registration, status change, assembly): in English the Gregorian date with the
    Jalali one beside it; in Persian the Jalali date."""
    return formatting.legal_date(value)


@register.filter
def toman(value):
    """Integer rials shown in toman with a word for the scale ("۱۹۵ میلیارد تومان" / "195 billion toman")."""
    return formatting.toman(value)


@register.filter
def rial(value):
    """Integer rials, the unit named."""
    return formatting.rial(value)


@register.filter
def weekday(value):
    """The day of the week in the interface's language ("سه‌شنبه" / "Tuesday")."""
    from taavon.core.models import english
    from taavon.persian.jalali import WEEKDAYS_EN, WEEKDAYS_FA

    if not value:
        return ""
    return (WEEKDAYS_EN if english() else WEEKDAYS_FA)[value.weekday()]


@register.filter
def reason(value):
    """A reason written by the system (registration, import...) in the interface's language; typed ones as typed."""
    from taavon.core.audit import shown_reason

    return shown_reason(value)


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
