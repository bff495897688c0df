"""What a reviewer broke in the imports, kept broken no more."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from taavon.imports.convert import Lookups, convert
from taavon.imports.models import ImportBatch, SavedMapping
from taavon.imports.services import import_commit, import_preview, import_undo
from taavon.members.models import AnnualReturn
from taavon.projects.models import Facility
from tests.factories import UserFactory, make_cooperative, make_facility
from tests.imports.test_import import GOOD, xlsx
from tests.imports.test_related import PROJECT_ROWS, run

pytestmark = pytest.mark.django_db


def test_a_row_outside_the_officers_county_is_a_row_problem(county_officer, reference_data):
    batch, outcome = import_preview(
        acting_user=county_officer, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    outside = [p for p in outcome.problems() if "حوزهٔ کاری" in p["message"]]
    assert len(outside) == 2  # دورود and سلسله rows; the خرم‌آباد row is fine
    outcome = import_commit(acting_user=county_officer, batch=batch, valid_only=True)
    assert outcome.committed and outcome.counts["create"] == 1


def test_units_named_in_headers(admin_user, reference_data):
    coop = make_cooperative(acting_user=admin_user, registration_date=datetime.date(2015, 5, 1))
    rows = [
        [
            "شماره شناسنامه",
            "سال مالی",
            "تاریخ ارائه",
            "درآمد (هزار ریال)",
            "دارایی (میلیون تومان)",
            "سود و زیان",
        ],
        [coop.shenasnameh, "1402", "1403/03/01", "5000", "2.5", "250,000-"],
    ]
    batch, outcome = run(admin_user, rows, "returns", unit="rial", title=None)
    assert not outcome.problems(), outcome.problems()
    import_commit(acting_user=admin_user, batch=batch)
    annual = AnnualReturn.objects.get()
    assert (annual.revenue_rial, annual.assets_rial, annual.profit_rial) == (5_000_000, 25_000_000, -250_000)


def test_a_jalali_date_a_spreadsheet_read_as_gregorian(reference_data):
    lookups = Lookups(None)
    assert convert("date", datetime.date(1402, 7, 5), unit="rial", lookups=lookups) == (
        datetime.date(2023, 9, 27),
        None,
    )
    assert convert("date", datetime.date(2300, 1, 1), unit="rial", lookups=lookups)[1]
    assert convert("amount", "5000-", unit="rial", lookups=lookups)[
        1
    ]  # a negative amount is refused, not flipped


def test_undo_is_refused_when_a_facility_was_added_later(admin_user, reference_data, khorramabad):

    make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        legal_id="10380284790",
        registration_date=datetime.date(2015, 5, 1),
    )
    batch, _ = run(admin_user, PROJECT_ROWS, "projects")
    import_commit(acting_user=admin_user, batch=batch)
    project = Facility.objects.get().project
    make_facility(acting_user=admin_user, project=project, requested_rial=10)
    with pytest.raises(ValidationError):
        import_undo(acting_user=admin_user, batch=batch)
    assert Facility.objects.count() == 2


def test_a_bad_mapping_post_is_ignored_and_a_finished_batch_is_left_alone(client, provincial, reference_data):
    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    client.force_login(provincial)
    client.post(
        reverse("imports:remap", args=[batch.pk]), {"col_x": "name", "col_2": "bogus", "remember": "1"}
    )
    # nothing required is mapped: refused with a message, neither saved nor applied
    assert not SavedMapping.objects.exists()
    before = dict(batch.mapping)
    batch.refresh_from_db()
    assert batch.mapping == before and batch.status == "previewed"
    import_commit(acting_user=provincial, batch=batch)
    client.post(reverse("imports:decide", args=[batch.pk]), {"row_4": "new"})
    batch.refresh_from_db()
    assert batch.status == "committed"


def test_provincial_staff_see_only_their_provinces_batches(client, provincial, reference_data):
    from taavon.places.models import Province

    import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    other = UserFactory(role="provincial", province=Province.objects.get(code="IR-07"), username="tehran-t")
    client.force_login(other)
    batch = ImportBatch.objects.get()
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:rejected", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize(
    "value,unit,rials",
    [(4.1, "million_rial", 4_100_000), (16.1, "million_rial", 16_100_000), (0.07, "million_toman", 700_000)]
    + [(2.01, "thousand_rial", 2_010), (1500.0, "toman", 15_000), (7, "billion_toman", 70_000_000_000)],
)
def test_decimal_number_cells_in_large_units(value, unit, rials):
    """A number cell of 4.1 (million rial) is 4,100,000 rials, as the same text would be (not a float's error)."""
    from taavon.imports.convert import convert

    assert convert("amount", value, unit=unit, lookups=None) == (rials, None)
    assert convert("amount", str(value), unit=unit, lookups=None) == (rials, None)
    assert convert("amount", 4.1001, unit="thousand_rial", lookups=None)[1]  # 4,100.1 rials: refused
    assert convert("amount", float("inf"), unit="rial", lookups=None)[1]


def test_csv_keeps_apostrophes():
    from taavon.imports.readers import read_table

    data = "نام تعاونی,نشانی\nتعاونی لاله,'کوچه' دو\nتعاونی نور,خیابان 'بهار'\n".encode()
    rows = read_table(data, "coops.csv")
    assert rows[1] == ["تعاونی لاله", "'کوچه' دو"] and rows[2][1] == "خیابان 'بهار'"


def _sparse_xlsx(last_row: int, last_col: int) -> bytes:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["نام تعاونی", "شهرستان", "گرایش", "نوع"])
    ws.write(last_row, last_col, "x")
    wb.close()
    return buffer.getvalue()


def test_a_tiny_file_that_unpacks_into_a_huge_sheet_is_refused_and_the_server_lives(
    admin_user, reference_data
):
    """5 KB with a cell at XFD1048576: the reader would ask for 549 GB and abort the process. It is read in a
    separate process with a memory limit: the child dies, the user gets a message, nothing is kept."""
    from taavon.imports.services import ImportFileError

    data = _sparse_xlsx(1_048_575, 16_383)
    assert len(data) < 10_000
    with pytest.raises(ImportFileError, match="بیش از اندازه بزرگ"):
        import_preview(acting_user=admin_user, kind="cooperatives", data=data, filename="bomb.xlsx")
    assert ImportBatch.objects.count() == 0
    # and the process that asked is still here to import a good file
    batch, outcome = import_preview(
        acting_user=admin_user, kind="cooperatives", data=xlsx(GOOD), filename="a.xlsx"
    )
    assert outcome.counts["create"] == 3


def test_too_many_rows_are_refused(monkeypatch):
    from taavon.imports import readers

    monkeypatch.setattr(readers, "MAX_ROWS", 100)
    with pytest.raises(readers.ReadError, match="ردیف"):
        readers.read_table(_sparse_xlsx(150, 3), "tall.xlsx")


def test_formulas_without_a_stored_result_are_refused_with_their_cells(admin_user, reference_data):
    """A file written by a program that does not compute formulas (openpyxl, scripts) has formulas without
    results; read as empty cells they would import blanks silently."""
    import io

    import openpyxl

    from taavon.imports.services import ImportFileError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["نام تعاونی", "شهرستان", "گرایش", "نوع", "سرمایه پرداخت شده"])
    ws.append(["تعاونی لاله", "دورود", "صنعتی", "تولیدی", "=F2*1000"])
    ws.append(["تعاونی نور", "دورود", "صنعتی", "تولیدی", "=SUM(1,2)"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImportFileError, match="E2، E3"):
        import_preview(acting_user=admin_user, kind="cooperatives", data=buffer.getvalue(), filename="f.xlsx")
    assert ImportBatch.objects.count() == 0


def test_a_mapping_without_a_required_column_never_locks_out_those_headers(
    client, provincial, reference_data
):
    """Unticking the county and ticking "remember" used to save a mapping that refused every later file with the
    same headers. Now it is refused on the page; an old saved one that lacks a column is not used."""
    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    mapping = {f"col_{k}": v for k, v in batch.mapping.items() if v != "county"}
    client.force_login(provincial)
    response = client.post(
        reverse("imports:remap", args=[batch.pk]), {**mapping, "remember": "1"}, follow=True
    )
    assert "«شهرستان» لازم است" in response.content.decode()
    assert not SavedMapping.objects.exists()
    SavedMapping.objects.create(
        kind="cooperatives", header_signature=batch.header_signature, mapping={"1": "name", "7": "sector"}
    )
    again, outcome = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    assert outcome.counts["create"] == 3 and again.mapping == batch.mapping
    # a good correction is remembered and shown with the headers kept on the batch (the file is not read again)
    ok = {f"col_{k}": v for k, v in batch.mapping.items()}
    ok["col_0"] = ""  # ignore the row number column
    client.post(reverse("imports:remap", args=[batch.pk]), {**ok, "remember": "1"})
    assert SavedMapping.objects.get(header_signature=batch.header_signature).mapping.get("1") == "name"
    page = client.get(reverse("imports:detail", args=[again.pk])).content.decode()
    assert "نام شرکت تعاونی" in page


def test_a_second_commit_click_is_refused_and_the_committed_import_stays_committed(
    client, provincial, reference_data
):
    from taavon.imports import tasks

    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    stale = ImportBatch.objects.get(pk=batch.pk)  # what the second tab saw
    assert tasks.enqueue(batch, provincial, "commit")  # the test backend runs it at once
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert not tasks.enqueue(stale, provincial, "commit")
    client.force_login(provincial)
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.records.count() == 3


def test_the_committed_page_links_every_touched_record(client, admin_user, reference_data):

    coop, batch = _negin_with_a_project(admin_user)
    client.force_login(admin_user)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    project = coop.projects.get()
    assert f'href="/projects/{project.pk}/"' in page and "کارگاه دوخت" in page
    assert "تسهیلات بانک توسعه تعاون" in page and "(حذف‌شده)" not in page


def test_undo_from_the_page_runs_in_the_background_and_says_why_when_refused(
    client, provincial, reference_data
):
    from taavon.registry.models import Cooperative
    from taavon.registry.services import cooperative_update

    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    import_commit(acting_user=provincial, batch=batch)
    changed = Cooperative.objects.order_by("pk").first()
    cooperative_update(acting_user=provincial, cooperative=changed, address="خیابان بهار")
    client.force_login(provincial)
    page = client.post(reverse("imports:undo", args=[batch.pk]), follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.status == "committed" and "تغییر کرده است" in batch.error
    assert batch.error in page and Cooperative.objects.count() == 3
    cooperative_update(
        acting_user=provincial, cooperative=changed, address=""
    )  # a change again: still refused
    Cooperative.objects.filter(pk=changed.pk).delete()  # gone: its row is not the import's to undo any more
    other, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c2.xlsx", unit="toman"
    )
    import_commit(acting_user=provincial, batch=other)
    client.post(reverse("imports:undo", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == "undone" and other.error == ""
    assert Cooperative.objects.count() == 2
    gone = Cooperative.history.filter(history_type="-", history_change_reason__contains="c2.xlsx").get()
    assert gone.history_user == provincial and "بازگرداندن" in gone.history_change_reason
    assert Cooperative.history.filter(history_type="-", id=gone.id).count() == 1  # one row, not two


def test_a_formula_whose_result_is_empty_text_is_accepted(admin_user, reference_data):
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["نام تعاونی", "شهرستان", "گرایش", "نوع", "نشانی"])
    ws.write_row(1, 0, ["تعاونی لاله", "دورود", "صنعتی", "تولیدی"])
    ws.write_formula(1, 4, '=IF(A2="","",A2)', None, "")  # Excel saves the empty result as <v></v>
    wb.close()
    _, outcome = import_preview(
        acting_user=admin_user, kind="cooperatives", data=buffer.getvalue(), filename="e.xlsx"
    )
    assert outcome.counts["create"] == 1 and not outcome.problems()


def test_amounts_computed_by_formulas_are_taken_as_excel_shows_them():
    assert convert("amount", 1.15 * 100, unit="rial", lookups=None) == (115, None)  # 114.99999999999999
    assert convert("amount", 0.1 + 0.2, unit="thousand_toman", lookups=None) == (3_000, None)


def test_a_file_without_schemes_updates_the_projects_one_facility_at_that_bank(admin_user, reference_data):
    from taavon.projects.services import facility_update

    _negin_with_a_project(admin_user)
    facility_update(acting_user=admin_user, facility=Facility.objects.get(), scheme="رونق تولید")
    again, outcome = run(admin_user, PROJECT_ROWS, "projects")
    assert outcome.counts["unchanged"] == 1
    import_commit(acting_user=admin_user, batch=again)
    assert Facility.objects.count() == 1


def test_a_repeated_legal_id_names_the_other_rows_number_in_the_file(admin_user, reference_data):
    rows = [GOOD[0], [*GOOD[1]], [*GOOD[1]]]
    rows[2][1] = "تعاونی دیگر"
    _, outcome = import_preview(
        acting_user=admin_user, kind="cooperatives", data=xlsx(rows), filename="d.xlsx", unit="toman"
    )
    messages = [p["message"] for p in outcome.problems() if p["row"] == 5]
    assert any("(۴)" in m for m in messages), messages


def test_a_step_whose_worker_died_is_released_after_an_hour(client, provincial, reference_data):
    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    hour_ago = timezone.now() - datetime.timedelta(minutes=61)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", updated_at=timezone.now())
    client.force_login(provincial)
    client.get(reverse("imports:detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "running"  # a step still within its time is left alone
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=hour_ago)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.status == "previewed" and "نیمه‌کاره" in page
    import_commit(acting_user=provincial, batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="undoing", updated_at=hour_ago)
    client.get(reverse("imports:detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed"


def _negin_with_a_project(user):
    """The cooperative of the project rows, and the committed import of those rows."""
    coop = make_cooperative(
        acting_user=user,
        name="تعاونی تولیدی پوشاک نگین",
        legal_id="10380284790",
        registration_date=datetime.date(2015, 5, 1),
    )
    batch, _ = run(user, PROJECT_ROWS, "projects")
    import_commit(acting_user=user, batch=batch)
    return coop, batch


def test_a_crashed_commit_puts_the_batch_back_to_previewed_with_the_reason(
    provincial, reference_data, monkeypatch
):
    from taavon.imports import services, tasks

    batch, _ = import_preview(
        acting_user=provincial, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status="running")

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_commit", crash)
    with pytest.raises(RuntimeError):
        tasks.import_run.call(batch.pk, provincial.pk, "commit")
    batch.refresh_from_db()
    assert batch.status == "previewed" and "disk full" in batch.error
