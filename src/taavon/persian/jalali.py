"""Solar Hijri (Jalali) dates: parsing user input and formatting for display."""

from __future__ import annotations

import datetime as _dt
import functools
import re

import jdatetime

from .digits import to_persian_digits
from .errors import BilingualError
from .normalize import normalize_text, search_key

MONTHS_FA: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

_MONTH_BY_KEY: dict[str, int] = {search_key(name): i for i, name in enumerate(MONTHS_FA, 1)}
_MONTH_BY_KEY[search_key("امرداد")] = 5

_GREGORIAN_FROM_YEAR = 1700  # a year above this is Gregorian (ISO input)

_SEP = r"[/\-.\s\u066b]"
_NUMERIC = re.compile(rf"^(\d+)\s*{_SEP}\s*(\d+)\s*{_SEP}\s*(\d+)$")
_NAMED = re.compile(r"^(?P<d>\d{1,2})\s*(?:ام|اُم|st|nd|rd|th)?\s+(?P<m>[^\d\s,،]+)\s*[,،]?\s*(?P<y>\d+)$")
_NAMED_MONTH_FIRST = re.compile(r"^(?P<m>[A-Za-z]+\.?)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d+)$")
_BESIDE = re.compile(
    r"\s*\([^()]*\)\s*$"
)  # "2 September 2025 (11 Shahrivar 1404)": the date before the brackets


class JalaliDateError(BilingualError):
    """Invalid or unreadable date; ``str(e)`` is a message for the user in the interface's language."""


def _fa(n: int, width: int = 0) -> str:
    return to_persian_digits(str(n).zfill(width))


def _short(y: int, m: int, d: int) -> str:
    return f"{_fa(y)}/{_fa(m, 2)}/{_fa(d, 2)}"


@functools.lru_cache(maxsize=512)
def is_leap(y: int) -> bool:
    """True when Jalali year ``y`` is leap (Esfand has 30 days)."""
    return jdatetime.date(y, 1, 1).isleap()


def _days_in_month(y: int, m: int) -> int:
    if m <= 6:
        return 31
    if m <= 11:
        return 30
    return 30 if is_leap(y) else 29


def _check(y: int, m: int, d: int) -> None:
    if not 1 <= y <= 9377:
        raise JalaliDateError(f"سال {_fa(y)} معتبر نیست.", f"The year {y} is not valid.")
    if not 1 <= m <= 12:
        raise JalaliDateError(
            f"ماه باید بین ۱ تا ۱۲ باشد (ماه {_fa(m)} وارد شده است).",
            f"The month must be from 1 to 12 (month {m} was given).",
        )
    if not 1 <= d <= 31:
        raise JalaliDateError(
            f"روز باید بین ۱ تا ۳۱ باشد (روز {_fa(d)} وارد شده است).",
            f"The day must be from 1 to 31 (day {d} was given).",
        )
    days = _days_in_month(y, m)
    if d > days:
        month = MONTHS_FA[m - 1] + (f" {_fa(y)}" if m == 12 else "")
        raise JalaliDateError(
            f"تاریخ {_short(y, m, d)} وجود ندارد: {month} {_fa(days)} روز دارد.",
            f"The date {y}/{m:02d}/{d:02d} does not exist: {MONTHS_LATIN[m - 1]}"
            f"{f' {y}' if m == 12 else ''} has {days} days.",
        )


def to_gregorian(y: int, m: int, d: int) -> _dt.date:
    """Convert a Jalali year/month/day to a Gregorian ``date`` (JalaliDateError if invalid)."""
    try:
        y, m, d = int(y), int(m), int(d)
    except (TypeError, ValueError):
        raise JalaliDateError(
            "سال، ماه و روز باید عدد باشند.", "The year, month and day must be numbers."
        ) from None
    return _to_gregorian(y, m, d)


@functools.lru_cache(
    maxsize=65536
)  # dates repeat down a spreadsheet's column; jdatetime objects are dear to make
def _to_gregorian(y: int, m: int, d: int) -> _dt.date:
    _check(y, m, d)
    try:
        return jdatetime.date(y, m, d).togregorian()
    except (ValueError, OverflowError):
        raise JalaliDateError(
            f"تاریخ {_short(y, m, d)} قابل تبدیل نیست.", f"The date {y}/{m:02d}/{d:02d} cannot be converted."
        ) from None


def _gregorian(y: int, m: int, d: int) -> _dt.date:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        raise JalaliDateError(
            f"تاریخ میلادی {_fa(y)}-{_fa(m, 2)}-{_fa(d, 2)} وجود ندارد.",
            f"The Gregorian date {y}-{m:02d}-{d:02d} does not exist.",
        ) from None


_FORMAT_HINT = "تاریخ را به شکل سال/ماه/روز وارد کنید، مثلاً ۱۴۰۴/۰۶/۱۱."
_FORMAT_HINT_EN = (
    "Type the date as year/month/day in the Jalali calendar (e.g. 1404/06/11), or a Gregorian date "
    "(e.g. 2025-09-02 or 2 September 2025)."
)


def parse_jalali(text: str) -> _dt.date:
    """Parse "۱۴۰۴/۰۶/۱۱", "1404-6-11", "۱۱ شهریور ۱۴۰۴" or ISO "2025-09-02" to a ``date``."""
    if text is None or not str(text).strip():
        raise JalaliDateError("تاریخ وارد نشده است.", "The date is missing.")
    clean = normalize_text(str(text))  # folds digits to ASCII, Arabic letters, spaces
    clean = _BESIDE.sub("", clean) or clean
    if len(clean) > 40:
        raise JalaliDateError(
            "تاریخ معتبر نیست. " + _FORMAT_HINT, "The date is not valid. " + _FORMAT_HINT_EN
        )

    match = _NUMERIC.match(clean)
    if match:
        ys, ms, ds = match.groups()
        if len(ys) != 4:
            if len(ds) == 4:
                raise JalaliDateError(
                    "ترتیب تاریخ باید سال/ماه/روز باشد، مثلاً ۱۴۰۴/۰۶/۱۱.",
                    "Write the date as year/month/day, e.g. 1404/06/11.",
                )
            raise JalaliDateError(
                "سال باید چهار رقمی باشد، مثلاً ۱۴۰۴.", "The year has four digits, e.g. 1404."
            )
        if len(ms) > 2 or len(ds) > 2:
            raise JalaliDateError(
                "تاریخ معتبر نیست. " + _FORMAT_HINT, "The date is not valid. " + _FORMAT_HINT_EN
            )
        y, m, d = int(ys), int(ms), int(ds)
        if y > _GREGORIAN_FROM_YEAR:
            return _gregorian(y, m, d)
        return to_gregorian(y, m, d)

    match = _NAMED.match(clean) or _NAMED_MONTH_FIRST.match(clean)
    if match:
        ds, name, ys = match.group("d"), match.group("m"), match.group("y")
        month = _MONTH_BY_KEY.get(search_key(name)) or _LATIN_JALALI.get(name.lower().strip("."))
        gregorian_month = _LATIN_GREGORIAN.get(name.lower().strip("."))
        if month is None and gregorian_month is not None:  # "2 September 2025", "Sep 2, 2025"
            if len(ys) != 4:
                raise JalaliDateError(
                    "سال باید چهار رقمی باشد، مثلاً ۲۰۲۵.", "The year has four digits, e.g. 2025."
                )
            return _gregorian(int(ys), gregorian_month, int(ds))
        if month is None:
            raise JalaliDateError(
                f"نام ماه «{name[:20]}» شناخته نشد.", f"The month name “{name[:20]}” is not known."
            )
        if len(ys) != 4:
            raise JalaliDateError(
                "سال باید چهار رقمی باشد، مثلاً ۱۴۰۴.", "The year has four digits, e.g. 1404."
            )
        return to_gregorian(int(ys), month, int(ds))

    raise JalaliDateError("تاریخ معتبر نیست. " + _FORMAT_HINT, "The date is not valid. " + _FORMAT_HINT_EN)


def _to_jdate(d: _dt.date | jdatetime.date) -> jdatetime.date:
    if isinstance(d, jdatetime.datetime):
        return d.date()
    if isinstance(d, jdatetime.date):
        return d
    if isinstance(d, _dt.datetime):
        d = d.date()
    return jdatetime.date.fromgregorian(date=d)


def format_jalali(d: _dt.date | _dt.datetime | None, style: str = "long") -> str:
    """Format as "۱۱ شهریور ۱۴۰۴" (long), "۱۴۰۴/۰۶/۱۱" (short) or "1404-06-11" (iso)."""
    if d is None:
        return ""
    j = _to_jdate(d)
    if style == "long":
        return f"{_fa(j.day)} {MONTHS_FA[j.month - 1]} {_fa(j.year)}"
    if style == "short":
        return _short(j.year, j.month, j.day)
    if style == "iso":
        return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
    raise ValueError(f"قالب تاریخ ناشناخته است: {style!r}")


MONTHS_LATIN: tuple[str, ...] = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
# by datetime.date.weekday(): Monday first; the compounds written with a half-space (ZWNJ), as Persian spells them
WEEKDAYS_FA: tuple[str, ...] = (
    "دوشنبه",
    "سه\u200cشنبه",
    "چهارشنبه",
    "پنج\u200cشنبه",
    "جمعه",
    "شنبه",
    "یکشنبه",
)
WEEKDAYS_EN: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_GREGORIAN: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_LATIN_JALALI: dict[str, int] = {name.lower(): i for i, name in enumerate(MONTHS_LATIN, 1)} | {
    "amordad": 5,
    "day": 10,
    "espand": 12,
    "esfahand": 12,
}
_LATIN_GREGORIAN: dict[str, int] = (
    {name.lower(): i for i, name in enumerate(MONTHS_GREGORIAN, 1)}
    | {name.lower()[:3]: i for i, name in enumerate(MONTHS_GREGORIAN, 1)}
    | {"sept": 9}
)


def format_jalali_latin(d: _dt.date | _dt.datetime | None) -> str:
    """The Jalali date in Latin letters and ASCII digits, for English pages: "2 Shahrivar 1404"."""
    if d is None:
        return ""
    j = _to_jdate(d)
    return f"{j.day} {MONTHS_LATIN[j.month - 1]} {j.year}"


def format_gregorian(d: _dt.date | _dt.datetime | None) -> str:
    """The Gregorian date for English pages, whatever the process's locale: "24 August 2025"."""
    if d is None:
        return ""
    return f"{d.day} {MONTHS_GREGORIAN[d.month - 1]} {d.year}"


def format_gregorian_datetime(dt: _dt.datetime | None) -> str:
    """ "24 August 2025, 14:05" (the caller converts to local time first)."""
    if dt is None:
        return ""
    return f"{format_gregorian(dt)}, {dt.hour:02d}:{dt.minute:02d}"


def format_jalali_datetime(dt: _dt.datetime | None) -> str:
    """Format as "۱۱ شهریور ۱۴۰۴، ساعت ۱۴:۰۵" (the caller converts to local time first)."""
    if dt is None:
        return ""
    return f"{format_jalali(dt)}، ساعت {_fa(dt.hour, 2)}:{_fa(dt.minute, 2)}"


def jalali_year(d: _dt.date) -> int:
    """Jalali year of a Gregorian date."""
    return _to_jdate(d).year


def jalali_today() -> jdatetime.date:
    """Today's Jalali date (system local date)."""
    return jdatetime.date.today()
