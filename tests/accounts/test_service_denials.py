"""Every service that changes a record refuses a user of another county (PermissionDenied) and writes nothing — the
services' own gate, whatever page or import calls them. (Through the web a record outside the jurisdiction is not
even found: tests/accounts/test_access_matrix.py.)"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from taavon.members import services as members
from taavon.members.proposals import proposal_accept, proposal_refuse, proposal_submit
from taavon.projects import services as projects
from taavon.registry import services as registry
from tests.accounts.test_access_matrix import _writes
from tests.factories import UserFactory, make_cooperative, make_facility, make_project

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 5, 1)


@pytest.fixture
def world(admin_user, khorramabad, borujerd):
    coop = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 5, 1)
    )
    project = make_project(acting_user=admin_user, cooperative=coop)
    facility = make_facility(acting_user=admin_user, project=project, approved_rial=100)
    person = members.person_register(
        acting_user=admin_user,
        national_code="0076229645",
        first_name="مینا",
        last_name="کرمی",
        gender="female",
    )
    membership = members.membership_add(
        acting_user=admin_user, cooperative=coop, person=person, join_date=datetime.date(2016, 1, 1)
    )
    rep = UserFactory(role="representative", cooperative=coop, county=khorramabad, username="rep-d")
    proposal = proposal_submit(acting_user=rep, kind="contact", payload={"address": "نشانی تازه"})
    outsider = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo-d")
    return {
        "coop": coop,
        "project": project,
        "facility": facility,
        "person": person,
        "membership": membership,
        "proposal": proposal,
        "outsider": outsider,
    }


CALLS = {
    "cooperative_update": lambda w, u: registry.cooperative_update(
        acting_user=u, cooperative=w["coop"], address="خیابان دیگر"
    ),
    "cooperative_change_status": lambda w, u: registry.cooperative_change_status(
        acting_user=u, cooperative=w["coop"], to_status="dormant", reason="گزارش بازدید"
    ),
    "project_update": lambda w, u: projects.project_update(acting_user=u, project=w["project"], title="دیگر"),
    "project_change_stage": lambda w, u: projects.project_change_stage(
        acting_user=u, project=w["project"], to_stage="licensing"
    ),
    "facility_add": lambda w, u: make_facility(
        acting_user=u, project=w["project"], bank="بانک", requested_rial=1
    ),
    "facility_update": lambda w, u: projects.facility_update(
        acting_user=u, facility=w["facility"], bank="دیگر"
    ),
    "project_delete": lambda w, u: projects.project_delete(acting_user=u, project=w["project"], reason="x"),
    "membership_add": lambda w, u: members.membership_add(
        acting_user=u, cooperative=w["coop"], person=w["person"], join_date=DAY
    ),
    "membership_end": lambda w, u: members.membership_end(
        acting_user=u, membership=w["membership"], leave_date=DAY, reason="استعفا"
    ),
    "contribution_add": lambda w, u: members.contribution_add(
        acting_user=u, membership=w["membership"], date=DAY, amount_rial=1000
    ),
    "officer_appoint": lambda w, u: members.officer_appoint(
        acting_user=u,
        cooperative=w["coop"],
        person=w["person"],
        role="board",
        start=DAY,
        end=DAY + datetime.timedelta(days=900),
    ),
    "assembly_record": lambda w, u: members.assembly_record(acting_user=u, cooperative=w["coop"], date=DAY),
    "return_file": lambda w, u: members.return_file(
        acting_user=u,
        cooperative=w["coop"],
        fiscal_year=1402,
        filed_on=DAY,
        statements=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
    ),
    "membership_delete": lambda w, u: members.membership_delete(
        acting_user=u, membership=w["membership"], reason="x"
    ),
    "proposal_accept": lambda w, u: proposal_accept(acting_user=u, proposal=w["proposal"]),
    "proposal_refuse": lambda w, u: proposal_refuse(acting_user=u, proposal=w["proposal"], reason="نه"),
}


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_user_of_another_county_is_refused_by_the_service(world, service):
    before = _writes()
    with pytest.raises(PermissionDenied):
        CALLS[service](world, world["outsider"])
    assert _writes() == before
