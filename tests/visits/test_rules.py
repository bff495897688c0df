"""Triage's `visit_closed` rule (from the cooperative's LAST reported visit only) and a visit as activity for the
`inactive` rule (a visit that found the unit; not one that found it closed)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from taavon.registry.models import Cooperative
from taavon.triage.evaluation import triage_run
from taavon.triage.models import Flag
from taavon.triage.rules import explain
from taavon.visits.rules import visit_closed_find
from tests.factories import make_cooperative, make_inspector, make_report

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ago(days):
    return TODAY - dt.timedelta(days=days)


def raised(coop) -> set[str]:
    return set(Flag.objects.raised().filter(cooperative=coop).values_list("rule", flat=True))


def test_visit_closed_fires_from_the_last_visit_only(admin_user, khorramabad):
    inspector = make_inspector(county=khorramabad)
    reopened = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_report(acting_user=inspector, cooperative=reopened, visited_on=ago(60), unit_state="closed")
    make_report(acting_user=inspector, cooperative=reopened, visited_on=ago(10), unit_state="operating")
    gone = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_report(acting_user=inspector, cooperative=gone, visited_on=ago(90), unit_state="operating")
    make_report(acting_user=inspector, cooperative=gone, visited_on=ago(30), unit_state="not_found")
    shut = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_report(acting_user=inspector, cooperative=shut, visited_on=ago(5), unit_state="closed")
    never = make_cooperative(acting_user=admin_user, county=khorramabad)

    found = visit_closed_find(
        Cooperative.objects.filter(pk__in=[reopened.pk, gone.pk, shut.pk, never.pk]), None, TODAY
    )
    assert found == {
        gone.pk: {"date": ago(30).isoformat(), "state": "not_found"},
        shut.pk: {"date": ago(5).isoformat(), "state": "closed"},
    }


def test_the_explanation_names_the_date_in_the_readers_language():
    params = {"date": "2026-11-01", "state": "closed"}
    with translation.override("en"):
        assert (
            explain("visit_closed", params, TODAY)
            == "The field visit of 1 November 2026 found the unit closed"
        )
        assert "did not find the unit" in explain("visit_closed", {**params, "state": "not_found"}, TODAY)
    with translation.override("fa"):
        text = explain("visit_closed", params, TODAY)
        assert "۱۴۰۵" in text  # the Jalali date, Persian digits


def test_triage_raises_visit_closed_and_counts_a_visit_as_activity(admin_user, khorramabad):
    inspector = make_inspector(county=khorramabad)
    visited = make_cooperative(acting_user=admin_user, county=khorramabad)  # registered 2015, nothing else
    make_report(acting_user=inspector, cooperative=visited, visited_on=ago(60), unit_state="idle")
    shut = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_report(acting_user=inspector, cooperative=shut, visited_on=ago(60), unit_state="closed")
    reopened = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_report(acting_user=inspector, cooperative=reopened, visited_on=ago(60), unit_state="closed")
    make_report(acting_user=inspector, cooperative=reopened, visited_on=ago(20), unit_state="operating")

    triage_run(
        acting_user=admin_user,
        cooperatives=Cooperative.objects.filter(pk__in=[visited.pk, shut.pk, reopened.pk]),
    )

    assert "inactive" not in raised(visited)  # a visit that found the unit is activity
    assert "visit_closed" not in raised(visited)
    assert {"visit_closed", "inactive"} <= raised(shut)  # a closed unit shows no activity
    assert raised(reopened) & {"visit_closed", "inactive"} == set()  # the last visit found it operating
    flag = Flag.objects.raised().get(cooperative=shut, rule="visit_closed")
    assert flag.params == {"date": ago(60).isoformat(), "state": "closed"}
