"""Parsing the public parameters of the press summary and the statistics API (province, Jalali or ISO dates)."""

import datetime
import re

from django.utils.translation import gettext as _

from taavon.core.formatting import digits
from taavon.core.models import english
from taavon.persian import JalaliDateError, parse_jalali, search_key, to_ascii_digits, to_gregorian
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


MIN_YEAR, MAX_YEAR = 1300, 1500  # Jalali years a date typed here may have (core.forms.JalaliDateField's)


def date_param(value: str | None, name: str) -> datetime.date | None:
    """A Jalali date with any digits (1404-06-11, ۱۴۰۴/۰۶/۱۱) or an ISO Gregorian date (2025-09-02)."""
    if not value:
        return None
    if "\x00" in value or len(value) > 40:
        raise ParamError(_("%(name)s: the date is not valid.") % {"name": name})
    try:
        parsed = parse_jalali(value)
    except (JalaliDateError, ValueError, OverflowError) as exc:
        # the parser's own explanation is Persian (taavon.persian is the Persian core): in English, a general one
        reason = (
            _("“%(value)s” is not a valid date (write %(jalali)s or %(iso)s).")
            % {"value": value, "jalali": digits("1404/06/11"), "iso": "2025-09-02"}
            if english()
            else str(exc)
        )
        raise ParamError(_("%(name)s: %(reason)s") % {"name": name, "reason": reason}) from exc
    # a year far off is a typing mistake (and beyond what the Jalali calendar's library writes)
    if not to_gregorian(MIN_YEAR, 1, 1) <= parsed < to_gregorian(MAX_YEAR + 1, 1, 1):
        raise ParamError(
            _("%(name)s: %(reason)s")
            % {
                "name": name,
                "reason": _("The year must be between %(low)s and %(high)s.")
                % {"low": digits(MIN_YEAR), "high": digits(MAX_YEAR)},
            }
        )
    return parsed


_TIME = re.compile(r"^(?P<day>.+?)(?:[T\s]+(?P<h>\d{1,2})[:٫](?P<m>\d{2})(?::(?P<s>\d{2}))?)?$")


def records_begin() -> datetime.datetime | None:
    """When Taavon's records begin: the first history row of a cooperative or a project (None: no record yet)."""
    from django.db.models import Min

    from taavon.projects.models import Project
    from taavon.registry.models import Cooperative

    moments = [
        m.history.model.objects.aggregate(first=Min("history_date"))["first"] for m in (Cooperative, Project)
    ]
    moments = [m for m in moments if m is not None]
    return min(moments) if moments else None


def as_of_param(value: str | None, name: str = "as_of") -> datetime.datetime | None:
    """The moment figures are asked "as of" (issue 18): a Jalali date with any digits (1404-06-17, ۱۴۰۴/۰۶/۱۷) or
    an ISO date (2025-09-08), with a time or not (1404-06-17 14:30, 2025-09-08T14:30) — a day alone means its
    end (everything recorded that day), today means now. None when not given. A moment still to come, one before
    the records begin, or text that is no date: ParamError, with a message in the interface's language."""
    from django.utils import timezone

    from taavon.core.formatting import date as show_date

    if value is None or not str(value).strip():
        return None
    text = to_ascii_digits(str(value)).strip()
    if "\x00" in text or len(text) > 40:
        raise ParamError(_("%(name)s: the date is not valid.") % {"name": name})
    match = _TIME.match(text)
    day = date_param(match.group("day") if match else text, name)
    now = timezone.localtime()
    if match and match.group("h") is not None:
        hour, minute, second = int(match.group("h")), int(match.group("m")), int(match.group("s") or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ParamError(_("%(name)s: the time is not valid (write it as 14:30).") % {"name": name})
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))
        # the whole minute (or second) written: to its end
        end = start + (datetime.timedelta(seconds=1) if match.group("s") else datetime.timedelta(minutes=1))
        moment = end - datetime.timedelta(microseconds=1)
    else:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    if start > now:
        raise ParamError(
            _("%(name)s: %(date)s has not come yet; figures can be shown as of today or an earlier day.")
            % {"name": name, "date": show_date(day)}
        )
    moment = min(moment, now)  # the day (or minute) under way: as of now
    begin = records_begin()
    if begin is None or moment < begin:
        raise ParamError(
            _("%(name)s: Taavon's records begin on %(begin)s; there are no figures before that day.")
            % {"name": name, "begin": show_date(timezone.localtime(begin).date())}
            if begin is not None
            else _("%(name)s: Taavon holds no records yet.") % {"name": name}
        )
    return moment


def _local(moment: datetime.datetime) -> tuple[datetime.datetime, bool]:
    """The moment in local time, and whether it is a day's end (a day asked without a time)."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    return local, local.time() >= datetime.time(23, 59, 59)


def as_of_text(moment: datetime.datetime) -> str:
    """«ارقام به تاریخ ۱۷ شهریور ۱۴۰۴» / "Figures as of 8 September 2025" (with the time when it is not a day's
    end)."""
    from taavon.core.formatting import date as show_date

    local, day_end = _local(moment)
    if day_end:
        return _("Figures as of %(date)s") % {"date": show_date(local.date())}
    return _("Figures as of %(date)s, %(time)s") % {
        "date": show_date(local.date()),
        "time": digits(local.strftime("%H:%M")),
    }


def as_of_query(moment: datetime.datetime) -> str:
    """The moment as `?as_of=` writes it: the Jalali day (a day's end), or the day and the time."""
    from taavon.persian import format_jalali

    local, day_end = _local(moment)
    day = format_jalali(local.date(), "iso")
    return day if day_end else f"{day} {local.strftime('%H:%M:%S')}"


def as_of_display(moment: datetime.datetime) -> str:
    """The moment as the "as of" field shows it: «۱۴۰۴/۰۶/۱۷» in Persian, 2025-09-08 in English (with the time when
    it is not a day's end)."""
    from taavon.persian import format_jalali

    local, day_end = _local(moment)
    day = local.date().isoformat() if english() else digits(format_jalali(local.date(), "short"))
    return day if day_end else f"{day} {digits(local.strftime('%H:%M'))}"
