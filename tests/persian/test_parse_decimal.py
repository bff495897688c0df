from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taavon.persian import AmountError, parse_amount, parse_decimal

GROUPING_MESSAGE = "جداکنندهٔ هزارگان جای درستی ندارد"


def _is_persian(message: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in message)


# --- grouping in parse_amount ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1,2345",  # was read as 12,345
        "۱۲۳,۴",  # was read as 1,234
        "۱۲۳٬۴",
        "1,23",
        "1234,567",  # first group longer than three digits
        "12,34,567",
        "1 2",
        "1 2345",
        "1,234,56",
        ",123",
        "123,",
        "1,,234",
        "1, ,234",
        "1،23",
        "1'23",
        "1\u00a023",
        "1,234.5,6",
    ],
)
def test_parse_amount_refuses_misplaced_grouping(text):
    with pytest.raises(AmountError) as exc:
        parse_amount(text, unit="million_rial")  # the old code read all of these as whole rials
    assert _is_persian(str(exc.value))


@pytest.mark.parametrize("text", ["1,2345", "۱۲۳,۴", "1,23", "12,34,567", "1 2", "1234,567"])
def test_misplaced_grouping_message(text):
    with pytest.raises(AmountError) as exc:
        parse_amount(text)
    assert GROUPING_MESSAGE in str(exc.value)
    with pytest.raises(AmountError) as exc:
        parse_decimal(text)
    assert GROUPING_MESSAGE in str(exc.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234,567", 1_234_567),
        ("۱٬۲۳۴٬۵۶۷", 1_234_567),
        ("1 234 567", 1_234_567),
        ("1  234  567", 1_234_567),
        ("1،234", 1_234),
        ("1'234", 1_234),
        ("1’234", 1_234),
        ("1\u00a0234", 1_234),
        ("1\u202f234", 1_234),
        ("1\u2009234", 1_234),
        ("1\u2007234", 1_234),
        ("1234567", 1_234_567),
        ("123", 123),
        ("0,123", 123),
        ("\u200f1,234\u200e", 1_234),  # bidi marks are not separators
        ("1,\u200c234", 1_234),
        ("1\u200c234", 1_234),  # an invisible character is not a separator
        ("\ufeff1,234", 1_234),
        ("1,234 تومان", 12_340),
    ],
)
def test_parse_amount_accepts_correct_grouping(text, expected):
    unit = "toman" if text.endswith("تومان") else "rial"
    assert parse_amount(text, unit=unit) == expected


def test_parse_amount_decimal_part_is_not_grouped():
    assert parse_amount("1,234.5", unit="toman") == 12_345
    assert parse_amount("۱٬۲۳۴٫۵", unit="toman") == 12_345
    assert parse_amount("2/5", unit="million_rial") == 2_500_000
    assert parse_amount("0.1234", unit="million_rial") == 123_400
    with pytest.raises(AmountError):
        parse_amount("0.123,4", unit="million_rial")


def test_parse_amount_keeps_its_messages():
    with pytest.raises(AmountError) as exc:
        parse_amount("-1,234")
    assert str(exc.value) == "مبلغ نمی‌تواند منفی باشد."
    with pytest.raises(AmountError) as exc:
        parse_amount("")
    assert str(exc.value) == "مبلغ وارد نشده است."
    with pytest.raises(AmountError) as exc:
        parse_amount("abc")
    assert str(exc.value) == "مبلغ باید عدد باشد، مثلاً ۲۵۰٬۰۰۰."
    with pytest.raises(AmountError) as exc:
        parse_amount("تومان", unit="toman")
    assert str(exc.value) == "مبلغ باید عدد باشد، مثلاً ۲۵۰٬۰۰۰."
    with pytest.raises(AmountError) as exc:
        parse_amount("1" * 61)
    assert str(exc.value) == "مبلغ بیش از حد بزرگ است."


# --- parse_decimal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567", Decimal(1_234_567)),
        ("۱٬۲۳۴٬۵۶۷", Decimal(1_234_567)),
        ("١،٩٥٠،٠٠٠", Decimal(1_950_000)),
        ("۲٫۵", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("2/5", Decimal("2.5")),
        (".5", Decimal("0.5")),
        ("5.", Decimal(5)),
        ("1,234.0625", Decimal("1234.0625")),
        ("-۲٫۵", Decimal("-2.5")),
        ("−1,234", Decimal(-1234)),
        ("\u2010" + "5", Decimal(-5)),
        ("–5", Decimal(-5)),
        ("- 5", Decimal(-5)),
        ("+5", Decimal(5)),
        ("\u200f-12", Decimal(-12)),
        ("  42  ", Decimal(42)),
        (7, Decimal(7)),
        (-7, Decimal(-7)),
        (Decimal("2.5"), Decimal("2.5")),
    ],
)
def test_parse_decimal(text, expected):
    value = parse_decimal(text)
    assert isinstance(value, Decimal)
    assert value == expected


def test_parse_decimal_keeps_integers_integral():
    assert str(parse_decimal("1,234")) == "1234"
    assert str(parse_decimal("-0")) == "0"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        "abc",
        "۱۲x",
        "1.2.3",
        "--5",
        "5-",
        "-",
        ".",
        "1,2345",
        "1e5",
        "9" * 61,
        True,
        Decimal("NaN"),
    ],
)
def test_parse_decimal_refuses(text):
    with pytest.raises(AmountError) as exc:
        parse_decimal(text)
    assert _is_persian(str(exc.value))


SEPARATORS = [",", "٬", "،", "'", "’", " ", "\u00a0", "\u202f", "\u2009"]


@given(st.integers(min_value=0, max_value=10**30), st.sampled_from(SEPARATORS), st.booleans())
def test_parse_decimal_reads_any_correct_grouping(n, sep, negative):
    text = f"{n:,}".replace(",", sep)
    if negative:
        text = "−" + text
    assert parse_decimal(text) == (-n if negative else n)


@given(st.text(alphabet="0123456789", min_size=2, max_size=15), st.data())
def test_parse_decimal_refuses_any_misplaced_separator(digits, data):
    cut = data.draw(st.integers(min_value=1, max_value=len(digits) - 1))
    tail = len(digits) - cut
    if tail % 3 == 0 and cut <= 3:
        # a correct first group; put a second separator in a wrong place if we can
        if tail <= 3:
            return
        cut2 = cut + data.draw(st.sampled_from([1, 2]))
        text = digits[:cut] + "," + digits[cut:cut2] + "," + digits[cut2:]
    else:
        text = digits[:cut] + data.draw(st.sampled_from(SEPARATORS)) + digits[cut:]
    with pytest.raises(AmountError):
        parse_decimal(text)
