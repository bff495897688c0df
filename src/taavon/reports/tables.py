"""A dashboard table as an XLSX download: the staff lists' writer (headers in the page's language, numbers as numbers)."""

import io
from operator import itemgetter

from taavon.core.exports import Column, write_xlsx


def table_xlsx(*, title: str, headers: list[str], rows: list[list]) -> bytes:
    numeric = [bool(rows) and all(isinstance(r[i], int | float) for r in rows) for i in range(len(headers))]
    columns = [Column(h, h, itemgetter(i), "int" if numeric[i] else "text") for i, h in enumerate(headers)]
    buffer = io.BytesIO()
    write_xlsx(columns, rows, buffer, sheet=title)
    return buffer.getvalue()
