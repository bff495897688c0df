"""`taavon export requests`: the stable columns, one row per request, the figures' hand-counted set."""

import csv

import openpyxl
import pytest
from django.core.management import call_command

from tests.servicedesk.test_stats import hand_counted

COLUMNS = [
    "code",
    "shenasnameh",
    "channel",
    "category",
    "county",
    "status",
    "opened_at",
    "first_answer_at",
    "closed_at",
    "first_answer_due",
    "resolution_due",
    "within_deadline",
    "rating",
]


@pytest.fixture
def fixture(khorramabad, borujerd):
    return hand_counted(khorramabad, borujerd)


def test_the_csv_has_the_stable_columns(fixture, tmp_path):
    out = tmp_path / "requests.csv"
    call_command("export", "requests", "--format", "csv", "-o", str(out), verbosity=0)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    by_code = {r["code"]: r for r in rows}
    a, b, c, d = (by_code[fixture[k].code] for k in "abcd")
    assert (a["channel"], a["category"], a["status"], a["within_deadline"], a["rating"]) == (
        "desk",
        "financing",
        "closed",
        "yes",
        "4",
    )
    assert a["shenasnameh"] == fixture["coop"].shenasnameh
    assert (b["within_deadline"], b["rating"]) == ("no", "2")
    assert (c["shenasnameh"], c["within_deadline"], c["first_answer_at"], c["closed_at"]) == (
        "",
        "no",
        "",
        "",
    )
    assert d["channel"] == "portal"
    assert a["opened_at"].startswith("1405-08-09 08:00")  # Saturday 31 October 2026, Tehran time


def test_the_xlsx_export(fixture, tmp_path):
    out = tmp_path / "requests.xlsx"
    call_command("export", "requests", "--format", "xlsx", "-o", str(out), "--province", "IR-15", verbosity=0)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.max_row == 5


def test_the_demo_fills_every_county_and_category(read_only_demo, db):
    from taavon.places.models import County
    from taavon.servicedesk.models import Category, Request

    requests = Request.objects.all()
    assert requests.count() >= 200
    lorestan = set(County.objects.filter(province__code="IR-15").values_list("pk", flat=True))
    assert set(requests.values_list("county_id", flat=True)) == lorestan
    assert set(requests.values_list("category_id", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    assert requests.filter(status="closed").count() > requests.count() / 2
    assert requests.filter(rating__isnull=False).count() >= 10
    assert requests.filter(status="waiting").exists()
    assert requests.filter(first_answer_at__isnull=True, status="new").exists()
