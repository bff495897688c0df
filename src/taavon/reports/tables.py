"""A dashboard table as an XLSX download: Persian headers, right-to-left sheet, numbers as numbers."""

import io

import xlsxwriter

from taavon.core.exports import neutralise


def table_xlsx(*, title: str, headers: list[str], rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(title[:31])
    ws.right_to_left()
    head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "font_name": "Vazirmatn", "border": 1})
    text = wb.add_format({"font_name": "Vazirmatn"})
    number = wb.add_format({"font_name": "Vazirmatn", "num_format": "#,##0"})
    ws.set_column(0, 0, 28)
    ws.set_column(1, len(headers) - 1, 16)
    for col, h in enumerate(headers):
        ws.write_string(0, col, h, head)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(r, c, value, number)
            else:
                ws.write_string(r, c, neutralise(str(value)), text)
    ws.freeze_panes(1, 1)
    wb.close()
    return buffer.getvalue()
