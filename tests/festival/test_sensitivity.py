"""The sensitivity of a category's top three to each weight (±10% of itself, the others scaled to keep 100): a
constructed case where it flips the top three, and one where it does not — through results.category_sensitivity on
real rows, and festival.scoring's pure functions."""

from decimal import Decimal

import pytest

from taavon.festival import results, scoring
from tests.factories import make_cooperative
from tests.festival.jury_setup import make_candidate, make_edition, set_computed, set_weights

D = Decimal


def entries(table):
    return [
        scoring.Entry(key=k, scores={"x": D(x), "y": D(y)}, number=i) for i, (k, x, y) in enumerate(table)
    ]


FRAGILE = [("A", 100, 0), ("B", 0, 98), ("C", 50, 40), ("D", 0, 0)]  # 50, 49, 45, 0 with 50/50
STABLE = [("A", 100, 100), ("B", 60, 60), ("C", 30, 30), ("D", 0, 0)]


def test_moved_keeps_the_sum():
    w = scoring.moved({"x": D(50), "y": D(30), "z": D(20)}, "x", D("1.1"))
    assert w["x"] == D(55)
    assert scoring.q3(sum(w.values())) == D(100)
    assert scoring.q3(w["y"]) == D("27.000") and scoring.q3(w["z"]) == D("18.000")


def test_pure_fragile_case():
    sens = {s.criterion: s for s in scoring.sensitivity(entries(FRAGILE), {"x": D(50), "y": D(50)}, set())}
    assert sens["x"].top == ["A", "B", "C"]
    assert sens["x"].up == ["A", "C", "B"]  # x 55%: A 55, C 45.5, B 44.1
    assert sens["y"].up == ["B", "A", "C"]  # y 55%: B 53.9, A 45, C 44.5
    assert sens["x"].fragile and sens["y"].fragile


def test_pure_stable_case():
    sens = scoring.sensitivity(entries(STABLE), {"x": D(50), "y": D(50)}, set())
    assert [s.fragile for s in sens] == [False, False]
    assert all(s.up == s.down == s.top == ["A", "B", "C"] for s in sens)


def test_a_zero_weight_is_not_tested():
    sens = scoring.sensitivity(entries(STABLE), {"x": D(100), "y": D(0)}, set())
    assert [s.criterion for s in sens] == ["x"]


@pytest.fixture
def edition(provincial, lorestan):
    return make_edition(acting_user=provincial, province=lorestan)


def _rows(edition, provincial, county, table):
    out = {}
    for i, (key, x, y) in enumerate(table):
        coop = make_cooperative(acting_user=provincial, county=county, name=f"تعاونی {key} {i}")
        cand = make_candidate(edition=edition, cooperative=coop, applied_by=provincial, minutes=i)
        set_computed(cand, "jobs_created", x)
        set_computed(cand, "revenue_growth", y)
        out[key] = cand
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("table, fragile", [(FRAGILE, True), (STABLE, False)])
def test_category_sensitivity_on_real_rows(edition, provincial, khorramabad, table, fragile):
    cands = _rows(edition, provincial, khorramabad, table)
    sector = cands["A"].category
    set_weights(edition, sector, {"jobs_created": 50, "revenue_growth": 50})
    sens = {s.criterion: s for s in results.category_sensitivity(edition=edition, category=sector)}
    assert set(sens) == {"jobs_created", "revenue_growth"}  # the zero weights are not tested
    assert sens["jobs_created"].top == [cands[k].pk for k in "ABC"]
    assert sens["jobs_created"].fragile is fragile
    assert sens["revenue_growth"].fragile is fragile
    if fragile:
        assert sens["jobs_created"].up == [cands[k].pk for k in "ACB"]
