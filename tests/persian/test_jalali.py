import datetime

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from taavon.persian import (
    MONTHS_FA,
    JalaliDateError,
    format_jalali,
    format_jalali_datetime,
    is_leap,
    jalali_today,
    jalali_year,
    parse_jalali,
    to_gregorian,
)

COOP_DAY = datetime.date(2025, 9, 2)  # 11 Shahrivar 1404, a Tuesday


def test_months():
    assert len(MONTHS_FA) == 12
    assert MONTHS_FA[5] == "شهریور"
    assert MONTHS_FA[11] == "اسفند"


def test_known_fact():
    assert to_gregorian(1404, 6, 11) == COOP_DAY
    assert COOP_DAY.weekday() == 1  # Tuesday


def test_leap_years():
    assert is_leap(1399)
    assert is_leap(1403)
    assert not is_leap(1404)


@pytest.mark.parametrize(
    "text",
    [
        "1404/06/11",
        "۱۴۰۴/۰۶/۱۱",
        "١٤٠٤/٠٦/١١",
        "1404-6-11",
        "1404.06.11",
        "1404 06 11",
        "۱۴۰۴٫۰۶٫۱۱",
        " ۱۴۰۴/۶/۱۱ ",
        "۱۱ شهریور ۱۴۰۴",
        "11 شهريور 1404",
        "2025-09-02",
    ],
)
def test_parse_accepts(text):
    assert parse_jalali(text) == COOP_DAY


def test_parse_esfand_30():
    assert parse_jalali("1403/12/30") == jdatetime.date(1403, 12, 30).togregorian()
    assert parse_jalali("1399/12/30") == jdatetime.date(1399, 12, 30).togregorian()
    with pytest.raises(JalaliDateError) as exc:
        parse_jalali("1404/12/30")
    assert str(exc.value) == "تاریخ ۱۴۰۴/۱۲/۳۰ وجود ندارد: اسفند ۱۴۰۴ ۲۹ روز دارد."


@pytest.mark.parametrize(
    "text",
    [
        "1404/13/01",
        "1404/01/32",
        "1404/00/10",
        "1404/01/00",
        "1404/07/31",
        "",
        "   ",
        None,
        "abc",
        "04/06/11",
        "11/06/1404",
        "۱۴۰۴/۰۶",
        "۱۱ شهرویر ۱۴۰۴",
        "2025-02-30",
    ],
)
def test_parse_refuses(text):
    with pytest.raises(JalaliDateError) as exc:
        parse_jalali(text)
    message = str(exc.value)
    assert message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)  # Persian text
    assert not any(ch in "0123456789" for ch in message)  # Persian digits only


def test_error_is_value_error():
    with pytest.raises(ValueError):
        parse_jalali("1404/13/01")


def test_month_error_message():
    with pytest.raises(JalaliDateError, match="ماه"):
        parse_jalali("1404/13/01")
    with pytest.raises(JalaliDateError, match="روز"):
        parse_jalali("1404/01/32")


def test_to_gregorian_refuses():
    with pytest.raises(JalaliDateError):
        to_gregorian(1404, 12, 30)
    assert to_gregorian(1403, 12, 30) == datetime.date(2025, 3, 20)


def test_format_styles():
    assert format_jalali(COOP_DAY) == "۱۱ شهریور ۱۴۰۴"
    assert format_jalali(COOP_DAY, "long") == "۱۱ شهریور ۱۴۰۴"
    assert format_jalali(COOP_DAY, "short") == "۱۴۰۴/۰۶/۱۱"
    assert format_jalali(COOP_DAY, "iso") == "1404-06-11"
    assert format_jalali(None) == ""


def test_format_datetime_uses_date_part():
    dt = datetime.datetime(2025, 9, 2, 14, 5, 33)
    assert format_jalali(dt, "short") == "۱۴۰۴/۰۶/۱۱"
    assert format_jalali_datetime(dt) == "۱۱ شهریور ۱۴۰۴، ساعت ۱۴:۰۵"


def test_format_unknown_style():
    with pytest.raises(ValueError):
        format_jalali(COOP_DAY, "fancy")


def test_jalali_year_and_today():
    assert jalali_year(COOP_DAY) == 1404
    assert jalali_year(datetime.date(2025, 3, 20)) == 1403
    assert jalali_year(datetime.date(2025, 3, 21)) == 1404
    today = jalali_today()
    assert isinstance(today, jdatetime.date)
    assert today.togregorian() == datetime.date.today()


JALALI_DATES = st.dates(
    min_value=jdatetime.date(1300, 1, 1).togregorian(),
    max_value=jdatetime.date(1500, 12, 29).togregorian(),
)


@given(JALALI_DATES)
def test_round_trip_short(d):
    assert parse_jalali(format_jalali(d, "short")) == d


@given(JALALI_DATES)
def test_round_trip_long_and_iso(d):
    assert parse_jalali(format_jalali(d, "long")) == d
    assert parse_jalali(format_jalali(d, "iso")) == d
