"""The cooperative list as a file: the columns (their CSV names are the import's field names)."""

import io
from collections.abc import Iterator

from taavon.core.exports import Column, neutralise, rows_of, write_csv, write_xlsx

COLUMNS = [
    Column("shenasnameh", "شمارهٔ شناسنامه", lambda c: c.shenasnameh),
    Column("legal_id", "شناسهٔ ملی", lambda c: c.legal_id or ""),
    Column("registration_number", "شمارهٔ ثبت", lambda c: c.registration_number),
    Column("registration_date", "تاریخ ثبت", lambda c: c.registration_date, "date"),
    Column("name", "نام تعاونی", lambda c: c.name),
    Column("type", "نوع", lambda c: c.type.name_fa),
    Column("sector", "گرایش", lambda c: c.sector.name_fa),
    Column("province", "استان", lambda c: c.county.province.name_fa),
    Column("county", "شهرستان", lambda c: c.county.name_fa),
    Column("status", "وضعیت", lambda c: c.get_status_display()),
    Column("members_women", "اعضای زن", lambda c: c.members_women, "int"),
    Column("members_men", "اعضای مرد", lambda c: c.members_men, "int"),
    Column("capital_paid_rial", "سرمایهٔ پرداخت‌شده (ریال)", lambda c: c.capital_paid_rial, "int"),
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
