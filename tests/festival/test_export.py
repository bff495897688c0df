"""`taavon export festival-results --edition N --format csv|xlsx -o FILE`: the published ranking with the stable
columns `edition, category, rank, shenasnameh, name, county, computed_score, jury_score, total_score`; and
`festival-national`, the first of each category for the national round."""

import csv

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from taavon.festival.output_contributions import register_outputs
from tests.festival.outputs_setup import NAMES, published_edition

pytestmark = pytest.mark.django_db
HEADER = [
    "edition",
    "category",
    "rank",
    "shenasnameh",
    "name",
    "county",
    "computed_score",
    "jury_score",
    "total_score",
]


@pytest.fixture(autouse=True)
def _registered():
    register_outputs()  # festival.contributions.register() calls it; idempotent


@pytest.fixture
def published(admin_user, lorestan, khorramabad, borujerd):
    return published_edition(acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd])


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_has_the_exact_columns_and_the_ranking(published, tmp_path):
    _edition, rankings = published
    out = tmp_path / "results.csv"
    call_command(
        "export", "festival-results", "--edition", "20", "--format", "csv", "-o", str(out), verbosity=0
    )
    rows = _csv(out)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 4
    first = rankings[0].candidate.cooperative
    assert rows[1] == [
        "20",
        first.sector.code,
        "1",
        first.shenasnameh,
        NAMES[0],
        first.county.name,
        "51.250",
        "32.120",
        "83.370",
    ]
    assert [r[2] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[2][5] == rankings[1].candidate.cooperative.county.name


def test_xlsx_has_the_headers_and_the_same_rows(published, tmp_path):
    out = tmp_path / "results.xlsx"
    call_command(
        "export", "festival-results", "--edition", "20", "--format", "xlsx", "-o", str(out), verbosity=0
    )
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 4
    assert values[0][0] == "دوره" and values[0][1] == "گرایش" and values[0][-1] == "امتیاز کل"
    assert values[1][0] == 20 and values[1][2] == 1 and values[1][4] == NAMES[0] and values[1][8] == "83.370"


def test_the_national_round_takes_the_first_of_each_category(published, tmp_path):
    out = tmp_path / "national.csv"
    call_command("export", "festival-national", "--edition", "20", "-o", str(out), verbosity=0)
    rows = _csv(out)
    assert rows[0] == HEADER and len(rows) == 2 and rows[1][2] == "1" and rows[1][4] == NAMES[0]


def test_an_unknown_or_unpublished_edition_or_none_is_refused(published, tmp_path):
    edition, _rankings = published
    out = str(tmp_path / "x.csv")
    with pytest.raises(CommandError, match="unknown edition"):
        call_command("export", "festival-results", "--edition", "19", "-o", out, verbosity=0)
    with pytest.raises(CommandError, match="--edition"):
        call_command("export", "festival-results", "-o", out, verbosity=0)
    with pytest.raises(CommandError, match="province|edition"):
        call_command(
            "export", "festival-results", "--edition", "20", "--province", "IR-15", "-o", out, verbosity=0
        )
    with pytest.raises(CommandError, match="province|edition"):
        call_command("export", "cooperatives", "--edition", "20", "-o", out, verbosity=0)
    edition.results_published_at = None
    edition.save()
    with pytest.raises(CommandError, match="not published"):
        call_command("export", "festival-results", "--edition", "20", "-o", out, verbosity=0)
