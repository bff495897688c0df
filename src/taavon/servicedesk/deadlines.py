"""Working time: the one place that knows office hours, the Iranian working week and the holidays.

Pure functions over a WorkCalendar (no database): `add_working_minutes(start, minutes, calendar)` and
`working_minutes_between(start, end, calendar)`. `office_calendar()` builds the calendar from the settings and the
Holiday table. Property-tested in tests/servicedesk/test_deadlines.py.

The arithmetic is on the wall clock of the datetimes given (local office time): an office day is the interval
[opens, closes] of an open day (a working weekday that is not a holiday). Whole weeks are skipped arithmetically
(the holidays counted with a binary search), so a deadline months away costs a few steps, not one per minute.
"""

import bisect
import datetime
import functools
from dataclasses import dataclass, field

DEFAULT_FIRST_ANSWER_HOURS = 2 * 7  # 2 working days of 7 office hours
DEFAULT_RESOLUTION_HOURS = 10 * 7  # 10 working days

_DAY = datetime.timedelta(days=1)
_WEEK = datetime.timedelta(days=7)
_MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Office hours (local time), the working weekdays (datetime.weekday(): Saturday 5 … Wednesday 2; Thursday 3
    when the office opens on Thursdays; Friday 4 never), and the holidays."""

    opens: datetime.time = datetime.time(7, 30)
    closes: datetime.time = datetime.time(14, 30)
    weekdays: frozenset[int] = frozenset({5, 6, 0, 1, 2})
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("a working calendar needs at least one working weekday")
        if self.closes <= self.opens:
            raise ValueError("the office must close after it opens")

    @property
    def day_length(self) -> datetime.timedelta:
        return _at(datetime.date.min, self.closes) - _at(datetime.date.min, self.opens)

    def is_open(self, day: datetime.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time)


@functools.lru_cache(maxsize=16)
def _closed_workdays(
    holidays: frozenset[datetime.date], weekdays: frozenset[int]
) -> tuple[datetime.date, ...]:
    """The holidays that fall on a working weekday, sorted (the only ones that take a day off the count)."""
    return tuple(sorted(d for d in holidays if d.weekday() in weekdays))


def _open_days(first: datetime.date, last: datetime.date, calendar: WorkCalendar) -> int:
    """The number of open days in [first, last) (0 when last <= first)."""
    if last <= first:
        return 0
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * len(calendar.weekdays)
    start_rest = first + weeks * _WEEK
    count += sum(1 for i in range(rest) if (start_rest + i * _DAY).weekday() in calendar.weekdays)
    closed = _closed_workdays(calendar.holidays, calendar.weekdays)
    count -= bisect.bisect_left(closed, last) - bisect.bisect_left(closed, first)
    return count


def _nth_open_day_after(day: datetime.date, n: int, calendar: WorkCalendar) -> datetime.date:
    """The n-th open day after `day` (n >= 1; `day` itself not counted)."""
    per_week = len(calendar.weekdays)
    while (weeks := (n - 1) // per_week) > 0:  # a jump that cannot pass the n-th open day
        ahead = day + weeks * _WEEK
        n -= _open_days(day + _DAY, ahead + _DAY, calendar)
        day = ahead
    while True:
        day += _DAY
        if calendar.is_open(day):
            n -= 1
            if n == 0:
                return day


def _next_open_day(day: datetime.date, calendar: WorkCalendar) -> datetime.date:
    return _nth_open_day_after(day, 1, calendar)


def _within_day(moment: datetime.datetime, calendar: WorkCalendar) -> datetime.timedelta:
    """Office time elapsed on `moment`'s day by `moment` (0 before opening or on a closed day; a full day after
    closing)."""
    day = moment.date()
    if not calendar.is_open(day):
        return datetime.timedelta(0)
    elapsed = moment - _at(day, calendar.opens)
    return max(datetime.timedelta(0), min(elapsed, calendar.day_length))


def add_working_minutes(start: datetime.datetime, minutes: int, calendar: WorkCalendar) -> datetime.datetime:
    """The moment `minutes` working minutes after `start` (an aware or naive local datetime; the result has the same
    tzinfo). Never on a closed day; 0 minutes from a closed moment is the next opening."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    tz = start.tzinfo
    wall = start.replace(tzinfo=None)
    day = wall.date()
    # the first office moment at or after `start` (closing time itself is still inside the office day)
    if not calendar.is_open(day) or wall.time() > calendar.closes:
        day, offset = _next_open_day(day, calendar), datetime.timedelta(0)
    else:
        offset = max(datetime.timedelta(0), wall - _at(day, calendar.opens))
    length = calendar.day_length
    remaining = offset + minutes * _MINUTE  # office time from the opening of `day`
    if remaining > length:
        extra_days, rest = divmod(remaining - length, length)
        if rest:
            extra_days += 1
        else:
            rest = length  # lands exactly at closing: stays at closing time of that day
        day = _nth_open_day_after(day, extra_days, calendar)
        remaining = rest
    return (_at(day, calendar.opens) + remaining).replace(tzinfo=tz)


def working_minutes_between(start: datetime.datetime, end: datetime.datetime, calendar: WorkCalendar) -> int:
    """Working minutes from `start` to `end` (0 when end <= start)."""
    if start.tzinfo is not None and end.tzinfo is not None:
        end = end.astimezone(start.tzinfo)
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    if end <= start:
        return 0
    total = (
        _open_days(start.date(), end.date(), calendar) * calendar.day_length
        + _within_day(end, calendar)
        - _within_day(start, calendar)
    )
    return total // _MINUTE


def parse_office_hours(value: str) -> tuple[datetime.time, datetime.time]:
    """«07:30-14:30» → (07:30, 14:30)."""
    opens, closes = (datetime.time.fromisoformat(part.strip()) for part in value.split("-", 1))
    return opens, closes


def office_calendar() -> WorkCalendar:
    """The calendar from the settings (TAAVON_OFFICE_HOURS, TAAVON_THURSDAY_OPEN) and the Holiday table."""
    from django.conf import settings

    from taavon.servicedesk.models import Holiday

    opens, closes = parse_office_hours(getattr(settings, "TAAVON_OFFICE_HOURS", "07:30-14:30"))
    weekdays = {5, 6, 0, 1, 2}
    if getattr(settings, "TAAVON_THURSDAY_OPEN", False):
        weekdays.add(3)
    return WorkCalendar(
        opens=opens,
        closes=closes,
        weekdays=frozenset(weekdays),
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
    )
