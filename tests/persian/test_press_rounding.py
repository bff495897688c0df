"""The press's rounding as parts (qualifier, number, scale), from which the paragraph is written in either language."""

from decimal import Decimal

import pytest

from taavon.persian.press import Rounded, number_text, rounded_about, rounded_count, rounded_more_than


@pytest.mark.parametrize(
    ("rounded", "expected"),
    [
        (rounded_about(1_954_000_000_000), Rounded("about", Decimal(195), 10**9, False)),
        (rounded_about(1_950_000_000_000), Rounded("", Decimal(195), 10**9, False)),
        (rounded_more_than(63_500_000_000), Rounded("more_than", Decimal(6), 10**9, False)),
        (rounded_more_than(-63_500_000_000), Rounded("less_than", Decimal(6), 10**9, True)),
        (rounded_count(214), Rounded("more_than", Decimal(200), 1, False)),
        (rounded_count(7), Rounded("", Decimal(7), 1, False)),
    ],
)
def test_rounded_parts(rounded, expected):
    assert rounded == expected


@pytest.mark.parametrize(
    ("value", "persian", "ascii_"),
    [(Decimal("1200.5"), "۱٬۲۰۰٫۵", "1,200.5"), (Decimal(195), "۱۹۵", "195"), (1234, "۱٬۲۳۴", "1,234")],
)
def test_number_text(value, persian, ascii_):
    assert number_text(value) == persian
    assert number_text(value, persian=False) == ascii_
