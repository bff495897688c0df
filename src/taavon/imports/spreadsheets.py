"""The import's spreadsheets: the rejected rows as they were in the file with the reason, and the blank templates
with a guide to every column."""

import datetime
import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.core.exports import neutralise
from taavon.core.formatting import digits, english
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
    """The rows that were not imported, as they were in the file, with a column that says why (in the language of
    whoever downloads it)."""
    rows = read_table(_read(batch), batch.filename)
    header = rows[batch.header_row - 1]
    reasons: dict[int, list[str]] = {}
    for p in batch.problems:
        reasons.setdefault(p["row"], []).append(f"{p['column']}: {p['message']}")
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(_("Rows not imported")[:31])
    if not english():
        ws.right_to_left()
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, [_("Row in the file"), *[str(c) for c in header], _("Problem")], bold)
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
        ws.write_string(n, len(header) + 1, ("; " if english() else "؛ ").join(reasons[number]))
    wb.close()
    return buffer.getvalue()


GUIDE = gettext_lazy("Guide")


def template_xlsx(kind_code: str) -> bytes:
    """An empty template: the header row, and a second sheet that explains every column (in the language of whoever
    downloads it; the importer reads its headers in either)."""
    kind = KINDS[kind_code]
    explain = {
        "text": _("Text"),
        "digits": _("Digits (of any kind)"),
        "legal_id": _("%(count)s digits, with a correct check digit") % {"count": digits(11)},
        "date": _("A Jalali date such as %(example)s, or a real spreadsheet date")
        % {"example": digits("1402/07/05")},
        "amount": _("An amount; say its unit when you import the file"),
        "int": _("A whole number"),
        "status": _("Active, dormant, under liquidation, dissolved or unknown"),
        "sector": _("The name of an official sector"),
        "activity": _("The name of an activity"),
        "type": _("Producer or distribution"),
        "county": _("The name of a county"),
        "province": _("The name of a province"),
        "national_code": _("A national code of %(count)s digits") % {"count": digits(10)},
        "gender": _("Woman or man"),
        "stage": _("Study, licensing, under construction, ready to open, opened, stalled or cancelled"),
        "signed_amount": _("An amount; a loss with a minus sign or in brackets"),
    }
    separator = ", " if english() else "، "
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDE7F0"})
    ws = wb.add_worksheet(str(kind.label)[:31])
    if not english():
        ws.right_to_left()
    for col, spec in enumerate(kind.fields):
        ws.write_string(0, col, str(spec.label), bold)
        ws.set_column(col, col, 18)
    guide = wb.add_worksheet(str(GUIDE))
    if not english():
        guide.right_to_left()
    guide.write_row(
        0, 0, [_("Column"), _("What to write"), _("Required"), _("Other names of this column")], bold
    )
    for row, spec in enumerate(kind.fields, start=1):
        guide.write_row(
            row,
            0,
            [
                str(spec.label),
                explain.get(spec.kind, ""),
                _("Yes") if spec.required else "",
                separator.join(dict.fromkeys((spec.name, *spec.aliases))),
            ],
        )
    guide.set_column(0, 0, 20)
    guide.set_column(1, 1, 50)
    guide.set_column(3, 3, 60)
    wb.close()
    return buffer.getvalue()
