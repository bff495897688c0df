"""A dormancy case plans a field visit: the visit (purpose «dormancy case») and the case's step (a contact attempt by
visit, linked to it) in one transaction; the case's page shows the visit's state; only those who may change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from taavon.persian import format_jalali
from taavon.triage.cases import case_open, case_plan_visit
from taavon.triage.models import CaseStep
from taavon.visits.models import UnitState, Visit
from tests.factories import make_cooperative, make_inspector, make_report

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def case(admin_user, khorramabad, county_officer):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
    return case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=TODAY + dt.timedelta(days=60),
        reason="آزمون",
    )


def test_planning_a_visit_records_a_linked_step(case, county_officer, khorramabad):
    inspector = make_inspector(county=khorramabad)
    day = TODAY + dt.timedelta(days=5)
    step = case_plan_visit(
        acting_user=county_officer,
        case=case,
        planned_on=day,
        inspectors=[inspector],
        note="بررسی وضعیت کارگاه",
    )
    assert (step.kind, step.channel, step.reached, step.date) == ("contact", "visit", None, TODAY)
    visit = step.visit
    assert (visit.purpose.code, visit.planned_on, visit.cooperative_id) == (
        "dormancy_case",
        day,
        case.cooperative_id,
    )
    assert list(visit.inspectors.all()) == [inspector]


def test_nothing_is_written_when_the_visit_is_refused(case, county_officer, borujerd):
    stranger = make_inspector(county=borujerd)  # not an inspector of the cooperative's county
    with pytest.raises(ValidationError):
        case_plan_visit(
            acting_user=county_officer, case=case, planned_on=TODAY, inspectors=[stranger], note=""
        )
    assert not Visit.objects.exists() and not CaseStep.objects.exists()
    with pytest.raises(ValidationError):
        case_plan_visit(
            acting_user=county_officer,
            case=case,
            planned_on=TODAY - dt.timedelta(days=1),
            inspectors=[],
            note="",
        )


def test_only_one_who_may_change_plans(case, viewer, khorramabad):
    inspector = make_inspector(county=khorramabad)
    with pytest.raises(PermissionDenied):
        case_plan_visit(acting_user=viewer, case=case, planned_on=TODAY, inspectors=[inspector], note="")


def test_the_case_page_plans_and_shows_the_visit(client, case, county_officer, khorramabad, viewer):
    inspector = make_inspector(county=khorramabad)
    client.force_login(county_officer)
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert 'data-testid="visit-form"' in page
    response = client.post(
        reverse("triage:case_visit", args=[case.pk]),
        {"planned_on": format_jalali(TODAY, "iso"), "inspectors": [inspector.pk], "note": "سرکشی"},
    )
    assert response.status_code == 302
    step = CaseStep.objects.get(case=case)
    assert step.visit is not None
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert 'data-testid="step-visit"' in page
    # reported: the step shows what the visit found
    make_report(acting_user=inspector, cooperative=case.cooperative, visit=step.visit, unit_state="closed")
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    with_state = page.split('data-testid="step-visit"')[1][:400]
    with translation.override("fa"):
        assert str(UnitState.CLOSED.label) in with_state
    assert f'href="/visits/v/{step.visit.pk}/"' in with_state or "href" not in with_state
    client.force_login(viewer)
    assert client.post(reverse("triage:case_visit", args=[case.pk]), {}).status_code == 403
