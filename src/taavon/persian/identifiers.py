"""Iranian identifiers: person national code (کد ملی) and legal entity national ID (شناسه ملی)."""

from __future__ import annotations

from .digits import ARABIC_DIGITS, PERSIAN_DIGITS, only_digits, to_persian_digits
from .errors import BilingualError

_LEGAL_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


class IdentifierError(BilingualError):
    """Invalid identifier; ``str(e)`` is a message for the user in the interface's language."""


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() and ch not in PERSIAN_DIGITS + ARABIC_DIGITS for ch in text)


def _national_remainder_digit(first9: str) -> str:
    s = sum(int(ch) * (10 - i) for i, ch in enumerate(first9))
    r = s % 11
    return str(r if r < 2 else 11 - r)


def _legal_remainder_digit(first10: str) -> str:
    k = int(first10[9]) + 2
    s = sum((int(ch) + k) * w for ch, w in zip(first10, _LEGAL_WEIGHTS, strict=True))
    return str(s % 11 % 10)  # remainder 10 counts as 0


def national_code_check_digit(first9: str) -> str:
    """Check digit (tenth digit) for the first nine digits of a national code."""
    digits = only_digits(first9 or "")
    if len(digits) != 9:
        raise IdentifierError(
            "برای محاسبه رقم کنترل کد ملی، ۹ رقم اول لازم است.",
            "The first 9 digits are needed to compute a national code's check digit.",
        )
    return _national_remainder_digit(digits)


def legal_id_check_digit(first10: str) -> str:
    """Check digit (eleventh digit) for the first ten digits of a legal entity national ID."""
    digits = only_digits(first10 or "")
    if len(digits) != 10:
        raise IdentifierError(
            "برای محاسبه رقم کنترل شناسه ملی، ۱۰ رقم اول لازم است.",
            "The first 10 digits are needed to compute a national ID's check digit.",
        )
    return _legal_remainder_digit(digits)


def normalize_national_code(text: str) -> str:
    """Return the 10-digit ASCII national code, or raise IdentifierError (Persian message)."""
    text = "" if text is None else str(text)
    digits = only_digits(text)
    if not digits and not text.strip():
        raise IdentifierError("کد ملی وارد نشده است.", "The national code is missing.")
    if _has_letters(text):
        raise IdentifierError("کد ملی فقط از رقم تشکیل می‌شود.", "A national code has digits only.")
    if len(digits) in (8, 9):
        digits = digits.zfill(10)
    if len(digits) != 10:
        raise IdentifierError("کد ملی باید ۱۰ رقم باشد.", "A national code has 10 digits.")
    shown = to_persian_digits(digits)
    if len(set(digits)) == 1:
        raise IdentifierError(f"کد ملی {shown} معتبر نیست.", f"The national code {digits} is not valid.")
    if digits[9] != _national_remainder_digit(digits[:9]):
        raise IdentifierError(
            f"کد ملی {shown} معتبر نیست (رقم کنترل نادرست است).",
            f"The national code {digits} is not valid (its check digit is wrong).",
        )
    return digits


def is_valid_national_code(text: str) -> bool:
    """True when ``text`` is (or normalises to) a valid national code."""
    try:
        normalize_national_code(text)
    except IdentifierError:
        return False
    return True


def normalize_legal_id(text: str) -> str:
    """Return the 11-digit ASCII legal entity national ID, or raise IdentifierError."""
    text = "" if text is None else str(text)
    digits = only_digits(text)
    if not digits and not text.strip():
        raise IdentifierError("شناسه ملی وارد نشده است.", "The national ID is missing.")
    if _has_letters(text):
        raise IdentifierError("شناسه ملی فقط از رقم تشکیل می‌شود.", "A national ID has digits only.")
    if len(digits) != 11:
        raise IdentifierError("شناسه ملی باید ۱۱ رقم باشد.", "A national ID has 11 digits.")
    shown = to_persian_digits(digits)
    if digits[3:9] == "000000":
        raise IdentifierError(f"شناسه ملی {shown} معتبر نیست.", f"The national ID {digits} is not valid.")
    if digits[10] != _legal_remainder_digit(digits[:10]):
        raise IdentifierError(
            f"شناسه ملی {shown} معتبر نیست (رقم کنترل نادرست است).",
            f"The national ID {digits} is not valid (its check digit is wrong).",
        )
    return digits


def is_valid_legal_id(text: str) -> bool:
    """True when ``text`` is (or normalises to) a valid legal entity national ID."""
    try:
        normalize_legal_id(text)
    except IdentifierError:
        return False
    return True


def mask_national_code(code: str) -> str:
    """Show only the first 4 and last 3 digits, in Persian digits: "۰۰۷۶***۶۴۵"."""
    digits = only_digits(code or "")
    if not digits:
        return ""
    if len(digits) in (8, 9):
        digits = digits.zfill(10)
    if len(digits) < 8:
        return "*" * len(digits)
    return to_persian_digits(digits[:4]) + "*" * (len(digits) - 7) + to_persian_digits(digits[-3:])
