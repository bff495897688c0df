import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from taavon.persian import (
    IdentifierError,
    is_valid_legal_id,
    is_valid_national_code,
    legal_id_check_digit,
    mask_national_code,
    national_code_check_digit,
    normalize_legal_id,
    normalize_national_code,
)

# --- national code ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0076229645", "0076229645"),
        ("1583250689", "1583250689"),
        ("۰۰۷۶۲۲۹۶۴۵", "0076229645"),
        ("۰۰۷۶-۲۲۹۶۴۵", "0076229645"),
        ("٠٠٧٦٢٢٩٦٤٥", "0076229645"),
        (" 158-325068-9 ", "1583250689"),
        ("76229645", "0076229645"),  # 8 digits: padded
        ("076229645", "0076229645"),  # 9 digits: padded
    ],
)
def test_normalize_national_code(text, expected):
    assert normalize_national_code(text) == expected
    assert is_valid_national_code(text)


def test_national_code_wrong_length():
    for text in ("", "123", "1234567", "12345678901"):
        with pytest.raises(IdentifierError):
            normalize_national_code(text)
    with pytest.raises(IdentifierError) as exc:
        normalize_national_code("12345678901")
    assert str(exc.value) == "کد ملی باید ۱۰ رقم باشد."


def test_national_code_all_equal():
    for digit in "0123456789":
        assert not is_valid_national_code(digit * 10)
    with pytest.raises(IdentifierError):
        normalize_national_code("1111111111")


def test_national_code_wrong_check_digit():
    with pytest.raises(IdentifierError) as exc:
        normalize_national_code("0076229644")
    assert str(exc.value) == "کد ملی ۰۰۷۶۲۲۹۶۴۴ معتبر نیست (رقم کنترل نادرست است)."
    assert not is_valid_national_code("1583250688")


def test_national_code_letters_refused():
    assert not is_valid_national_code("A0076229645")
    assert not is_valid_national_code(None)


def test_national_code_check_digit():
    assert national_code_check_digit("007622964") == "5"
    assert national_code_check_digit("۱۵۸۳۲۵۰۶۸") == "9"
    with pytest.raises(IdentifierError):
        national_code_check_digit("123")


def test_mask_national_code():
    assert mask_national_code("0076229645") == "۰۰۷۶***۶۴۵"
    assert mask_national_code("۱۵۸۳۲۵۰۶۸۹") == "۱۵۸۳***۶۸۹"
    assert mask_national_code("") == ""


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits, st.integers(min_value=1, max_value=9))
def test_national_code_check_digit_property(prefix, shift):
    code = prefix + national_code_check_digit(prefix)
    assume(len(set(code)) > 1)
    assert is_valid_national_code(code)
    assert normalize_national_code(code) == code
    wrong = prefix + str((int(code[-1]) + shift) % 10)
    assert not is_valid_national_code(wrong)


# --- legal entity ID --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["10380284790", "١٠٣٨٠٢٨٤٧٩٠", "۱۰۳۸۰۲۸۴۷۹۰", "103-8028-4790", " 10380284790 "],
)
def test_normalize_legal_id(text):
    assert normalize_legal_id(text) == "10380284790"
    assert is_valid_legal_id(text)


def test_legal_id_wrong_length():
    with pytest.raises(IdentifierError) as exc:
        normalize_legal_id("1038028479")
    assert str(exc.value) == "شناسه ملی باید ۱۱ رقم باشد."
    assert not is_valid_legal_id("")
    assert not is_valid_legal_id("103802847901")


def test_legal_id_wrong_check_digit():
    with pytest.raises(IdentifierError) as exc:
        normalize_legal_id("10380284791")
    assert "شناسه ملی" in str(exc.value)
    assert "معتبر نیست" in str(exc.value)


def test_legal_id_middle_zeros_refused():
    prefix = "1230000009"
    code = prefix + legal_id_check_digit(prefix)
    assert not is_valid_legal_id(code)


def test_legal_id_check_digit():
    assert legal_id_check_digit("1038028479") == "0"
    with pytest.raises(IdentifierError):
        legal_id_check_digit("12")


ten_digits = st.text(alphabet="0123456789", min_size=10, max_size=10)


@given(ten_digits, st.integers(min_value=1, max_value=9))
def test_legal_id_check_digit_property(prefix, shift):
    assume(prefix[3:9] != "000000")
    code = prefix + legal_id_check_digit(prefix)
    assert is_valid_legal_id(code)
    assert normalize_legal_id(code) == code
    wrong = prefix + str((int(code[-1]) + shift) % 10)
    assert not is_valid_legal_id(wrong)
