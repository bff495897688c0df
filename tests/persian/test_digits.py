from hypothesis import given
from hypothesis import strategies as st

from taavon.persian import only_digits, to_ascii_digits, to_persian_digits


def test_to_ascii_digits_persian_and_arabic():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_to_ascii_digits_keeps_other_characters():
    assert to_ascii_digits("سال ۱۴۰۴ - ماه ٦") == "سال 1404 - ماه 6"
    assert to_ascii_digits("") == ""


def test_to_persian_digits():
    assert to_persian_digits(1404) == "۱۴۰۴"
    assert to_persian_digits("12/06 ٣") == "۱۲/۰۶ ۳"
    assert to_persian_digits(None) == ""
    assert to_persian_digits(0) == "۰"


def test_only_digits():
    assert only_digits("۰۰۷۶-۲۲۹۶۴۵") == "00762296" + "45"
    assert only_digits(" 10 380 284 790 ") == "10380284790"
    assert only_digits("١٠٣-٨٠٢") == "103802"
    assert only_digits("") == ""
    assert only_digits("بدون رقم") == ""


@given(st.integers(min_value=0, max_value=10**30))
def test_round_trip_integer(n):
    fa = to_persian_digits(n)
    assert all(ch in "۰۱۲۳۴۵۶۷۸۹" for ch in fa)
    assert to_ascii_digits(fa) == str(n)


@given(st.text())
def test_round_trip_text_digits(s):
    assert to_ascii_digits(to_persian_digits(s)) == to_ascii_digits(s)
