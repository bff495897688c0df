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


@given(st.integers(min_value=1, max_value=10**15) | st.decimals(min_value=1, max_value=10**9, places=3))
def test_floor_never_exceeds_the_figure(n):
    assert floor_round(n) <= n
    assert floor_round(n) > 0


@given(st.integers(min_value=100, max_value=10**9))
def test_about_is_within_half_a_percent(n):
    assert abs(about(n) - n) <= Decimal(n) * Decimal("0.005")


def test_join_fa():
    assert join_fa(["الف"]) == "الف"
    assert join_fa(["الف", "ب", "ج"]) == "الف، ب و ج"


# --- "more than": the round number within 10% below the value -----------------------


@pytest.mark.parametrize(
    ("value", "floored"),
    [
        (214, 200),
        (Decimal("6.35"), 6),
        (Decimal("195.4"), 190),
        (1234, 1200),
        (550, 500),
        (999, 900),
        (195, 190),
        (19, 19),
        (15, 15),
        (109, 100),
        (111, 100),  # 100 is 90.1% of 111
        (112, 110),  # 100 would be 89.3% of 112
        (1_950, 1_900),
        (9, 9),
        (Decimal("1.95"), Decimal("1.9")),
        (200, 200),
    ],
)
def test_floor_round_within_ten_percent(value, floored):
    assert floor_round(value) == floored


def test_floor_round_near_a_power_of_ten_with_many_digits():
    # float log10 rounds this up to 3 and the old code returned 0
    assert floor_round(Decimal("999.99999999999999999")) == 900


@given(st.integers(min_value=1, max_value=10**15))
def test_floor_is_within_ten_percent_of_the_figure(n):
    assert floor_round(n) * 10 >= n * 9


@given(st.decimals(min_value=1, max_value=10**6, places=4))
def test_floor_of_decimals_is_within_ten_percent(value):
    assert value * Decimal("0.9") <= floor_round(value) <= value


@pytest.mark.parametrize(
    ("rials", "text"),
    [
        (1_954_000_000_000, "بیش از ۱۹۰ میلیارد تومان"),
        (12_340_000_000, "بیش از ۱٫۲ میلیارد تومان"),
        (19_500_000, "بیش از ۱٫۹ میلیون تومان"),
    ],
)
def test_money_more_than_keeps_two_figures_when_one_is_too_far(rials, text):
    assert money_more_than(rials) == text


def test_count_more_than_keeps_two_figures_when_one_is_too_far():
    assert count_more_than(195, "فرصت شغلی") == "بیش از ۱۹۰ فرصت شغلی"
    assert count_more_than(19, "فرصت شغلی") == "۱۹ فرصت شغلی"
    assert count_more_than(123, "عضو") == "بیش از ۱۲۰ عضو"


# --- negative amounts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rials", "text"),
    [
        (-1_954_000_000_000, "حدود −۱۹۵ میلیارد تومان"),
        (-1_950_000_000_000, "−۱۹۵ میلیارد تومان"),
        (-62_700_000_000, "حدود −۶٫۳ میلیارد تومان"),
        (-25_000_000, "−۲٫۵ میلیون تومان"),
        (-2_500_000, "−۲۵۰٬۰۰۰ تومان"),
        (-12_340_000_000_000, "حدود −۱٫۲ هزار میلیارد تومان"),
    ],
)
def test_money_about_negative(rials, text):
    assert money_about(rials) == text


@pytest.mark.parametrize(
    ("rials", "text"),
    [
        (-63_500_000_000, "کمتر از −۶ میلیارد تومان"),
        (-1_954_000_000_000, "کمتر از −۱۹۰ میلیارد تومان"),
        (-60_000_000_000, "−۶ میلیارد تومان"),
        (-5_500_000_000, "کمتر از −۵۰۰ میلیون تومان"),
        (-2_500_000, "−۲۵۰٬۰۰۰ تومان"),
    ],
)
def test_money_more_than_negative(rials, text):
    assert money_more_than(rials) == text


def test_zero():
    assert money_about(0) == "۰ تومان"
    assert money_more_than(0) == "۰ تومان"


# --- rounding that reaches the next scale ---------------------------------------------


@pytest.mark.parametrize(
    ("rials", "text"),
    [
        (9_996_000_000, "حدود ۱ میلیارد تومان"),  # 999.6 million toman
        (-9_996_000_000, "حدود −۱ میلیارد تومان"),
        (9_999_999_999_999, "حدود ۱ هزار میلیارد تومان"),
        (9_999_996, "حدود ۱ میلیون تومان"),  # 999,999.6 toman
        (9_994_000_000, "حدود ۹۹۹ میلیون تومان"),
        (9_995_000_000, "حدود ۱ میلیارد تومان"),
        (12_345_000_000_000_000, "حدود ۱٬۲۳۰ هزار میلیارد تومان"),  # no larger scale
    ],
)
def test_money_about_moves_up_a_scale(rials, text):
    assert money_about(rials) == text


_FA_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789.", "٬")


def _shown(text: str) -> tuple[Decimal, str]:
    words = text.removeprefix("حدود ").removeprefix("بیش از ").removeprefix("کمتر از ").split(" ")
    number = Decimal(words[0].replace("−", "-").translate(_FA_TO_ASCII))
    return number, " ".join(words[1:-1])


@given(st.integers(min_value=-(10**19), max_value=10**19))
def test_money_texts_shape(n):
    for text in (money_about(n), money_more_than(n)):
        assert text.endswith(" تومان")
        assert "  " not in text
        assert not any(ch in "0123456789-" for ch in text)
        number, word = _shown(text)
        assert (number < 0) == (n < 0), text
        if word in ("میلیون", "میلیارد"):
            assert 1 <= abs(number) < 1000, text
        elif word == "":
            assert abs(number) < 10**6, text
        else:
            assert word == "هزار میلیارد", text
