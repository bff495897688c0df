from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taavon.persian import AmountError, format_rial, format_toman, parse_amount, rial_to_toman


def test_rial_to_toman_exact():
    assert rial_to_toman(1_950_000_000_000) == 195_000_000_000
    assert isinstance(rial_to_toman(100), int)
    assert rial_to_toman(15) == Decimal("1.5")
    assert rial_to_toman(0) == 0


def test_format_rial():
    assert format_rial(1_950_000) == "۱٬۹۵۰٬۰۰۰"
    assert format_rial(0) == "۰"
    assert format_rial(999) == "۹۹۹"
    assert format_rial(1000) == "۱٬۰۰۰"
    assert format_rial(None) == ""
    assert format_rial(-2500) in ("−۲٬۵۰۰", "-۲٬۵۰۰")


@pytest.mark.parametrize(
    ("rials", "expected"),
    [
        (1_950_000_000_000, "۱۹۵ میلیارد تومان"),  # the report's total investment
        (62_000_000_000, "۶٫۲ میلیارد تومان"),
        (60_000_000_000, "۶ میلیارد تومان"),
        (25_000_000, "۲٫۵ میلیون تومان"),
        (2_500_000, "۲۵۰٬۰۰۰ تومان"),
        (0, "۰ تومان"),
        (10, "۱ تومان"),
        (10_000_000, "۱ میلیون تومان"),
        (10_000_000_000_000, "۱ هزار میلیارد تومان"),
        (25_000_000_000_000, "۲٫۵ هزار میلیارد تومان"),
        (9_999_999_999, "۱ میلیارد تومان"),  # rounding carries to the next word
        (99_999_999, "۱۰ میلیون تومان"),
        (9_999_999, "۹۹۹٬۹۹۹٫۹ تومان"),
        (12_345_670, "۱٫۲ میلیون تومان"),
    ],
)
def test_format_toman(rials, expected):
    assert format_toman(rials) == expected


def test_format_toman_precision():
    assert format_toman(12_345_670, precision=2) == "۱٫۲۳ میلیون تومان"
    assert format_toman(12_345_670, precision=0) == "۱ میلیون تومان"
    assert format_toman(9_999_999, precision=0) == "۱ میلیون تومان"
    assert format_toman(62_000_000_000, precision=3) == "۶٫۲ میلیارد تومان"


def test_format_toman_none_and_negative():
    assert format_toman(None) == ""
    assert format_toman(-25_000_000) in ("−۲٫۵ میلیون تومان", "-۲٫۵ میلیون تومان")


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1950000", "rial", 1_950_000),
        ("۱٬۹۵۰٬۰۰۰", "rial", 1_950_000),
        ("1,950,000", "rial", 1_950_000),
        ("١،٩٥٠،٠٠٠", "rial", 1_950_000),
        ("1 950 000", "rial", 1_950_000),
        ("1'950'000", "rial", 1_950_000),
        ("250000", "toman", 2_500_000),
        ("۲۵۰٬۰۰۰ تومان", "toman", 2_500_000),
        ("2.5", "million_rial", 2_500_000),
        ("۲٫۵", "million_rial", 2_500_000),
        ("1.5", "toman", 15),
        ("0", "rial", 0),
        (1_950_000, "rial", 1_950_000),
        (25, "million_rial", 25_000_000),
    ],
)
def test_parse_amount(text, unit, expected):
    assert parse_amount(text, unit=unit) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("", "rial"),
        ("   ", "rial"),
        (None, "rial"),
        ("abc", "rial"),
        ("۱۲x", "rial"),
        ("2.5", "rial"),
        ("1.25", "toman"),
        ("-100", "rial"),
        ("−۱۰۰", "rial"),
        (-5, "rial"),
        ("1.2.3", "rial"),
        ("9" * 25, "rial"),
    ],
)
def test_parse_amount_refuses(text, unit):
    with pytest.raises(AmountError) as exc:
        parse_amount(text, unit=unit)
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(exc.value))


def test_parse_amount_unknown_unit():
    with pytest.raises(ValueError):
        parse_amount("1", unit="dollar")


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_parse_format_rial_round_trip(n):
    assert parse_amount(format_rial(n)) == n


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_format_toman_shape(n):
    text = format_toman(n)
    assert text.endswith("تومان")
    assert not any(ch in "0123456789" for ch in text)
