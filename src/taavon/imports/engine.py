"""The import engine: rows → converted data → matched against the registry → a plan (create, update, unchanged,
problems) → applied through the registry's services in one transaction, or rolled back (dry run, or any problem
unless only the valid rows were asked for)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_noop

from taavon.accounts.jurisdiction import can_change_in
from taavon.accounts.models import User
from taavon.imports.convert import Lookups, convert, is_blank
from taavon.imports.kinds import COOPERATIVES, ImportKind
from taavon.imports.matching import CooperativeMatcher, differs, outside_message
from taavon.imports.messages import Message, listing, message, of_errors
from taavon.persian import AmountError, parse_decimal, search_key, to_ascii_digits
from taavon.registry import bulk
from taavon.registry.models import Cooperative, Status
from taavon.registry.services import cooperative_change_status, cooperative_update

UNCACHED = {"text", "legal_id", "national_code"}  # values unique to a row
NOISE_WORDS = [search_key(w) for w in ("شرکت", "تعاونی")]
CREATE_DEFAULTS = {
    "legal_id": "",
    "registration_number": "",
    "registration_date": None,
    "activity": None,
    "membership": "closed",
    "address": "",
    "postal_code": "",
    "phone": "",
    "members_women": 0,
    "members_men": 0,
    "founding_members": 0,
    "capital_registered_rial": 0,
    "capital_paid_rial": 0,
    "board_term_end": None,
    "last_general_assembly": None,
    "notes": "",
}


@dataclass
class RowResult:
    number: int  # the row's number in the spreadsheet (1-based)
    data: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message): imports.messages.Message
    action: str = ""  # create | update | unchanged | error | duplicate | near
    match: Cooperative | None = None
    changes: list[str] = field(default_factory=list)
    near: list[Cooperative | int] = field(
        default_factory=list
    )  # similar names: records or earlier row numbers
    record: Cooperative | None = None
    # field name → column label, for the services' errors
    columns: dict[str, str] = field(default_factory=dict)
    # (record, "created" | "updated"[, history id before]) in the order they were made
    touched: list = field(default_factory=list)

    def add_field_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            column = "—" if name == "__all__" else self.columns.get(name, name)
            self.errors.append((column, listing(messages, sep=" ")))


@dataclass
class Outcome:
    rows: list[RowResult]
    committed: bool = False
    counts: dict = field(default_factory=dict)

    def problems(self) -> list[dict]:
        out = []
        for r in self.rows:
            for column, text in r.errors:
                out.append({"row": r.number, "column": column, "message": text})
        return out


def _core_key(name_key: str) -> str:
    key = name_key
    for word in NOISE_WORDS:
        key = key.replace(word, "")
    return key


_DIGIT_RUN = re.compile(r"\d+")


def _digits(key: str) -> tuple[str, ...]:
    """The numbers of a name, each apart («شماره ۱ ۲» has 1 and 2; «شماره ۱۲» has 12): names with other numbers
    are other cooperatives, never "near"."""
    return tuple(_DIGIT_RUN.findall(key))


def _deletions(key: str) -> set[str]:
    return {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}


class NearNames:
    """Names one edit apart (a deletion neighbourhood: two names are near when deleting at most one letter from
    each gives the same text), compared only among names of one county with the same digits ("شماره ۱۲" and
    "شماره ۱۳" are different cooperatives). A group's neighbourhood is built only once it has a second name, so a
    name alone in its group costs nothing."""

    def __init__(self) -> None:
        self.members: dict[tuple, list] = {}
        self.index: dict[tuple, dict[str, list]] = {}

    def _index(self, group: tuple) -> dict[str, list]:
        index = self.index.get(group)
        if index is None:
            index = self.index[group] = {}
            for core, owner in self.members[group]:
                for variant in _deletions(core):
                    index.setdefault(variant, []).append(owner)
        return index

    def add(self, county_id: int, name_key: str, owner, *, find: bool = False) -> list:
        """Add a name; with find, first return the owners of the names near it (in the order they were added)."""
        group = (county_id, _digits(name_key))
        core = _core_key(name_key)
        members = self.members.setdefault(group, [])
        near: list = []
        if members:
            index = self._index(group)
            variants = _deletions(core)
            if find:
                for variant in variants:
                    for other in index.get(variant, ()):
                        if other not in near:
                            near.append(other)
            for variant in variants:
                index.setdefault(variant, []).append(owner)
        members.append((core, owner))
        return near


def _column_label(col: int, header: list) -> str:
    letters = ""
    n = col
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            break
    title = str(header[col]).strip() if col < len(header) and header[col] else ""
    return f"{letters} ({title})" if title else letters


TOTAL_WORDS = {
    search_key(w) for w in ("جمع", "جمع کل", "مجموع", "جمع کل استان", "total", "sum", "grand total")
}


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str) and value.strip():
        try:
            return parse_decimal(value)
        except AmountError:
            return None
    return None


def totals_rows(rows: list[list], header_row: int) -> set[int]:
    """The rows of totals at the bottom of a sheet (left out, not reported as broken rows): a row that says «جمع»,
    «جمع کل», «مجموع» or "total" in a cell, or a row of numbers only, each the sum of its column above."""
    data = [i for i in range(header_row + 1, len(rows)) if not all(is_blank(v) for v in rows[i])]
    found: set[int] = set()
    while data:
        i = data[-1]
        row = rows[i]
        cells = [v for v in row if not is_blank(v)]
        labelled = any(isinstance(v, str) and search_key(v.rstrip(":：")) in TOTAL_WORDS for v in cells)
        if not labelled:
            numbers = {c: _number(v) for c, v in enumerate(row) if not is_blank(v)}
            if not numbers or any(n is None for n in numbers.values()):
                break
            above = data[:-1]
            sums = {}
            for c in numbers:
                column = [_number(rows[j][c]) if c < len(rows[j]) else None for j in above]
                sums[c] = sum(n for n in column if n is not None)
            if not all(numbers[c] == sums[c] and numbers[c] != 0 for c in numbers):
                break
        found.add(i)
        data.pop()
    return found


def prepare(
    rows: list[list],
    *,
    kind: ImportKind,
    header_row: int,
    mapping: dict[int, str],
    units: dict[int, str],
    unit: str,
    lookups: Lookups,
    progress: Callable[[int, int], None] | None = None,
) -> list[RowResult]:
    """Convert every data row below the header; no database writes."""
    header = rows[header_row] if header_row < len(rows) else []
    header_keys = [search_key(str(c or "")) for c in header]
    province_col = next((c for c, f in mapping.items() if f == "province"), None)
    cache: dict = {}
    specs = [(col, kind.get(name)) for col, name in mapping.items() if name != "province"]
    columns = {spec.name: spec.label_message for spec in kind.fields}
    columns.update({name: _column_label(col, header) for col, name in mapping.items()})
    results = []
    totals = totals_rows(rows, header_row)
    for i in range(header_row + 1, len(rows)):
        if progress and i % 5000 == 0:
            progress(i, len(rows))
        row = rows[i]
        if i in totals or all(is_blank(v) for v in row):
            continue
        if (
            row
            and header_keys
            and search_key(str(row[0] or "")) == header_keys[0]
            and ([search_key(str(c or "")) for c in row] == header_keys)
        ):
            continue  # the header repeated (files glued together)
        result = RowResult(number=i + 1, data={}, columns=columns)
        province = None
        if province_col is not None and province_col < len(row):
            province, err = convert("province", row[province_col], unit=unit, lookups=lookups)
            if err:
                result.errors.append((_column_label(province_col, header), err))
        for col, spec in specs:
            value = row[col] if col < len(row) else None
            if spec.kind in UNCACHED or not isinstance(value, str | int | float):
                converted, err = convert(
                    spec.kind, value, unit=units.get(col, unit), lookups=lookups, province=province
                )
            else:  # counties, sectors, statuses, dates and amounts repeat down a column: convert each once
                key = (col, value, province.pk if province else None)
                if key not in cache:
                    cache[key] = convert(
                        spec.kind, value, unit=units.get(col, unit), lookups=lookups, province=province
                    )
                converted, err = cache[key]
            if err:
                result.errors.append((_column_label(col, header), err))
            elif converted is not None:
                result.data[spec.name] = converted
        errored = {label for label, _ in result.errors}
        for spec in kind.fields:
            if spec.required and spec.name not in result.data:
                col = next((c for c, n in mapping.items() if n == spec.name), None)
                label = _column_label(col, header) if col is not None else spec.label_message
                if label not in errored:
                    result.errors.append(
                        (label, message(gettext_noop("%(column)s is empty."), column=spec.label_message))
                    )
        if "activity" in result.data and "sector" not in result.data:
            result.data["sector"] = result.data["activity"].sector
        if "shenasnameh" in result.data:
            result.data["shenasnameh"] = to_ascii_digits(result.data["shenasnameh"]).strip()
        results.append(result)
    return results


def match(results: list[RowResult], decisions: dict, *, user: User) -> None:
    """Find each row's record (shenasnameh, then legal ID, then county + name), duplicates within the file, and
    near-duplicate names in the same county (never merged without the user's decision). A row outside the user's
    jurisdiction is refused first, and only the cooperatives the user may change are looked at: nothing of another
    county reaches a message or a near-name decision."""
    matcher = CooperativeMatcher(
        user,
        shenasnamehs=[r.data.get("shenasnameh") for r in results],
        legal_ids=[r.data.get("legal_id") for r in results],
        counties={r.data["county"] for r in results if r.data.get("county")},
    )
    near_names = NearNames()
    for c in matcher.cooperatives:
        near_names.add(c.county_id, c.name_key, c)
    seen: dict[tuple, RowResult] = {}
    for r in results:
        if r.errors:
            r.action = "error"
            continue
        d = r.data
        name_key = search_key(d.get("name", ""))
        county = d.get("county")
        r.match, problem = matcher.find(
            shenasnameh=d.get("shenasnameh"),
            legal_id=d.get("legal_id"),
            county=county,
            name=d.get("name"),
            legal_id_identifies=False,
        )
        if problem:
            field = "county" if county is not None and not matcher.may_change_in(county) else "shenasnameh"
            r.errors.append((r.columns.get(field, field), problem))
            r.action = "error"
            continue
        identity = ("pk", r.match.pk) if r.match else ("new", county.pk if county else None, name_key)
        if identity in seen:
            first = seen[identity]
            same = {k: v for k, v in first.data.items()} == d
            repeated = (
                gettext_noop("Repeated row: the same cooperative as row %(row)s")
                if same
                else gettext_noop("Repeated row: the same cooperative as row %(row)s, with other values")
            )
            r.errors.append(("—", message(repeated, row=first.number)))
            r.action = "duplicate" if same else "error"
            continue
        seen[identity] = r
        if r.match is None and county is not None:
            near = near_names.add(county.pk, name_key, r.number, find=True)
            candidates = {c.pk: c for c in near if isinstance(c, Cooperative)}
            earlier = sorted(n for n in near if not isinstance(n, Cooperative))
            decision = str(decisions.get(str(r.number), ""))
            if decision.startswith("same:") and decision[5:].isdigit() and int(decision[5:]) in candidates:
                r.match = candidates[int(decision[5:])]
            elif decision != "new":
                r.near = [*candidates.values(), *earlier]
    for r in results:
        if r.action:
            continue
        if r.near:
            r.action = "near"
            names = listing(
                message(gettext_noop("“%(name)s”"), name=c.name)
                if isinstance(c, Cooperative)
                else message(gettext_noop("row %(row)s of this file"), row=c)
                for c in r.near
            )
            r.errors.append(
                (
                    COOPERATIVES.get("name").label_message,
                    message(
                        gettext_noop(
                            "A name close to %(names)s in the same county: are they one cooperative or two?"
                        ),
                        names=names,
                    ),
                )
            )
        elif r.match is None:
            r.action = "create"
        else:
            r.changes = [
                k for k, v in r.data.items() if k != "shenasnameh" and differs(getattr(r.match, k), v)
            ]
            r.action = "update" if r.changes else "unchanged"


def apply(
    results: list[RowResult],
    *,
    acting_user: User,
    filename: str,
    dry_run: bool,
    valid_only: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Write the plan in one transaction: new records in bulk, changes one by one, all through the registry's
    services. Rolled back when dry_run, or when any row has a problem and not valid_only."""
    outcome = Outcome(rows=results)
    reason = import_reason(filename)
    total = len(results)
    done = 0
    with transaction.atomic():
        allowed: dict[int, bool] = {}  # county id → may the user change records there

        def may(county) -> bool:
            if county.id not in allowed:
                allowed[county.id] = can_change_in(acting_user, county)
            return allowed[county.id]

        for r in results:  # jurisdiction first: a row outside the user's counties is a problem of that row
            if r.action in ("create", "update", "unchanged"):
                outside = [
                    c
                    for c in (r.data.get("county"), r.match.county if r.match else None)
                    if c is not None and not may(c)
                ]
                if outside:
                    r.errors.append((COOPERATIVES.get("county").label_message, outside_message(outside[0])))
                    r.action = "error"
        # changes first (one by one), so that new records are checked against the database as they will be
        updates = sum(1 for r in results if r.action == "update") or 1
        for r in results:
            if r.action != "update":
                continue
            try:
                with transaction.atomic():
                    _update(r, acting_user, reason)
            except (ValidationError, PermissionDenied) as exc:
                r.add_field_errors(_messages(exc))
                r.action = "error"
            done += 1
            if progress and done % 200 == 0:  # the changes are the first third of this step
                progress(done * (total // 3) // updates, total)
        creates = [r for r in results if r.action == "create"]
        for r in creates:
            _required_for_new(r)
        creates = [r for r in creates if not r.errors]
        if progress:
            progress(total // 3, total)  # updates done, the new records' checks next
        payload = [_create_fields(r.data) for r in creates]
        built: list = []
        row_errors = bulk.cooperatives_validate_many(
            payload, acting_user=acting_user, built=built, numbers=[r.number for r in creates]
        )
        for index, errs in row_errors.items():
            creates[index].add_field_errors(errs)
        # rows held for a decision on a similar name are checked too: the user settles the name once, and sees
        # every other problem of the row now, not after the next preview
        held = [r for r in results if r.action == "near"]
        if held:
            for r in held:
                _required_for_new(r)
            held_errors = bulk.cooperatives_validate_many(
                [_create_fields(r.data) for r in held],
                acting_user=acting_user,
                numbers=[r.number for r in held],
            )
            for index, errs in held_errors.items():
                held[index].add_field_errors(errs)
        for r in results:
            if r.errors and r.action in ("create", "update", "unchanged"):
                r.action = "error"
        failed = any(r.action in ("error", "near", "duplicate") and r.errors for r in results)
        good = [r for r in results if r.action == "create"]
        if progress:
            progress(2 * total // 3, total)  # checked; the writing next
        # A dry run stops here for new records: they passed every rule of registration (validate_many).
        if good and not dry_run and not (failed and not valid_only):
            created = bulk.cooperatives_register_many(
                acting_user=acting_user,
                rows=[_create_fields(r.data) for r in good],
                reason=reason,
                # the rows were validated above in this transaction; when all of them passed, not again
                validated={} if not row_errors else None,
                prepared=built if not row_errors else None,
            )
            for r, coop in zip(good, created, strict=True):
                r.record = coop
        if progress:
            progress(total, total)
        outcome.committed = not dry_run and not (failed and not valid_only)
        outcome.counts = _counts(results)
        if not outcome.committed:
            transaction.set_rollback(True)
    return outcome


def _required_for_new(r: RowResult) -> None:
    """What a new record needs that an update does not."""
    if "type" not in r.data:
        r.errors.append(
            (
                COOPERATIVES.get("type").label_message,
                message(gettext_noop("Give the cooperative's type (producer or distribution).")),
            )
        )
    if "sector" not in r.data:
        r.errors.append(
            (
                COOPERATIVES.get("sector").label_message,
                message(gettext_noop("Give the cooperative's sector or activity.")),
            )
        )


def _create_fields(data: dict) -> dict:
    fields = dict(CREATE_DEFAULTS)
    fields.update({k: v for k, v in data.items() if k not in ("shenasnameh",)})
    fields["status"] = data.get("status") or Status.UNKNOWN
    return fields


def _update(r: RowResult, acting_user: User, reason: str) -> None:
    coop = r.match
    before = coop.history.aggregate(m=Max("history_id"))["m"]
    fields = {k: r.data[k] for k in r.changes if k != "status"}
    if fields:
        cooperative_update(acting_user=acting_user, cooperative=coop, reason=reason, **fields)
    if "status" in r.changes:
        cooperative_change_status(
            acting_user=acting_user, cooperative=coop, to_status=r.data["status"], reason=reason
        )
    r.record = coop
    r.record._import_history_before = before


def _counts(results: list[RowResult]) -> dict:
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0, "duplicate": 0, "near": 0}
    for r in results:
        counts[r.action] = counts.get(r.action, 0) + 1
    counts["rows"] = len(results)
    return counts


def _messages(exc: Exception) -> dict[str, list[Message]]:
    """A service's refusal as {field: [messages]}: field errors, a plain ValidationError or PermissionDenied (each
    message in both languages when the service gave it lazily)."""
    if isinstance(exc, ValidationError):
        errors = of_errors(exc)
        if "__all__" in errors and not hasattr(exc, "error_dict"):
            errors = {"—": errors.pop("__all__")}
        return errors
    return {
        "—": [
            Message(str(exc))
            if str(exc)
            else message(gettext_noop("You are not allowed to make this change."))
        ]
    }


def import_reason(filename: str) -> str:
    """The reason the records' histories give for an import's changes (in the language of whoever started it)."""
    return (gettext("Imported from the file “%(file)s”") % {"file": filename})[:2000]
