"""The report's figures come out of the demo's records; the press paragraph, the API and the dashboard agree.

The demo is loaded once for this module (read_only_demo: each test runs in a savepoint rolled back after it)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from taavon.reports.press import press_paragraph
from tests.reports.test_figures import WEEK_1404, _lorestan_week, end_of_week_1404

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(read_only_demo):
    return read_only_demo


def test_demo_reproduces_the_reports_figures(demo, lorestan):
    """The report's figures are those of the week (as of 17 Shahrivar 1404); a correction recorded a month later
    (the demo's: +3 billion toman on one project, two facilities paid in full) moves today's."""
    now = _lorestan_week(lorestan)
    assert round(Decimal(now["investment_rial"]) / 10 / 10**9) == 198
    t = _lorestan_week(lorestan, as_of=end_of_week_1404())
    assert now["facilities_paid_rial"] > t["facilities_paid_rial"] and now["count"] == t["count"]
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
    t = _lorestan_week(lorestan, as_of=end_of_week_1404())
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
        "--as-of",
        "۱۴۰۴/۰۶/۱۷",
    )
    out = capsys.readouterr().out
    assert "حدود ۱۹۵ میلیارد تومان" in out and "بیش از ۲۰۰ فرصت شغلی" in out
    call_command(
        "press-summary",
        "--province",
        "lorestan",
        "--opening-from",
        "1404-06-11",
        "--opening-to",
        "1404-06-17",
    )
    assert "حدود ۱۹۸ میلیارد تومان" in capsys.readouterr().out  # today's, after the correction


def test_press_page(client, demo, provincial):
    client.force_login(provincial)
    page = client.get(
        reverse("reports:press"),
        {
            "province": "IR-15",
            "opening_from": "1404-06-11",
            "opening_to": "1404-06-17",
            "as_of": "1404-06-17",
        },
    ).content.decode()
    assert "حدود ۱۹۵ میلیارد تومان" in page
    assert "ارقام به تاریخ ۱۷ شهریور ۱۴۰۴" in page
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


def test_dashboard_shows_figures_that_link_to_their_records(client, demo, provincial):
    client.force_login(provincial)
    page = client.get(
        reverse("reports:dashboard"),
        {"opening_from": "1404-06-11", "opening_to": "1404-06-17", "as_of": "۱۴۰۴/۰۶/۱۷"},
    )
    body = page.content.decode()
    assert "۱۹۵٫۴ میلیارد تومان" in body  # the week's investment as of its last day, computed
    assert "ارقام به تاریخ ۱۷ شهریور ۱۴۰۴" in body
    today = client.get(
        reverse("reports:dashboard"), {"opening_from": "1404-06-11", "opening_to": "1404-06-17"}
    )
    assert (
        "۱۹۸٫۴ میلیارد تومان" in today.content.decode()
        and 'data-testid="as-of"' not in today.content.decode()
    )
    body = today.content.decode()
    assert "/cooperatives/?county=" in body and "status=dormant" in body
    assert "/projects/?" in body and "stage=opened" in body
    assert "chart-data" in body and "chart.umd.min.js" in body


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


def test_the_demos_publication_is_written_again_as_of_its_day(demo, lorestan):
    """Issue 18's proof on the demo: the Cooperative Week 1404 paragraph published on 18 Shahrivar 1404 (figures as
    of the 17th), written again from the records as of that moment after the later corrections, is the one
    published, word for word; today's is not; what changed since names the corrections."""
    from django.utils import timezone

    from taavon.persian import format_jalali
    from taavon.reports.models import Publication
    from taavon.reports.publications import changes_since, regenerate, verify
    from taavon.reports.selectors import press_summary

    pub = Publication.objects.get(province=lorestan)
    assert pub.as_of == end_of_week_1404()
    assert format_jalali(timezone.localtime(pub.published_at).date(), "iso") == "1404-06-18"
    assert pub.published_by.username == "ostan" and pub.language == "fa"
    assert "حدود ۱۹۵ میلیارد تومان" in pub.text and "بیش از ۲۰۰ فرصت شغلی" in pub.text
    again = regenerate(pub)
    assert again["paragraph"] == pub.text
    assert again["figures"] == pub.figures
    assert verify(pub)
    today = press_summary(province=lorestan, start=WEEK_1404[0], end=WEEK_1404[1])
    assert today["paragraph"] != pub.text and "حدود ۱۹۸ میلیارد تومان" in today["paragraph"]
    changes = changes_since(pub, public=True)
    assert {f["key"] for f in changes["figures"] if f["moved"]} == {"investment_rial", "facilities_paid_rial"}
    assert changes["paragraph_moved"]
    # the public is shown the corrected investment project by project; the facilities paid only as a total
    assert [{label for label, _t, _n in r["changes"]} for r in changes["records"]] == [{"سرمایه‌گذاری"}]
    assert "تسهیلات پرداخت‌شده" in changes["totals_only"]
    assert all(r["when"] for r in changes["records"])  # the day each correction was recorded
    staff = changes_since(pub, public=False)
    assert 2 <= len(staff["records"]) <= 3 and not staff["totals_only"]
    labels = {label for r in staff["records"] for label, _then, _now in r["changes"]}
    assert labels == {"سرمایه‌گذاری", "تسهیلات پرداخت‌شده"}


def test_the_dashboard_a_year_back(client, demo, provincial):
    """The dashboard as of a day a year back (1404-09-09): a cooperative dissolved on 1 Azar 1404 counts as
    dissolved, the projects of the week are those of the week, the corrections of Mehr and Aban are in."""
    client.force_login(provincial)
    page = client.get(reverse("reports:dashboard"), {"as_of": "1404-09-09"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "ارقام به تاریخ ۹ آذر ۱۴۰۴" in body
    from taavon.registry.models import Status

    def figures(day: str) -> tuple[dict, int]:
        context = client.get(reverse("reports:dashboard"), {"as_of": day}).context
        statuses = dict(zip(Status.values, context["charts"]["status"]["values"], strict=True))
        return statuses, context["totals"]["investment_rial"]

    (before_dissolution, _inv), (after_dissolution, _inv2) = figures("1404-08-30"), figures("1404-09-09")
    assert after_dissolution["dissolved"] == before_dissolution["dissolved"] + 1  # dissolved on 1 Azar 1404
    assert after_dissolution["liquidating"] == before_dissolution["liquidating"] - 1
    (_s, before_correction), (_s2, after_correction) = figures("1404-07-19"), figures("1404-07-21")
    assert after_correction - before_correction == 30_000_000_000  # +3 billion toman on 20 Mehr 1404
    before = client.get(reverse("reports:dashboard"), {"as_of": "1404-05-01"})
    assert "سوابق تعاون از" not in before.content.decode()  # the register's first day: figures, no error
    earlier = client.get(reverse("reports:dashboard"), {"as_of": "1404-04-30"})
    assert "سوابق تعاون از ۱ مرداد ۱۴۰۴ آغاز می‌شود" in earlier.content.decode()
