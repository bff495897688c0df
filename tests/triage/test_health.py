"""Record health: the missing facts and those older than their cycle, each named in the reader's language; freshness
read from the record's history (only a change of the cycle's own fields refreshes it); the cycles as settings; the
list /triage/health/ (lowest score first, filters, jurisdiction, query count) and the record's section."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from taavon.members.models import AnnualReturn
from taavon.registry.models import Cooperative
from taavon.triage.health import cooperative_health, health_cycle_change, health_of, last_changes
from taavon.triage.rules import last_due_fiscal_year
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COMPLETE = {
    "address": "خرم‌آباد، خیابان شریعتی، پلاک ۱۲",
    "postal_code": "6813745111",
    "phone": "06633224455",
    "board_term_end": TODAY + datetime.timedelta(days=400),
    "last_general_assembly": TODAY - datetime.timedelta(days=20),
}


def complete(admin_user, county, **fields):
    """A record with every required fact, registered this year (no annual return due yet)."""
    data = {"registration_date": TODAY - datetime.timedelta(days=60), **COMPLETE, **fields}
    return make_cooperative(acting_user=admin_user, county=county, **data)


def age(coop, years: int) -> None:
    """Every saved version of the record moved `years` back (as if it were entered then)."""
    moment = timezone.now() - datetime.timedelta(days=365 * years + 10)
    Cooperative.history.filter(id=coop.pk).update(history_date=moment)


def edit(coop, **fields) -> None:
    """A change saved today (a new version in the record's history)."""
    for name, value in fields.items():
        setattr(coop, name, value)
    coop._change_reason = "ویرایش"
    coop.save()


def codes(health) -> set[str]:
    return {g.code for g in health.gaps}


def test_complete_and_fresh_record(admin_user, khorramabad):
    coop = complete(admin_user, khorramabad)
    health = cooperative_health(coop)
    assert health.gaps == [] and health.score == 100 and health.completeness == 100


def test_missing_facts_named(admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, legal_id=None, registration_number="")
    health = cooperative_health(coop)
    missing = {g.code for g in health.missing}
    assert missing == {
        "legal_id",
        "registration_number",
        "address",
        "postal_code",
        "phone",
        "board_term_end",
        "last_general_assembly",
    }
    assert health.score <= 50
    with translation.override("fa"):
        texts = [g.text() for g in health.missing]
        assert "نشانی ثبت نشده است" in texts and "شناسهٔ ملی ثبت نشده است" in texts
    with translation.override("en"):
        texts = [g.text() for g in health.missing]
        assert "Address is missing" in texts and "Postal code is missing" in texts


def test_stale_groups_from_the_history(admin_user, khorramabad):
    coop = complete(admin_user, khorramabad)
    age(coop, 3)
    assert {"health_contact", "health_members", "health_capital"} <= codes(cooperative_health(coop))
    # a change of other fields does not make the contact details fresh
    edit(coop, notes="یادداشت تازه")
    assert "health_contact" in codes(cooperative_health(coop))
    # changing the phone does; the member list is still old
    edit(coop, phone="06633224466")
    gaps = codes(cooperative_health(coop))
    assert "health_contact" not in gaps and {"health_members", "health_capital"} <= gaps
    edit(coop, members_men=coop.members_men + 1)
    assert "health_members" not in codes(cooperative_health(coop))
    with translation.override("fa"):
        text = next(g.text() for g in cooperative_health(coop).stale if g.code == "health_capital")
        assert text.startswith("سرمایه آخرین بار") and "باید هر ۱۲ ماه" in text


def test_older_within_the_cycle_is_fresh(admin_user, khorramabad):
    coop = complete(admin_user, khorramabad)
    moment = timezone.now() - datetime.timedelta(days=300)  # ten months: members (12) and contact (24) fresh
    Cooperative.history.filter(id=coop.pk).update(history_date=moment)
    assert cooperative_health(coop).gaps == []


def test_cycles_are_settings(admin_user, khorramabad):
    coop = complete(admin_user, khorramabad)
    age(coop, 3)
    assert "health_contact" in codes(cooperative_health(coop))
    health_cycle_change(acting_user=admin_user, code="health_contact", months=48)
    assert "health_contact" not in codes(cooperative_health(coop))


def test_cycle_change_refused(admin_user, provincial):
    from django.core.exceptions import PermissionDenied, ValidationError

    from taavon.triage.models import RuleSetting

    for months in (-1, 0, 10**6, None):
        with pytest.raises(ValidationError):
            health_cycle_change(acting_user=admin_user, code="health_members", months=months)
    with pytest.raises(PermissionDenied):
        health_cycle_change(acting_user=provincial, code="health_members", months=6)
    with pytest.raises(ValidationError):
        health_cycle_change(acting_user=admin_user, code="inactive", months=6)
    assert not RuleSetting.objects.exists()


def test_board_due_when_its_term_ended(admin_user, khorramabad):
    ended = TODAY - datetime.timedelta(days=10)
    coop = complete(admin_user, khorramabad, board_term_end=ended)
    gap = next(g for g in cooperative_health(coop).gaps if g.code == "board")
    with translation.override("en"):
        from taavon.core.formatting import date

        assert gap.text() == f"The board's term ended on {date(ended)}; a new board is due"


def test_annual_return_of_the_last_due_year(admin_user, khorramabad):
    coop = complete(admin_user, khorramabad, registration_date=datetime.date(2015, 5, 1))
    year = last_due_fiscal_year(TODAY)
    gap = next(g for g in cooperative_health(coop).gaps if g.code == "return")
    assert gap.fiscal_year == year
    with translation.override("fa"):
        assert "اظهارنامهٔ سالانهٔ سال مالی" in gap.text()
    AnnualReturn.objects.create(cooperative=coop, fiscal_year=year - 1, filed_on=TODAY)
    assert "return" in codes(cooperative_health(coop))  # an older year's return does not do
    AnnualReturn.objects.create(cooperative=coop, fiscal_year=year, filed_on=TODAY)
    assert "return" not in codes(cooperative_health(coop))


def test_last_changes_is_one_query(admin_user, khorramabad, django_assert_num_queries):
    coops = [complete(admin_user, khorramabad) for _ in range(6)]
    qs = Cooperative.objects.filter(pk__in=[c.pk for c in coops])
    with django_assert_num_queries(1):
        changes = last_changes(qs)
    assert set(changes) == {c.pk for c in coops}
    assert all(isinstance(v["health_contact"], datetime.date) for v in changes.values())
    with django_assert_num_queries(4):  # the records, the cycles, the history, the returns
        assert len(health_of(qs)) == 6


@pytest.fixture
def records(admin_user, khorramabad, borujerd):
    good = complete(admin_user, khorramabad, name="تعاونی کامل خرم‌آباد")
    poor = make_cooperative(
        acting_user=admin_user, county=khorramabad, name="تعاونی ناقص خرم‌آباد", legal_id=None
    )
    fair = complete(admin_user, khorramabad, name="تعاونی کهنه خرم‌آباد")
    age(fair, 3)
    other = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی ناقص بروجرد")
    gone = make_cooperative(
        acting_user=admin_user, county=khorramabad, name="تعاونی منحل خرم‌آباد", status="dissolved"
    )
    return {"good": good, "poor": poor, "fair": fair, "other": other, "gone": gone}


def listed(response) -> list[str]:
    return [c.name for c, _h in response.context["page"]]


def test_list_most_in_need_first(client, county_officer, records):
    client.force_login(county_officer)
    response = client.get(reverse("triage:health"))
    assert response.status_code == 200
    assert listed(response) == [records["poor"].name, records["fair"].name, records["good"].name]
    body = html.unescape(response.content.decode())
    assert records["other"].name not in body  # another county's record
    assert records["gone"].name not in body  # a dissolved cooperative's record is not brought up to date
    assert "نشانی ثبت نشده است" in body and "اطلاعات تماس آخرین بار" in body
    scores = [h.score for _c, h in response.context["page"]]
    assert scores == sorted(scores)


def test_list_filters_and_jurisdiction(client, county_officer, provincial, records, borujerd, khorramabad):
    client.force_login(county_officer)
    url = reverse("triage:health")
    response = client.get(url, {"county": borujerd.pk})
    assert listed(response) == [] and records["other"].name not in response.content.decode()
    client.force_login(provincial)
    assert records["other"].name in listed(client.get(url))
    assert listed(client.get(url, {"county": borujerd.pk})) == [records["other"].name]
    assert len(listed(client.get(url, {"county": khorramabad.pk, "sector": records["good"].sector_id}))) == 3
    partial = client.get(url, {"county": khorramabad.pk}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_list_query_count_does_not_grow(
    client, provincial, admin_user, khorramabad, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        complete(admin_user, khorramabad)
    client.force_login(provincial)
    client.get(reverse("triage:health"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("triage:health"))
    for _ in range(30):
        make_cooperative(acting_user=admin_user, county=khorramabad)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("triage:health"))
    assert len(response.context["page"]) == 25


def test_record_section(client, county_officer, records):
    client.force_login(county_officer)
    body = html.unescape(
        client.get(reverse("registry:detail", args=[records["poor"].shenasnameh])).content.decode()
    )
    assert 'data-testid="record-health"' in body
    assert "شناسهٔ ملی" in body and "کد پستی" in body
    good = client.get(reverse("registry:detail", args=[records["good"].shenasnameh])).content.decode()
    assert "شناسنامه کامل و به‌روز است." in good and "۱۰۰٪" in good
