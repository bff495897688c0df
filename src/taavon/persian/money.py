"""Money: stored as whole rials, shown in toman (1 toman = 10 rials) with Persian digits."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .digits import to_ascii_digits, to_persian_digits

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

_GROUPING = re.compile(r"[,\u066c\u060c'\u2019\s\u200c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NUMBER = re.compile(r"^(\d*)(?:[.\u066b/](\d*))?$")


class AmountError(ValueError):
    """Invalid amount; ``str(e)`` is a Persian message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _as_int(rials: int) -> int:
    if isinstance(rials, bool):
        raise AmountError("مبلغ باید عدد باشد.")
    if isinstance(rials, int):
        return rials
    try:
        value = Decimal(rials)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountError("مبلغ باید عدد باشد.") from None
    if value != value.to_integral_value():
        raise AmountError("مبلغ ریالی باید عدد صحیح باشد.")
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


def _strip_unit_word(text: str, unit: str) -> str:
    for word in _UNIT_WORDS[unit]:
        if text.endswith(word):
            return text[: -len(word)].strip()
    return text


def parse_amount(text: str | int, *, unit: str = "rial") -> int:
    """Parse a user-typed amount in ``unit`` ("rial", "toman", "million_rial") to whole rials."""
    if unit not in _UNITS:
        raise ValueError(f"واحد مبلغ ناشناخته است: {unit!r}")
    factor = _UNITS[unit]

    if isinstance(text, bool):
        raise AmountError("مبلغ باید عدد باشد.")
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
        if not value.is_finite():
            raise AmountError("مبلغ باید عدد باشد.")
    else:
        if text is None or not str(text).strip():
            raise AmountError("مبلغ وارد نشده است.")
        clean = to_ascii_digits(str(text)).strip()
        if len(clean) > 60:
            raise AmountError("مبلغ بیش از حد بزرگ است.")
        clean = _strip_unit_word(clean, unit)
        negative = clean[:1] in ("-", "−", "\u2010", "\u2013")
        if negative or clean[:1] == "+":
            clean = clean[1:]
        clean = _GROUPING.sub("", clean)
        match = _NUMBER.match(clean)
        if not clean or not match or not (match.group(1) or match.group(2)):
            raise AmountError("مبلغ باید عدد باشد، مثلاً ۲۵۰٬۰۰۰.")
        value = Decimal(f"{match.group(1) or '0'}.{match.group(2) or '0'}")
        if negative:
            value = -value

    if value < 0:
        raise AmountError("مبلغ نمی‌تواند منفی باشد.")
    with localcontext() as ctx:
        ctx.prec = 200
        rials = value * factor
    if rials != rials.to_integral_value():
        raise AmountError("مبلغ به ریال باید عدد صحیح باشد؛ رقم‌های اعشار را کم کنید.")
    result = int(rials)
    if result > MAX_RIALS:
        raise AmountError("مبلغ بیش از حد بزرگ است.")
    return result
