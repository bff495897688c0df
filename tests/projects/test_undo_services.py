"""The services an import's undo uses: a project or a facility removed or put back, a member, a contribution, a
person or a return removed — each in the user's jurisdiction only, each refused while something hangs on it, each
with its audit row."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taavon.members import services as members
from taavon.projects import services as projects
from taavon.projects.models import Facility, Project
from tests.factories import UserFactory, make_cooperative, make_facility, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    return make_project(acting_user=admin_user, cooperative=coop, title="طرح کارگاه پوشاک")


def _facility(user, project):
    return make_facility(acting_user=user, project=project, bank="بانک توسعه تعاون", approved_rial=80)


def test_a_project_is_removed_only_without_facilities_and_only_in_the_users_county(
    project, county_officer, borujerd
):
    facility = _facility(county_officer, project)
    with pytest.raises(ValidationError):
        projects.project_delete(acting_user=county_officer, project=project, reason="بازگرداندن ورود")
    other = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo-u")
    with pytest.raises(PermissionDenied):
        projects.facility_delete(acting_user=other, facility=facility, reason="x")
    projects.facility_delete(acting_user=county_officer, facility=facility, reason="بازگرداندن ورود")
    projects.project_delete(acting_user=county_officer, project=project, reason="بازگرداندن ورود")
    assert not Project.objects.exists() and not Facility.objects.exists()
    deleted = Project.history.filter(history_type="-").get()
    assert deleted.history_user == county_officer and deleted.history_change_reason == "بازگرداندن ورود"


def test_a_project_is_put_back_as_it_was_with_its_stage_recorded(project, county_officer):
    before = project.history.latest("history_id").history_id
    projects.project_update(
        acting_user=county_officer, project=project, title="طرح تازه", investment_rial=20_000_000_000
    )
    projects.project_change_stage(
        acting_user=county_officer, project=project, to_stage="construction", date=datetime.date(2024, 2, 1)
    )
    restored = projects.project_restore(
        acting_user=county_officer, project=project, history_id=before, reason="بازگرداندن ورود"
    )
    assert (restored.title, restored.investment_rial, restored.stage) == (
        "طرح کارگاه پوشاک",
        10_000_000_000,
        "study",
    )
    change = restored.stage_changes.order_by("-id").first()
    assert (change.from_stage, change.to_stage, change.reason) == ("construction", "study", "بازگرداندن ورود")
    assert restored.history.latest("history_id").history_user == county_officer


def test_members_records_are_removed_in_order_and_the_figures_follow(admin_user, county_officer, khorramabad):
    coop = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 1, 1)
    )
    person = members.person_register(
        acting_user=county_officer,
        national_code="0076229645",
        first_name="مریم",
        last_name="کرمی",
        gender="female",
    )
    membership = members.membership_add(
        acting_user=county_officer,
        cooperative=coop,
        person=person,
        join_date=datetime.date(2016, 1, 1),
        contribution_rial=7_000_000,
    )
    coop.refresh_from_db()
    assert coop.capital_paid_rial == 7_000_000
    with pytest.raises(ValidationError):  # a contribution hangs on it
        members.membership_delete(acting_user=county_officer, membership=membership, reason="x")
    with pytest.raises(ValidationError):  # a membership hangs on the person
        members.person_delete(acting_user=county_officer, person=person, reason="x")
    viewer = UserFactory(role="viewer", province=khorramabad.province, username="v-u")
    contribution = membership.contributions.get()
    with pytest.raises(PermissionDenied):
        members.contribution_delete(acting_user=viewer, contribution=contribution, reason="x")
    members.contribution_delete(acting_user=county_officer, contribution=contribution, reason="بازگرداندن")
    members.membership_delete(acting_user=county_officer, membership=membership, reason="بازگرداندن")
    with pytest.raises(PermissionDenied):
        members.person_delete(acting_user=viewer, person=person, reason="x")
    members.person_delete(acting_user=county_officer, person=person, reason="بازگرداندن")
    coop.refresh_from_db()
    # the figures the records gave go back to those declared before them (the factory declared 3 women, 6 men)
    assert (coop.capital_paid_rial, coop.members_women, coop.members_men) == (500_000_000, 3, 6)
