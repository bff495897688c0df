"""Importing the directorate's spreadsheets: messy files, all or nothing, idempotence, undo, round trip, bad files."""

import datetime
import io

import openpyxl
import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.urls import reverse

from taavon.imports.models import ImportBatch, SavedMapping
from taavon.imports.services import (
    ImportFileError,
    import_commit,
    import_preview,
    import_preview_batch,
    import_undo,
)
from taavon.imports.spreadsheets import rejected_rows_xlsx, template_xlsx
from taavon.registry.models import Cooperative
from taavon.registry.services import cooperative_update
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db
HEADER = [
    "ردیف",
    "نام شرکت تعاونی",
    "شهرستان",
    "تاریخ ثبت",
    "شناسه ملی",
    "سرمایه پرداخت شده",
    "وضعیت",
    "گرایش",
    "نوع",
]


def xlsx(
    rows: list[list], *, title: str | None = "فهرست تعاونی‌های استان لرستان — ۱۴۰۳", real_dates=()
) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": True})
    ws = wb.add_worksheet()
    start = 0
    if title:
        ws.merge_range(0, 0, 0, len(rows[0]) - 1, title)
        start = 2
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write_datetime(
                    start + r, c, datetime.datetime.combine(value, datetime.time()), date_format
                )
            else:
                ws.write(start + r, c, value)
    wb.close()
    return buffer.getvalue()


GOOD = [
    HEADER,
    [
        "۱",
        "تعاونی تولیدی پوشاک نگین",
        "خرم آباد",
        "۱۴۰۲/۰۷/۰۵",
        "۱۰۳۸۰۲۸۴۷۹۰",
        "۱۲۰٬۰۰۰٬۰۰۰",
        "فعال",
        "صنعتی",
        "تولیدی",
    ],
    [
        2,
        "تعاوني مصرف كاركنان دورود",
        "دورود",
        datetime.date(2023, 9, 27),
        "",
        "5,000,000",
        "راکد",
        "تأمین نیاز مصرف کنندگان",
        "توزیعی",
    ],
    [3, "تعاونی زنبورداران سلسله", "سلسله", "1399-2-10", "", 750000, "", "کشاورزی", "تولیدی"],
]


def preview(user, data, name="coops.xlsx", unit="toman"):
    return import_preview(acting_user=user, kind="cooperatives", data=data, filename=name, unit=unit)


def test_messy_file_is_read_below_the_title_with_any_digits_and_both_date_forms(admin_user, reference_data):
    batch, outcome = preview(admin_user, xlsx(GOOD))
    assert outcome.counts["create"] == 3 and not outcome.problems()
    assert batch.header_row == 3
    assert Cooperative.objects.count() == 0  # a preview writes nothing
    outcome = import_commit(acting_user=admin_user, batch=batch)
    assert outcome.committed
    negin = Cooperative.objects.get(legal_id="10380284790")
    assert negin.registration_date == datetime.date(2023, 9, 27)
    assert negin.capital_paid_rial == 1_200_000_000  # toman → rial
    assert negin.status == "active" and negin.county.name_en == "Khorramabad"
    dorud = Cooperative.objects.get(county__name_en="Dorud")
    assert dorud.registration_date == datetime.date(2023, 9, 27) and dorud.status == "dormant"
    assert Cooperative.objects.get(county__name_en="Selseleh").status == "unknown"  # no evidence given
    assert negin.history.get().history_user == admin_user
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.records.count() == 3


def test_importing_the_same_file_twice_changes_nothing(admin_user, reference_data):
    data = xlsx(GOOD)
    batch, _ = preview(admin_user, data)
    import_commit(acting_user=admin_user, batch=batch)
    versions = Cooperative.history.count()
    batch2, outcome = preview(admin_user, data)
    assert outcome.counts["unchanged"] == 3 and outcome.counts["create"] == 0
    import_commit(acting_user=admin_user, batch=batch2)
    assert Cooperative.objects.count() == 3 and Cooperative.history.count() == versions


def test_a_failure_on_the_last_row_leaves_the_database_unchanged(admin_user, reference_data):
    existing = make_cooperative(
        acting_user=admin_user,
        name="تعاونی قدیمی",
        legal_id="10380284790",
        capital_paid_rial=0,
        capital_registered_rial=10**13,
    )
    rows = [*GOOD, [4, "تعاونی آخر", "کوهدشت", "۱۴۰۴/۱۲/۳۰", "", "۱۰", "فعال", "صنعتی", "تولیدی"]]
    batch, outcome = preview(admin_user, xlsx(rows))
    problems = outcome.problems()
    assert problems == [
        {
            "row": 7,
            "column": "D (تاریخ ثبت)",
            "message": "تاریخ ۱۴۰۴/۱۲/۳۰ وجود ندارد: اسفند ۱۴۰۴ ۲۹ روز دارد.",
        }
    ]
    assert outcome.counts["update"] == 1  # row 1 matches the existing record by legal ID
    before = list(Cooperative.history.values_list("history_id", flat=True))
    outcome = import_commit(acting_user=admin_user, batch=batch)
    assert not outcome.committed
    assert Cooperative.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "تعاونی قدیمی"
    assert list(Cooperative.history.values_list("history_id", flat=True)) == before


def test_valid_only_imports_the_rest_and_returns_the_rejected_rows(admin_user, reference_data):
    rows = [*GOOD, [4, "تعاونی بد", "آتلانتیس", "", "12345", "abc", "نمیدانم", "فضایی", "تولیدی"]]
    batch, _ = preview(admin_user, xlsx(rows))
    outcome = import_commit(acting_user=admin_user, batch=batch, valid_only=True)
    assert outcome.committed and Cooperative.objects.count() == 3
    batch.refresh_from_db()
    ws = openpyxl.load_workbook(io.BytesIO(rejected_rows_xlsx(batch=batch))).active
    assert ws.sheet_view.rightToLeft
    rejected = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rejected) == 1 and rejected[0][0] == 7
    reasons = rejected[0][-1]
    for expected in (
        "شهرستان «آتلانتیس»",
        "شناسه ملی باید ۱۱ رقم باشد",
        "وضعیت «نمیدانم» شناخته نشد",
        "گرایش «فضایی»",
    ):
        assert expected in reasons


def test_duplicates_and_bad_identifiers_are_reported_by_row_and_column(admin_user, reference_data):
    rows = [*GOOD, GOOD[1], ["۵", "تعاونی شناسه بد", "ازنا", "", "10380284791", "", "", "صنعتی", "تولیدی"]]
    _, outcome = preview(admin_user, xlsx(rows))
    by_row = {p["row"]: p for p in outcome.problems()}
    assert "تکراری" in by_row[7]["message"] and "۴" in by_row[7]["message"]
    assert by_row[8]["column"].startswith("E") and "معتبر نیست" in by_row[8]["message"]


def test_near_duplicate_names_wait_for_a_decision(admin_user, reference_data, khorramabad):
    existing = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی تولیدی پوشاک نگین")
    rows = [HEADER, ["۱", "تعاونی تولیدی پوشاک نگینی", "خرم‌آباد", "", "", "", "", "صنعتی", "تولیدی"]]
    batch, outcome = preview(admin_user, xlsx(rows))
    assert outcome.counts["near"] == 1 and existing.name in outcome.problems()[0]["message"]
    assert batch.near[0]["candidates"][0]["pk"] == existing.pk
    assert not import_commit(acting_user=admin_user, batch=batch).committed  # never merged or added silently
    outcome = import_preview_batch(
        acting_user=admin_user, batch=batch, decisions={"4": f"same:{existing.pk}"}
    )
    assert outcome.counts["update"] == 1
    import_commit(acting_user=admin_user, batch=batch)
    existing.refresh_from_db()
    assert existing.name == "تعاونی تولیدی پوشاک نگینی" and Cooperative.objects.count() == 1


def test_undo_while_untouched_and_refused_after_a_change(admin_user, reference_data):
    existing = make_cooperative(
        acting_user=admin_user, name="تعاونی قدیمی", legal_id="10380284790", capital_registered_rial=10**13
    )
    batch, _ = preview(admin_user, xlsx(GOOD))
    import_commit(acting_user=admin_user, batch=batch)
    existing.refresh_from_db()
    assert existing.name == "تعاونی تولیدی پوشاک نگین"
    assert import_undo(acting_user=admin_user, batch=batch) == 3
    existing.refresh_from_db()
    assert existing.name == "تعاونی قدیمی" and Cooperative.objects.count() == 1
    batch2, _ = preview(admin_user, xlsx(GOOD))
    import_commit(acting_user=admin_user, batch=batch2)
    cooperative_update(
        acting_user=admin_user,
        cooperative=Cooperative.objects.get(county__name_en="Dorud"),
        notes="ویرایش پس از ورود",
    )
    with pytest.raises(ValidationError):
        import_undo(acting_user=admin_user, batch=batch2)
    assert Cooperative.objects.count() == 3


def test_export_then_import_changes_nothing(admin_user, provincial, client, reference_data):
    batch, _ = preview(admin_user, xlsx(GOOD))
    import_commit(acting_user=admin_user, batch=batch)
    versions = Cooperative.history.count()
    client.force_login(provincial)
    for fmt, name in (("csv", "export.csv"), ("xlsx", "export.xlsx")):
        response = client.get(reverse("registry:export", args=[fmt]))
        data = response.content if fmt == "csv" else b"".join(response.streaming_content)
        b, outcome = preview(admin_user, data, name=name, unit="rial")
        assert outcome.counts["unchanged"] == 3, (fmt, outcome.problems())
        assert outcome.counts["create"] == outcome.counts["update"] == 0
        import_commit(acting_user=admin_user, batch=b)
    assert Cooperative.history.count() == versions


def test_windows_1256_csv(admin_user, reference_data):
    text = 'نام تعاونی,شهرستان,گرایش,نوع,سرمایه\r\nتعاونی کشاورزی دلفان,دلفان,کشاورزی,تولیدی,"1,000,000"\r\n'
    # Windows-1256 has Arabic ي and ك only: such files always carry them
    data = text.replace("ی", "ي").replace("ک", "ك").encode("cp1256")
    batch, outcome = preview(admin_user, data, name="old.csv", unit="rial")
    assert outcome.counts["create"] == 1, outcome.problems()
    import_commit(acting_user=admin_user, batch=batch)
    assert Cooperative.objects.get().capital_paid_rial == 1_000_000


def test_a_corrected_mapping_is_remembered_for_the_next_file(admin_user, reference_data):
    rows = [["عنوان واحد", "محل", "گرایش", "نوع"], ["تعاونی الف", "ازنا", "صنعتی", "تولیدی"]]
    with pytest.raises(ImportFileError, match="شهرستان"):
        preview(admin_user, xlsx(rows, title=None))
    rows = [["نام تعاونی", "محل", "گرایش", "نوع"], ["تعاونی الف", "ازنا", "صنعتی", "تولیدی"]]
    from taavon.imports.services import import_upload, mapping_save

    with pytest.raises(ImportFileError):
        import_upload(
            acting_user=admin_user, kind="cooperatives", data=xlsx(rows, title=None), filename="a.xlsx"
        )
    batch = ImportBatch(kind="cooperatives", filename="a.xlsx", created_by=admin_user)
    from taavon.imports.mapping import signature

    batch.header_signature = signature(rows[0])
    mapping_save(
        acting_user=admin_user, batch=batch, mapping={"0": "name", "1": "county", "2": "sector", "3": "type"}
    )
    assert SavedMapping.objects.count() == 1
    _, outcome = preview(admin_user, xlsx(rows, title=None))
    assert outcome.counts["create"] == 1


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"%PDF-1.4 not a sheet", "report.pdf", "صفحه‌گسترده نیست"),
        (b"PK\x03\x04 broken zip", "broken.xlsx", "خراب"),
        (b"", "empty.xlsx", "خالی"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(
    admin_user, reference_data, data, name, message
):
    with pytest.raises(ImportFileError, match=message):
        preview(admin_user, data, name=name)
    assert ImportBatch.objects.count() == 0


def test_password_protected_file(admin_user, reference_data):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx(GOOD))).encrypt("secret", out)
    with pytest.raises(ImportFileError, match="گذرواژه"):
        preview(admin_user, out.getvalue())


def test_huge_and_wide_files_are_refused(admin_user, reference_data, monkeypatch):
    from taavon.imports import readers

    wide = xlsx([[f"ستون {i}" for i in range(200)], ["x"] * 200], title=None)
    with pytest.raises(ImportFileError, match="ستون"):
        preview(admin_user, wide)
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(ImportFileError, match="مگابایت"):
        preview(admin_user, xlsx(GOOD))


def test_formulas_are_read_as_values_not_run(admin_user, reference_data):
    rows = [*GOOD[:2], [2, '=HYPERLINK("http://x","تعاونی")', "دورود", "", "", "", "", "صنعتی", "تولیدی"]]
    _, outcome = preview(admin_user, xlsx(rows))
    assert outcome.counts["create"] + outcome.counts["error"] == 2  # the formula's cell is a value, never run


def test_template_has_headers_and_a_guide():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("cooperatives")))
    assert wb.sheetnames[1] == "راهنما"
    assert [c.value for c in wb.worksheets[0][1]][:2] == ["شمارهٔ شناسنامه", "شناسهٔ ملی"]


def test_the_import_pages(client, provincial, viewer, reference_data):
    client.force_login(viewer)
    assert client.get(reverse("imports:list")).status_code == 403
    client.force_login(provincial)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:list"),
        {"kind": "cooperatives", "unit": "toman", "file": SimpleUploadedFile("c.xlsx", xlsx(GOOD))},
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "ثبت همهٔ ردیف‌ها" in page and "سرستون در ردیف ۳" in page
    assert client.get(reverse("imports:progress", args=[batch.pk]))["HX-Refresh"] == "true"
    client.post(reverse("imports:commit", args=[batch.pk]))
    assert Cooperative.objects.count() == 3
    assert "بازگرداندن این ورود" in client.get(response.url).content.decode()
    bad = client.post(
        reverse("imports:list"),
        {"kind": "cooperatives", "unit": "rial", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert "صفحه‌گسترده نیست" in bad.content.decode()


def xls(rows: list[list]) -> bytes:
    """The same messy sheet as an Excel 97 file (a merged title, real dates)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("تعاونی‌ها")
    ws.write_merge(0, 0, 0, len(rows[0]) - 1, "فهرست تعاونی‌های استان لرستان — ۱۴۰۳")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write(r, c, value, dates)
            else:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ods(rows: list[list]) -> bytes:
    """The same messy sheet as an OpenDocument spreadsheet (LibreOffice)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="تعاونی‌ها")
    title = TableRow()
    title.addElement(TableCell(numbercolumnsspanned=len(rows[0])))
    title.firstChild.addElement(P(text="فهرست تعاونی‌های استان لرستان"))
    table.addElement(title)
    table.addElement(TableRow())
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            if value != "":
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("make,name", [(xls, "coops.xls"), (ods, "coops.ods")])
def test_xls_and_ods_files_import_like_xlsx(admin_user, reference_data, make, name):
    batch, outcome = preview(admin_user, make(GOOD), name=name)
    assert batch.header_row == 3
    assert outcome.counts["create"] == 3 and not outcome.problems()
    assert import_commit(acting_user=admin_user, batch=batch).committed
    negin = Cooperative.objects.get(legal_id="10380284790")
    assert negin.capital_paid_rial == 1_200_000_000 and negin.registration_date == datetime.date(2023, 9, 27)
    dorud = Cooperative.objects.get(county__name_en="Dorud")
    assert dorud.registration_date == datetime.date(2023, 9, 27)  # a real date cell
    assert Cooperative.objects.get(county__name_en="Selseleh").capital_paid_rial == 7_500_000


def test_a_row_held_for_a_similar_name_shows_its_other_problems_too(admin_user, reference_data, khorramabad):
    make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی تولیدی پوشاک نگین")
    rows = [
        HEADER,
        ["۱", "تعاونی تولیدی پوشاک نگینی", "خرم‌آباد", "۱۴۹۹/۰۱/۰۱", "", "", "", "صنعتی", "تولیدی"],
    ]
    _, outcome = preview(admin_user, xlsx(rows))
    assert outcome.counts["near"] == 1
    messages = [p["message"] for p in outcome.problems()]
    assert any("نزدیک" in m for m in messages) and any("آینده" in m for m in messages)
