"""Every staff list downloads as XLSX (headers in the interface's language, a right-to-left sheet in Persian, Jalali
dates as ISO text, amounts as numbers) and CSV (stable English column names in both languages, UTF-8 with BOM so
Excel opens it). Both import back unchanged, whichever language they were downloaded in."""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.core.models import english
from taavon.persian import format_jalali


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header: stable English, also an import alias
    header: str  # the XLSX header: a translatable label (gettext_lazy), shown in the interface's language
    get: Callable
    kind: str = "text"  # text | int | date


def neutralise(value):
    """Keep a spreadsheet from reading text as a formula (= + - @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows_of(columns: list[Column], objects: Iterable) -> Iterator[list]:
    for obj in objects:
        yield [c.get(obj) for c in columns]


def _cell(column: Column, value):
    if column.kind == "date":
        if not value:
            return ""
        # Persian: the Jalali date (1404-06-11); English: the Gregorian one (2025-09-02). Both read back.
        return value.isoformat() if english() else format_jalali(value, "iso")
    return value


def write_csv(columns: list[Column], rows: Iterable[list], stream) -> int:
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    count = 0
    for row in rows:
        writer.writerow(
            [neutralise(_cell(c, v)) if v is not None else "" for c, v in zip(columns, row, strict=True)]
        )
        count += 1
    return count


def write_xlsx(columns: list[Column], rows: Iterable[list], target, *, sheet: str | None = None) -> int:
    sheet = str(sheet or _("List"))
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet[:31])
    if not english():
        ws.right_to_left()
    head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "font_name": "Vazirmatn", "border": 1})
    text = wb.add_format({"font_name": "Vazirmatn"})
    number = wb.add_format({"font_name": "Vazirmatn", "num_format": "#,##0"})
    for col, c in enumerate(columns):
        ws.set_column(col, col, 30 if c.kind == "text" and col < 3 else 16)
        ws.write_string(0, col, str(c.header), head)
    ws.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, (c, value) in enumerate(zip(columns, row, strict=True)):
            if value is None or value == "":
                continue
            if c.kind == "int":
                ws.write_number(n, col, value, number)
            else:
                ws.write_string(n, col, neutralise(str(_cell(c, value))), text)
    ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
    wb.close()
    return n


def download(columns: list[Column], objects: Iterable, fmt: str, name: str, *, sheet: str | None = None):
    """The HTTP response of a list's download."""
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(columns, rows_of(columns, objects), buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        tmp = tempfile.TemporaryFile()
        write_xlsx(columns, rows_of(columns, objects), tmp, sheet=sheet)
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, filename=f"{name}-{stamp}.xlsx")
    raise Http404
