"""Reading spreadsheets: XLSX, XLS, ODS (python-calamine) and CSV (UTF-8, UTF-8 with BOM, Windows-1256).

Every failure is a ReadError whose args[0] is an imports.messages.Message (it shows in the reader's language);
nothing here touches the database, and nothing here needs Django's settings (the file check runs this module alone
in a child process).
"""

import codecs
import csv
import datetime
import html
import io
import itertools
import logging
import pickle
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import python_calamine

from taavon.imports.messages import Message, gettext_noop, listing, message, number_of

log = logging.getLogger(__name__)

MAX_BYTES = 40 * 1024 * 1024
MAX_COLUMNS = 100
MAX_ROWS = 300_000
# the streaming path (a members list: imports.streaming) never holds the sheet: a national list of 1,000,000 members
# is ~105 MB as CSV and ~66 MB as XLSX (11 columns); these limits take twice that, and refuse what could not be
# checked in one working hour (~2,000,000 rows at ~1,000 rows/s on a modest server, all in one transaction)
STREAM_MAX_BYTES = 200 * 1024 * 1024
STREAM_MAX_ROWS = 2_000_000
# calamine reads a whole sheet into memory (~1 GB at 1,000,000 rows of 11 columns); a larger sheet is read row by row
# with openpyxl's read-only mode (slower, in constant memory)
CALAMINE_MAX_ROWS = 200_000
# a check of a file reads it in a separate process with these limits: a small file can unpack into a huge sheet
# (an XLSX cell at XFD1048576, an ODS cell repeated a million times) and must not take the server down with it
CHECK_MEMORY_BYTES = 3 * 1024**3
CHECK_SECONDS = 60  # well below the web server's own timeout (120 s): the user gets the message
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


class ReadError(ValueError):
    """The file cannot be read as a table; args[0] is the message for the user."""

    def __init__(self, msgid: str | Message, **params) -> None:
        super().__init__(msgid if isinstance(msgid, Message) else message(msgid, **params))


def _precheck(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, size: int | None = None) -> str:
    """The checks that need no reading: the kind of file by its name, its size. Returns the extension."""
    ext = Path(filename).suffix.lower()
    size = len(data) if size is None else size
    if ext not in SPREADSHEET_EXTENSIONS:
        raise ReadError(gettext_noop("This file is not a spreadsheet; send an XLSX, XLS, ODS or CSV file."))
    if size > max_bytes:
        raise ReadError(
            gettext_noop("The file is larger than %(size)s MB; send it in several files."),
            size=max_bytes // (1024 * 1024),
        )
    if not size:
        raise ReadError(gettext_noop("The file is empty."))
    return ext


def read_table(data: bytes, filename: str) -> list[list]:
    """The first sheet's rows as lists of cell values (str, float, int, bool, date, datetime or "")."""
    ext = _precheck(data, filename)
    rows = _read_csv(data) if ext == ".csv" else _read_workbook(data)
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        raise ReadError(
            gettext_noop("This sheet has %(count)s columns; no more than %(max)s columns are accepted."),
            count=width,
            max=MAX_COLUMNS,
        )
    if len(rows) > MAX_ROWS:
        raise ReadError(
            gettext_noop(
                "This sheet has %(count)s rows; no more than %(max)s rows are accepted in one file. "
                "Send it in several files."
            ),
            count=number_of(len(rows)),
            max=number_of(MAX_ROWS),
        )
    if ext in (".xlsx", ".xlsm"):
        _refuse_formulas_without_values(data)
    return rows


TOO_BIG = gettext_noop(
    "This file is too large once opened (a sheet with very many cells); make it smaller or send it in several files."
)


def check_table(data: bytes, filename: str, *, first: int = 50, stream: bool = False) -> list[list]:
    """Read the whole file in a separate Python process, with a memory and a time limit, and return its first rows.
    Nothing this process holds is touched if the file is hostile: the child dies or is killed, a ReadError is
    raised. Once a file has passed, it is read in the worker itself (read_table) within the same bounds.
    With `stream` (a members list, imports.streaming): the larger limits, and only the first rows are read."""
    ext = _precheck(data, filename, max_bytes=STREAM_MAX_BYTES if stream else MAX_BYTES)
    try:
        done = subprocess.run(  # a fresh interpreter that imports only this module: no server state, no connections
            [
                sys.executable,
                "-m",
                "taavon.imports.readers",
                ext,
                str(first),
                "stream" if stream else "whole",
            ],
            input=data,
            capture_output=True,
            timeout=CHECK_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReadError(
            gettext_noop("Reading this file took too long; make it smaller or send it in several files.")
        ) from None
    if done.returncode != 0 or not done.stdout:
        if done.returncode < 0 or b"memory allocation" in done.stderr or b"MemoryError" in done.stderr:
            raise ReadError(TOO_BIG)  # out of memory (an allocation failure aborts) or killed
        # not the file: the check itself could not run (an interpreter without taavon, say) — a server error
        log.error(
            "file check failed (exit %s): %s", done.returncode, done.stderr.decode(errors="replace")[-2000:]
        )
        raise RuntimeError("the spreadsheet check could not run; see the log")
    rows, refusal = pickle.loads(done.stdout)  # noqa: S301 (our own child's answer)
    if refusal is not None:
        raise ReadError(Message(refusal))  # made again here, in this process's language
    return rows


def _child(ext: str, first: int, how: str = "whole") -> None:
    """`python -m taavon.imports.readers EXT FIRST whole|stream` with the file on stdin: the first rows or the
    message (what it is made of, see imports.messages), pickled."""
    resource.setrlimit(resource.RLIMIT_AS, (CHECK_MEMORY_BYTES, CHECK_MEMORY_BYTES))
    data = sys.stdin.buffer.read()
    try:
        if how == "stream":
            answer = (list(itertools.islice(stream_table(data, f"file{ext}"), first)), None)
        else:
            answer = (read_table(data, f"file{ext}")[:first], None)
    except ReadError as exc:
        answer = (None, exc.args[0].spec)
    except MemoryError:
        answer = (None, message(TOO_BIG).spec)
    sys.stdout.buffer.write(pickle.dumps(answer))


# a formula cell with no result: no <v> at all, or an empty one written as <v/> (an empty text result is <v></v>)
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(?:<v\s*/>)?\s*</c>'
)
_FIRST_SHEET = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]+)"')
_RELATION = re.compile(
    rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"|<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"'
)


def _first_sheet(z: zipfile.ZipFile) -> str | None:
    """The file of the workbook's first tab (the one read), through workbook.xml and its relationships."""
    try:
        first = _FIRST_SHEET.search(z.read("xl/workbook.xml"))
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    if not first:
        return None
    for m in _RELATION.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if rid == first.group(1):
            target = target.decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _refuse_formulas_without_values(data: bytes | Path) -> None:
    """A formula's result is read, not computed; a file saved by a program that does not compute (not Excel or
    LibreOffice) has formulas without results, which would be read as empty cells: refused, with the cells named."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
            first = _first_sheet(z)
            sheets = [first] if first in z.namelist() else []
            cells: list[str] = []
            for name in sheets:
                with z.open(name) as f:
                    tail = b""
                    while chunk := f.read(1 << 20):
                        text = tail + chunk
                        if b"<f" in text:
                            cells += [m.decode() for m in _FORMULA_WITHOUT_VALUE.findall(text)]
                        tail = text[-4096:]
    except (zipfile.BadZipFile, OSError, KeyError):
        return  # calamine has read it; nothing more to say
    if cells:
        raise ReadError(
            gettext_noop(
                "The cells %(cells)s have formulas whose results were not saved in the file; open the file in Excel "
                "or LibreOffice, save it and send it again."
            ),
            cells=listing(dict.fromkeys(cells[:10])),
        )


ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
LOCKED = gettext_noop("The file is locked with a password; remove the lock and send it again.")


def _read_workbook(data: bytes) -> list[list]:
    if data[:4] == b"\xd0\xcf\x11\xe0" and ENCRYPTED_OOXML in data:
        raise ReadError(LOCKED)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return [list(r) for r in sheet.iter_rows()]
    except python_calamine.PasswordError as exc:
        raise ReadError(LOCKED) from exc
    except Exception as exc:  # calamine raises several kinds for broken files
        raise ReadError(
            gettext_noop("The file is damaged or is not a spreadsheet, and could not be read.")
        ) from exc


CSV_UNREADABLE = gettext_noop(
    "The characters of the CSV file could not be read; save it with the UTF-8 encoding."
)


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError(CSV_UNREADABLE)
    if "\x00" in text:
        raise ReadError(gettext_noop("This CSV file is not text."))
    # only the delimiter is guessed: the sniffer can take an apostrophe for the quote mark and eat it
    return [row for row in csv.reader(io.StringIO(text), csv.excel, delimiter=_delimiter(text[:4096]))]


def _delimiter(head: str) -> str:
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


# Streaming: the rows one by one, never the whole sheet (imports.streaming). The same checks as read_table: the
# kind and size of the file, locked files, formulas without results, the column and row limits.


class StreamedTable:
    """A sheet read lazily: `rows` yields each row (a list of cell values, as read_table gives them); `total` is the
    number of rows known before reading (from the sheet's dimension, or the CSV's lines), for a progress bar."""

    def __init__(self, rows, total: int) -> None:
        self.rows = rows
        self.total = total

    def __iter__(self):
        return self.rows


def table_height(data: bytes, filename: str) -> int:
    """The number of rows of a file, known without reading its cells (CSV lines, an XLSX sheet's dimension), or 0."""
    ext = Path(filename).suffix.lower()
    if ext == ".csv":
        return data.count(b"\n")
    if ext in (".xlsx", ".xlsm"):
        return _xlsx_height(data) or 0
    return 0


def _opened(source: bytes | Path):
    return io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115


def stream_table(
    source: bytes | Path,
    filename: str | None = None,
    *,
    max_rows: int = STREAM_MAX_ROWS,
    max_bytes: int = STREAM_MAX_BYTES,
) -> StreamedTable:
    """The first sheet of a file (its bytes, or its path: nothing more than a chunk is read into memory then) as a
    StreamedTable. What can be checked before reading is checked here; a row over the column limit is refused when
    it is reached (the caller's transaction is rolled back then)."""
    if not isinstance(source, bytes):
        source = Path(source)
        filename = filename or source.name
        size = source.stat().st_size
    else:
        size = len(source)
    ext = _precheck(source if isinstance(source, bytes) else b"", filename, max_bytes=max_bytes, size=size)
    if ext == ".csv":
        total, rows = _stream_csv(source)
    else:
        total, rows = _stream_workbook(source, ext)
    if total > max_rows:
        raise ReadError(
            gettext_noop(
                "This sheet has %(count)s rows; no more than %(max)s rows are accepted in one file. "
                "Send it in several files."
            ),
            count=number_of(total),
            max=number_of(max_rows),
        )
    if ext in (".xlsx", ".xlsm"):
        _refuse_formulas_without_values(source)
    return StreamedTable(_limited(rows), total)


def _limited(rows):
    for row in rows:
        if len(row) > MAX_COLUMNS:
            raise ReadError(
                gettext_noop("This sheet has %(count)s columns; no more than %(max)s columns are accepted."),
                count=len(row),
                max=MAX_COLUMNS,
            )
        yield row


def _stream_csv(source: bytes | Path):
    """(lines, rows): the encoding is found by a pass over the bytes in chunks (UTF-8, else Windows-1256), the rows
    are then read from a text stream."""
    encoding, lines = "utf-8-sig", 0
    with _opened(source) as f:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                if b"\x00" in chunk:
                    raise ReadError(gettext_noop("This CSV file is not text."))
                lines += chunk.count(b"\n")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1256"  # decodes any byte but the five it leaves undefined: those fail below

    def rows():
        with _opened(source) as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            try:
                head = text.read(4096)
                text.seek(0)
                yield from csv.reader(text, csv.excel, delimiter=_delimiter(head))
            except UnicodeDecodeError as exc:
                raise ReadError(CSV_UNREADABLE) from exc

    return lines, rows()


def _stream_workbook(source: bytes | Path, ext: str):
    """(rows, rows iterator): calamine for a sheet it can hold (fast), beyond that the sheet's XML read in chunks."""
    if isinstance(source, bytes) and source[:4] == b"\xd0\xcf\x11\xe0" and ENCRYPTED_OOXML in source:
        raise ReadError(LOCKED)
    height = _xlsx_height(source) if ext in (".xlsx", ".xlsm") else None
    if height is None or height <= CALAMINE_MAX_ROWS:
        rows = _read_workbook(source if isinstance(source, bytes) else source.read_bytes())
        return len(rows), iter(rows)
    return height, _xlsx_rows(source)


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+:?([A-Z]*)([0-9]*)"')


def _xlsx_height(source: bytes | Path) -> int | None:
    """The first sheet's number of rows from its <dimension> (read from the sheet's first bytes), else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            first = _first_sheet(z)
            if first not in z.namelist():
                return None
            with z.open(first) as f:
                head = f.read(4096)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    m = _DIMENSION.search(head)
    if not m:
        return None
    return int(m.group(2) or 1)


# An XLSX sheet read row by row from its XML, in chunks (calamine would hold the whole sheet; openpyxl's read-only
# mode takes minutes for a million rows). Values as calamine gives them: numbers as floats, empty cells as "", dates
# (by the cell's number format) as date, datetime or time.
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b(r|t|s)="([^"]*)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
# the cells as Excel, LibreOffice and XlsxWriter write them (r, then s, then t; a value or an inline text): the
# commonest rows are read by this one expression; any other row by the general one
_FAST_CELL = re.compile(
    rb'<c r="([A-Z]+)[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>)</c>'
)
_TEXT = re.compile(rb"<t\b[^>]*>([^<]*)</t>|<t\b[^>]*/>")
_SHARED = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_XF = re.compile(rb"<xf\b([^>]*)")
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="([0-9]+)"[^>]*?formatCode="([^"]*)"')
_DATE_FORMATS = {14, 15, 16, 17, 22, 27, 30, 36, 50, 57}  # the built-in date formats
_TIME_FORMATS = {18, 19, 20, 21, 45, 46, 47}  # and time formats
_EPOCH = datetime.datetime(1899, 12, 30)


def _text(raw: bytes) -> str:
    text = raw.decode()
    return html.unescape(text) if "&" in text else text


def _column(ref: bytes) -> int:
    n = 0
    for ch in ref:
        if 65 <= ch <= 90:
            n = n * 26 + ch - 64
        else:
            break
    return n - 1


def _styles(z: zipfile.ZipFile) -> dict[int, str]:
    """{style index: "date" | "time"} for the cell styles whose number format shows a date or a time."""
    try:
        xml = z.read("xl/styles.xml")
    except KeyError:
        return {}
    custom = {}
    for fid, code in _NUMFMT.findall(xml):
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", html.unescape(code.decode())).lower()
        if "y" in shown or "d" in shown:
            custom[int(fid)] = "date"
        elif "h" in shown or "s" in shown:  # "m" is minutes beside hours or seconds
            custom[int(fid)] = "time"
        elif "m" in shown:
            custom[int(fid)] = "date"
    start = xml.find(b"<cellXfs")
    end = xml.find(b"</cellXfs>", start)
    kinds = {}
    if start >= 0:
        for i, attrs in enumerate(_XF.findall(xml[start:end])):
            m = re.search(rb'numFmtId="([0-9]+)"', attrs)
            fid = int(m.group(1)) if m else 0
            kind = custom.get(fid) or (
                "time" if fid in _TIME_FORMATS else "date" if fid in _DATE_FORMATS else None
            )
            if kind:
                kinds[i] = kind
    return kinds


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        xml = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    for m in _SHARED.finditer(xml):
        inner = _PHONETIC.sub(b"", m.group(1) or b"")
        out.append("".join(_text(t.group(1) or b"") for t in _TEXT.finditer(inner)))
    return out


def _date_value(serial: float, kind: str):
    moment = _EPOCH + datetime.timedelta(days=serial)
    if kind == "time":
        return moment.time()
    if moment.time() == _MIDNIGHT:
        return moment.date()
    return moment


def _cell_value(attrs: dict, inner: bytes, shared: list[str], styles: dict):
    kind = attrs.get(b"t", b"n")
    if kind == b"inlineStr":
        return "".join(_text(t.group(1) or b"") for t in _TEXT.finditer(inner))
    v = _VALUE.search(inner)
    if v is None:
        return ""
    raw = v.group(1)
    if kind == b"s":
        return shared[int(raw)]
    if kind in (b"str", b"e"):
        return _text(raw)
    if kind == b"b":
        return raw == b"1"
    if kind == b"d":
        return datetime.datetime.fromisoformat(raw.decode())
    number = float(raw)
    style = attrs.get(b"s")
    date_kind = styles.get(int(style)) if style else None
    return _date_value(number, date_kind) if date_kind else number


def _xlsx_rows(source: bytes | Path):
    try:
        z = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        first = _first_sheet(z)
        shared, styles = _shared_strings(z), _styles(z)
        sheet = z.open(first)
    except (zipfile.BadZipFile, OSError, KeyError, TypeError, ValueError) as exc:
        raise ReadError(
            gettext_noop("The file is damaged or is not a spreadsheet, and could not be read.")
        ) from exc
    width = 0
    with z, sheet:
        head = sheet.read(65536)
        m = _DIMENSION.search(head)
        if m and m.group(1):
            width = _column(m.group(1)) + 1
        buffer, number = head, 0
        while True:
            chunk = sheet.read(1 << 22)
            buffer += chunk
            cut = buffer.rfind(b"</row>") + 6 if chunk else len(buffer)
            cut = max(cut, 0)
            for row in _ROW.finditer(buffer, 0, cut):
                r = _ROW_NUMBER.search(row.group(1))
                at = int(r.group(1)) if r else number + 1
                while number + 1 < at:  # rows with nothing in them are not written: they are empty rows
                    number += 1
                    yield [""] * width
                number = at
                yield _xlsx_row(row.group(2) or b"", width, shared, styles)
            if not chunk:
                break
            buffer = buffer[cut:]


def _xlsx_row(content: bytes, width: int, shared: list[str], styles: dict) -> list:
    values = [""] * width
    fast = _FAST_CELL.findall(content)
    if len(fast) == content.count(b"<c "):
        for ref, style, kind, raw, text in fast:
            col = _column(ref)
            if col >= len(values):
                values.extend([""] * (col + 1 - len(values)))
            if not kind or kind == b"n":
                number = float(raw)
                date_kind = styles.get(int(style)) if style else None
                values[col] = _date_value(number, date_kind) if date_kind else number
            elif kind == b"inlineStr":
                values[col] = _text(text)
            elif kind == b"s":
                values[col] = shared[int(raw)]
            elif kind in (b"str", b"e"):
                values[col] = _text(raw)
            elif kind == b"b":
                values[col] = raw == b"1"
            else:
                values[col] = _cell_value({b"t": kind, b"s": style}, b"<v>" + raw + b"</v>", shared, styles)
        return values
    for cell in _CELL.finditer(content):
        attrs = dict(_ATTR.findall(cell.group(1)))
        col = _column(attrs[b"r"]) if b"r" in attrs else len(values)
        if col >= len(values):
            values.extend([""] * (col + 1 - len(values)))
        values[col] = _cell_value(attrs, cell.group(2) or b"", shared, styles)
    return values


_MIDNIGHT = datetime.time(0, 0)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
