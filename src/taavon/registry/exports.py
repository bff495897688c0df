"""The cooperative list as a file: the columns (their CSV names are the import's field names)."""

import io
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column, neutralise, rows_of, write_csv, write_xlsx

COLUMNS = [
    Column("shenasnameh", _("Shenasnameh number"), lambda c: c.shenasnameh),
    Column("legal_id", _("National ID"), lambda c: c.legal_id or ""),
    Column("registration_number", _("Registration number"), lambda c: c.registration_number),
    Column("registration_date", _("Registration date"), lambda c: c.registration_date, "date"),
    Column("name", _("Cooperative name"), lambda c: c.name),
    Column("type", _("Type"), lambda c: c.type.name),
    Column("sector", _("Sector"), lambda c: c.sector.name),
    Column("province", _("Province"), lambda c: c.county.province.name),
    Column("county", _("County"), lambda c: c.county.name),
    Column("status", _("Status"), lambda c: c.get_status_display()),
    Column("members_women", _("Women members"), lambda c: c.members_women, "int"),
    Column("members_men", _("Men members"), lambda c: c.members_men, "int"),
    Column("capital_paid_rial", _("Paid-up capital (rials)"), lambda c: c.capital_paid_rial, "int"),
]
CSV_HEADER = [c.name for c in COLUMNS]
__all__ = [
    "COLUMNS",
    "CSV_HEADER",
    "export_rows",
    "neutralise",
    "write_csv",
    "write_xlsx",
    "cooperatives_csv",
]


def export_objects(queryset):
    return queryset.select_related("county__province", "sector", "type").iterator(chunk_size=2000)


def export_rows(queryset) -> Iterator[list]:
    return rows_of(COLUMNS, export_objects(queryset))


def cooperatives_csv(queryset) -> str:
    buffer = io.StringIO()
    write_csv(COLUMNS, export_rows(queryset), buffer)
    return buffer.getvalue()
