"""Numbers the way the Persian press writes them: "حدود ۱۹۵ میلیارد تومان", "بیش از ۲۰۰ فرصت شغلی".

Pure Python; amounts are integer rials (1 toman = 10 rials).
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .digits import to_persian_digits
from .money import MINUS  # "−" U+2212, the sign shown before a negative figure

SCALES = [(10**12, "هزار میلیارد"), (10**9, "میلیارد"), (10**6, "میلیون")]
_ALL_SCALES = [*SCALES, (1, "")]


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
    # adjusted() is the exact power of ten of the first digit (a float log10 rounds 999.99…9 up to 3).
    exponent = value.adjusted() - digits + 1
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
    """Rounded down for "more than": the round number not above the value and within 10% of it.

    One significant digit when that is at least 90% of the value (214 → 200, 6.35 → 6, 550 → 500), else two
    (195.4 → 190, 1,234 → 1,200), which is always within 10%. 0 below 1.
    """
    value = Decimal(value)
    if value < 1:
        return Decimal(0)
    floored = _significant(value, 1, ROUND_FLOOR)
    if floored * 10 >= value * 9:
        return floored
    return _significant(value, 2, ROUND_FLOOR)


def _scaled(toman: Decimal, rounder) -> tuple[Decimal, Decimal, str]:
    """(value in the scale, rounder(value), scale word) for toman >= 0, in the largest scale the value reaches;
    one scale up when rounding reaches the next one ("۱٬۰۰۰ میلیون" → "۱ میلیارد")."""
    index = next(i for i, (size, _) in enumerate(_ALL_SCALES) if toman >= size or size == 1)
    while True:
        size, word = _ALL_SCALES[index]
        value = toman / size
        shown = rounder(value)
        if index > 0 and shown >= _ALL_SCALES[index - 1][0] // size:
            index -= 1
            continue
        return value, shown, word


def _money(number: Decimal, word: str, negative: bool) -> str:
    sign = MINUS if negative and number != 0 else ""
    return f"{sign}{_fa_number(number)} {word} تومان".replace("  ", " ")


def money_about(rials: int) -> str:
    """ "حدود ۱۹۵ میلیارد تومان" (or the exact figure with no "حدود" when rounding changes nothing).

    Negative: "حدود −۱۹۵ میلیارد تومان".
    """
    value, rounded, word = _scaled(abs(Decimal(rials)) / 10, about)
    prefix = "" if rounded == value else "حدود "
    return prefix + _money(rounded, word, rials < 0)


def money_more_than(rials: int) -> str:
    """ "بیش از ۶ میلیارد تومان"; the exact figure when it is already round.

    Negative: "کمتر از −۶ میلیارد تومان" (−6.35 billion is less than −6 billion).
    """
    value, floored, word = _scaled(abs(Decimal(rials)) / 10, floor_round)
    if floored == value or floored == 0:
        return _money(value if floored == 0 else floored, word, rials < 0)
    prefix = "کمتر از " if rials < 0 else "بیش از "
    return prefix + _money(floored, word, rials < 0)


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
