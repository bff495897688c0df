from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taavon.persian.press import about, count_more_than, floor_round, join_fa, money_about, money_more_than


@pytest.mark.parametrize(
    "rials,text",
    [
        (1_954_000_000_000, "حدود ۱۹۵ میلیارد تومان"),
        (1_950_000_000_000, "۱۹۵ میلیارد تومان"),
        (62_700_000_000, "حدود ۶٫۳ میلیارد تومان"),
        (25_000_000, "۲٫۵ میلیون تومان"),
        (12_340_000_000_000, "حدود ۱٫۲ هزار میلیارد تومان"),
    ],
)
def test_money_about(rials, text):
    assert money_about(rials) == text


@pytest.mark.parametrize(
    "rials,text",
    [
        (63_500_000_000, "بیش از ۶ میلیارد تومان"),
        (60_000_000_000, "۶ میلیارد تومان"),
        (5_500_000_000, "بیش از ۵۰۰ میلیون تومان"),
    ],
)
def test_money_more_than(rials, text):
    assert money_more_than(rials) == text


@pytest.mark.parametrize(
    "n,text",
    [
        (214, "بیش از ۲۰۰ فرصت شغلی"),
        (200, "۲۰۰ فرصت شغلی"),
        (7, "۷ فرصت شغلی"),
        (1234, "بیش از ۱٬۲۰۰ فرصت شغلی"),
    ],
)
def test_count_more_than(n, text):
    assert count_more_than(n, "فرصت شغلی") == text


@given(st.integers(min_value=1, max_value=10**9))
def test_floor_never_exceeds_the_figure(n):
    assert floor_round(n) <= n
    assert floor_round(n) > 0


@given(st.integers(min_value=100, max_value=10**9))
def test_about_is_within_half_a_percent(n):
    assert abs(about(n) - n) <= Decimal(n) * Decimal("0.005")


def test_join_fa():
    assert join_fa(["الف"]) == "الف"
    assert join_fa(["الف", "ب", "ج"]) == "الف، ب و ج"
