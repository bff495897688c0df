"""Exports: CSV (English columns, UTF-8 with BOM) and XLSX (Persian headers, RTL sheet, Jalali dates)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from taavon.registry.exports import CSV_HEADER
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db

EXPECTED_HEADER = [
    "shenasnameh",
    "legal_id",
    "registration_number",
    "registration_date",
    "name",
    "type",
    "sector",
    "province",
    "county",
    "status",
    "members_women",
    "members_men",
    "capital_paid_rial",
]


@pytest.fixture
def coops(admin_user, khorramabad, borujerd):
    a = make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        name="تعاونی پوشاک زاگرس",
        legal_id="10380284790",
        registration_date=datetime.date(2025, 9, 2),
        members_women=4,
        members_men=9,
        capital_paid_rial=750_000_000,
    )
    b = make_cooperative(
        acting_user=admin_user, county=borujerd, name='=HYPERLINK("x")تعاونی', status="dormant"
    )
    return a, b


def test_csv_columns_are_stable(coops):
    assert CSV_HEADER == EXPECTED_HEADER


def test_csv_export_from_the_command(coops, tmp_path):
    out = tmp_path / "coops.csv"
    call_command("export", "cooperatives", "--format", "csv", "-o", str(out), verbosity=0)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = next(r for r in rows if r["legal_id"] == "10380284790")
    assert row["name"] == "تعاونی پوشاک زاگرس"
    assert row["registration_date"] == "1404-06-11"
    assert row["province"] == "لرستان" and row["county"] == "خرم‌آباد"
    assert row["status"] == "فعال"
    assert (row["members_women"], row["members_men"], row["capital_paid_rial"]) == ("4", "9", "750000000")
    risky = next(r for r in rows if r["legal_id"] != "10380284790")
    assert risky["name"].startswith("'=")  # neutralised against formula injection


def test_xlsx_export_is_rtl_with_persian_headers(coops, tmp_path):
    out = tmp_path / "coops.xlsx"
    call_command("export", "cooperatives", "--format", "xlsx", "-o", str(out), verbosity=0)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws.sheet_view.rightToLeft
    header = [c.value for c in ws[1]]
    assert header[0] == "شمارهٔ شناسنامه" and "نام تعاونی" in header and "تاریخ ثبت" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    row = next(r for r in rows if r[1] == "10380284790")
    assert row[header.index("تاریخ ثبت")] == "1404-06-11"
    assert row[header.index("سرمایهٔ پرداخت‌شده (ریال)")] == 750_000_000  # a number, not text


def test_list_page_download_follows_the_filter(client, provincial, coops):
    client.force_login(provincial)
    response = client.get(reverse("registry:export", args=["csv"]), {"status": "dormant"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert coops[1].shenasnameh in body and coops[0].shenasnameh not in body
    xlsx = client.get(reverse("registry:export", args=["xlsx"]), {"q": "زاگرس"})
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    names = [r[4].value for r in wb.active.iter_rows(min_row=2)]
    assert names == ["تعاونی پوشاک زاگرس"]


def test_every_app_contributes_its_export_kind(coops, tmp_path, admin_user):
    """`taavon export KIND`: the kinds come from the apps (registry, projects, members), not from one app's list."""
    from taavon.core.contributions import EXPORT_KINDS
    from tests.factories import make_project

    assert {"cooperatives", "projects", "members", "returns"} <= set(EXPORT_KINDS)
    make_project(acting_user=admin_user, cooperative=coops[0], title="طرح نمایشی")
    out = tmp_path / "projects.csv"
    call_command("export", "projects", "--format", "csv", "-o", str(out), "--province", "IR-15", verbosity=0)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("coop_shenasnameh,coop_name,title")
    assert "طرح نمایشی" in text
    with pytest.raises(CommandError):
        call_command("export", "projects", "--status", "active", "-o", str(tmp_path / "x.csv"), verbosity=0)
    with pytest.raises(CommandError):
        call_command(
            "export", "cooperatives", "--status", "sleeping", "-o", str(tmp_path / "x.csv"), verbosity=0
        )
