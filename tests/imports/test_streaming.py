"""Members lists of any size: read row by row, checked and written in bulk, all or nothing (issue 17)."""

import csv
import datetime
import io

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taavon.imports import readers
from taavon.imports.readers import ReadError, read_table, stream_table
from taavon.imports.streaming import members_import_file
from taavon.members.models import Contribution, Membership, Person
from taavon.registry import summary
from tests.factories import make_cooperative
from tests.imports.test_import import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["شماره شناسنامه", "کد ملی", "نام", "نام خانوادگی", "جنسیت", "تاریخ عضویت", "سهام", "آورده"]


def code(x: int) -> str:
    """A valid national code (its check digit: persian.identifiers)."""
    total, rest = 0, x
    for weight in range(2, 11):
        rest, digit = divmod(rest, 10)
        total += digit * weight
    r = total % 11
    return f"{x:09d}{r if r < 2 else 11 - r}"


def member_rows(coops, n: int, start: int = 100_000_000) -> list[list]:
    rows = [HEADER]
    for i in range(n):
        woman = i % 2 == 0
        rows.append(
            [
                coops[i % len(coops)].shenasnameh,
                code(start + 7 * i),
                "مریم" if woman else "علی",
                f"کرمی{'' if i % 2 else 'ان'}",
                "زن" if woman else "مرد",
                "2020-03-01",
                str(i % 9 + 1),
                str(1_000_000 * (i % 5 + 1)),
            ]
        )
    return rows


def to_csv(rows: list[list], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    text = out.getvalue()
    if encoding == "cp1256":  # Windows' Arabic code page has the Arabic forms of ی and ک
        text = text.translate(str.maketrans("یک۰۱۲۳۴۵۶۷۸۹", "يك0123456789"))
    return text.encode(encoding)


@pytest.fixture
def coops(admin_user, khorramabad):
    return [
        make_cooperative(
            acting_user=admin_user,
            county=khorramabad,
            name=f"تعاونی تولیدی شماره {i}",
            registration_date=datetime.date(2015, 5, 1),
        )
        for i in range(1, 4)
    ]


def run(user, rows, **kwargs):
    return members_import_file(acting_user=user, data=to_csv(rows), filename="members.csv", **kwargs)


# the reader


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ";"), ("cp1256", "\t")])
def test_streamed_csv_rows_are_read_tables_rows(encoding, delimiter):
    rows = [
        HEADER,
        ["15-1400-00001", "۰۰۷۶۲۲۹۶۴۵", "مریم", "کرمی", "زن", "1395/01/10", "1", '5,000,000 "ریال"'],
    ]
    rows += [["", "", "", "", "", "", "", ""], ["a\nb", "x", "", "", "", "", "", ""]]
    data = to_csv(rows, encoding, delimiter)
    assert list(stream_table(data, "m.csv")) == read_table(data, "m.csv")
    assert list(stream_table(data, "m.csv"))[1][2] in ("مریم", "مريم")


@pytest.mark.parametrize("whole_sheet_reader", [True, False])
def test_streamed_xlsx_rows_are_read_tables_rows(monkeypatch, tmp_path, whole_sheet_reader):
    rows = [
        HEADER,
        [
            "15-1400-00001",
            "0076229645",
            "مریم & co <x>",
            "کرمی",
            "زن",
            datetime.date(2016, 3, 29),
            10,
            5_000_000.5,
        ],
        [None, None, "", None, None, None, None, None],
        ["15-1400-00002", 1583250689, "علی", "رضایی", "مرد", "1396-2-1", "5", "2,000,000"],
    ]
    data = xlsx(rows, real_dates=(5,))
    if not whole_sheet_reader:  # the sheet's XML read in chunks, as for a sheet of a million rows
        monkeypatch.setattr(readers, "CALAMINE_MAX_ROWS", 0)
    path = tmp_path / "m.xlsx"
    path.write_bytes(data)
    assert list(stream_table(path)) == read_table(data, "m.xlsx")
    assert list(stream_table(data, "m.xlsx")) == read_table(data, "m.xlsx")


def test_streamed_xlsx_of_a_shared_strings_workbook(monkeypatch):
    """Excel keeps text in a shared table (xlsxwriter does too, outside constant_memory)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, HEADER)
    ws.write_row(2, 0, ["15-1400-00001", "0076229645", "مریم", "کرمی", "زن", "1395/01/10", True, 3])
    ws.write_datetime(3, 5, datetime.datetime(2020, 1, 2, 10, 30), when)
    wb.close()
    data = buffer.getvalue()
    monkeypatch.setattr(readers, "CALAMINE_MAX_ROWS", 0)
    assert list(stream_table(data, "m.xlsx")) == read_table(data, "m.xlsx")


def test_the_stream_keeps_the_limits():
    data = to_csv([HEADER] + [["x"] * 8] * 20)
    with pytest.raises(ReadError):
        stream_table(data, "m.csv", max_rows=10)
    with pytest.raises(ReadError):
        stream_table(data, "m.csv", max_bytes=100)
    with pytest.raises(ReadError):
        list(stream_table(to_csv([["x"] * (readers.MAX_COLUMNS + 1)]), "m.csv"))
    with pytest.raises(ReadError):
        stream_table(b"\xd0\xcf\x11\xe0" + "EncryptedPackage".encode("utf-16-le"), "m.xlsx")
    # a large members file is accepted where read_table refuses it
    assert readers.STREAM_MAX_ROWS >= 1_000_000 > readers.MAX_ROWS


# the import


def test_a_good_file_writes_every_membership_with_history_and_figures(admin_user, coops):
    rows = member_rows(coops, 300)
    outcome = run(admin_user, rows, chunk_size=70)
    assert outcome.committed and outcome.problem_count == 0, outcome.problems()[:3]
    assert outcome.counts["create"] == 300 and outcome.counts["people"] == 300
    assert Membership.objects.count() == 300 and Contribution.objects.count() == 300
    for model in (Person, Membership, Contribution):
        history = model.history.filter(history_type="+")
        assert history.count() == 300
        assert set(history.values_list("history_user_id", flat=True)) == {admin_user.pk}
    for coop in coops:
        coop.refresh_from_db()
        members = Membership.objects.filter(cooperative=coop)
        assert coop.members_women == members.filter(person__gender="female").count() > 0
        assert coop.members_men == members.filter(person__gender="male").count() > 0
        assert coop.capital_paid_rial == sum(
            Contribution.objects.filter(membership__cooperative=coop).values_list("amount_rial", flat=True)
        )
        assert coop.history.filter(history_type="~").exists()
    assert summary.counts_check() == []  # the dashboard's summary equals a recount
    person = Person.objects.get(national_code=rows[1][1])
    assert person.name_key and person.first_name == "مریم"
    # the same file again changes nothing
    again = run(admin_user, rows, chunk_size=70)
    assert again.committed and again.counts["unchanged"] == 300 and again.counts["create"] == 0
    assert Contribution.objects.count() == 300


def test_one_bad_row_among_many_writes_nothing_and_is_named(admin_user, coops):
    rows = member_rows(coops, 250)
    rows[180][1] = "1234567890"  # a wrong check digit, in the third chunk: two chunks were fine
    rows[200][5] = "2010-01-01"  # before the cooperative's registration
    outcome = run(admin_user, rows, chunk_size=70)
    assert not outcome.committed
    assert (
        Person.objects.count() == 0 and Membership.objects.count() == 0 and Contribution.objects.count() == 0
    )
    assert [(p["row"], p["column"][:1]) for p in outcome.problems()] == [(181, "B"), (201, "F")]
    assert "کد ملی" in outcome.problems()[0]["message"]
    assert outcome.counts["error"] == 2
    assert summary.counts_check() == []


def test_the_problems_are_capped_and_counted(admin_user, coops):
    rows = member_rows(coops, 40)
    for r in rows[1:]:
        r[5] = "2010-01-01"
    outcome = run(admin_user, rows, max_problems=5)
    assert len(outcome.problems()) == 5 and outcome.problem_count == 40


def test_repeats_within_the_file(admin_user, coops):
    rows = member_rows(coops, 6)
    rows.append(list(rows[1]))  # the same row again
    second = list(rows[2])
    second[7] = "7000000"  # another contribution of the same member
    rows.append(second)
    other_name = list(rows[4])
    other_name[0] = coops[0].shenasnameh if other_name[0] != coops[0].shenasnameh else coops[1].shenasnameh
    other_name[2] = "حسن"  # the same national code with another name, in another cooperative
    rows.append(other_name)
    outcome = run(admin_user, rows, chunk_size=3)
    assert {p["row"] for p in outcome.problems()} == {8, 10}
    assert "2" in outcome.problems()[0]["message"] or "۲" in outcome.problems()[0]["message"]
    assert not outcome.committed
    rows.pop()
    rows.pop(7)
    outcome = run(admin_user, rows, chunk_size=3)
    assert outcome.committed, outcome.problems()
    assert Membership.objects.count() == 6 and Contribution.objects.count() == 7


def test_a_registered_person_under_another_name_gets_todays_message(admin_user, coops):
    from taavon.members.services import person_mismatch, person_register

    rows = member_rows(coops, 3)
    person_register(
        acting_user=admin_user, national_code=rows[2][1], first_name="رضا", last_name="نوری", gender="male"
    )
    outcome = run(admin_user, rows)
    assert not outcome.committed and [p["row"] for p in outcome.problems()] == [3]
    person = Person.objects.get(national_code=rows[2][1])
    today = person_mismatch(
        person, first_name=rows[2][2], last_name=rows[2][3], gender="male", user=admin_user
    )
    assert outcome.problems()[0]["message"] == today  # the one-by-one import's words
    assert "رضا" not in outcome.problems()[0]["message"]


def test_a_county_officer_cannot_reach_another_countys_cooperative(
    admin_user, county_officer, coops, borujerd
):
    """Another county's cooperative is refused in the very words of a number that does not exist."""
    elsewhere = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی بروجرد")
    rows = member_rows(coops, 2)
    rows[1][0] = elsewhere.shenasnameh
    rows[2][0] = "15-1404-99999"
    outcome = run(county_officer, rows)
    assert not outcome.committed and Membership.objects.count() == 0
    first, second = outcome.problems()
    assert first["message"].replace(elsewhere.shenasnameh, "N") != ""
    normalise = lambda p, number: str(p["message"]).replace(number, "N")  # noqa: E731
    from taavon.core.formatting import digits

    assert normalise(first, digits(elsewhere.shenasnameh)) == normalise(second, digits("15-1404-99999"))
    assert "بروجرد" not in first["message"]
    # their own county's cooperatives are imported
    outcome = run(county_officer, member_rows(coops, 5))
    assert outcome.committed and Membership.objects.count() == 5


def test_queries_are_per_chunk_not_per_row(admin_user, coops):
    def queries(n: int, start: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            outcome = run(admin_user, member_rows(coops, n, start=start), chunk_size=100)
        assert outcome.committed
        return len(ctx)

    small = queries(100, 200_000_000)
    large = queries(400, 300_000_000)
    assert large - small <= 3 * 25  # three more chunks, a fixed number of queries each
    assert large < 120


def test_the_command_imports_a_file(admin_user, coops, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_bytes(to_csv(member_rows(coops, 30)))
    with pytest.raises(SystemExit) as dry:
        call_command("import_members", str(path), "--user", admin_user.username, "--dry-run", verbosity=0)
    assert dry.value.code == 0 and Membership.objects.count() == 0
    call_command("import_members", str(path), "--user", admin_user.username, verbosity=0)
    assert Membership.objects.count() == 30
    assert "imported" in capsys.readouterr().out


def test_twenty_thousand_rows(admin_user, coops):
    outcome = run(admin_user, member_rows(coops, 20_000))
    assert outcome.committed and Membership.objects.count() == 20_000
    assert summary.counts_check() == []


def test_the_import_pages_stream_a_long_members_list(admin_user, coops, monkeypatch):
    from taavon.imports import services
    from taavon.imports.services import import_commit, import_preview, import_undo

    monkeypatch.setattr(services, "STREAMED_FROM_ROWS", 10)
    data = to_csv(member_rows(coops, 40))
    batch, outcome = import_preview(acting_user=admin_user, kind="members", data=data, filename="m.csv")
    assert outcome.counts["streamed"] and outcome.counts["create"] == 40 and Membership.objects.count() == 0
    assert batch.status == "previewed" and batch.header_row == 1
    outcome = import_commit(acting_user=admin_user, batch=batch)
    assert outcome.committed and Membership.objects.count() == 40
    with pytest.raises(ValidationError):
        import_undo(acting_user=admin_user, batch=batch)
    assert Membership.objects.count() == 40
