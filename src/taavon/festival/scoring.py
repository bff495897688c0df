"""The festival's arithmetic, pure Python (no Django): normalisation within a category, the weighted total, the
ranking with its tie rule, and the sensitivity of the top three to each weight. The pages print these rules; the
tests prove them on hand-computed cases.

- **Normalisation (computed criteria)**: min–max within the category's eligible candidates,
  `100 × (value − min) / (max − min)`; a candidate with no value gets 0; when every candidate has the same value,
  each gets 100 (nobody is behind anybody).
- **Jury criteria**: the mean of the jurors' scores, `100 × (mean − low) / (high − low)` on the criterion's range.
- **Total**: `Σ weight% × score / 100` over the criteria (weights of a category sum to 100): 0–100, split into its
  computed part and its jury part.
- **Tie rule**: a higher total first; equal totals: the higher jury part, then the higher computed part, then the
  earlier application, then the candidate's number. No two candidates share a rank.
- **Sensitivity**: a criterion's weight moves ±10% of itself (the other weights scaled to keep the sum 100); the
  result is fragile on that criterion when the top three — who and in which order — change.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
PLACES = Decimal("0.001")
STEP = Decimal("0.10")
TOP = 3


def q3(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)


def normalise(values: Mapping[object, Decimal | None]) -> dict[object, Decimal]:
    """Min–max within the category: {key: 0–100}; None (no value) → 0; all equal → 100."""
    present = [v for v in values.values() if v is not None]
    if not present:
        return {k: Decimal(0) for k in values}
    low, high = min(present), max(present)
    out = {}
    for k, v in values.items():
        if v is None:
            out[k] = Decimal(0)
        elif high == low:
            out[k] = HUNDRED
        else:
            out[k] = q3(HUNDRED * (Decimal(v) - low) / (high - low))
    return out


def jury_normalise(scores: Iterable[Decimal], low: Decimal, high: Decimal) -> Decimal | None:
    """The jurors' mean on the criterion's range, as 0–100 (None: nobody scored)."""
    scores = [Decimal(s) for s in scores]
    if not scores:
        return None
    mean = sum(scores) / len(scores)
    return q3(HUNDRED * (mean - Decimal(low)) / (Decimal(high) - Decimal(low)))


@dataclass(frozen=True)
class Entry:
    """A candidate of a category: its 0–100 score on each criterion, and what breaks a tie last (when it applied,
    its number)."""

    key: object
    scores: Mapping[str, Decimal]
    applied: str = ""
    number: int = 0


@dataclass(frozen=True)
class Row:
    key: object
    rank: int
    computed: Decimal
    jury: Decimal
    total: Decimal


def parts(entry: Entry, weights: Mapping[str, Decimal], jury: set[str]) -> tuple[Decimal, Decimal]:
    """(computed part, jury part) of an entry's total, by the weights (percent)."""
    computed = sum(
        (Decimal(w) * entry.scores.get(c, Decimal(0)) / HUNDRED for c, w in weights.items() if c not in jury),
        Decimal(0),
    )
    jury_part = sum(
        (Decimal(w) * entry.scores.get(c, Decimal(0)) / HUNDRED for c, w in weights.items() if c in jury),
        Decimal(0),
    )
    return q3(computed), q3(jury_part)


def rank(entries: Iterable[Entry], weights: Mapping[str, Decimal], jury: set[str]) -> list[Row]:
    """The category's ranking by the tie rule (see the module's text)."""
    rows = []
    for e in entries:
        computed, jury_part = parts(e, weights, jury)
        rows.append((e, computed, jury_part, q3(computed + jury_part)))
    rows.sort(key=lambda r: (-r[3], -r[2], -r[1], r[0].applied, r[0].number))
    return [
        Row(e.key, i + 1, computed, jury_part, total)
        for i, (e, computed, jury_part, total) in enumerate(rows)
    ]


def weights_sum_ok(weights: Mapping[str, Decimal]) -> bool:
    return q3(sum((Decimal(w) for w in weights.values()), Decimal(0))) == q3(HUNDRED)


def moved(weights: Mapping[str, Decimal], criterion: str, factor: Decimal) -> dict[str, Decimal]:
    """The weights with `criterion`'s multiplied by `factor` and the others scaled to keep the sum 100."""
    w = Decimal(weights[criterion])
    new = w * factor
    rest = HUNDRED - w
    if new > HUNDRED:
        new = HUNDRED
    scale = (HUNDRED - new) / rest if rest else Decimal(0)
    return {c: (new if c == criterion else Decimal(v) * scale) for c, v in weights.items()}


@dataclass
class Sensitivity:
    criterion: str
    top: list = field(default_factory=list)  # the top three as ranked
    up: list = field(default_factory=list)  # the top three with the weight +10%
    down: list = field(default_factory=list)  # … −10%

    @property
    def fragile(self) -> bool:
        return self.up != self.top or self.down != self.top


def sensitivity(
    entries: Iterable[Entry], weights: Mapping[str, Decimal], jury: set[str], step: Decimal = STEP
) -> list[Sensitivity]:
    """For each criterion with a weight: the top three as ranked, and with its weight ±step of itself."""
    entries = list(entries)
    top = [r.key for r in rank(entries, weights, jury)[:TOP]]
    out = []
    for c, w in weights.items():
        if not Decimal(w):
            continue
        up = [r.key for r in rank(entries, moved(weights, c, 1 + step), jury)[:TOP]]
        down = [r.key for r in rank(entries, moved(weights, c, 1 - step), jury)[:TOP]]
        out.append(Sensitivity(c, top, up, down))
    return out
