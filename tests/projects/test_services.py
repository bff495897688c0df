"""Projects' rules: facilities, contribution, opening, stages, jurisdiction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taavon.projects.models import Facility, Project
from taavon.projects.services import facility_add, project_change_stage, project_update
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db


def _facility(**overrides):
    data = {
        "bank": "بانک توسعهٔ تعاون",
        "scheme": "",
        "requested_rial": 100,
        "approved_rial": 80,
        "paid_rial": 50,
        "requested_date": datetime.date(2024, 1, 1),
        "approved_date": datetime.date(2024, 2, 1),
        "paid_date": datetime.date(2024, 3, 1),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"paid_rial": 90}, "paid_rial"),  # paid above approved
        ({"approved_rial": 120, "paid_rial": 10}, "approved_rial"),  # approved above requested
        ({"paid_date": datetime.date(2023, 1, 1)}, "paid_date"),  # paid before approval
        ({"paid_date": None}, "paid_date"),  # paid money with no date
        ({"bank": "<b>x</b>"}, "bank"),
    ],
)
def test_facility_rules(admin_user, overrides, field):
    project = make_project(acting_user=admin_user)
    with pytest.raises(ValidationError) as exc:
        facility_add(acting_user=admin_user, project=project, **_facility(**overrides))
    assert field in exc.value.message_dict
    assert Facility.objects.count() == 0


def test_facility_within_limits_is_saved_and_audited(admin_user):
    project = make_project(acting_user=admin_user)
    f = facility_add(acting_user=admin_user, project=project, **_facility())
    assert f.history.get().history_user == admin_user


def test_contribution_above_investment_is_refused(admin_user):
    with pytest.raises(ValidationError) as exc:
        make_project(acting_user=admin_user, investment_rial=100, members_contribution_rial=101)
    assert "members_contribution_rial" in exc.value.message_dict
    assert Project.objects.count() == 0


def test_project_for_a_dissolved_cooperative_is_refused(admin_user):
    coop = make_cooperative(acting_user=admin_user, status="dissolved")
    with pytest.raises(ValidationError) as exc:
        make_project(acting_user=admin_user, cooperative=coop)
    assert "cooperative" in exc.value.message_dict


def test_activity_must_belong_to_the_sector(admin_user):
    from taavon.registry.models import Sector

    with pytest.raises(ValidationError) as exc:
        make_project(acting_user=admin_user, sector=Sector.objects.get(code="mining"))
    assert "activity" in exc.value.message_dict


def test_opening_records_the_date_and_only_when_opened(admin_user):
    project = make_project(acting_user=admin_user, stage="ready")
    assert project.actual_opening_date is None
    project_change_stage(
        acting_user=admin_user, project=project, to_stage="opened", date=datetime.date(2025, 9, 2)
    )
    project.refresh_from_db()
    assert project.stage == "opened" and project.actual_opening_date == datetime.date(2025, 9, 2)
    assert project.progress_percent == 100
    project_change_stage(
        acting_user=admin_user, project=project, to_stage="stalled", date=datetime.date(2025, 10, 1)
    )
    project.refresh_from_db()
    assert project.actual_opening_date is None
    assert [c.to_stage for c in project.stage_changes.order_by("id")] == [
        "construction",
        "ready",
        "opened",
        "stalled",
    ]


def test_opening_before_start_is_refused(admin_user):
    project = make_project(acting_user=admin_user, stage="ready", start_date=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        project_change_stage(
            acting_user=admin_user, project=project, to_stage="opened", date=datetime.date(2024, 5, 1)
        )
    assert "date" in exc.value.message_dict
    project.refresh_from_db()
    assert project.stage == "ready"


@pytest.mark.parametrize(
    "start,to", [("study", "opened"), ("cancelled", "study"), ("opened", "study"), ("study", "ready")]
)
def test_refused_stage_changes(admin_user, start, to):
    project = make_project(acting_user=admin_user, stage=start, stage_date=datetime.date(2025, 9, 2))
    with pytest.raises(ValidationError) as exc:
        project_change_stage(
            acting_user=admin_user, project=project, to_stage=to, date=datetime.date(2025, 9, 3)
        )
    assert "مجاز نیست" in exc.value.message_dict["to_stage"][0]


def test_county_officer_and_viewer_cannot_touch_other_projects(admin_user, county_officer, viewer, borujerd):
    coop = make_cooperative(acting_user=admin_user, county=borujerd)
    project = make_project(acting_user=admin_user, cooperative=coop)
    for user in (county_officer, viewer):
        with pytest.raises(PermissionDenied):
            project_update(acting_user=user, project=project, title="عنوان دیگر")
        with pytest.raises(PermissionDenied):
            facility_add(acting_user=user, project=project, **_facility())
        with pytest.raises(PermissionDenied):
            project_change_stage(acting_user=user, project=project, to_stage="licensing")
        with pytest.raises(PermissionDenied):
            make_project(acting_user=user, cooperative=coop)
