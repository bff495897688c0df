"""Stage 1 on a hand-made category of four candidates: exact normalised values, all equal → 100, no value → 0; rows
updated in place with their history; flagged candidates left out."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from taavon.festival.candidates import candidate_nominate
from taavon.festival.models import ComputedScore
from taavon.festival.stage1 import stage1_compute
from tests.festival.candidates_setup import good_cooperative, open_edition

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def edition(admin_user, lorestan):
    return open_edition(acting_user=admin_user, province=lorestan)


@pytest.fixture
def category(admin_user, edition, khorramabad):
    """Four candidates of one category (clothing's sector), registered 2015-05-01, 2020-05-01, 2022-05-01 and
    without a registration date: by the last day of applications (today + 10 days, 2026 or later) they have been
    active 11, 6 and 4 years (the fourth: no value)."""
    regs = {"A": D(2015, 5, 1), "B": D(2020, 5, 1), "C": D(2022, 5, 1), "D": None}
    out = {}
    for key, reg in regs.items():
        coop = good_cooperative(
            acting_user=admin_user, county=khorramabad, name=f"تعاونی {key}", registration_date=reg
        )
        out[key] = candidate_nominate(acting_user=admin_user, edition=edition, cooperative=coop)
        assert out[key].status == "eligible", out[key].eligibility
    return out


def _scores(candidates, code):
    return {
        key: ComputedScore.objects.get(candidate=c, criterion__code=code) for key, c in candidates.items()
    }


def test_normalisation_within_the_category(admin_user, edition, category):
    close = edition.applications_close
    assert close >= D(
        2026, 5, 1
    )  # the hand computation below holds for a close in 2026/27 (until 1 May 2027)
    if close >= D(2027, 5, 1):
        pytest.skip("the ages below are computed for an edition closing before 1 May 2027")
    written = stage1_compute(acting_user=admin_user, edition=edition)
    assert written == 4 * 9
    years = _scores(category, "years_active")
    assert {k: s.raw for k, s in years.items()} == {
        "A": Decimal(11),
        "B": Decimal(6),
        "C": Decimal(4),
        "D": None,
    }
    # min 4, max 11: 100 × (6 − 4) ÷ 7 = 28.571; no value → 0
    assert {k: s.normalised for k, s in years.items()} == {
        "A": Decimal(100),
        "B": Decimal("28.571"),
        "C": Decimal(0),
        "D": Decimal(0),
    }
    # every candidate showed at no exhibition: all equal → 100 each
    assert {s.normalised for s in _scores(category, "exhibitions").values()} == {Decimal(100)}
    # no membership records anywhere: no value for anybody → 0 each
    growth = _scores(category, "member_growth")
    assert {s.raw for s in growth.values()} == {None}
    assert {s.normalised for s in growth.values()} == {Decimal(0)}


def test_computed_again_rows_are_updated_in_place(admin_user, edition, category):
    stage1_compute(acting_user=admin_user, edition=edition)
    assert stage1_compute(acting_user=admin_user, edition=edition) == 0  # nothing changed, nothing written
    assert ComputedScore.objects.count() == 36
    coop = category["C"].cooperative
    coop.registration_date = D(2010, 5, 1)
    coop.save()
    assert stage1_compute(acting_user=admin_user, edition=edition) >= 1
    score = ComputedScore.objects.get(candidate=category["C"], criterion__code="years_active")
    assert score.normalised == Decimal(100) and score.history.count() == 2
    assert ComputedScore.objects.count() == 36


def test_flagged_candidates_are_left_out_and_only_the_province_computes(
    admin_user, edition, category, county_officer
):
    flagged = category["A"]
    flagged.status = "flagged"
    flagged.save()
    with pytest.raises(PermissionDenied):
        stage1_compute(acting_user=county_officer, edition=edition)
    stage1_compute(acting_user=admin_user, edition=edition)
    assert not ComputedScore.objects.filter(candidate=flagged).exists()
    years = _scores({k: v for k, v in category.items() if k != "A"}, "years_active")
    assert {k: s.normalised for k, s in years.items()} == {
        "B": Decimal(100),
        "C": Decimal(0),
        "D": Decimal(0),
    }
