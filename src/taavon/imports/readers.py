"""Reading spreadsheets: XLSX, XLS, ODS (python-calamine) and CSV (UTF-8, UTF-8 with BOM, Windows-1256).

Every failure is a ReadError with a Persian message; nothing here touches the database.
"""

import csv
import io
from pathlib import Path

import python_calamine

MAX_BYTES = 40 * 1024 * 1024
MAX_COLUMNS = 100
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


class ReadError(ValueError):
    """The file cannot be read as a table; str() is a Persian message for the user."""


def read_table(data: bytes, filename: str) -> list[list]:
    """The first sheet's rows as lists of cell values (str, float, int, bool, date, datetime or "")."""
    ext = Path(filename).suffix.lower()
    if ext not in SPREADSHEET_EXTENSIONS:
        raise ReadError("این فایل صفحه‌گسترده نیست؛ فایل XLSX، XLS، ODS یا CSV بفرستید.")
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"حجم فایل بیش از {MAX_BYTES // (1024 * 1024)} مگابایت است؛ آن را در چند فایل بفرستید."
        )
    if not data:
        raise ReadError("فایل خالی است.")
    rows = _read_csv(data) if ext == ".csv" else _read_workbook(data)
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        raise ReadError(f"این برگه {width} ستون دارد؛ بیش از {MAX_COLUMNS} ستون پذیرفته نیست.")
    return rows


ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def _read_workbook(data: bytes) -> list[list]:
    if data[:4] == b"\xd0\xcf\x11\xe0" and ENCRYPTED_OOXML in data:
        raise ReadError("فایل با گذرواژه قفل شده است؛ قفل را بردارید و دوباره بفرستید.")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return [list(r) for r in sheet.iter_rows()]
    except python_calamine.PasswordError as exc:
        raise ReadError("فایل با گذرواژه قفل شده است؛ قفل را بردارید و دوباره بفرستید.") from exc
    except Exception as exc:  # calamine raises several kinds for broken files
        raise ReadError("فایل خراب است یا صفحه‌گسترده نیست و خوانده نشد.") from exc


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("نویسه‌های فایل CSV خوانده نشد؛ آن را با کدگذاری UTF-8 ذخیره کنید.")
    if "\x00" in text:
        raise ReadError("این فایل CSV متنی نیست.")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # only the delimiter is guessed: the sniffer can take an apostrophe for the quote mark and eat it
    return [row for row in csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)]
