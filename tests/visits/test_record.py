"""The visits' parts of other pages: the cooperative's record (its visits and open findings, staff only, never
another county's), the home page's panels (an inspector's week and overdue actions; the jurisdiction's overdue
count), and the photos as protected documents (never a representative's)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from taavon.core.contributions import DOCUMENTS, RECORD_SECTIONS
from taavon.visits.panels import week_start
from tests.factories import UserFactory, make_visit
from tests.visits.test_figures import hand_counted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(admin_user, khorramabad, borujerd):
    return hand_counted(admin_user, khorramabad, borujerd)


def test_the_record_shows_the_visits_and_open_findings(client, world, county_officer):
    client.force_login(county_officer)
    body = client.get(reverse("registry:detail", args=[world["a"].shenasnameh])).content.decode()
    assert 'data-section="visits-record"' in body and 'data-testid="coop-visits"' in body
    assert f'data-visit="{world["v1"].pk}"' in body and f'data-visit="{world["v2"].pk}"' in body
    assert f'data-visit="{world["v4"].pk}"' not in body  # Borujerd's cooperative's visit
    assert "insp-kh" in body or world["ik"].get_full_name() in body  # the inspectors named
    # open findings: V1's financing and market, V2's permits (its financing is closed)
    assert body.count("data-finding=") == 3


def test_the_record_section_is_for_staff_only(world):
    section = next(s for s in RECORD_SECTIONS if s.key == "visits-record")
    rep = UserFactory(role="representative", cooperative=world["a"], username="rep-rec")
    assert section.visible(rep, world["a"]) is False


def test_another_county_cannot_read_the_record(client, world, borujerd):
    officer = UserFactory(role="county", county=borujerd, province=borujerd.province, username="br-rec")
    client.force_login(officer)
    assert client.get(reverse("registry:detail", args=[world["a"].shenasnameh])).status_code == 404


def test_the_record_reads_a_bounded_number_of_queries(
    client, world, county_officer, django_assert_max_num_queries
):
    from taavon.visits.panels import record_context

    with django_assert_max_num_queries(3):
        record_context(user=county_officer, cooperative=world["a"])


def test_the_inspectors_home_panel(client, world, admin_user):
    ik = world["ik"]
    start = week_start(TODAY)
    this_week = make_visit(
        acting_user=admin_user,
        cooperative=world["b"],
        inspectors=[ik],
        planned_on=start + dt.timedelta(days=6),
    )
    client.force_login(ik)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-visits-inspector"' in body
    assert f'data-visit="{this_week.pk}"' in body
    permits = world["v2"].findings.get(category="permits").actions.get()
    assert f'data-action="{permits.pk}"' in body  # the officer's own overdue action


def test_the_overdue_panel_counts_the_jurisdiction(client, world, county_officer, provincial):
    from taavon.visits.panels import overdue_panel

    assert overdue_panel(user=county_officer) == {"overdue_count": 2}
    assert overdue_panel(user=provincial) == {"overdue_count": 3}
    client.force_login(county_officer)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-visits-overdue"' in body
    assert 'data-testid="home-visits-inspector"' not in body  # not an inspector


def test_photos_are_documents_for_staff_only(world, county_officer):
    kind = DOCUMENTS["visit-photo"]
    rep = UserFactory(role="representative", cooperative=world["a"], username="rep-doc")
    assert kind.field == "file"
    assert not kind.visible(rep).exists()
    assert kind.visible(county_officer).model.__name__ == "Photo"
