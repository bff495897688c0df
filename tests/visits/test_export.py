"""`taavon export findings`: the stable columns exactly, one row per finding, its open actions counted."""

import csv

import openpyxl
import pytest
from django.core.management import call_command

from tests.visits.test_figures import hand_counted

pytestmark = pytest.mark.django_db
COLUMNS = [
    "visit_date",
    "shenasnameh",
    "county",
    "category",
    "severity",
    "status",
    "opened_at",
    "closed_at",
    "actions_open",
]


@pytest.fixture
def world(admin_user, khorramabad, borujerd):
    return hand_counted(admin_user, khorramabad, borujerd)


def test_the_csv_has_the_stable_columns_and_a_row_per_finding(world, tmp_path):
    out = tmp_path / "findings.csv"
    call_command("export", "findings", "--format", "csv", "-o", str(out), verbosity=0)
    with out.open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert header == COLUMNS
    assert len(rows) == 6  # V1: 2, V2: 2, V4: 1, V5: 1
    by = {(r["shenasnameh"], r["category"], r["status"]): r for r in rows}
    a, c = world["a"].shenasnameh, world["c"].shenasnameh
    closed = by[(a, "financing", "closed")]
    assert closed["actions_open"] == "0" and closed["closed_at"] and closed["severity"] == "low"
    assert by[(a, "financing", "open")]["actions_open"] == "1"
    assert by[(a, "market", "open")]["actions_open"] == "0"
    labour = by[(c, "labour", "open")]
    assert (labour["severity"], labour["closed_at"], labour["actions_open"]) == ("critical", "", "1")
    assert labour["county"] == world["c"].county.name


def test_the_xlsx_export_and_the_province_filter(world, tmp_path):
    out = tmp_path / "findings.xlsx"
    call_command("export", "findings", "--format", "xlsx", "-o", str(out), "--province", "IR-15", verbosity=0)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.max_row == 1 + 6
    assert sheet.max_column == len(COLUMNS)
    out2 = tmp_path / "none.csv"
    call_command("export", "findings", "--format", "csv", "-o", str(out2), "--province", "IR-23", verbosity=0)
    with out2.open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 1  # the header alone
