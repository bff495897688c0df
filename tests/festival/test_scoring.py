"""The festival's arithmetic (festival/scoring.py, pure Python): normalisation, the weighted total, the tie rule and
the sensitivity of the top three, on cases computed by hand."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from taavon.festival.scoring import (
    Entry,
    jury_normalise,
    moved,
    normalise,
    parts,
    rank,
    sensitivity,
    weights_sum_ok,
)


def test_min_max_within_the_category():
    assert normalise({"a": D(10), "b": D(20), "c": D(15), "d": None}) == {
        "a": D(0),
        "b": D(100),
        "c": D("50.000"),
        "d": D(0),
    }


def test_all_equal_is_everyone_first_and_nothing_is_zero():
    assert normalise({"a": D(3), "b": D(3)}) == {"a": D(100), "b": D(100)}
    assert normalise({"a": None}) == {"a": D(0)}
    assert normalise({}) == {}


@given(st.dictionaries(st.integers(), st.one_of(st.none(), st.decimals(-1000, 1000, places=2)), max_size=12))
def test_normalised_values_are_within_0_and_100_and_keep_the_order(values):
    out = normalise(values)
    assert set(out) == set(values)
    assert all(D(0) <= v <= D(100) for v in out.values())
    present = [k for k, v in values.items() if v is not None]
    for a in present:
        for b in present:
            if values[a] < values[b]:
                assert out[a] <= out[b]


def test_jury_mean_on_the_criterions_range():
    assert jury_normalise([D(7), D(8), D(9)], D(0), D(10)) == D("80.000")
    assert jury_normalise([D(6)], D(5), D(10)) == D("20.000")
    assert jury_normalise([], D(0), D(10)) is None


WEIGHTS = {"jobs": D(40), "growth": D(20), "principles": D(40)}
JURY = {"principles"}


def test_the_total_is_the_weighted_sum_split_in_its_two_parts():
    e = Entry("a", {"jobs": D(50), "growth": D(100), "principles": D(75)})
    # computed: 40×50/100 + 20×100/100 = 40; jury: 40×75/100 = 30
    assert parts(e, WEIGHTS, JURY) == (D("40.000"), D("30.000"))
    assert rank([e], WEIGHTS, JURY)[0].total == D("70.000")


def test_the_tie_rule_jury_part_then_computed_part_then_the_earlier_application():
    # a and b: total 60 each; b's jury part is higher → b first
    a = Entry("a", {"jobs": D(100), "growth": D(100), "principles": D(0)}, applied="2025-07-01")
    b = Entry("b", {"jobs": D(50), "growth": D(0), "principles": D(100)}, applied="2025-07-02")
    # c and d: the same scores; c applied earlier → c before d
    c = Entry("c", {"jobs": D(0), "growth": D(0), "principles": D(50)}, applied="2025-07-01", number=9)
    d = Entry("d", {"jobs": D(0), "growth": D(0), "principles": D(50)}, applied="2025-07-03", number=1)
    rows = rank([a, c, d, b], WEIGHTS, JURY)
    assert [(r.key, r.rank, r.total) for r in rows] == [
        ("b", 1, D("60.000")),
        ("a", 2, D("60.000")),
        ("c", 3, D("20.000")),
        ("d", 4, D("20.000")),
    ]


def test_weights_sum():
    assert weights_sum_ok(WEIGHTS)
    assert not weights_sum_ok({"a": D(50), "b": D("49.9")})


def test_moving_a_weight_keeps_the_sum_at_100():
    up = moved(WEIGHTS, "jobs", D("1.1"))
    assert up["jobs"] == D(44)
    assert sum(up.values()) == D(100)
    assert up["growth"] == D(20) * D(56) / D(60)


def test_a_fragile_result_is_found():
    """Two candidates whose order depends on the weight of «jobs»: x leads by jobs, y by principles; at the weights
    given x is ahead by 0.5; a 10% lighter «jobs» puts y ahead (and so does a 10% heavier «principles»)."""
    weights = {"jobs": D(50), "principles": D(50)}
    x = Entry("x", {"jobs": D(100), "principles": D(0)})  # 50
    y = Entry("y", {"jobs": D(0), "principles": D(99)})  # 49.5
    z = Entry("z", {"jobs": D(10), "principles": D(10)})  # 10
    w = Entry("w", {"jobs": D(0), "principles": D(0)})  # 0
    found = {s.criterion: s for s in sensitivity([x, y, z, w], weights, {"principles"})}
    assert found["jobs"].top == ["x", "y", "z"]
    assert found["jobs"].down == ["y", "x", "z"] and found["jobs"].fragile
    assert found["principles"].up == ["y", "x", "z"] and found["principles"].fragile


def test_a_stable_result_is_said_stable():
    weights = {"jobs": D(50), "principles": D(50)}
    entries = [
        Entry("x", {"jobs": D(100), "principles": D(100)}),
        Entry("y", {"jobs": D(60), "principles": D(60)}),
        Entry("z", {"jobs": D(30), "principles": D(20)}),
        Entry("w", {"jobs": D(0), "principles": D(10)}),
    ]
    assert not any(s.fragile for s in sensitivity(entries, weights, {"principles"}))
