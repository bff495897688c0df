"""Numbers the way the Persian press writes them: "حدود ۱۹۵ میلیارد تومان", "بیش از ۲۰۰ فرصت شغلی".

Pure Python; amounts are integer rials (1 toman = 10 rials).
"""

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .digits import to_persian_digits

SCALES = [(10**12, "هزار میلیارد"), (10**9, "میلیارد"), (10**6, "میلیون")]


def _fa_number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    if "." in text:
        whole, frac = text.split(".")
    else:
        whole, frac = text, ""
    grouped = f"{int(whole):,}".replace(",", "٬")
    return to_persian_digits(grouped + ("٫" + frac if frac else ""))


def _significant(value: Decimal, digits: int, rounding: str) -> Decimal:
    if value == 0:
        return Decimal(0)
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    quantum = Decimal(1).scaleb(exponent)
    return (value / quantum).quantize(Decimal(1), rounding=rounding) * quantum


def about(value) -> Decimal:
    """Rounded as "about": three significant digits from 100 up, two from 10, one decimal below 10."""
    value = Decimal(value)
    if abs(value) >= 100:
        return _significant(value, 3, ROUND_HALF_UP).quantize(Decimal(1))
    if abs(value) >= 10:
        return _significant(value, 2, ROUND_HALF_UP).quantize(Decimal(1))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def floor_round(value) -> Decimal:
    """Rounded down for "more than": one significant digit below 1,000 (212 → 200), two from 1,000 (1,234 → 1,200)."""
    value = Decimal(value)
    if value < 1:
        return Decimal(0)
    return _significant(value, 1 if value < 1000 else 2, ROUND_FLOOR)


def _scale(toman: Decimal) -> tuple[Decimal, str]:
    for size, word in SCALES:
        if toman >= size:
            return toman / size, word
    return toman, ""


def money_about(rials: int) -> str:
    """ "حدود ۱۹۵ میلیارد تومان" (or the exact figure with no "حدود" when rounding changes nothing)."""
    value, word = _scale(Decimal(rials) / 10)
    rounded = about(value)
    prefix = "" if rounded == value else "حدود "
    return f"{prefix}{_fa_number(rounded)} {word} تومان".replace("  ", " ")


def money_more_than(rials: int) -> str:
    """ "بیش از ۶ میلیارد تومان"; the exact figure when it is already round."""
    value, word = _scale(Decimal(rials) / 10)
    floored = floor_round(value)
    if floored == value or floored == 0:
        return f"{_fa_number(value if floored == 0 else floored)} {word} تومان".replace("  ", " ")
    return f"بیش از {_fa_number(floored)} {word} تومان".replace("  ", " ")


def count_more_than(n: int, noun: str) -> str:
    """ "بیش از ۲۰۰ فرصت شغلی" (212); "۲۰۰ فرصت شغلی" (exactly 200); "۷ فرصت شغلی" (7)."""
    floored = floor_round(n)
    if n < 10 or floored == n:
        return f"{to_persian_digits(f'{n:,}').replace(',', '٬')} {noun}"
    return f"بیش از {_fa_number(floored)} {noun}"


def join_fa(items: list[str]) -> str:
    """ "الف، ب و ج" """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "، ".join(items[:-1]) + " و " + items[-1]
