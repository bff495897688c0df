"""Reading spreadsheets: XLSX, XLS, ODS (python-calamine) and CSV (UTF-8, UTF-8 with BOM, Windows-1256).

Every failure is a ReadError whose args[0] is an imports.messages.Message (it shows in the reader's language);
nothing here touches the database, and nothing here needs Django's settings (the file check runs this module alone
in a child process).
"""

import csv
import io
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
# a check of a file reads it in a separate process with these limits: a small file can unpack into a huge sheet
# (an XLSX cell at XFD1048576, an ODS cell repeated a million times) and must not take the server down with it
CHECK_MEMORY_BYTES = 3 * 1024**3
CHECK_SECONDS = 60  # well below the web server's own timeout (120 s): the user gets the message
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


class ReadError(ValueError):
    """The file cannot be read as a table; args[0] is the message for the user."""

    def __init__(self, msgid: str | Message, **params) -> None:
        super().__init__(msgid if isinstance(msgid, Message) else message(msgid, **params))


def _precheck(data: bytes, filename: str) -> str:
    """The checks that need no reading: the kind of file by its name, its size. Returns the extension."""
    ext = Path(filename).suffix.lower()
    if ext not in SPREADSHEET_EXTENSIONS:
        raise ReadError(gettext_noop("This file is not a spreadsheet; send an XLSX, XLS, ODS or CSV file."))
    if len(data) > MAX_BYTES:
        raise ReadError(
            gettext_noop("The file is larger than %(size)s MB; send it in several files."),
            size=MAX_BYTES // (1024 * 1024),
        )
    if not data:
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


def check_table(data: bytes, filename: str, *, first: int = 50) -> list[list]:
    """Read the whole file in a separate Python process, with a memory and a time limit, and return its first rows.
    Nothing this process holds is touched if the file is hostile: the child dies or is killed, a ReadError is
    raised. Once a file has passed, it is read in the worker itself (read_table) within the same bounds."""
    ext = _precheck(data, filename)
    try:
        done = subprocess.run(  # a fresh interpreter that imports only this module: no server state, no connections
            [sys.executable, "-m", "taavon.imports.readers", ext, str(first)],
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


def _child(ext: str, first: int) -> None:
    """`python -m taavon.imports.readers EXT FIRST` with the file on stdin: the first rows or the message (what it
    is made of, see imports.messages), pickled."""
    resource.setrlimit(resource.RLIMIT_AS, (CHECK_MEMORY_BYTES, CHECK_MEMORY_BYTES))
    data = sys.stdin.buffer.read()
    try:
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


def _refuse_formulas_without_values(data: bytes) -> None:
    """A formula's result is read, not computed; a file saved by a program that does not compute (not Excel or
    LibreOffice) has formulas without results, which would be read as empty cells: refused, with the cells named."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
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


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError(
            gettext_noop("The characters of the CSV file could not be read; save it with the UTF-8 encoding.")
        )
    if "\x00" in text:
        raise ReadError(gettext_noop("This CSV file is not text."))
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # only the delimiter is guessed: the sniffer can take an apostrophe for the quote mark and eat it
    return [row for row in csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)]


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
