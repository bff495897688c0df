"""Parsing the public parameters of the press summary and the statistics API (province, Jalali or ISO dates)."""

import datetime

from django.utils.translation import gettext as _

from taavon.core.formatting import digits
from taavon.core.models import english
from taavon.persian import JalaliDateError, parse_jalali, search_key
from taavon.places.models import Province


class ParamError(ValueError):
    """A parameter that cannot be understood; str() is a message in the interface's language."""


def province_lookup(value: str | None) -> Province | None:
    """A province by ISO code (IR-15), English name or slug (lorestan), or Persian name (لرستان)."""
    if not value:
        return None
    value = value.strip()
    if "\x00" in value or len(value) > 80:
        raise ParamError(_("The province's name is not valid."))
    qs = Province.objects.all()
    found = (
        qs.filter(code__iexact=value).first()
        or qs.filter(name_en__iexact=value.replace("-", " ")).first()
        or qs.filter(name_key=search_key(value)).first()
    )
    if found is None:
        raise ParamError(_("The province “%(value)s” is not known.") % {"value": value})
    return found


def date_param(value: str | None, name: str) -> datetime.date | None:
    """A Jalali date with any digits (1404-06-11, ۱۴۰۴/۰۶/۱۱) or an ISO Gregorian date (2025-09-02)."""
    if not value:
        return None
    if "\x00" in value or len(value) > 40:
        raise ParamError(_("%(name)s: the date is not valid.") % {"name": name})
    try:
        return parse_jalali(value)
    except JalaliDateError as exc:
        # the parser's own explanation is Persian (taavon.persian is the Persian core): in English, a general one
        reason = (
            _("“%(value)s” is not a valid date (write %(jalali)s or %(iso)s).")
            % {"value": value, "jalali": digits("1404/06/11"), "iso": "2025-09-02"}
            if english()
            else str(exc)
        )
        raise ParamError(_("%(name)s: %(reason)s") % {"name": name, "reason": reason}) from exc
