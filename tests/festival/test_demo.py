"""The demo's festival: the 20th edition (1404), finished — candidates (nominated and through the portal, some
ineligible with their reasons), three jurors a category, a declared conflict, the jurors' scores, published results
and an accepted appeal that re-ranked its category."""

import pytest
from django.urls import reverse

from taavon.accounts.models import Role, User
from taavon.festival.demo import load_festival_demo
from taavon.festival.models import (
    Appeal,
    AppealStatus,
    Candidate,
    CandidateStatus,
    Channel,
    Conflict,
    Edition,
    JurorAssignment,
    JuryScore,
    Ranking,
)
from taavon.persian import format_jalali

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(read_only_demo):
    return Edition.objects.get(number=20)


def test_the_20th_edition_is_finished_with_published_results(edition):
    assert edition.year == 1404 and edition.title == "بیستمین جشنواره تعاونی‌های برتر"
    assert edition.province.code == "IR-15"
    assert format_jalali(edition.results_on, "iso") == "1404-06-15"
    assert edition.results_published_at is not None
    assert format_jalali(edition.results_published_at.date(), "iso").startswith("1404-06")
    assert edition.appeals_close > edition.results_on
    assert Ranking.objects.filter(candidate__edition=edition).exists()


def test_candidates_came_both_ways_and_the_ineligible_are_told_why(edition):
    candidates = list(Candidate.objects.filter(edition=edition))
    assert {c.channel for c in candidates} == {Channel.PORTAL, Channel.NOMINATED}
    ineligible = [c for c in candidates if c.status == CandidateStatus.INELIGIBLE]
    assert ineligible
    for c in ineligible:
        assert any(not check["ok"] for check in c.eligibility), c.eligibility
    assert any(c.status == CandidateStatus.ELIGIBLE for c in candidates)


def test_every_category_with_candidates_has_three_jurors(edition):
    categories = set(Candidate.objects.filter(edition=edition).values_list("category", flat=True))
    assert categories
    for category in categories:
        jurors = JurorAssignment.objects.filter(edition=edition, category=category)
        assert jurors.count() == 3
        assert all(a.juror.role == Role.JUROR for a in jurors)


def test_the_demo_juror_signs_in_and_the_others_do_not(edition):
    davar1 = User.objects.get(username="davar1")
    assert davar1.role == Role.JUROR and davar1.has_usable_password()
    others = User.objects.filter(role=Role.JUROR).exclude(username="davar1")
    assert others.exists() and not any(u.has_usable_password() for u in others)


def test_a_conflict_is_declared_and_the_conflicted_juror_scored_nothing_of_it(edition):
    conflict = Conflict.objects.get(edition=edition)
    assert conflict.reason
    assert not JuryScore.objects.filter(
        juror=conflict.juror, candidate__cooperative=conflict.cooperative, candidate__edition=edition
    ).exists()
    assert JuryScore.objects.filter(candidate__edition=edition).count() > 0


def test_an_accepted_appeal_re_ranked_its_category(edition):
    appeal = Appeal.objects.get(candidate__edition=edition)
    assert appeal.status == AppealStatus.ACCEPTED and appeal.corrected is not None and appeal.decision
    assert edition.results_on <= appeal.filed_at.date() <= edition.appeals_close
    ranking = appeal.candidate.ranking
    ranks = list(ranking.history.order_by("history_date", "history_id").values_list("rank", flat=True))
    assert ranks[0] == 2 and ranks[-1] == 1  # published second, first after the appeal


def test_the_public_list_and_the_export_work_on_the_demo(edition, client, tmp_path):
    assert client.get(reverse("festival:winners", args=[20])).status_code == 200


def test_loading_again_adds_nothing(edition):
    assert load_festival_demo(acting_user=User.objects.get(username="admin"), progress=False) == {}
