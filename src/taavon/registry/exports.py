"""Exports of the cooperative list: CSV (stable English columns, UTF-8 with BOM) and XLSX (Persian, RTL)."""

import csv
import io
from collections.abc import Iterable, Iterator

import xlsxwriter

from taavon.persian import format_jalali
from taavon.registry.models import Cooperative

# (csv column, Persian header, value getter, kind)
COLUMNS = [
    ("shenasnameh", "شمارهٔ شناسنامه", lambda c: c.shenasnameh, "text"),
    ("legal_id", "شناسهٔ ملی", lambda c: c.legal_id or "", "text"),
    ("registration_number", "شمارهٔ ثبت", lambda c: c.registration_number, "text"),
    ("registration_date", "تاریخ ثبت", lambda c: format_jalali(c.registration_date, "iso"), "date"),
    ("name", "نام تعاونی", lambda c: c.name, "text"),
    ("type", "نوع", lambda c: c.type.name_fa, "text"),
    ("sector", "گرایش", lambda c: c.sector.name_fa, "text"),
    ("province", "استان", lambda c: c.county.province.name_fa, "text"),
    ("county", "شهرستان", lambda c: c.county.name_fa, "text"),
    ("status", "وضعیت", lambda c: c.get_status_display(), "text"),
    ("members_women", "اعضای زن", lambda c: c.members_women, "int"),
    ("members_men", "اعضای مرد", lambda c: c.members_men, "int"),
    ("capital_paid_rial", "سرمایهٔ پرداخت‌شده (ریال)", lambda c: c.capital_paid_rial, "int"),
]
CSV_HEADER = [c[0] for c in COLUMNS]


def neutralise(value):
    """Keep a spreadsheet from reading text as a formula (= + - @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_rows(queryset) -> Iterator[list]:
    qs = queryset.select_related("county__province", "sector", "type")
    for coop in qs.iterator(chunk_size=2000):
        yield [getter(coop) for _, _, getter, _ in COLUMNS]


def write_csv(rows: Iterable[list], stream: io.TextIOBase) -> int:
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        n += 1
    return n


def write_xlsx(rows: Iterable[list], target) -> int:
    """Write an XLSX workbook (a path or a binary stream): Persian headers, right-to-left sheet, Jalali dates."""
    wb = xlsxwriter.Workbook(
        target, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False}
    )
    ws = wb.add_worksheet("تعاونی‌ها")
    ws.right_to_left()
    header = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "font_name": "Vazirmatn", "border": 1})
    text = wb.add_format({"font_name": "Vazirmatn"})
    number = wb.add_format({"font_name": "Vazirmatn", "num_format": "#,##0"})
    widths = {"text": 18, "date": 12, "int": 14}
    for col, (_, fa_header, _, kind) in enumerate(COLUMNS):
        ws.set_column(col, col, 34 if fa_header == "نام تعاونی" else widths[kind])
        ws.write_string(0, col, fa_header, header)
    ws.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if COLUMNS[col][3] == "int":
                ws.write_number(n, col, value, number)
            else:
                ws.write_string(n, col, neutralise(value) or "", text)
    ws.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)
    wb.close()
    return n


def cooperatives_csv(queryset: "Iterable[Cooperative]") -> str:
    buffer = io.StringIO()
    write_csv(export_rows(queryset), buffer)
    return buffer.getvalue()
