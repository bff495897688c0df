"""The report's figures come out of the demo's records; the press paragraph, the API and the dashboard agree."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.demo.loader import load_demo
from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.reports.press import press_paragraph
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

WEEK_1404 = (datetime.date(2025, 9, 2), datetime.date(2025, 9, 8))  # 11–17 Shahrivar 1404


@pytest.fixture
def demo(reference_data):
    load_demo(n_cooperatives=24, progress=False)


def _lorestan_week(lorestan):
    return project_totals(
        user=None,
        filters=ProjectFilters(province=lorestan.pk, opening_from=WEEK_1404[0], opening_to=WEEK_1404[1]),
    )


def test_demo_reproduces_the_reports_figures(demo, lorestan):
    t = _lorestan_week(lorestan)
    assert t["count"] == 18
    investment_billion_toman = Decimal(t["investment_rial"]) / 10 / 10**9
    assert round(investment_billion_toman) == 195
    assert t["facilities_paid_rial"] > 6 * 10**9 * 10
    assert t["jobs_direct"] > 200
    assert t["opened"] == 18
    assert t["activities"] == [
        "پوشاک",
        "صنایع دستی",
        "پمپ بنزین",
        "مصنوعات چرمی",
        "خدمات آموزشی",
        "تولید گوشت قرمز و مرغ",
        "خدمات پزشکی",
        "استخراج سنگ",
    ]
    assert len(t["by_county"]) == 12
    assert sum(c["investment_rial"] for c in t["by_county"]) == t["investment_rial"]
    assert sum(s["facilities_paid_rial"] for s in t["by_sector"]) == t["facilities_paid_rial"]


def test_press_paragraph_for_cooperative_week_1404(demo, lorestan):
    t = _lorestan_week(lorestan)
    text = press_paragraph(
        totals=t, province_name="لرستان", start=WEEK_1404[0], end=WEEK_1404[1], opened=t["opened"]
    )
    assert "۱۸ طرح تعاونی" in text
    assert "در هفتهٔ تعاون (۱۱ تا ۱۷ شهریور ۱۴۰۴)" in text
    assert "حدود ۱۹۵ میلیارد تومان" in text
    assert "بیش از ۶ میلیارد تومان تسهیلات بانکی" in text
    assert "بیش از ۲۰۰ فرصت شغلی" in text
    assert "سرمایه‌گذاری" in text and "طرح‌ها" in text and "تعاونی‌ها" in text  # with the ZWNJ
    assert "پوشاک، صنایع دستی، پمپ بنزین" in text and "و استخراج سنگ" in text
    assert not any(ch in text for ch in "0123456789")


def test_press_command_prints_the_paragraph(demo, capsys):
    call_command(
        "press-summary",
        "--province",
        "lorestan",
        "--opening-from",
        "۱۴۰۴/۰۶/۱۱",
        "--opening-to",
        "1404-06-17",
    )
    out = capsys.readouterr().out
    assert "حدود ۱۹۵ میلیارد تومان" in out and "بیش از ۲۰۰ فرصت شغلی" in out


def test_press_with_nothing_to_report_says_so(reference_data, lorestan):
    t = project_totals(
        user=None,
        filters=ProjectFilters(province=lorestan.pk, opening_from=WEEK_1404[0], opening_to=WEEK_1404[1]),
    )
    text = press_paragraph(totals=t, province_name="لرستان", start=WEEK_1404[0], end=WEEK_1404[1], opened=0)
    assert "هیچ طرح تعاونی‌ای در استان لرستان افتتاح نشده" in text and "۰ طرح" not in text


def test_press_page(client, demo, provincial):
    client.force_login(provincial)
    page = client.get(
        reverse("reports:press"),
        {"province": "IR-15", "opening_from": "1404-06-11", "opening_to": "1404-06-17"},
    ).content.decode()
    assert "حدود ۱۹۵ میلیارد تومان" in page
    bad = client.get(reverse("reports:press"), {"province": "IR-15", "opening_from": "1404/12/30"})
    assert bad.status_code == 200 and "وجود ندارد" in bad.content.decode()


def test_api_figures_equal_the_dashboard_and_the_selector(client, demo, lorestan):
    response = client.get(
        "/api/v1/stats/projects",
        {"province": "lorestan", "opening_from": "1404-06-11", "opening_to": "۱۴۰۴/۰۶/۱۷"},
    )
    assert response.status_code == 200
    data = response.json()
    t = _lorestan_week(lorestan)
    for key in (
        "count",
        "investment_rial",
        "members_contribution_rial",
        "facilities_paid_rial",
        "jobs_direct",
        "jobs_indirect",
    ):
        assert data[key] == t[key], key
    assert data["count"] == 18
    assert {s["sector"] for s in data["by_sector"]} == {s["name"] for s in t["by_sector"]}
    assert sum(c["count"] for c in data["by_county"]) == 18
    gregorian = client.get(
        "/api/v1/stats/projects",
        {"province": "IR-15", "opening_from": "2025-09-02", "opening_to": "2025-09-08"},
    ).json()
    assert gregorian["investment_rial"] == data["investment_rial"]


def test_api_shows_no_private_data(client, demo):
    body = client.get("/api/v1/stats/projects", {"province": "lorestan"}).content.decode()
    assert "legal_id" not in body and "phone" not in body and "national" not in body


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


def test_dashboard_shows_figures_that_link_to_their_records(client, demo, provincial):
    client.force_login(provincial)
    page = client.get(
        reverse("reports:dashboard"), {"opening_from": "1404-06-11", "opening_to": "1404-06-17"}
    )
    body = page.content.decode()
    assert "۱۹۵٫۴ میلیارد تومان" in body  # the week's investment, computed
    assert "/cooperatives/?county=" in body and "status=dormant" in body
    assert "/projects/?" in body and "stage=opened" in body
    assert "chart-data" in body and "chart.umd.min.js" in body


def test_dashboard_query_count_does_not_grow(client, provincial, admin_user, khorramabad):
    client.force_login(provincial)
    make_project(acting_user=admin_user)
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
    assert len(large) == len(small) <= 25


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


def test_dashboard_table_downloads_as_rtl_xlsx(client, demo, provincial):
    client.force_login(provincial)
    response = client.get(reverse("reports:dashboard"), {"download": "projects_sector"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.sheet_view.rightToLeft
    assert [c.value for c in ws[1]] == [
        "گرایش",
        "تعداد طرح",
        "سرمایه‌گذاری (ریال)",
        "تسهیلات پرداخت‌شده (ریال)",
        "اشتغال مستقیم",
    ]
    assert isinstance(ws.cell(row=2, column=3).value, int)
    assert client.get(reverse("reports:dashboard"), {"download": "nope"}).status_code == 404
