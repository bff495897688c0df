"""The visits' figures page: exact figures from hand-made data (visits against the plan per county and Jalali month,
open findings by category and age, the year's problems, overdue actions), the jurisdiction (a county officer's
figures leave Borujerd out), staff only, and a bounded number of queries."""

import datetime as dt

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone

from taavon.visits.figures import visit_figures
from taavon.visits.models import ActionStatus
from taavon.visits.services import action_set_status, finding_close
from tests.factories import UserFactory, make_cooperative, make_inspector, make_report, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def act(owner="agency", due=TODAY, **kw):
    return {"what": "پیگیری", "owner": owner, "agency": "بانک توسعه تعاون", "due_on": due, **kw}


def finding(category, severity="medium", actions=()):
    return {
        "category": category,
        "severity": severity,
        "description": "مشکل دیده شد",
        "actions": list(actions),
    }


def hand_counted(admin_user, khorramabad, borujerd) -> dict:
    """Five visits: V1 (A, planned and reported today: financing + market open), V2 (A, unplanned, 40 days ago:
    permits open with an overdue officer's action; financing closed), V3 (B, planned in 3 days), V4 (Borujerd,
    100 days ago, closed unit: labour open with an overdue action), V5 (B, 200 days ago: disputes open, overdue)."""
    a = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی الف آزمون")
    b = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی ب آزمون")
    c = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی بروجرد آزمون")
    ik = make_inspector(county=khorramabad, username="insp-kh")
    ib = make_inspector(county=borujerd, username="insp-br")
    v1 = make_visit(acting_user=admin_user, cooperative=a, inspectors=[ik], planned_on=TODAY)
    v1 = make_report(
        acting_user=ik,
        cooperative=a,
        visit=v1,
        findings=[finding("financing", "high", [act()]), finding("market", "low")],
    )
    v2 = make_report(
        acting_user=ik,
        cooperative=a,
        visited_on=ago(40),
        unit_state="idle",
        findings=[
            finding("permits", "high", [act(owner="officer", officer=ik.pk, due=ago(35))]),
            finding("financing", "low", [act(due=ago(20))]),
        ],
    )
    closed = v2.findings.get(category="financing")
    action_set_status(
        acting_user=ik,
        action=closed.actions.get(),
        status=ActionStatus.DONE,
        note="انجام شد",
        done_on=ago(21),
    )
    finding_close(acting_user=ik, finding=closed, result="حل شد", closed_on=ago(20))
    v3 = make_visit(
        acting_user=admin_user, cooperative=b, inspectors=[ik], planned_on=TODAY + dt.timedelta(days=3)
    )
    v4 = make_report(
        acting_user=ib,
        cooperative=c,
        visited_on=ago(100),
        unit_state="closed",
        findings=[finding("labour", "critical", [act(due=ago(90))])],
    )
    v5 = make_report(
        acting_user=ik,
        cooperative=b,
        visited_on=ago(200),
        findings=[finding("disputes", "medium", [act(due=ago(190))])],
    )
    return {"a": a, "b": b, "c": c, "ik": ik, "ib": ib, "v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5}


@pytest.fixture
def world(admin_user, khorramabad, borujerd):
    return hand_counted(admin_user, khorramabad, borujerd)


def month_of(day: dt.date):
    """(Jalali year, month index 0–11) of a day."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month - 1


def expected_months(planned_days, reported_days):
    year = month_of(TODAY)[0]
    planned, reported = [0] * 12, [0] * 12
    for d in planned_days:
        y, m = month_of(d)
        if y == year:
            planned[m] += 1
    for d in reported_days:
        y, m = month_of(d)
        if y == year:
            reported[m] += 1
    return planned, reported


def test_a_county_officers_figures(world, county_officer, khorramabad):
    f = visit_figures(user=county_officer)
    planned, reported = expected_months([TODAY, TODAY + dt.timedelta(days=3)], [TODAY, ago(40), ago(200)])
    assert (f.planned, f.reported) == (planned, reported)
    assert [r["id"] for r in f.by_county] == [khorramabad.pk]  # Borujerd's visit is not counted
    assert f.open_total == 4
    assert {r["code"]: r["total"] for r in f.open_by_category} == {
        "financing": 1,
        "market": 1,
        "permits": 1,
        "disputes": 1,
    }
    assert [r["total"] for r in f.open_by_age] == [2, 1, 0, 1]
    year = month_of(TODAY)[0]
    seen = {}
    for day, cat in [(TODAY, "financing"), (TODAY, "market"), (ago(40), "permits"), (ago(40), "financing")]:
        if month_of(day)[0] == year:
            seen[cat] = seen.get(cat, 0) + 1
    if month_of(ago(200))[0] == year:
        seen["disputes"] = 1
    assert {r["code"]: r["total"] for r in f.year_by_category} == seen
    assert f.overdue_count == 2
    assert [a.finding.category for a in f.oldest_overdue] == ["disputes", "permits"]  # the oldest first
    assert f.oldest_overdue[0].days_late == 190


def test_the_provinces_figures_count_borujerd(world, provincial, borujerd):
    f = visit_figures(user=provincial)
    assert f.open_total == 5
    assert [r["total"] for r in f.open_by_age] == [2, 1, 1, 1]
    assert f.overdue_count == 3
    assert borujerd.pk in [r["id"] for r in f.by_county]
    only = visit_figures(user=provincial, county=borujerd.pk)
    assert (only.open_total, only.overdue_count) == (1, 1)


def test_the_page_shows_the_figures_and_not_borujerd(client, world, county_officer):
    client.force_login(county_officer)
    response = client.get(reverse("visits:figures"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="visits-chart-data"' in body and "visits-figures.js" in body
    assert 'data-testid="fig-open"' in body and "<script>" not in body
    assert "تعاونی بروجرد آزمون" not in body and "بروجرد" not in body
    assert world["b"].name in body  # the oldest overdue action's cooperative
    assert response.context["f"].overdue_count == 2


def test_the_page_is_for_staff_only(client, world, admin_user):
    rep = UserFactory(role="representative", cooperative=world["a"], username="rep-fig")
    client.force_login(rep)
    assert client.get(reverse("visits:figures")).status_code in (302, 403)


def test_the_page_reads_a_bounded_number_of_queries(client, world, provincial, django_assert_max_num_queries):
    client.force_login(provincial)
    client.get(reverse("visits:figures"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("visits:figures")).status_code == 200
