"""Figures from records made in the test: the press with nothing to report, the API's refusals, the dashboard's
query count and jurisdiction."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.reports.press import press_paragraph
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

WEEK_1404 = (datetime.date(2025, 9, 2), datetime.date(2025, 9, 8))  # 11–17 Shahrivar 1404


def end_of_week_1404():
    """The end of 17 Shahrivar 1404: the moment the demo's publication took its figures (the report's)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(WEEK_1404[1], datetime.time.max))


def _lorestan_week(lorestan, as_of=None):
    return project_totals(
        user=None,
        filters=ProjectFilters(province=lorestan.pk, opening_from=WEEK_1404[0], opening_to=WEEK_1404[1]),
        as_of=as_of,
    )


def test_press_with_nothing_to_report_says_so(reference_data, lorestan):
    t = project_totals(
        user=None,
        filters=ProjectFilters(province=lorestan.pk, opening_from=WEEK_1404[0], opening_to=WEEK_1404[1]),
    )
    text = press_paragraph(totals=t, province_name="لرستان", start=WEEK_1404[0], end=WEEK_1404[1], opened=0)
    assert "هیچ طرح تعاونی‌ای در استان لرستان افتتاح نشده" in text and "۰ طرح" not in text


@pytest.mark.parametrize(
    "params",
    [
        {"opening_from": "1404/12/30"},
        {"opening_to": "not a date"},
        {"province": "آتلانتیس"},
        {"stage": "flying"},
        {"opening_from": "1404-06-17", "opening_to": "1404-06-11"},
    ],
)
def test_api_bad_input_is_400_with_a_message(client, reference_data, params):
    response = client.get("/api/v1/stats/projects", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_dashboard_query_count_does_not_grow(client, provincial, admin_user, khorramabad):
    client.force_login(provincial)
    make_project(acting_user=admin_user)
    client.get(
        reverse("reports:dashboard")
    )  # the session's first request writes it: measured from the second on
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:dashboard"))
    for i in range(6):
        coop = make_cooperative(acting_user=admin_user, status="dormant" if i % 2 else "active")
        make_project(
            acting_user=admin_user, cooperative=coop, stage="opened", stage_date=datetime.date(2025, 9, 2)
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    # the projects' and cooperatives' figures, triage's block (5 queries) and the service desk's (5)
    assert len(large) == len(small) <= 35


def test_dashboard_for_a_county_officer_counts_only_the_county(
    client, county_officer, admin_user, khorramabad, borujerd
):
    make_project(
        acting_user=admin_user,
        cooperative=make_cooperative(acting_user=admin_user, county=khorramabad),
        investment_rial=7_000_000_000,
        members_contribution_rial=0,
    )
    make_project(
        acting_user=admin_user,
        cooperative=make_cooperative(acting_user=admin_user, county=borujerd),
        investment_rial=50_000_000_000,
        members_contribution_rial=0,
    )
    client.force_login(county_officer)
    response = client.get(reverse("reports:dashboard"))
    kpis = {k["label"]: k["text"] for k in response.context["kpis"]}
    assert kpis["سرمایه‌گذاری طرح‌ها"] == "۷۰۰ میلیون تومان"
    assert "بروجرد" not in response.content.decode().split("chart-data")[0].split("projects_county")[-1]
