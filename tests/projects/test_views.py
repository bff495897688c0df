"""Project pages: jurisdiction, Persian field errors, query counts, the cooperative's record lists its projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.projects.models import Facility, Project
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(admin_user, khorramabad, borujerd):
    kh = make_project(
        acting_user=admin_user,
        cooperative=make_cooperative(acting_user=admin_user, county=khorramabad),
        title="طرح پوشاک خرم‌آباد",
    )
    bo = make_project(
        acting_user=admin_user,
        cooperative=make_cooperative(acting_user=admin_user, county=borujerd),
        title="طرح چرم بروجرد",
    )
    return kh, bo


def test_county_officer_sees_only_own_projects(client, county_officer, projects):
    kh, bo = projects
    client.force_login(county_officer)
    body = client.get(reverse("projects:list")).content.decode()
    assert kh.title in body and bo.title not in body
    assert client.get(reverse("projects:detail", args=[bo.pk])).status_code == 404
    assert client.post(reverse("projects:stage", args=[bo.pk]), {"to_stage": "licensing"}).status_code == 404
    assert client.get(reverse("projects:detail", args=[kh.pk])).status_code == 200


def test_viewer_cannot_change_projects(client, viewer, projects):
    kh, _ = projects
    client.force_login(viewer)
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:stage", args=[kh.pk]), {"to_stage": "licensing"}).status_code == 403
    assert (
        client.post(
            reverse("projects:facility_add", args=[kh.pk]), {"bank": "x", "requested_rial": "1"}
        ).status_code
        == 403
    )


def test_facility_above_approval_from_the_form(client, provincial, projects):
    kh, _ = projects
    client.force_login(provincial)
    response = client.post(
        reverse("projects:facility_add", args=[kh.pk]),
        {
            "bank": "بانک ملی",
            "requested_rial": "۱۰۰٬۰۰۰",
            "approved_rial": "۵۰٬۰۰۰",
            "paid_rial": "۶۰٬۰۰۰",
            "paid_date": "۱۴۰۳/۰۱/۱۵",
        },
    )
    assert response.status_code == 422
    assert "paid_rial" in response.context["form"].errors
    assert "بیشتر باشد" in " ".join(response.context["form"].errors["paid_rial"])
    assert Facility.objects.count() == 0


def test_create_project_with_persian_input(client, county_officer, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    client.force_login(county_officer)
    data = {
        "cooperative": coop.pk,
        "title": "کارگاه دوخت",
        "sector": coop.sector_id,
        "activity": coop.activity_id,
        "county": khorramabad.pk,
        "investment_rial": "۵٬۰۰۰٬۰۰۰٬۰۰۰",
        "members_contribution_rial": "6000000000",
        "start_date": "۱۴۰۳/۰۱/۱۵",
        "jobs_direct_planned": "۱۲",
    }
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 422
    assert "members_contribution_rial" in response.context["form"].errors
    data["members_contribution_rial"] = "۲٬۰۰۰٬۰۰۰٬۰۰۰"
    response = client.post(reverse("projects:create"), data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert project.investment_rial == 5_000_000_000 and project.jobs_direct_planned == 12
    assert project.history.get().history_user == county_officer
    record = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert "کارگاه دوخت" in record


def test_unknown_sector_is_refused(client, provincial, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    client.force_login(provincial)
    response = client.post(
        reverse("projects:create"),
        {
            "cooperative": coop.pk,
            "title": "طرح",
            "sector": 999999,
            "county": khorramabad.pk,
            "investment_rial": "10",
        },
    )
    assert response.status_code == 422 and "sector" in response.context["form"].errors
    assert Project.objects.count() == 0


def test_project_list_query_count_is_constant(client, provincial, admin_user, khorramabad):
    client.force_login(provincial)
    make_project(acting_user=admin_user)
    client.get(reverse("projects:list"))  # the session's first request writes it: measured from the second on
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("projects:list"))
    for _ in range(8):
        make_project(
            acting_user=admin_user, stage="opened", stage_date=__import__("datetime").date(2025, 9, 2)
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert len(large) == len(small) <= 16
