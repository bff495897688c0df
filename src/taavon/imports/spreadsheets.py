"""The import's spreadsheets: the rejected rows as they were in the file with the reason, and the blank templates
with a guide to every column."""

import datetime
import io

import xlsxwriter

from taavon.core.exports import neutralise
from taavon.imports.kinds import KINDS
from taavon.imports.models import ImportBatch
from taavon.imports.readers import read_table
from taavon.persian import format_jalali


def _read(batch: ImportBatch) -> bytes:
    batch.file.open("rb")
    try:
        return batch.file.read()
    finally:
        batch.file.close()


def rejected_rows_xlsx(*, batch: ImportBatch) -> bytes:
    """The rows that were not imported, as they were in the file, with a column that says why."""
    rows = read_table(_read(batch), batch.filename)
    header = rows[batch.header_row - 1]
    reasons: dict[int, list[str]] = {}
    for p in batch.problems:
        reasons.setdefault(p["row"], []).append(f"{p['column']}: {p['message']}")
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("ردیف‌های واردنشده")
    ws.right_to_left()
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["ردیف فایل", *[str(c) for c in header], "ایراد"], bold)
    for n, number in enumerate(sorted(reasons), start=1):
        original = rows[number - 1] if number - 1 < len(rows) else []
        ws.write_number(n, 0, number)
        for c, value in enumerate(original, start=1):
            if isinstance(value, datetime.date):
                ws.write_string(n, c, format_jalali(value, "iso"))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(n, c, value)
            else:
                ws.write_string(n, c, neutralise(str(value)))
        ws.write_string(n, len(header) + 1, "؛ ".join(reasons[number]))
    wb.close()
    return buffer.getvalue()


def template_xlsx(kind_code: str) -> bytes:
    """An empty template: the header row, and a second sheet that explains every column."""
    kind = KINDS[kind_code]
    explain = {
        "text": "متن",
        "digits": "رقم (هر نوع رقم)",
        "legal_id": "۱۱ رقم، با رقم کنترل درست",
        "date": "تاریخ شمسی مانند ۱۴۰۲/۰۷/۰۵ یا تاریخ واقعی صفحه‌گسترده",
        "amount": "مبلغ؛ واحد را هنگام ورود بگویید",
        "int": "عدد صحیح",
        "status": "فعال، راکد، در حال تصفیه، منحل‌شده یا نامعلوم",
        "sector": "نام گرایش رسمی",
        "activity": "نام فعالیت",
        "type": "تولیدی یا توزیعی",
        "county": "نام شهرستان",
        "province": "نام استان",
        "national_code": "کد ملی ۱۰ رقمی",
        "gender": "زن یا مرد",
        "stage": "مطالعه، اخذ مجوز، در حال اجرا، آمادهٔ افتتاح، افتتاح‌شده، متوقف یا لغوشده",
        "signed_amount": "مبلغ؛ زیان با علامت منفی یا در پرانتز",
    }
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDE7F0"})
    ws = wb.add_worksheet(kind.label)
    ws.right_to_left()
    for col, spec in enumerate(kind.fields):
        ws.write_string(0, col, spec.label, bold)
        ws.set_column(col, col, 18)
    guide = wb.add_worksheet("راهنما")
    guide.right_to_left()
    guide.write_row(0, 0, ["ستون", "چه بنویسید", "لازم", "نام‌های دیگر این ستون"], bold)
    for row, spec in enumerate(kind.fields, start=1):
        guide.write_row(
            row,
            0,
            [spec.label, explain.get(spec.kind, ""), "بله" if spec.required else "", "، ".join(spec.aliases)],
        )
    guide.set_column(0, 0, 20)
    guide.set_column(1, 1, 50)
    guide.set_column(3, 3, 60)
    wb.close()
    return buffer.getvalue()
