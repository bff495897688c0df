"""The ranking of a category from hand-computed normalised scores and weights (the jurors' mean on the criterion's
range), the tie rule on a constructed tie, publishing (after the lock only; Ranking rows; the date on the edition),
re-ranking (the history keeps the old rank), and the results page (provisional only for the festival's admins)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taavon.festival import jury, results
from taavon.festival.models import Criterion, Ranking
from tests.factories import make_cooperative
from tests.festival.jury_setup import (
    lock,
    make_candidate,
    make_edition,
    make_juror,
    set_computed,
    set_weights,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def edition(provincial, lorestan):
    return make_edition(acting_user=provincial, province=lorestan)


@pytest.fixture
def coops(provincial, khorramabad):
    names = ["تعاونی الف", "تعاونی ب", "تعاونی پ"]
    return [make_cooperative(acting_user=provincial, county=khorramabad, name=n) for n in names]


@pytest.fixture
def cands(edition, coops, provincial):
    return [
        make_candidate(edition=edition, cooperative=c, applied_by=provincial, minutes=i)
        for i, c in enumerate(coops)
    ]


@pytest.fixture
def sector(coops):
    return coops[0].sector


@pytest.fixture
def jurors(edition, provincial, sector):
    out = [make_juror("jr-1"), make_juror("jr-2")]
    for j in out:
        jury.juror_assign(acting_user=provincial, edition=edition, juror=j, category=sector)
    return out


def score(juror, candidate, value, code="principles"):
    criterion = Criterion.objects.get(edition=candidate.edition, code=code)
    jury.jury_score_set(acting_user=juror, candidate=candidate, criterion=criterion, score=value, comment="—")


def test_ranking_from_hand_computed_scores(edition, cands, sector, jurors):
    # weights: jobs 50%, principles 50% (the rest 0)
    set_weights(edition, sector, {"jobs_created": 50, "principles": 50})
    a, b, c = cands
    set_computed(a, "jobs_created", 100)
    set_computed(b, "jobs_created", 60)
    set_computed(c, "jobs_created", 0)
    score(jurors[0], a, "8")
    score(jurors[1], a, "6")  # mean 7 on 0–10 → 70
    score(jurors[0], b, "10")  # → 100
    rows = results.category_ranking(edition=edition, category=sector)
    assert [(r.key, r.rank, r.computed, r.jury, r.total) for r in rows] == [
        (a.pk, 1, D("50.000"), D("35.000"), D("85.000")),
        (b.pk, 2, D("30.000"), D("50.000"), D("80.000")),
        (c.pk, 3, D("0.000"), D("0.000"), D("0.000")),
    ]


def test_the_tie_rule(edition, cands, sector, jurors):
    set_weights(edition, sector, {"jobs_created": 50, "principles": 50})
    a, b, c = cands  # applied in this order
    set_computed(a, "jobs_created", 80)
    score(jurors[0], a, "6")  # 40 + 30 = 70
    set_computed(b, "jobs_created", 60)
    score(jurors[0], b, "8")  # 30 + 40 = 70: the same total, a higher jury part → first
    set_computed(c, "jobs_created", 80)
    score(jurors[0], c, "6")  # exactly a's scores; applied later → after a
    rows = results.category_ranking(edition=edition, category=sector)
    assert [r.total for r in rows] == [D("70.000")] * 3
    assert [r.key for r in rows] == [b.pk, a.pk, c.pk]
    assert [r.rank for r in rows] == [1, 2, 3]


def test_a_conflicted_or_unassigned_jurors_scores_do_not_count(
    edition, cands, sector, jurors, coops, provincial
):
    set_weights(edition, sector, {"principles": 100})
    a = cands[0]
    score(jurors[0], a, "4")
    score(jurors[1], a, "8")
    assert results.category_ranking(edition=edition, category=sector)[0].total == D("60.000")
    assignment = jurors[1].jury_assignments.get()
    jury.juror_unassign(acting_user=provincial, assignment=assignment)
    assert results.category_ranking(edition=edition, category=sector)[0].total == D("40.000")


def test_publishing_after_the_lock_only(edition, cands, sector, provincial, county_officer):
    set_weights(edition, sector, {"jobs_created": 100})
    for c, v in zip(cands, (10, 90, 50), strict=True):
        set_computed(c, "jobs_created", v)
    with pytest.raises(ValidationError):
        results.results_publish(acting_user=provincial, edition=edition)
    assert not Ranking.objects.exists()
    lock(edition)
    with pytest.raises(PermissionDenied):
        results.results_publish(acting_user=county_officer, edition=edition)
    assert results.results_publish(acting_user=provincial, edition=edition) == 3
    edition.refresh_from_db()
    assert edition.results_published_at is not None
    assert {r.candidate_id: r.rank for r in Ranking.objects.all()} == {
        cands[1].pk: 1,
        cands[2].pk: 2,
        cands[0].pk: 3,
    }
    with pytest.raises(ValidationError):
        results.results_publish(acting_user=provincial, edition=edition)


def test_rerank_keeps_the_old_rank_in_the_history(edition, cands, sector, provincial):
    set_weights(edition, sector, {"jobs_created": 100})
    for c, v in zip(cands, (10, 90, 50), strict=True):
        set_computed(c, "jobs_created", v)
    lock(edition)
    results.results_publish(acting_user=provincial, edition=edition)
    set_computed(cands[0], "jobs_created", 100)
    results.rerank(acting_user=provincial, edition=edition, category=sector, reason="آزمون")
    first = Ranking.objects.get(candidate=cands[0])
    assert first.rank == 1
    assert [h.rank for h in first.history.order_by("history_date")] == [3, 1]
    assert Ranking.objects.get(candidate=cands[2]).history.count() == 2  # 2 → 3


def test_the_results_page(client, edition, cands, sector, provincial, county_officer, coops):
    set_weights(edition, sector, {"jobs_created": 60, "revenue_growth": 40})
    for c, (x, y) in zip(cands, ((100, 0), (0, 98), (50, 40)), strict=True):
        set_computed(c, "jobs_created", x)
        set_computed(c, "revenue_growth", y)
    url = reverse("festival:results", args=[edition.number])
    client.force_login(county_officer)
    page = client.get(url).content.decode()
    assert 'data-testid="not-published"' in page and coops[0].name not in page
    client.force_login(provincial)
    page = client.get(url).content.decode()
    assert 'data-testid="provisional"' in page and coops[0].name in page
    assert 'data-testid="sensitivity"' in page
    assert 'data-testid="publish"' not in page  # not locked yet
    lock(edition)
    assert client.post(reverse("festival:results_publish", args=[edition.number])).status_code == 302
    client.force_login(county_officer)
    page = client.get(url).content.decode()
    assert 'data-testid="published"' in page and coops[1].name in page
    assert coops[0].legal_id not in page


def test_the_results_page_reads_a_bounded_number_of_queries(
    client, edition, cands, sector, provincial, django_assert_max_num_queries
):
    set_weights(edition, sector, {"jobs_created": 100})
    client.force_login(provincial)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("festival:results", args=[edition.number])).status_code == 200
