"""The working-time arithmetic (servicedesk.deadlines): office hours 07:30–14:30, Saturday–Wednesday (Thursday when
configured), never Friday, never a holiday; property-tested against a minute-by-minute count."""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from taavon.servicedesk.deadlines import (
    DEFAULT_FIRST_ANSWER_HOURS,
    DEFAULT_RESOLUTION_HOURS,
    WorkCalendar,
    add_working_minutes,
    office_calendar,
    parse_office_hours,
    working_minutes_between,
)

TEHRAN = ZoneInfo("Asia/Tehran")
SAT_TO_WED = frozenset({5, 6, 0, 1, 2})
IR_DAYS = frozenset(holidays.country_holidays("IR", years=range(2024, 2030)))
IR = WorkCalendar(holidays=IR_DAYS)
IR_THURSDAY = WorkCalendar(weekdays=SAT_TO_WED | {3}, holidays=IR_DAYS)
PLAIN = WorkCalendar()
THURSDAY = WorkCalendar(weekdays=SAT_TO_WED | {3})
NOWRUZ_1405 = frozenset(dt.date(2026, 3, d) for d in range(20, 25))  # 29 Esfand 1404 … 4 Farvardin 1405
TASUA_ASHURA_1404 = frozenset({dt.date(2025, 7, 5), dt.date(2025, 7, 6)})  # 14–15 Tir 1404
DAY = 7 * 60


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm)


# -- hand-checked cases ----------------------------------------------------------------------------------------


def test_defaults_are_two_and_ten_working_days():
    assert DEFAULT_FIRST_ANSWER_HOURS * 60 == 2 * DAY
    assert DEFAULT_RESOLUTION_HOURS * 60 == 10 * DAY


def test_within_the_same_day():
    assert add_working_minutes(at(2026, 11, 28, 8, 0), 90, PLAIN) == at(2026, 11, 28, 9, 30)


def test_landing_exactly_at_closing_stays_at_closing():
    # Wednesday 13:00 + 90 minutes: 14:30 of that Wednesday, not Saturday's opening
    assert add_working_minutes(at(2026, 11, 25, 13, 0), 90, PLAIN) == at(2026, 11, 25, 14, 30)
    assert add_working_minutes(at(2026, 11, 25, 7, 30), DAY, PLAIN) == at(2026, 11, 25, 14, 30)
    # and nothing more is added from there
    assert add_working_minutes(at(2026, 11, 25, 14, 30), 0, PLAIN) == at(2026, 11, 25, 14, 30)
    assert add_working_minutes(at(2026, 11, 25, 14, 30), 1, PLAIN) == at(2026, 11, 28, 7, 31)


def test_over_the_weekend():
    # Wednesday 25 Nov 2026 13:00 + 2 working days: 90 min on Wednesday, Thursday and Friday closed, 420 on
    # Saturday, 330 on Sunday → Sunday 13:00
    start = at(2026, 11, 25, 13, 0)
    assert start.strftime("%A") == "Wednesday"
    assert add_working_minutes(start, 2 * DAY, PLAIN) == at(2026, 11, 29, 13, 0)
    assert working_minutes_between(start, at(2026, 11, 29, 13, 0), PLAIN) == 2 * DAY
    # with the office open on Thursdays: Thursday takes a whole day → Saturday 13:00
    assert add_working_minutes(start, 2 * DAY, THURSDAY) == at(2026, 11, 28, 13, 0)


def test_starting_outside_office_hours_counts_from_the_next_opening():
    friday_night = at(2026, 11, 27, 22, 0)
    assert add_working_minutes(friday_night, 0, PLAIN) == at(2026, 11, 28, 7, 30)
    assert add_working_minutes(friday_night, 60, PLAIN) == at(2026, 11, 28, 8, 30)
    assert add_working_minutes(at(2026, 11, 28, 6, 0), 60, PLAIN) == at(2026, 11, 28, 8, 30)
    assert add_working_minutes(at(2026, 11, 28, 15, 0), 60, PLAIN) == at(2026, 11, 29, 8, 30)
    # Thursday is closed unless configured
    assert add_working_minutes(at(2026, 11, 26, 9, 0), 0, PLAIN) == at(2026, 11, 28, 7, 30)
    assert add_working_minutes(at(2026, 11, 26, 9, 0), 0, THURSDAY) == at(2026, 11, 26, 9, 0)
    assert working_minutes_between(friday_night, at(2026, 11, 28, 8, 30), PLAIN) == 60
    assert working_minutes_between(at(2026, 11, 25, 15, 0), at(2026, 11, 28, 7, 0), PLAIN) == 0


def test_over_nowruz():
    # Wednesday 18 March 2026 (27 Esfand 1404) 10:00 + 2 working days: 270 minutes that Wednesday; Thursday,
    # Friday and Nowruz (Saturday 1 – Tuesday 4 Farvardin) closed; 420 on Wednesday 25 March; the rest, 150, on
    # Saturday 28 March → 10:00
    calendar = WorkCalendar(holidays=NOWRUZ_1405)
    start = at(2026, 3, 18, 10, 0)
    due = add_working_minutes(start, 2 * DAY, calendar)
    assert due == at(2026, 3, 28, 10, 0)
    assert working_minutes_between(start, due, calendar) == 2 * DAY
    # the package's calendar has the same Nowruz
    assert NOWRUZ_1405 - {dt.date(2026, 3, 20)} <= IR_DAYS


def test_over_a_lunar_holiday():
    # Tasua and Ashura 1404 fell on Saturday 5 and Sunday 6 July 2025. Wednesday 2 July 14:00 + 2 working days:
    # 30 minutes that Wednesday, 420 on Monday 7 July, 390 on Tuesday 8 July → 14:00
    calendar = WorkCalendar(holidays=TASUA_ASHURA_1404)
    start = at(2025, 7, 2, 14, 0)
    assert add_working_minutes(start, 2 * DAY, calendar) == at(2025, 7, 8, 14, 0)
    assert add_working_minutes(start, 2 * DAY, PLAIN) == at(2025, 7, 6, 14, 0)  # without the holidays: Sunday
    assert TASUA_ASHURA_1404 <= IR_DAYS
    assert dt.date(2025, 3, 31) in IR_DAYS  # Eid al-Fitr, 11 Farvardin 1404


def test_ten_working_days_with_the_real_calendar():
    # Saturday 6 December 2025 07:30 + 10 working days, no holiday in between: two whole weeks of five days →
    # Wednesday 17 December 14:30
    start = at(2025, 12, 6, 7, 30)
    assert not any(start.date() + dt.timedelta(days=i) in IR_DAYS for i in range(14))
    assert add_working_minutes(start, 10 * DAY, IR) == at(2025, 12, 17, 14, 30)


def test_keeps_the_time_zone():
    start = dt.datetime(2026, 11, 25, 13, 0, tzinfo=TEHRAN)
    due = add_working_minutes(start, 2 * DAY, PLAIN)
    assert due == dt.datetime(2026, 11, 29, 13, 0, tzinfo=TEHRAN)
    assert due.tzinfo is TEHRAN
    # an end given in UTC is compared on the office's clock
    assert working_minutes_between(start, due.astimezone(dt.UTC), PLAIN) == 2 * DAY


def test_between_is_zero_backwards():
    assert working_minutes_between(at(2026, 11, 29), at(2026, 11, 28), PLAIN) == 0
    assert working_minutes_between(at(2026, 11, 29), at(2026, 11, 29), PLAIN) == 0


def test_refuses_nonsense():
    with pytest.raises(ValueError):
        add_working_minutes(at(2026, 11, 28), -1, PLAIN)
    with pytest.raises(ValueError):
        WorkCalendar(weekdays=frozenset())
    assert parse_office_hours("08:00-15:00") == (dt.time(8), dt.time(15))


def test_fast():
    import time

    begin = time.perf_counter()
    for i in range(500):
        due = add_working_minutes(at(2025, 1, 1) + dt.timedelta(hours=7 * i), 5000 * 60, IR)
        working_minutes_between(at(2025, 1, 1), due, IR)
    assert time.perf_counter() - begin < 2


# -- properties ---------------------------------------------------------------------------------------------------

calendars = st.one_of(
    st.sampled_from([PLAIN, THURSDAY, IR, IR_THURSDAY]),
    st.builds(
        WorkCalendar,
        weekdays=st.sampled_from([SAT_TO_WED, SAT_TO_WED | {3}]),
        holidays=st.frozensets(st.dates(dt.date(2025, 1, 1), dt.date(2029, 12, 31)), max_size=60),
    ),
)
moments = st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2027, 12, 31))
minutes = st.integers(0, 5000 * 60)


def inside_office(moment: dt.datetime, calendar: WorkCalendar) -> bool:
    return (
        moment.weekday() != 4
        and moment.weekday() in calendar.weekdays
        and moment.date() not in calendar.holidays
        and calendar.opens <= moment.time() <= calendar.closes
    )


@given(moments, minutes, calendars)
def test_a_deadline_never_falls_on_a_friday_a_holiday_or_outside_office_hours(start, m, calendar):
    due = add_working_minutes(start, m, calendar)
    assert due >= start
    assert due.weekday() != 4
    assert due.date() not in calendar.holidays
    assert inside_office(due, calendar)


@given(moments, minutes, minutes, calendars)
def test_adding_is_monotonic_in_the_minutes(start, a, b, calendar):
    a, b = sorted((a, b))
    assert add_working_minutes(start, a, calendar) <= add_working_minutes(start, b, calendar)


@given(moments, moments, minutes, calendars)
def test_adding_is_monotonic_in_the_start(s1, s2, m, calendar):
    s1, s2 = sorted((s1, s2))
    assert add_working_minutes(s1, m, calendar) <= add_working_minutes(s2, m, calendar)


@given(moments, minutes, calendars)
def test_between_inverts_adding(start, m, calendar):
    # from inside office hours (and from anywhere: time outside them does not count)
    assert working_minutes_between(start, add_working_minutes(start, m, calendar), calendar) == m


@given(moments, minutes, calendars)
def test_between_inverts_adding_from_inside_office_hours(start, m, calendar):
    start = add_working_minutes(start, 0, calendar)
    assert inside_office(start, calendar)
    assert working_minutes_between(start, add_working_minutes(start, m, calendar), calendar) == m


@given(moments, moments, moments, calendars)
def test_between_adds_up(a, b, c, calendar):
    a, b, c = sorted((a, b, c))
    whole = working_minutes_between(a, c, calendar)
    parts = working_minutes_between(a, b, calendar) + working_minutes_between(b, c, calendar)
    assert parts in (whole, whole - 1)  # seconds: each part rounds down


@given(moments, minutes, moments, moments, calendars)
def test_pausing_never_shortens_a_deadline(opened, budget, p0, p1, calendar):
    # the services' «waiting for the cooperator»: the paused working minutes push the deadline back
    p0, p1 = sorted((p0, p1))
    due = add_working_minutes(opened, budget, calendar)
    paused = working_minutes_between(p0, p1, calendar)
    pushed = add_working_minutes(due, paused, calendar)
    assert pushed >= due
    assert working_minutes_between(due, pushed, calendar) == paused
    # the same as a budget that had the paused minutes from the start
    assert pushed == add_working_minutes(opened, budget + paused, calendar)


def _brute_between(start, end, calendar):
    count, t = 0, start
    while t < end:
        if inside_office(t, calendar) and t.time() < calendar.closes:
            count += 1
        t += dt.timedelta(minutes=1)
    return count


minute_moments = st.builds(
    lambda day, minute: dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute),
    st.dates(dt.date(2025, 3, 15), dt.date(2025, 4, 15)),
    st.integers(0, 24 * 60 - 1),
)


@given(minute_moments, st.integers(0, 4 * 24 * 60), calendars)
def test_agrees_with_a_minute_by_minute_count(start, span, calendar):
    end = start + dt.timedelta(minutes=span)
    counted = _brute_between(start, end, calendar)
    assert working_minutes_between(start, end, calendar) == counted
    assume(counted > 0)
    # the deadline is the end of the last counted minute
    due = add_working_minutes(start, counted, calendar)
    assert _brute_between(start, due, calendar) == counted
    assert due <= end


# -- the office's calendar ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_office_calendar_reads_the_settings_and_the_seeded_holidays(settings, django_assert_num_queries):
    from taavon.servicedesk.models import Holiday

    settings.TAAVON_OFFICE_HOURS = "08:00-15:00"
    settings.TAAVON_THURSDAY_OPEN = False
    with django_assert_num_queries(1):
        calendar = office_calendar()
    assert (calendar.opens, calendar.closes) == (dt.time(8), dt.time(15))
    assert calendar.weekdays == SAT_TO_WED
    # seeded by the migration from the `holidays` package: Nowruz, Eid al-Fitr 1404 (11 Farvardin), Ashura 1404
    # (15 Tir), from 2020 to 2030
    for day in (dt.date(2026, 3, 21), dt.date(2025, 3, 31), dt.date(2025, 7, 6), dt.date(2020, 3, 21)):
        assert day in calendar.holidays
    assert Holiday.objects.filter(date__year=2030).exists()
    assert Holiday.objects.get(date=dt.date(2026, 3, 23)).name  # a Persian name
    settings.TAAVON_THURSDAY_OPEN = True
    Holiday.objects.create(date=dt.date(2026, 12, 2), name="تعطیل اعلام‌شده")
    calendar = office_calendar()
    assert 3 in calendar.weekdays
    assert dt.date(2026, 12, 2) in calendar.holidays
