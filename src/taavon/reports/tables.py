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


def table_body_html(rows: list[dict]) -> str:
    """The rows of a dashboard table as HTML (what `_table.html` showed cell by cell): built in Python, because a
    national table has thousands of cells and the template engine spends ~20 µs on each of their variables. The
    figures are formatted as core.formatting's number and toman do (the language looked up once, not per cell);
    names, figures and addresses are escaped here; the result is marked safe."""
    from html import escape

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    from taavon.core.models import english
    from taavon.persian import format_rial, format_toman, format_toman_en

    if not rows:
        return mark_safe(f'<tr><td colspan="9" class="text-muted">{escape(_("No data."))}</td></tr>')  # noqa: S308
    if english():
        number, toman = "{:,}".format, format_toman_en
    else:
        number, toman = format_rial, format_toman
    parts = []
    for row in rows:
        parts.append('<tr class="fw-bold table-light">' if row.get("total") else "<tr>")
        parts.append(f'<th class="fw-normal">{escape(str(row["name"]))}</th>')
        for c in row["cells"]:
            value = c["value"]
            if value is None or value == "":
                shown = ""
            else:
                shown = escape(toman(int(value)) if c.get("money") else number(int(value)))
            url = c.get("url")
            if url:
                parts.append(f'<td class="text-nowrap"><a href="{escape(url)}">{shown}</a></td>')
            else:
                parts.append(f'<td class="text-nowrap">{shown}</td>')
        parts.append("</tr>\n")
    return mark_safe("".join(parts))  # noqa: S308
