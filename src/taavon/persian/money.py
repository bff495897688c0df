"""Money: stored as whole rials, shown in toman (1 toman = 10 rials) with Persian digits."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .digits import to_ascii_digits, to_persian_digits
from .errors import BilingualError

THOUSANDS_SEP = "٬"  # U+066C Arabic thousands separator
DECIMAL_SEP = "٫"  # U+066B Arabic decimal separator
MINUS = "−"  # U+2212

MAX_RIALS = 2**63 - 1  # fits a 64-bit integer column

_UNITS: dict[str, int] = {"rial": 1, "toman": 10, "million_rial": 1_000_000}
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "rial": ("ریال",),
    "toman": ("تومان",),
    "million_rial": ("میلیون ریال", "میلیون"),
}

# (threshold in toman, word); checked from the largest.
_SCALES: tuple[tuple[int, str], ...] = (
    (10**12, "هزار میلیارد"),
    (10**9, "میلیارد"),
    (10**6, "میلیون"),
    (1, ""),
)

# Stripped before a number is read; never a separator ("1\u200c234" is 1234).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c\u00ad]")
# Thousands separators: "," "٬" "،" "'" "’" or a run of spaces (any Unicode space: no-break, thin, figure …).
_GROUP_SEP = r"(?:[,\u066c\u060c'\u2019]|\s+)"
_SIGNS = {"-": -1, "\u2212": -1, "\u2010": -1, "\u2013": -1, "+": 1}
# Whole part with any separators, then an optional decimal part ("." "٫" "/") of digits only.
_NUMBER = re.compile(r"([\d,\u066c\u060c'\u2019\s]*)(?:[.\u066b/](\d*))?")
# Correct grouping: 1 to 3 digits, then groups of exactly 3; or no separator at all.
_GROUPED = re.compile(rf"\d+|\d{{1,3}}(?:{_GROUP_SEP}\d{{3}})+")
_DIGITS_ONLY = re.compile(r"\D")
_MAX_LENGTH = 60

GROUPING_MESSAGE = "جداکنندهٔ هزارگان جای درستی ندارد (مثلاً ۱٬۲۳۴٬۵۶۷)."
GROUPING_MESSAGE_EN = "A thousands separator is out of place (e.g. 1,234,567)."
_SUBJECTS_EN = {"مبلغ": "The amount", "مقدار": "The value"}


class AmountError(BilingualError):
    """Invalid amount; ``str(e)`` is a message for the user in the interface's language."""


def _as_int(rials: int) -> int:
    if isinstance(rials, bool):
        raise AmountError("مبلغ باید عدد باشد.", "The amount must be a number.")
    if isinstance(rials, int):
        return rials
    try:
        value = Decimal(rials)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountError("مبلغ باید عدد باشد.", "The amount must be a number.") from None
    if value != value.to_integral_value():
        raise AmountError("مبلغ ریالی باید عدد صحیح باشد.", "An amount in rials is a whole number.")
    return int(value)


def rial_to_toman(rials: int) -> Decimal | int:
    """Exact toman value: an int when divisible by 10, else a Decimal."""
    rials = _as_int(rials)
    if rials % 10 == 0:
        return rials // 10
    return Decimal(rials) / 10


def _group(digits: str) -> str:
    out = []
    for i, ch in enumerate(reversed(digits)):
        if i and i % 3 == 0:
            out.append(THOUSANDS_SEP)
        out.append(ch)
    return "".join(reversed(out))


def _format_decimal(value: Decimal) -> str:
    """Persian digits, grouped integer part, "٫" decimals without trailing zeros; value >= 0."""
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    out = _group(whole or "0") + (DECIMAL_SEP + frac if frac else "")
    return to_persian_digits(out)


def format_rial(rials: int | None) -> str:
    """Whole rials with Persian digits and "٬" grouping: 1950000 → "۱٬۹۵۰٬۰۰۰"."""
    if rials is None:
        return ""
    rials = _as_int(rials)
    sign = MINUS if rials < 0 else ""
    return sign + to_persian_digits(_group(str(abs(rials))))


def format_toman(rials: int | None, *, precision: int = 1) -> str:
    """Toman with a word for scale: 62_000_000_000 rials → "۶٫۲ میلیارد تومان"."""
    if rials is None:
        return ""
    if precision < 0:
        raise ValueError("دقت اعشار نمی‌تواند منفی باشد.")
    rials = _as_int(rials)
    with localcontext() as ctx:
        ctx.prec = abs(rials).bit_length() // 3 + precision + 25
        toman = abs(Decimal(rials)) / 10
        quantum = Decimal(1).scaleb(-precision)
        # Largest scale the value reaches; move up when rounding reaches 1000 of it.
        index = next(i for i, (limit, _) in enumerate(_SCALES) if toman >= limit or limit == 1)
        while True:
            threshold, word = _SCALES[index]
            shown = (toman / threshold).quantize(quantum, rounding=ROUND_HALF_UP)
            if index > 0 and shown >= _SCALES[index - 1][0] // threshold:
                index -= 1
                continue
            break
    sign = MINUS if rials < 0 and shown != 0 else ""
    unit = f" {word} تومان" if word else " تومان"
    return sign + _format_decimal(shown) + unit


_SCALES_EN: tuple[tuple[int, str], ...] = (
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (1, ""),
)


def format_toman_en(rials: int | None, *, precision: int = 1) -> str:
    """Toman for English pages, the unit named, ASCII digits: 62_000_000_000 rials → "6.2 billion toman"
    (the same rounding as format_toman; a Persian «میلیارد» is a billion, «هزار میلیارد» a trillion)."""
    if rials is None:
        return ""
    rials = _as_int(rials)
    with localcontext() as ctx:
        ctx.prec = abs(rials).bit_length() // 3 + precision + 25
        toman = abs(Decimal(rials)) / 10
        quantum = Decimal(1).scaleb(-precision)
        index = next(i for i, (limit, _) in enumerate(_SCALES_EN) if toman >= limit or limit == 1)
        while True:
            threshold, word = _SCALES_EN[index]
            shown = (toman / threshold).quantize(quantum, rounding=ROUND_HALF_UP)
            if index > 0 and shown >= _SCALES_EN[index - 1][0] // threshold:
                index -= 1
                continue
            break
    sign = "-" if rials < 0 and shown != 0 else ""
    text = format(shown, "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    number = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return sign + number + (f" {word} toman" if word else " toman")


def _strip_unit_word(text: str, unit: str) -> str:
    for word in _UNIT_WORDS[unit]:
        if text.endswith(word):
            return text[: -len(word)].strip()
    return text


def _parse_decimal(text: str | int | Decimal, subject: str) -> Decimal:
    subject_en = _SUBJECTS_EN.get(subject, subject)
    if isinstance(text, bool):
        raise AmountError(f"{subject} باید عدد باشد.", f"{subject_en} must be a number.")
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
        if not value.is_finite():
            raise AmountError(f"{subject} باید عدد باشد.", f"{subject_en} must be a number.")
        return value
    if text is None or not str(text).strip():
        raise AmountError(f"{subject} وارد نشده است.", f"{subject_en} is missing.")
    clean = to_ascii_digits(str(text)).strip()
    if len(clean) > _MAX_LENGTH:
        raise AmountError(f"{subject} بیش از حد بزرگ است.", f"{subject_en} is too large.")
    clean = _INVISIBLE.sub("", clean).strip()
    sign = _SIGNS.get(clean[:1], 0)
    if sign:
        clean = clean[1:].lstrip()
    match = _NUMBER.fullmatch(clean)
    if not clean or not match or not _DIGITS_ONLY.sub("", match.group(1) + (match.group(2) or "")):
        raise AmountError(
            f"{subject} باید عدد باشد، مثلاً ۲۵۰٬۰۰۰.", f"{subject_en} must be a number, e.g. 250,000."
        )
    whole, frac = match.group(1), match.group(2)
    if whole and not _GROUPED.fullmatch(whole):
        raise AmountError(GROUPING_MESSAGE, GROUPING_MESSAGE_EN)
    digits = _DIGITS_ONLY.sub("", whole) or "0"
    value = Decimal(f"{digits}.{frac}" if frac else digits)  # exact: no context rounding
    return value.copy_negate() if sign < 0 and value else value


def parse_decimal(text: str | int | Decimal) -> Decimal:
    """Read a typed number: any digits, thousands separators in their places, "." "٫" or "/" for decimals.

    "۱٬۲۳۴٫۵" → Decimal("1234.5"); "−۱۲" → Decimal("-12"). Separators: "," "٬" "،" "'" "’" and spaces,
    with groups of exactly three digits after a first group of one to three ("1,2345" and "۱۲۳,۴" are
    refused); invisible characters (half-space, bidi marks, BOM …) are dropped and separate nothing.
    An int or a finite Decimal is returned as a Decimal. Raises AmountError with a Persian message.
    """
    return _parse_decimal(text, "مقدار")


def parse_amount(text: str | int, *, unit: str = "rial") -> int:
    """Parse a user-typed amount in ``unit`` ("rial", "toman", "million_rial") to whole rials."""
    if unit not in _UNITS:
        raise ValueError(f"واحد مبلغ ناشناخته است: {unit!r}")
    factor = _UNITS[unit]

    if isinstance(text, (bool, int, Decimal)):
        value = _parse_decimal(text, "مبلغ")
    else:
        if text is None or not str(text).strip():
            raise AmountError("مبلغ وارد نشده است.", "The amount is missing.")
        clean = to_ascii_digits(str(text)).strip()
        if len(clean) > _MAX_LENGTH:
            raise AmountError("مبلغ بیش از حد بزرگ است.", "The amount is too large.")
        clean = _strip_unit_word(clean, unit)
        if not clean:
            raise AmountError(
                "مبلغ باید عدد باشد، مثلاً ۲۵۰٬۰۰۰.", "The amount must be a number, e.g. 250,000."
            )
        value = _parse_decimal(clean, "مبلغ")

    if value < 0:
        raise AmountError("مبلغ نمی‌تواند منفی باشد.", "The amount cannot be negative.")
    with localcontext() as ctx:
        ctx.prec = 200
        rials = value * factor
    if rials != rials.to_integral_value():
        raise AmountError(
            "مبلغ به ریال باید عدد صحیح باشد؛ رقم‌های اعشار را کم کنید.",
            "An amount in rials is a whole number; remove the decimals.",
        )
    result = int(rials)
    if result > MAX_RIALS:
        raise AmountError("مبلغ بیش از حد بزرگ است.", "The amount is too large.")
    return result
