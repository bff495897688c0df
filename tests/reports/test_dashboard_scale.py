"""The dashboard at national scale (issue 17): its number of queries does not grow with the records, no query of
the whole country's page reads the cooperatives or the projects row by row, the maps' figures come from the
summaries and equal a count of the records (staff and public, whole country and one province), and a stale
summary is said on the page and counted from the records."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.projects import summary as project_summary
from taavon.registry import summary as registry_summary
from taavon.reports import map_figures
from taavon.triage.models import Case
from tests.factories import make_cooperative, make_facility, make_project
from tests.reports.test_summary import nation  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

MAP_FIGURES = tuple(map_figures.FIGURES)
# the tables whose size grows with the nation: a query must not be driven by them on the whole country's page
BIG_TABLES = ("registry_cooperative", "projects_project", "members_membership", "members_person")


def _records(admin_user, counties, n: int) -> None:
    """n cooperatives of each county with a project (a facility, some jobs) and an open triage case each."""
    for county in counties:
        for i in range(n):
            coop = make_cooperative(
                acting_user=admin_user, county=county, status="dormant" if i % 2 else "active"
            )
            project = make_project(
                acting_user=admin_user,
                cooperative=coop,
                stage=("construction", "opened")[i % 2],
                stage_date=datetime.date(2025, 9, 3),
                jobs_direct_actual=i + 1,
            )
            make_facility(
                acting_user=admin_user,
                project=project,
                requested_rial=10,
                approved_rial=10,
                paid_rial=10,
                paid_date=datetime.date(2025, 1, 1),
            )
            Case.objects.create(
                cooperative=coop,
                opened_on=datetime.date(2026, 4, 1),
                opened_by=admin_user,
                reason="آزمون",
                assigned_to=admin_user,
                deadline=datetime.date(2026, 6, 1),
            )


def _queries(client, user, path: str) -> list[str]:
    client.force_login(user)
    client.get(path)  # warm: sessions, the site's settings
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/?map_figure=jobs"])
def test_the_number_of_queries_does_not_grow_with_the_records(
    client, admin_user, provincial, khorramabad, borujerd, path
):
    _records(admin_user, [khorramabad, borujerd], 1)
    small = {u.username: len(_queries(client, u, path)) for u in (admin_user, provincial)}
    _records(admin_user, [khorramabad, borujerd], 2)  # three times as many records
    large = {u.username: len(_queries(client, u, path)) for u in (admin_user, provincial)}
    assert large == small


def test_no_query_of_the_whole_country_is_driven_by_the_big_tables(client, admin_user, khorramabad):
    _records(admin_user, [khorramabad], 2)
    for path in ("/dashboard/", "/dashboard/?map_figure=investment", "/dashboard/?map_figure=active"):
        for sql in _queries(client, admin_user, path):
            driving = re.search(r'\bFROM "(\w+)"', sql)
            assert driving is None or driving.group(1) not in BIG_TABLES, sql


@pytest.fixture
def stale_both():
    def mark(stale: bool):
        registry_summary.summary_mark_stale(registry_summary.NAME, stale)
        registry_summary.summary_mark_stale(project_summary.NAME, stale)

    return mark


def test_the_maps_figures_from_the_summaries_equal_a_count_of_the_records(
    nation,  # noqa: F811 (the fixture)
    admin_user,
    provincial,
    county_officer,
    lorestan,
    stale_both,
):
    make_project(acting_user=admin_user, cooperative=nation[0], stage="construction", jobs_direct_actual=7)
    make_project(acting_user=admin_user, cooperative=nation[5], county=nation[0].county, jobs_direct_actual=3)
    users = (None, admin_user, provincial, county_officer)
    from_summaries = {}
    for figure in MAP_FIGURES:
        for user in users:
            with CaptureQueriesContext(connection) as ctx:
                counties = map_figures.county_figures(user=user, province=lorestan, figure=figure)
            sql = " ".join(q["sql"] for q in ctx.captured_queries)
            assert "registry_cooperativecount" in sql or "projects_projectsum" in sql
            assert 'FROM "registry_cooperative" ' not in sql
            from_summaries[figure, user] = counties
        from_summaries[figure, "country"] = map_figures.province_figures(figure=figure)
    assert any(from_summaries["jobs", None].values())  # the fixture has figures to compare
    stale_both(True)
    for figure in MAP_FIGURES:
        for user in users:
            live = map_figures.county_figures(user=user, province=lorestan, figure=figure)
            assert from_summaries[figure, user] == live, (figure, user and user.role)
        assert from_summaries[figure, "country"] == map_figures.province_figures(figure=figure)


def test_a_county_officer_map_leaves_out_a_project_of_a_cooperative_outside(
    nation,  # noqa: F811 (the fixture)
    county_officer,
    lorestan,
):
    """The fixture's project in Khorramabad of a Borujerd cooperative: not the Khorramabad officer's (as in the
    project list), though the summary's Khorramabad rows hold it."""
    crossing = nation[5].projects.get(county=county_officer.county)
    mine = map_figures.county_figures(user=county_officer, province=lorestan, figure="investment")
    everyone = map_figures.county_figures(user=None, province=lorestan, figure="investment")
    assert mine[county_officer.county_id] == everyone[county_officer.county_id] - crossing.investment_rial


def test_a_stale_summary_is_said_on_the_page_and_the_map_counted_from_the_records(
    client,
    nation,  # noqa: F811 (the fixture)
    provincial,
    lorestan,
):
    client.force_login(provincial)
    fresh = client.get(reverse("reports:dashboard"))
    assert "rebuilt" not in fresh.content.decode() and "بازسازی" not in fresh.content.decode()
    registry_summary.CooperativeCount.objects.update(
        cooperatives=0, members_women=0
    )  # as a raw load leaves it
    registry_summary.counts_mark_stale()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    assert "بازسازی" in page or "rebuilt" in page
    assert response.context["county_map"]["rows"] == fresh.context["county_map"]["rows"]
    assert response.context["kpis"] == fresh.context["kpis"]
    assert any('FROM "registry_cooperative"' in q["sql"] for q in ctx.captured_queries)  # counted live


def test_the_dashboard_tables_show_every_figure_with_its_link(
    client,
    nation,  # noqa: F811 (the fixture)
    admin_user,
    khorramabad,
):
    client.force_login(admin_user)
    response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    table = response.context["tables"]["status_county"]
    khorramabad_row = next(r for r in table["rows"] if r["name"] == khorramabad.name_fa)
    total = khorramabad_row["cells"][-1]
    assert total["value"] == 4
    assert f'<a href="{total["url"]}">۴</a>' in page
    assert f"county={khorramabad.pk}" in total["url"] and "&" not in total["url"]
    assert "<script" not in str(table["body"])
    assert 'data-testid="table-status_county"' in page


def test_a_table_without_rows_says_so():
    from taavon.reports.tables import table_body_html

    assert "No data." in table_body_html([]) or "داده‌ای" in table_body_html([])


def test_names_in_the_tables_are_escaped():
    from taavon.reports.tables import table_body_html

    html = table_body_html([{"name": "<b>x</b>", "cells": [{"value": 3, "url": "/a/?x=1&y=2"}]}])
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'href="/a/?x=1&amp;y=2"' in html
