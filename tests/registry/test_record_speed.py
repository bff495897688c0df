"""The cooperative's record page at national scale: a fixed number of queries whatever the number of its members,
projects, visits, requests and status changes (each section reads its records in a bounded number of queries, and a
section without records reads nothing: one query asks every section whether it has any), and every section still
shows what it holds, or says that it holds nothing, in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from taavon.members.services import membership_add, person_register
from taavon.persian import national_code_check_digit
from taavon.registry.services import cooperative_update
from taavon.servicedesk.models import Category
from taavon.servicedesk.services import request_file
from taavon.triage import cases
from taavon.triage.models import Flag
from tests.events.helpers import make_exhibition
from tests.factories import make_cooperative, make_inspector, make_project, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SECTIONS = (
    "triage_flags",
    "record_health",
    "members",
    "projects",
    "triage-cases",
    "visits-record",
    "servicedesk-requests",
)


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی کشاورزی سپیددشت")


def page(client, coop) -> tuple[str, int]:
    """The record page's text and the number of queries it took (the session already written)."""
    url = reverse("registry:detail", args=[coop.shenasnameh])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def add_member(admin_user, coop, i: int):
    code = f"00762296{i}"
    person = person_register(
        acting_user=admin_user,
        national_code=code[:9] + national_code_check_digit(code[:9]),
        first_name="مریم",
        last_name=f"کرمی{i}",
        gender="female",
    )
    membership_add(acting_user=admin_user, cooperative=coop, person=person, join_date=coop.registration_date)


def add_records(admin_user, coop, inspector, i: int):
    """One more of every kind that grows: a member, a project, a visit, a request, a version of the record."""
    add_member(admin_user, coop, i)
    make_project(acting_user=admin_user, cooperative=coop, title=f"طرح توسعهٔ کارگاه {i}")
    make_visit(
        acting_user=admin_user,
        cooperative=coop,
        inspectors=[inspector],
        planned_on=TODAY + datetime.timedelta(days=i + 1),
    )
    request_file(
        acting_user=admin_user,
        channel="desk",
        category=Category.objects.get(code="financing"),
        subject=f"درخواست تسهیلات {i}",
        mobile="09161234567",
        cooperative=coop,
        requester_name="",
    )
    cooperative_update(acting_user=admin_user, cooperative=coop, notes=f"یادداشت {i}")


@pytest.fixture
def full(coop, admin_user, county_officer, khorramabad):
    """The cooperative with one record of every kind its record shows: members, projects, a visit, a request, a flag,
    a case and a booth."""
    inspector = make_inspector(county=khorramabad)
    add_records(admin_user, coop, inspector, 0)
    Flag.objects.create(
        cooperative=coop,
        rule="assembly_overdue",
        raised_on=TODAY - datetime.timedelta(days=30),
        params={"last": "2022-03-05", "registered": None},
    )
    cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=TODAY + datetime.timedelta(days=30),
        reason="راکد",
    )
    from taavon.events.services import booth_add

    exhibition = make_exhibition(acting_user=admin_user, province=khorramabad.province)
    booth_add(
        acting_user=admin_user, exhibition=exhibition, number="12", cooperative=coop, products="عسل و لبنیات"
    )
    return {"coop": coop, "inspector": inspector}


def test_the_number_of_queries_does_not_grow_with_the_records(client, county_officer, admin_user, full):
    coop = full["coop"]
    client.force_login(county_officer)
    _, one_each = page(client, coop)
    for i in range(1, 6):
        add_records(admin_user, coop, full["inspector"], i)
    body, six_each = page(client, coop)
    assert six_each == one_each <= 25
    # what they hold is shown: the members (ten at most), projects, visits and requests of the record
    assert body.count("کرمی") >= 6 and "طرح توسعهٔ کارگاه ۵" in body
    assert body.count("data-visit=") == 6 and body.count("data-request=") == 6


def test_every_section_shows_its_records(client, county_officer, full):
    client.force_login(county_officer)
    body, _ = page(client, full["coop"])
    for key in SECTIONS:
        assert f'data-section="{key}"' in body
    assert "کرمی0" in body  # the member (national code masked)
    assert "طرح توسعهٔ کارگاه ۰" in body
    assert 'data-rule="assembly_overdue"' in body
    assert body.count("data-case=") == 1
    assert body.count("data-visit=") == 1
    assert "درخواست تسهیلات ۰" in body or "درخواست تسهیلات 0" in body
    assert 'data-testid="record-booths"' in body and "عسل و لبنیات" in body


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_record_without_records_reads_less_and_says_each_section_is_empty(
    client, county_officer, coop, full, admin_user, khorramabad, language
):
    county_officer.language = language
    county_officer.save(update_fields=["language"])
    client.force_login(county_officer)
    _, with_records = page(client, full["coop"])
    empty = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی فرش خرم‌آباد")
    body, without = page(client, empty)
    assert without < with_records  # the empty sections read nothing
    for key in SECTIONS:
        assert f'data-section="{key}"' in body
    with translation.override(language):
        for text in (
            "No early-warning rule holds for this cooperative.",
            "No officers are on record.",
            "No assemblies are on record.",
            "No returns are on record.",
            "No project has been registered.",
            "No case has been opened for this cooperative.",
            "No field visit to this cooperative has been recorded.",
            "No request from this cooperative at the service desk.",
        ):
            assert gettext(text) in body
    assert 'data-testid="members-table"' in body and "کرمی" not in body
    for marker in ("data-rule=", "data-case=", "data-visit=", "data-request=", 'data-testid="record-booths"'):
        assert marker not in body
    # the county's officer may still act on an empty record
    for action in ("coop-case-open", "coop-visit-plan", "coop-request-new"):
        assert f'data-testid="{action}"' in body


def test_the_presence_query_never_shows_another_countys_records(client, full, borujerd):
    """A yes from the one query only says that records exist: another county's staff do not reach the record."""
    from tests.factories import UserFactory

    officer = UserFactory(role="county", county=borujerd, province=borujerd.province, username="br-speed")
    client.force_login(officer)
    url = reverse("registry:detail", args=[full["coop"].shenasnameh])
    assert client.get(url).status_code == 404
