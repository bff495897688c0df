"""Numbers the way the Persian press writes them: "حدود ۱۹۵ میلیارد تومان", "بیش از ۲۰۰ فرصت شغلی" — and the
rounding behind them (`rounded_*`), from which reports/press.py writes the same figures in English.

Pure Python; amounts are integer rials (1 toman = 10 rials).
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .digits import to_persian_digits
from .money import MINUS  # "−" U+2212, the sign shown before a negative figure

SCALES = [(10**12, "هزار میلیارد"), (10**9, "میلیارد"), (10**6, "میلیون")]
_ALL_SCALES = [*SCALES, (1, "")]
_WORDS = dict(_ALL_SCALES)


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


def _scaled(toman: Decimal, rounder) -> tuple[Decimal, Decimal, int]:
    """(value in the scale, rounder(value), the scale's size) for toman >= 0, in the largest scale the value reaches;
    one scale up when rounding reaches the next one ("۱٬۰۰۰ میلیون" → "۱ میلیارد")."""
    index = next(i for i, (size, _) in enumerate(_ALL_SCALES) if toman >= size or size == 1)
    while True:
        size = _ALL_SCALES[index][0]
        value = toman / size
        shown = rounder(value)
        if index > 0 and shown >= _ALL_SCALES[index - 1][0] // size:
            index -= 1
            continue
        return value, shown, size


class Rounded(NamedTuple):
    """A press figure, rounded: `qualifier` "" (exact), "about", "more_than" or "less_than" (negative figures);
    `number` (>= 0) in units of `scale` toman (10**12, 10**9, 10**6 or 1; for counts, 1); `negative`."""

    qualifier: str
    number: Decimal
    scale: int
    negative: bool


def rounded_about(rials: int) -> Rounded:
    """The figure of money_about: "about" unless rounding changes nothing."""
    value, rounded, scale = _scaled(abs(Decimal(rials)) / 10, about)
    return Rounded("" if rounded == value else "about", rounded, scale, rials < 0)


def rounded_more_than(rials: int) -> Rounded:
    """The figure of money_more_than: "more than" (below zero "less than") unless it is already round."""
    value, floored, scale = _scaled(abs(Decimal(rials)) / 10, floor_round)
    negative = rials < 0
    if floored == value or floored == 0:
        return Rounded("", value if floored == 0 else floored, scale, negative)
    return Rounded("less_than" if negative else "more_than", floored, scale, negative)


def rounded_count(n: int) -> Rounded:
    """The figure of count_more_than: the count itself below 10 or when round, else "more than" a round number."""
    floored = floor_round(n)
    if n < 10 or floored == n:
        return Rounded("", Decimal(n), 1, False)
    return Rounded("more_than", floored, 1, False)


def number_text(value: Decimal | int, *, persian: bool = True) -> str:
    """A figure with thousands separators and its decimals: "۱٬۲۰۰٫۵" (Persian), "1,200.5" (ASCII)."""
    value = Decimal(value)
    if not persian:
        return _ascii_number(value)
    return _fa_number(value)


def _ascii_number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


_PREFIX = {"": "", "about": "حدود ", "more_than": "بیش از ", "less_than": "کمتر از "}


def _money(r: Rounded) -> str:
    sign = MINUS if r.negative and r.number != 0 else ""
    return _PREFIX[r.qualifier] + f"{sign}{_fa_number(r.number)} {_WORDS[r.scale]} تومان".replace("  ", " ")


def money_about(rials: int) -> str:
    """ "حدود ۱۹۵ میلیارد تومان" (or the exact figure with no "حدود" when rounding changes nothing).

    Negative: "حدود −۱۹۵ میلیارد تومان".
    """
    return _money(rounded_about(rials))


def money_more_than(rials: int) -> str:
    """ "بیش از ۶ میلیارد تومان"; the exact figure when it is already round.

    Negative: "کمتر از −۶ میلیارد تومان" (−6.35 billion is less than −6 billion).
    """
    return _money(rounded_more_than(rials))


def count_more_than(n: int, noun: str) -> str:
    """ "بیش از ۲۰۰ فرصت شغلی" (212); "۲۰۰ فرصت شغلی" (exactly 200); "۷ فرصت شغلی" (7)."""
    r = rounded_count(n)
    return f"{_PREFIX[r.qualifier]}{_fa_number(r.number)} {noun}"


def join_fa(items: list[str]) -> str:
    """ "الف، ب و ج" """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "، ".join(items[:-1]) + " و " + items[-1]
