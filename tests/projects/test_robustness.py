"""What a reviewer tried to break: stages in the opening window, junk in query strings, partial filters, search."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.projects.services import project_change_stage, project_update
from tests.factories import make_cooperative, make_facility, make_project

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 9, 2)


def test_opening_window_counts_only_projects_ready_or_opened(admin_user, lorestan):
    for stage in ("ready", "opened", "cancelled", "study", "stalled"):
        make_project(acting_user=admin_user, stage=stage, stage_date=DAY, expected_opening_date=DAY)
    totals = project_totals(
        user=None, filters=ProjectFilters(province=lorestan.pk, opening_from=DAY, opening_to=DAY)
    )
    assert totals["count"] == 2


@pytest.mark.parametrize(
    "url,params",
    [
        ("projects:list", {"county": "99999999999999999999"}),
        ("projects:list", {"cooperative": "-1", "sector": "1e9"}),
        ("registry:list", {"county": "99999999999999999999", "type": "abc"}),
        ("reports:dashboard", {"province": "99999999999999999999", "year": "99999"}),
        ("reports:press", {"province": "\x00", "opening_from": "\x00"}),
    ],
)
def test_junk_in_query_strings_never_crashes(client, provincial, url, params):
    client.force_login(provincial)
    assert client.get(reverse(url), params).status_code == 200


def test_nul_bytes_in_the_api_and_paths(client, provincial):
    assert client.get("/api/v1/stats/projects", {"province": "\x00"}).status_code == 400
    client.force_login(provincial)
    assert client.get("/cooperatives/%00abc/").status_code == 404


def test_an_invalid_filter_does_not_drop_the_others(client, provincial, admin_user, khorramabad, borujerd):
    kh = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی خرم‌آباد یک")
    bo = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی بروجرد دو")
    client.force_login(provincial)
    body = client.get(reverse("registry:list"), {"county": khorramabad.pk, "type": "abc"}).content.decode()
    assert kh.name in body and bo.name not in body
    csv = client.get(reverse("registry:export", args=["csv"]), {"county": khorramabad.pk, "type": "x"})
    assert bo.shenasnameh not in csv.content.decode("utf-8-sig")
    page = client.get(reverse("projects:list"), {"county": khorramabad.pk, "opening_from": "1404/12/30"})
    assert page.context["filters"].county == khorramabad.pk
    assert "وجود ندارد" in page.content.decode()


def test_project_title_is_found_however_it_is_typed(client, provincial, admin_user):
    make_project(acting_user=admin_user, title="طرح پوشاك يزدي")
    client.force_login(provincial)
    for q in ("پوشاک", "یزدی", "پوشاك"):
        assert "طرح پوشاك يزدي" in client.get(reverse("projects:list"), {"q": q}).content.decode(), q


def test_stage_dates_must_not_go_backwards(admin_user):
    project = make_project(acting_user=admin_user, stage="ready")  # construction and ready on 2024-01-01
    with pytest.raises(ValidationError) as exc:
        project_change_stage(
            acting_user=admin_user, project=project, to_stage="opened", date=datetime.date(2023, 6, 1)
        )
    assert "date" in exc.value.message_dict


def test_editing_keeps_an_opened_project_consistent(admin_user):
    project = make_project(acting_user=admin_user, stage="opened", stage_date=DAY)
    with pytest.raises(ValidationError) as exc:
        project_update(acting_user=admin_user, project=project, start_date=DAY + datetime.timedelta(days=10))
    assert "start_date" in exc.value.message_dict
    updated = project_update(acting_user=admin_user, project=project, progress_percent=30)
    assert updated.progress_percent == 100


def test_a_project_of_a_cooperative_in_liquidation_can_still_be_edited(admin_user):
    from taavon.registry.services import cooperative_change_status

    project = make_project(acting_user=admin_user)
    cooperative_change_status(
        acting_user=admin_user,
        cooperative=project.cooperative,
        to_status="liquidating",
        reason="تصمیم مجمع فوق‌العاده",
    )
    assert project_update(acting_user=admin_user, project=project, progress_percent=50).progress_percent == 50


def test_stage_reason_with_markup_is_refused(admin_user):
    project = make_project(acting_user=admin_user)
    with pytest.raises(ValidationError):
        project_change_stage(
            acting_user=admin_user, project=project, to_stage="licensing", reason="<script>x</script>"
        )


def test_absurd_years_are_refused_in_forms(client, provincial, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    client.force_login(provincial)
    response = client.post(
        reverse("projects:create"),
        {
            "cooperative": coop.pk,
            "title": "طرح",
            "sector": coop.sector_id,
            "county": khorramabad.pk,
            "investment_rial": "10",
            "expected_opening_date": "٩٩٩٩/٠١/٠١",
        },
    )
    assert "expected_opening_date" in response.context["form"].errors


def test_facility_can_be_edited_to_record_payment(client, provincial, admin_user):

    project = make_project(acting_user=admin_user)
    facility = make_facility(acting_user=admin_user, project=project, approved_rial=80)
    client.force_login(provincial)
    url = reverse("projects:facility_edit", args=[project.pk, facility.pk])
    response = client.post(
        url,
        {
            "bank": "بانک ملی",
            "requested_rial": "100",
            "approved_rial": "80",
            "paid_rial": "80",
            "paid_date": "۱۴۰۴/۰۲/۰۱",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.paid_rial == 80 and facility.history.count() == 2
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="change-history"' in page
