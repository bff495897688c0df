"""Applying and nominating: eligibility stored with the reasons, the window, one candidacy a cooperative, who may;
the recheck that flags; the candidates' pages (scoped to the county) and the portal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from taavon.festival.candidates import candidate_apply, candidate_nominate, candidates_recheck
from taavon.festival.models import Candidate
from taavon.registry.services import cooperative_change_status
from tests.factories import UserFactory, make_cooperative
from tests.festival.candidates_setup import good_cooperative, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(admin_user, lorestan):
    return open_edition(acting_user=admin_user, province=lorestan)


@pytest.fixture
def coop(admin_user, khorramabad):
    return good_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک الوند")


@pytest.fixture
def rep(coop):
    return UserFactory(role="representative", cooperative=coop, username="rep-alvand")


def test_a_representative_applies_for_their_cooperative(rep, coop, edition):
    candidate = candidate_apply(acting_user=rep, edition=edition)
    assert (candidate.cooperative, candidate.channel, candidate.status) == (coop, "portal", "eligible")
    assert candidate.category_id == coop.sector_id
    assert [c["code"] for c in candidate.eligibility] == [
        "active",
        "no_open_case",
        "last_return",
        "record_health",
        "record_updated",
    ]
    assert candidate.history.count() == 1 and candidate.history.first().history_user == rep


def test_a_second_application_is_refused(rep, coop, edition, county_officer):
    candidate_apply(acting_user=rep, edition=edition)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        candidate_nominate(acting_user=county_officer, edition=edition, cooperative=coop)
    assert exc.value.messages == ["تعاونی پوشاک الوند is already a candidate of this edition."]
    assert Candidate.objects.count() == 1


def test_applications_outside_the_window_are_refused(rep, admin_user, lorestan):
    today = timezone.localdate()
    closed = open_edition(
        acting_user=admin_user,
        province=lorestan,
        number=30,
        applications_open=today - datetime.timedelta(days=20),
        applications_close=today - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        candidate_apply(acting_user=rep, edition=closed)
    assert not Candidate.objects.exists()


def test_a_representative_applies_for_their_own_cooperative_only(rep, edition, admin_user):
    other = make_cooperative(acting_user=admin_user)
    with pytest.raises(PermissionDenied):
        candidate_apply(acting_user=rep, edition=edition, cooperative=other)
    with pytest.raises(PermissionDenied):
        candidate_apply(acting_user=UserFactory(role="viewer"), edition=edition)


def test_an_ineligible_cooperative_is_kept_and_told_why(admin_user, edition, county_officer, khorramabad):
    bare = make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
    candidate = candidate_nominate(acting_user=county_officer, edition=edition, cooperative=bare)
    assert (candidate.status, candidate.channel) == ("ineligible", "nominated")
    failed = {c["code"] for c in candidate.eligibility if not c["ok"]}
    assert {"active", "last_return"} <= failed


def test_only_the_county_office_nominates(admin_user, edition, borujerd, county_officer, viewer):
    elsewhere = make_cooperative(acting_user=admin_user, county=borujerd)
    for user in (county_officer, viewer):
        with pytest.raises(PermissionDenied):
            candidate_nominate(acting_user=user, edition=edition, cooperative=elsewhere)
    assert not Candidate.objects.exists()


def test_recheck_flags_who_is_no_longer_eligible(rep, coop, edition, admin_user, provincial, county_officer):
    candidate = candidate_apply(acting_user=rep, edition=edition)
    cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status="dormant", reason="بی‌فعالیتی"
    )
    with pytest.raises(PermissionDenied):
        candidates_recheck(acting_user=county_officer, edition=edition)
    with translation.override("en"):
        assert candidates_recheck(acting_user=provincial, edition=edition) == 1
    candidate.refresh_from_db()
    assert candidate.status == "flagged"
    last = candidate.history.first()
    assert last.history_user == provincial and "not active" in last.history_change_reason
    assert (
        candidates_recheck(acting_user=provincial, edition=edition) == 0
    )  # flagged ones are not checked again


# --- pages -----------------------------------------------------------------------------------------------------


def test_the_candidates_page_shows_the_county_its_own(
    client, admin_user, edition, coop, county_officer, borujerd, provincial, django_assert_max_num_queries
):
    candidate_nominate(acting_user=county_officer, edition=edition, cooperative=coop)
    far = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی دوردست", status="dormant")
    candidate_nominate(acting_user=provincial, edition=edition, cooperative=far)
    client.force_login(county_officer)
    body = client.get(reverse("festival:candidates", args=[edition.number])).content.decode()
    assert "تعاونی پوشاک الوند" in body and "تعاونی دوردست" not in body
    assert 'data-testid="stage1"' not in body  # a county officer neither rechecks nor computes
    client.force_login(provincial)
    for _i in range(3):
        c = make_cooperative(acting_user=admin_user, county=borujerd, status="dormant")
        candidate_nominate(acting_user=provincial, edition=edition, cooperative=c)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("festival:candidates", args=[edition.number]))
    body = response.content.decode()
    assert "تعاونی دوردست" in body and 'data-testid="stage1"' in body
    assert (
        "فعال نیست" in body or "not active" in body
    )  # the reason of the ineligible, in the reader's language


def test_nominating_an_unknown_cooperative_is_refused_on_the_field(client, county_officer, edition):
    client.force_login(county_officer)
    response = client.post(reverse("festival:nominate", args=[edition.number]), {"shenasnameh": "999999"})
    assert response.status_code == 422
    assert 'data-field="shenasnameh"' in response.content.decode()
    assert not Candidate.objects.exists()


def test_nominating_through_the_page(client, county_officer, edition, coop):
    client.force_login(county_officer)
    response = client.post(
        reverse("festival:nominate", args=[edition.number]), {"shenasnameh": coop.shenasnameh}
    )
    assert response.status_code == 302
    assert Candidate.objects.get().channel == "nominated"


def test_the_portal_applies_and_shows_the_status(client, rep, coop, edition):
    client.force_login(rep)
    body = client.get(reverse("members:portal")).content.decode()
    assert 'data-testid="portal-festival"' in body and 'data-testid="apply"' in body
    response = client.post(reverse("festival:portal_apply", args=[edition.number]))
    assert response.status_code == 302
    assert Candidate.objects.get().channel == "portal"
    body = client.get(reverse("festival:portal")).content.decode()
    assert 'data-testid="apply"' not in body and f'data-candidacy="{edition.number}"' in body
    body = client.get(reverse("festival:portal_sheet", args=[edition.number])).content.decode()
    assert 'data-testid="not-published"' in body and 'data-testid="sheet"' not in body


def test_the_staff_pages_are_not_for_a_representative(client, rep, edition):
    client.force_login(rep)
    assert client.get(reverse("festival:candidates", args=[edition.number])).status_code == 403
    assert client.get(reverse("festival:edition", args=[edition.number])).status_code == 403
