"""Stage 2, the jury: assignments (a warning below three a category), conflicts of interest (a juror never sees a
conflicted cooperative, on any page; its URL is a 404), scores only of one's assignment, only within the range, with
a comment at the ends of the range, nothing after the lock, nothing half-saved; the jury's pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taavon.festival import jury
from taavon.festival.models import Conflict, Criterion, JurorAssignment, JuryScore
from tests.factories import UserFactory, make_cooperative
from tests.festival.jury_setup import lock, make_candidate, make_edition, make_juror, set_computed

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(provincial, lorestan):
    return make_edition(acting_user=provincial, province=lorestan)


@pytest.fixture
def trio(provincial, khorramabad, borujerd):
    names = ["تعاونی فرش دستباف الوند", "تعاونی قالی سپیددشت", "تعاونی گلیم بروجرد"]
    counties = [khorramabad, khorramabad, borujerd]
    return [
        make_cooperative(acting_user=provincial, county=c, name=n)
        for n, c in zip(names, counties, strict=True)
    ]


@pytest.fixture
def candidates(edition, trio, provincial):
    return [
        make_candidate(edition=edition, cooperative=c, applied_by=provincial, minutes=i)
        for i, c in enumerate(trio)
    ]


@pytest.fixture
def juror(edition, provincial, trio):
    j = make_juror("juror-a", first_name="نرگس", last_name="احمدی")
    jury.juror_assign(acting_user=provincial, edition=edition, juror=j, category=trio[0].sector)
    return j


def principles(edition):
    return Criterion.objects.get(edition=edition, code="principles")


def signed_in(client, user):
    client.force_login(user)
    return client


# --- assignments ---------------------------------------------------------------------------------------------------


def test_assigning_warns_below_three_a_category_and_refuses_non_jurors(edition, provincial, trio):
    j1, j2, j3 = (make_juror(f"j{i}") for i in range(3))
    sector = trio[0].sector
    first = jury.juror_assign(acting_user=provincial, edition=edition, juror=j1, category=sector)
    assert first.warning and "1" in first.warning.translate(str.maketrans("۰۱۲۳", "0123"))
    jury.juror_assign(acting_user=provincial, edition=edition, juror=j2, category=sector)
    third = jury.juror_assign(acting_user=provincial, edition=edition, juror=j3, category=sector)
    assert third.warning == ""
    with pytest.raises(ValidationError) as exc:
        jury.juror_assign(
            acting_user=provincial, edition=edition, juror=UserFactory(role="viewer"), category=sector
        )
    assert "juror" in exc.value.error_dict
    with pytest.raises(ValidationError):
        jury.juror_assign(acting_user=provincial, edition=edition, juror=j1, category=sector)
    assert JurorAssignment.objects.filter(edition=edition).count() == 3


def test_only_festival_admins_assign(edition, county_officer, trio):
    with pytest.raises(PermissionDenied):
        jury.juror_assign(
            acting_user=county_officer, edition=edition, juror=make_juror(), category=trio[0].sector
        )


# --- what a juror sees ---------------------------------------------------------------------------------------------


def test_a_juror_sees_only_assigned_categories_minus_conflicts(edition, provincial, candidates, juror, trio):
    other_sector_coop = make_cooperative(
        acting_user=provincial, name="تعاونی مرغداران", activity=_other_activity(trio)
    )
    make_candidate(edition=edition, cooperative=other_sector_coop, applied_by=provincial)
    seen = {i.candidate.pk for i in jury.juror_candidates(juror=juror, edition=edition)}
    assert seen == {c.pk for c in candidates}
    jury.conflict_declare(acting_user=juror, edition=edition, cooperative=trio[1], reason="خویشاوندی")
    seen = {i.candidate.pk for i in jury.juror_candidates(juror=juror, edition=edition)}
    assert seen == {candidates[0].pk, candidates[2].pk}
    with pytest.raises(jury.NotYours):
        jury.juror_candidate(juror=juror, pk=candidates[1].pk)


def _other_activity(trio):
    from taavon.registry.models import Activity

    return Activity.objects.exclude(sector=trio[0].sector).first()


def test_declaring_a_conflict_withdraws_the_jurors_scores(edition, candidates, juror, trio):
    jury.jury_score_set(acting_user=juror, candidate=candidates[1], criterion=principles(edition), score="7")
    jury.conflict_declare(acting_user=juror, edition=edition, cooperative=trio[1])
    assert not JuryScore.objects.filter(juror=juror).exists()
    assert JuryScore.history.filter(history_type="-").count() == 1


def test_a_conflict_only_among_ones_candidates(edition, provincial, juror):
    stranger = make_cooperative(acting_user=provincial, name="تعاونی ناآشنا")
    with pytest.raises(ValidationError) as exc:
        jury.conflict_declare(acting_user=juror, edition=edition, cooperative=stranger)
    assert "cooperative" in exc.value.error_dict
    assert not Conflict.objects.exists()


# --- scores --------------------------------------------------------------------------------------------------------


def test_scoring_outside_the_assignment_is_refused_as_not_found(edition, provincial, candidates, juror):
    outsider = make_juror("juror-b")
    with pytest.raises(jury.NotYours):
        jury.jury_score_set(
            acting_user=outsider, candidate=candidates[0], criterion=principles(edition), score=5
        )
    assert not JuryScore.objects.exists()


def test_a_score_outside_the_range_is_refused(edition, candidates, juror):
    for bad in ("11", "-1", "abc", "NaN"):
        with pytest.raises(ValidationError) as exc:
            jury.jury_score_set(
                acting_user=juror, candidate=candidates[0], criterion=principles(edition), score=bad
            )
        assert "score" in exc.value.error_dict
    assert not JuryScore.objects.exists()


def test_only_jury_criteria(edition, candidates, juror):
    computed = Criterion.objects.get(edition=edition, code="jobs_created")
    with pytest.raises(ValidationError) as exc:
        jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=computed, score=5)
    assert "criterion" in exc.value.error_dict


def test_a_comment_is_required_at_either_end_of_the_range(edition, candidates, juror):
    c = principles(edition)
    with pytest.raises(ValidationError) as exc:
        jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=c, score="10")
    assert "comment" in exc.value.error_dict
    jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=c, score="10", comment="عالی")
    jury.jury_score_set(
        acting_user=juror, candidate=candidates[0], criterion=c, score="6.5"
    )  # no comment needed


def test_a_score_changes_in_place_with_history(edition, candidates, juror):
    c = principles(edition)
    jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=c, score="6")
    jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=c, score="8")
    s = JuryScore.objects.get()
    assert s.score == Decimal(8)
    assert [h.score for h in s.history.order_by("history_date")] == [Decimal(6), Decimal(8)]
    assert s.history.first().history_user == juror


def test_the_lock(edition, candidates, juror):
    lock(edition)
    candidates[0].edition.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        jury.jury_score_set(
            acting_user=juror, candidate=candidates[0], criterion=principles(edition), score="5"
        )
    assert "قفل" in exc.value.messages[0] or "lock" in exc.value.messages[0]
    assert not JuryScore.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_jurors_page_lists_candidates_and_progress(client, edition, candidates, juror, trio):
    jury.conflict_declare(acting_user=juror, edition=edition, cooperative=trio[2])
    page = signed_in(client, juror).get(reverse("festival:jury")).content.decode()
    assert trio[0].name in page and trio[1].name in page
    assert trio[2].name not in page  # conflicted: on no page
    assert 'data-testid="progress"' in page


def test_the_candidate_page_shows_facts_not_personal_data(client, edition, candidates, juror, trio):
    set_computed(candidates[0], "jobs_created", "62.5")
    page = (
        signed_in(client, juror)
        .get(reverse("festival:jury_candidate", args=[candidates[0].pk]))
        .content.decode()
    )
    assert trio[0].name in page
    assert trio[0].legal_id not in page and trio[0].shenasnameh not in page
    assert 'name="score_principles"' in page and 'name="comment_principles"' in page
    assert 'data-testid="computed"' in page


def test_conflicted_or_unassigned_candidate_is_404(client, edition, provincial, candidates, juror, trio):
    jury.conflict_declare(acting_user=juror, edition=edition, cooperative=trio[1])
    c = signed_in(client, juror)
    assert c.get(reverse("festival:jury_candidate", args=[candidates[1].pk])).status_code == 404
    assert c.get(reverse("festival:jury_candidate", args=[999999])).status_code == 404
    conflicts_page = c.get(reverse("festival:jury_conflicts")).content.decode()
    # the declared list names it (the juror declared it), the form offers it no more
    assert conflicts_page.count(trio[1].name) == 1
    other = make_juror("juror-c")
    c2 = signed_in(client, other)
    assert c2.get(reverse("festival:jury_candidate", args=[candidates[0].pk])).status_code == 404


def test_saving_scores_on_the_page_is_all_or_nothing(client, edition, candidates, juror):
    url = reverse("festival:jury_candidate", args=[candidates[0].pk])
    c = signed_in(client, juror)
    bad = c.post(url, {"score_principles": "7", "score_performance": "12"})
    assert bad.status_code == 422
    assert 'data-field="score_performance"' in bad.content.decode()
    assert not JuryScore.objects.exists()
    ok = c.post(
        url,
        {
            "score_principles": "7",
            "score_performance": "8",
            "score_insurance_tax": "0",
            "comment_insurance_tax": "بیمه ندارد",
        },
    )
    assert ok.status_code == 302
    assert JuryScore.objects.count() == 3
    page = c.get(reverse("festival:jury")).content.decode()
    assert "۱" in page  # 1 of 1 scored


def test_after_the_lock_the_form_is_read_only(client, edition, candidates, juror):
    jury.jury_score_set(acting_user=juror, candidate=candidates[0], criterion=principles(edition), score="7")
    lock(edition)
    url = reverse("festival:jury_candidate", args=[candidates[0].pk])
    c = signed_in(client, juror)
    page = c.get(url).content.decode()
    assert 'data-testid="locked"' in page and "disabled" in page
    response = c.post(url, {"score_principles": "3"})
    assert response.status_code == 422
    assert JuryScore.objects.get().score == Decimal(7)


def test_staff_and_representatives_are_refused_the_jurys_pages(client, county_officer, edition):
    assert signed_in(client, county_officer).get(reverse("festival:jury")).status_code == 403


def test_the_staff_page_of_jurors(client, provincial, county_officer, edition, trio):
    j = make_juror("juror-d", first_name="رضا", last_name="کریمی")
    url = reverse("festival:jurors", args=[edition.number])
    c = signed_in(client, provincial)
    response = c.post(url, {"juror": j.pk, "category": trio[0].sector.pk}, follow=True)
    assert response.status_code == 200
    assert JurorAssignment.objects.filter(juror=j).exists()
    assert "کریمی" in response.content.decode()
    a = JurorAssignment.objects.get(juror=j)
    c.post(reverse("festival:juror_remove", args=[edition.number, a.pk]))
    assert not JurorAssignment.objects.exists()
    assert signed_in(client, county_officer).get(url).status_code == 403


def test_the_jurors_page_reads_a_bounded_number_of_queries(
    client, edition, candidates, juror, django_assert_max_num_queries
):
    client.force_login(juror)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("festival:jury")).status_code == 200
