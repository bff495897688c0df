"""A members list of any size (a national list has millions of rows): read row by row (imports.readers.stream_table),
converted and matched to its cooperatives a chunk at a time, checked and written in bulk by taavon.members.bulk —
one transaction, all or nothing, never the whole file in memory. The same columns, conversions, cooperative lookup
(only in the user's jurisdiction) and messages as the row-by-row import (imports.related)."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_noop

from taavon.accounts.models import User
from taavon.imports.convert import Lookups, convert, is_blank
from taavon.imports.engine import UNCACHED, RowResult, _column_label, import_reason
from taavon.imports.kinds import MEMBERS
from taavon.imports.mapping import SCAN_ROWS
from taavon.imports.messages import Message, message, of_error, of_validation
from taavon.imports.readers import ReadError, stream_table
from taavon.imports.related import _resolve_cooperatives
from taavon.members.bulk import CHUNK, MAX_PROBLEMS, MembersBulk
from taavon.persian import search_key
from taavon.places.models import Province

TOTAL_WORDS = {search_key(w) for w in ("جمع", "جمع کل", "مجموع", "total", "sum", "grand total")}


@dataclass
class StreamOutcome:
    """What imports.engine.Outcome tells, without a RowResult per row: the counts and the first problems."""

    committed: bool = False
    counts: dict = field(default_factory=dict)
    row_count: int = 0
    problem_list: list[dict] = field(default_factory=list)  # {"row", "column", "message"}: the first ones
    problem_count: int = 0
    meta: dict = field(default_factory=dict)  # header_row, mapping, signature, header
    rows: list = field(default_factory=list)  # no rows are kept (the pages' sample and near names stay empty)

    def problems(self) -> list[dict]:
        return self.problem_list


def members_import_file(
    *,
    acting_user: User,
    path: Path | str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    unit: str = "rial",
    mapping: dict | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    max_problems: int = MAX_PROBLEMS,
    progress: Callable[[int, int], None] | None = None,
) -> StreamOutcome:
    """Import a members file (a path, read as it goes, or its bytes), all or nothing. Raises ImportFileError when
    the file cannot be read or its columns are not recognised."""
    from taavon.imports.services import ImportFileError, _table

    source = Path(path) if path is not None else data
    filename = filename or (Path(path).name if path is not None else "file.xlsx")
    try:
        table = stream_table(source, filename)
        rows = iter(table)
        head = list(islice(rows, SCAN_ROWS + 1))
    except ReadError as exc:
        raise ImportFileError(of_error(exc)) from exc
    kind, head, header_row, mapping, units, sig = _table(b"", filename, "members", mapping, rows=head)
    header = head[header_row]
    lookups = Lookups(Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first())
    converter = _RowConverter(header, mapping, units, unit, lookups)
    reason = import_reason(filename)
    outcome = StreamOutcome(
        meta={"header_row": header_row, "mapping": mapping, "signature": sig, "header": header}
    )
    total = max(table.total, 1)
    with _small_page_cache(), transaction.atomic():
        bulk = MembersBulk(acting_user=acting_user, reason=reason, dry_run=dry_run, max_problems=max_problems)
        numbered = _numbered(head, rows, header_row)
        try:
            while chunk := list(islice(numbered, chunk_size)):
                results = [r for r in (converter.row(n, row) for n, row in chunk) if r is not None]
                _resolve_cooperatives([r for r in results if not r.errors], acting_user)
                good = []
                for r in results:
                    if r.errors:
                        bulk.result.problem_rows += 1
                        for column, text in r.errors:
                            bulk.refuse(r.number, column, text)
                    else:
                        good.append((r.number, r.data))
                bulk.add(good)
                if progress:
                    progress(min(chunk[-1][0], total), total)
        except ReadError as exc:
            transaction.set_rollback(True)
            raise ImportFileError(of_error(exc)) from exc
        result = bulk.finish()
        if not result.committed:
            transaction.set_rollback(True)
    columns = converter.columns
    problems = []
    for p in sorted(result.problems, key=lambda p: p.row):
        text = of_validation(p.error.error_list[0]) if p.error.error_list else Message(str(p.error))
        problems.append({"row": p.row, "column": columns.get(p.field, p.field), "message": text})
    outcome.committed = result.committed
    outcome.row_count = result.rows
    outcome.problem_list = problems
    outcome.problem_count = result.problem_count
    outcome.counts = {
        "rows": result.rows,
        "create": result.counts["memberships"],
        "update": result.counts["contributions"],
        "unchanged": result.counts["unchanged"],
        "error": result.problem_rows,
        "duplicate": 0,
        "near": 0,
        "people": result.counts["people"],
        "problems": result.problem_count,
        "cooperatives": result.cooperatives,
        "streamed": 1,  # written in bulk: no record of each row is kept, so it is not undone from the page
    }
    if progress:
        progress(total, total)
    return outcome


@contextlib.contextmanager
def _small_page_cache():
    """SQLite keeps up to 128 MB of pages per connection (settings); an import of a million rows writes through it
    and reads little back: 32 MB of it is enough, and the rest stays under the import's memory bound."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size=-32768")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(before)}")


def _numbered(head: list, rest, header_row: int):
    """(row number in the sheet, row) for every row below the header."""
    for i, row in enumerate(head):
        if i > header_row:
            yield i + 1, row
    for i, row in enumerate(rest, start=len(head) + 1):
        yield i, row


class _RowConverter:
    """One row's cells converted to the kind's fields (imports.engine.prepare, a row at a time)."""

    def __init__(self, header, mapping, units, unit, lookups):
        self.header_keys = [search_key(str(c or "")) for c in header]
        self.header = header
        self.units, self.unit, self.lookups = units, unit, lookups
        self.specs = [(col, MEMBERS.get(name)) for col, name in mapping.items() if name != "province"]
        self.province_col = next((c for c, f in mapping.items() if f == "province"), None)
        self.columns = {spec.name: spec.label_message for spec in MEMBERS.fields}
        self.columns.update({name: _column_label(col, header) for col, name in mapping.items()})
        self.columns["cooperative"] = message(gettext_noop("Cooperative"))
        self.required = [
            (spec, next((c for c, n in mapping.items() if n == spec.name), None))
            for spec in MEMBERS.fields
            if spec.required
        ]
        self.cache: dict = {}

    def row(self, number: int, row: list) -> RowResult | None:
        if all(is_blank(v) for v in row):
            return None
        if row and self.header_keys and search_key(str(row[0] or "")) == self.header_keys[0]:
            if [search_key(str(c or "")) for c in row] == self.header_keys:
                return None  # the header repeated (files glued together)
        cells = [v for v in row if not is_blank(v)]
        if len(cells) <= 3 and any(
            isinstance(v, str) and search_key(v.rstrip(":：")) in TOTAL_WORDS for v in cells
        ):
            return None  # a row of totals
        result = RowResult(number=number, data={}, columns=self.columns)
        province = None
        if self.province_col is not None and self.province_col < len(row):
            province, err = convert("province", row[self.province_col], unit=self.unit, lookups=self.lookups)
            if err:
                result.errors.append((_column_label(self.province_col, self.header), err))
        for col, spec in self.specs:
            value = row[col] if col < len(row) else None
            unit = self.units.get(col, self.unit)
            if spec.kind in UNCACHED or spec.name == "mobile" or not isinstance(value, str | int | float):
                converted, err = convert(spec.kind, value, unit=unit, lookups=self.lookups, province=province)
            else:
                key = (col, value, province.pk if province else None)
                hit = self.cache.get(key)
                if hit is None:
                    if len(self.cache) > 200_000:  # names and dates repeat; a million distinct values do not
                        self.cache.clear()
                    hit = self.cache[key] = convert(
                        spec.kind, value, unit=unit, lookups=self.lookups, province=province
                    )
                converted, err = hit
            if err:
                result.errors.append((_column_label(col, self.header), err))
            elif converted is not None:
                result.data[spec.name] = converted
        errored = {label for label, _ in result.errors}
        for spec, col in self.required:
            if spec.name not in result.data:
                label = _column_label(col, self.header) if col is not None else spec.label_message
                if label not in errored:
                    result.errors.append(
                        (label, message(gettext_noop("%(column)s is empty."), column=spec.label_message))
                    )
        return result
