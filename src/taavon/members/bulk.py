"""Registering many members at once (a national members list of a million rows): every rule of the one-by-one path
(person_register, membership_add, contribution_add) checked for every row with a fixed number of queries per chunk,
the records written in bulk with their history rows, all in the caller's one transaction (all or nothing), and
the cooperatives' member figures and the registry's summary brought up to date once per cooperative touched.

Memory stays bounded: rows come in chunks and leave with them; what the file as a whole needs (repeated rows, one
person given two names, two housing cooperatives) is kept as integers keyed by national code.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from taavon.accounts.jurisdiction import ensure_can_change_in, sees_county
from taavon.accounts.models import User
from taavon.core.bulk import SimpleNamespace, insert_many
from taavon.core.formatting import digits
from taavon.core.history import history_now
from taavon.members.models import Contribution, Gender, Membership, Person
from taavon.members.services import (
    HOUSING_SECTOR,
    membership_dates_check,
    person_mismatch,
    person_name_errors,
)
from taavon.persian import IdentifierError, normalize_national_code, search_key
from taavon.registry import summary
from taavon.registry.models import Cooperative
from taavon.registry.services import DERIVED_REASON

CHUNK = 20_000
MAX_PROBLEMS = 1000
REQUIRED = ("national_code", "first_name", "last_name", "gender", "join_date")
_PERSON_FIELDS = {f.name: f for f in Person._meta.concrete_fields}
_CHECKED = ("first_name", "last_name", "gender", "birth_year", "mobile")
_SHARES = Membership._meta.get_field("shares")
_AMOUNT = Contribution._meta.get_field("amount_rial")
_ROW_BITS = 22  # a row number below 4,194,304 packed beside a 40-bit fingerprint in one int
_ROW_MASK = (1 << _ROW_BITS) - 1


@dataclass
class Problem:
    row: int
    field: str  # a row field's name ("cooperative", "national_code", ...), or "—"
    error: ValidationError  # one message (lazy when it can be: shown in the reader's language)


@dataclass
class BulkResult:
    rows: int = 0
    committed: bool = False
    counts: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS, in row order per chunk
    problem_count: int = 0
    problem_rows: int = 0
    cooperatives: int = 0


def _fingerprint(*parts) -> int:
    return hash(parts) & ((1 << 40) - 1)


class MembersBulk:
    """One import's state: feed it chunks of (row number, fields) with `add`, then `finish`. Rows name their
    cooperative (`cooperative`, a Cooperative the caller found in the user's jurisdiction); the user must be
    allowed to change records in its county. Nothing is written once a row has a problem (the caller rolls back),
    but every row is still checked, so that every problem is reported."""

    def __init__(
        self, *, acting_user: User, reason: str, dry_run: bool = False, max_problems: int = MAX_PROBLEMS
    ):
        self.user = acting_user
        self.reason = reason[:100]
        self.note = reason[:200]
        self.dry_run = dry_run
        self.result = BulkResult()
        self.max_problems = max_problems
        self.counts = dict.fromkeys(("people", "memberships", "contributions", "unchanged"), 0)
        self.allowed: dict[int, bool] = {}  # county id → may the user change records there
        self.people_new: dict[int, int] = {}  # code → fingerprint(name key, gender) << rows | first row
        # fingerprint(cooperative, code) → fingerprint(contribution, date) << rows | the member's first row
        self.memberships: dict[int, int] = {}
        self.rows_seen: dict[
            int, int
        ] = {}  # fingerprint(cooperative, code, contribution, date) → row: the others
        self.housing: dict[int, int] = {}  # code → housing cooperative joined in this file
        self.housing_coops: dict[int, Cooperative] = {}
        self.touched: set[int] = set()
        self.memo: dict = {}
        self.today = timezone.localdate()
        self.now = timezone.now()

    # problems

    def refuse(self, number: int, field: str, error) -> None:
        """A problem of a row (found here or by the caller: a cell that could not be read)."""
        self.result.problem_count += 1
        if len(self.result.problems) < self.max_problems:
            if not isinstance(error, ValidationError):
                error = ValidationError(error)
            self.result.problems.append(Problem(number, field, error))

    def _full(self) -> bool:
        return len(self.result.problems) >= self.max_problems

    @property
    def failed(self) -> bool:
        return self.result.problem_count > 0

    # checks

    def _field_errors(self, d: dict) -> list[tuple[str, ValidationError]]:
        out = []
        for name in REQUIRED:
            if d.get(name) in (None, ""):
                out.append((name, ValidationError(gettext_lazy("This field is required."))))
        if out:
            return out
        try:
            d["national_code"] = normalize_national_code(d["national_code"])
        except IdentifierError as exc:
            out.append(("national_code", ValidationError(str(exc))))
        for name in _CHECKED:
            value = d.get(name)
            if value in (None, ""):
                continue
            key = (name, value) if name != "mobile" else None  # a mobile number is one person's: not kept
            errors = self.memo.get(key)
            if errors is None:
                try:
                    _PERSON_FIELDS[name].clean(value, None)
                    errors = ()
                except ValidationError as exc:
                    errors = tuple(exc.error_list)
                if key is not None:
                    self.memo[key] = errors
            out += [(name, e) for e in errors]
        key = ("names", d["first_name"], d["last_name"])
        names = self.memo.get(key)
        if names is None:
            names = self.memo[key] = person_name_errors(d["first_name"], d["last_name"])
        out += [(name, ValidationError(m)) for name, ms in names.items() for m in ms]
        shares = d.get("shares") or 0
        if shares:
            try:
                _SHARES.clean(shares, None)
            except ValidationError as exc:
                out += [("shares", e) for e in exc.error_list]
        amount = d.get("contribution_rial")
        if amount:
            try:
                _AMOUNT.clean(amount, None)
            except ValidationError as exc:
                out += [("contribution_rial", e) for e in exc.error_list]
            paid = d.get("contribution_date") or d["join_date"]
            if paid < d["join_date"]:
                out.append(
                    (
                        "contribution_date",
                        ValidationError(
                            gettext_lazy("A contribution cannot have been paid before the membership date.")
                        ),
                    )
                )
        return out

    def _dates(self, coop: Cooperative, join_date: datetime.date) -> list[ValidationError]:
        key = ("dates", coop.registration_date, join_date)
        errors = self.memo.get(key)
        if errors is None:
            try:
                membership_dates_check(coop, join_date)
                errors = ()
            except ValidationError as exc:
                errors = tuple(ValidationError(m) for m in exc.messages)
            self.memo[key] = errors
        return list(errors)

    def _may(self, coop: Cooperative) -> bool:
        county_id = coop.county_id
        if county_id not in self.allowed:
            try:
                ensure_can_change_in(self.user, coop.county)
                self.allowed[county_id] = True
            except PermissionDenied:
                self.allowed[county_id] = False
        return self.allowed[county_id]

    def add(self, rows: list[tuple[int, dict]]) -> None:
        """Check one chunk of rows and, while no row of the import has had a problem, write it."""
        self.result.rows += len(rows)
        if len(self.memo) > 200_000:  # names repeat down a list, but a national one has very many of them
            self.memo.clear()
        good: list[tuple[int, dict]] = []
        for number, d in rows:
            errors = self._field_errors(d)
            coop = d.get("cooperative")
            if coop is None:
                errors.append(("cooperative", ValidationError(gettext_lazy("This field is required."))))
            elif not self._may(coop):
                errors.append(
                    ("cooperative", ValidationError(gettext_lazy("You are not allowed to make this change.")))
                )
            elif not errors:
                errors += [("join_date", e) for e in self._dates(coop, d["join_date"])]
            if errors:
                self.result.problem_rows += 1
                for name, e in errors:
                    self.refuse(number, name, e)
            else:
                good.append((number, d))
        codes = {d["national_code"] for _, d in good}
        people = {
            p.national_code: p
            # jurisdiction: a national code is one person nationwide; nothing of one elsewhere is told
            for p in Person.objects.filter(national_code__in=codes).only(
                "id", "national_code", "first_name", "last_name", "name_key", "gender"
            )
        }
        person_ids = [p.pk for p in people.values()]
        open_memberships = dict(
            ((m[1], m[2]), m[0])
            # jurisdiction: only for the rows' own cooperatives, inside the user's jurisdiction
            for m in Membership.objects.filter(person_id__in=person_ids, leave_date__isnull=True).values_list(
                "id", "cooperative_id", "person_id"
            )
        )
        paid = set(
            # jurisdiction: the contributions of those memberships (whether a row's is already there)
            Contribution.objects.filter(membership_id__in=open_memberships.values()).values_list(
                "membership_id", "amount_rial", "date"
            )
        )
        housing_elsewhere: dict[int, list] = {}
        if any(d["cooperative"].sector.code == HOUSING_SECTOR for _, d in good):
            # jurisdiction: the rule is national; another county's cooperative is named only to who sees it
            for m in Membership.objects.filter(
                person_id__in=person_ids, leave_date__isnull=True, cooperative__sector__code=HOUSING_SECTOR
            ).select_related("cooperative__county"):
                housing_elsewhere.setdefault(m.person_id, []).append(m.cooperative)
        new_people: dict[str, dict] = {}
        new_memberships: dict[tuple, dict] = {}  # (cooperative id, code) → the row's fields
        contributions: list[tuple[tuple, dict]] = []
        for number, d in good:
            coop: Cooperative = d["cooperative"]
            code = d["national_code"]
            icode = int(code)
            name_key = search_key(f"{d['first_name']} {d['last_name']}")
            amount = d.get("contribution_rial") or None
            paid_on = (d.get("contribution_date") or d["join_date"]) if amount else None
            # a member's first row in the file is kept with its contribution's fingerprint; the rare further rows
            # (other contributions of the same member) apart
            member_key = _fingerprint(coop.pk, icode)
            paid_key = _fingerprint(amount, paid_on)
            first_row = self.memberships.get(member_key)
            joined_here = first_row is not None
            repeated = None
            if first_row is None:
                self.memberships[member_key] = paid_key << _ROW_BITS | number
            elif first_row >> _ROW_BITS == paid_key:
                repeated = first_row & _ROW_MASK
            else:
                row_key = _fingerprint(coop.pk, icode, amount, paid_on)
                repeated = self.rows_seen.get(row_key)
                if repeated is None:
                    self.rows_seen[row_key] = number
            if repeated is not None:
                self.result.problem_rows += 1
                self.refuse(
                    number,
                    "—",
                    ValidationError(
                        gettext_lazy("Repeated row: the same member as row %(row)s"),
                        params={"row": digits(repeated)},
                    ),
                )
                continue
            person = people.get(code)
            problem = None
            if person is not None:
                mismatch = ""
                if name_key != person.name_key or d["gender"] != person.gender:
                    mismatch = (
                        person_mismatch(
                            person,
                            first_name=d["first_name"],
                            last_name=d["last_name"],
                            gender=d["gender"],
                            user=self.user,
                        )
                        if not self._full()
                        else "—"
                    )
                if mismatch:
                    problem = ("national_code", ValidationError(mismatch))
            else:
                mark = _fingerprint(name_key, d["gender"])
                first = self.people_new.get(icode)
                if first is None:
                    self.people_new[icode] = mark << _ROW_BITS | number
                elif first >> _ROW_BITS != mark:
                    problem = (
                        "national_code",
                        ValidationError(
                            gettext_lazy(
                                "This national code is given with another name or gender in row %(row)s; check "
                                "the name or the national code."
                            ),
                            params={"row": digits(first & _ROW_MASK)},
                        ),
                    )
            existing = open_memberships.get((coop.pk, person.pk)) if person is not None else None
            if (
                problem is None
                and existing is None
                and not joined_here
                and coop.sector.code == HOUSING_SECTOR
            ):
                problem = self._housing(coop, person, icode, d, housing_elsewhere)
            if problem is not None:
                self.result.problem_rows += 1
                self.refuse(number, *problem)
                continue
            if existing is None and not joined_here:
                if coop.sector.code == HOUSING_SECTOR:
                    self.housing[icode] = coop.pk
                    self.housing_coops[coop.pk] = coop
                if person is None and code not in new_people:
                    new_people[code] = d
                new_memberships[(coop.pk, code)] = d
                self.counts["memberships"] += 1
            if amount and (existing is None or (existing, amount, paid_on) not in paid):
                contributions.append(
                    ((coop.pk, code), {"amount": amount, "date": paid_on, "existing": existing})
                )
                self.counts["contributions"] += 1
            elif existing is not None or joined_here:
                self.counts["unchanged"] += 1
            self.touched.add(coop.pk)
        self.counts["people"] += len(new_people)
        if not self.failed and not self.dry_run:
            self._write(people, new_people, new_memberships, contributions)

    def _housing(self, coop, person, icode, d, housing_elsewhere):
        """The rule of one housing cooperative at a time: another open housing membership, in the database or
        earlier in this file."""
        others = [c for c in housing_elsewhere.get(person.pk, []) if c.pk != coop.pk] if person else []
        in_file = self.housing.get(icode)
        if in_file is not None and in_file != coop.pk:
            others.append(self.housing_coops[in_file])
        if not others:
            return None
        other = others[0]
        shown = person or f"{d['first_name']} {d['last_name']}"
        if sees_county(self.user, other.county):
            return (
                "national_code",
                ValidationError(
                    gettext_lazy(
                        "%(person)s is a member of the housing cooperative “%(other)s” (shenasnameh "
                        "%(shenasnameh)s) and cannot be a member of the housing cooperative “%(coop)s” at the "
                        "same time."
                    ),
                    params={
                        "person": shown,
                        "other": other.name,
                        "shenasnameh": digits(other.shenasnameh),
                        "coop": coop.name,
                    },
                ),
            )
        return (
            "national_code",
            ValidationError(
                gettext_lazy(
                    "%(person)s is a member of another housing cooperative and cannot be a member of the housing "
                    "cooperative “%(coop)s” at the same time; the provincial directorate-general sees the other "
                    "membership."
                ),
                params={"person": gettext_lazy("This person"), "coop": coop.name},
            ),
        )

    # writing

    def _history(self, model, objs) -> None:
        insert_many(
            model.history.model,
            objs,
            5000,
            extra={
                "history_date": history_now(),
                "history_change_reason": self.reason,
                "history_type": "+",
                "history_user_id": self.user.pk,
            },
        )

    def _write(self, people, new_people, new_memberships, contributions) -> None:
        now = self.now
        persons = [
            SimpleNamespace(
                national_code=code,
                first_name=d["first_name"].strip(),
                last_name=d["last_name"].strip(),
                name_key=search_key(f"{d['first_name'].strip()} {d['last_name'].strip()}"),
                gender=d["gender"],
                birth_year=d.get("birth_year"),
                mobile=d.get("mobile") or "",
                created_at=now,
                updated_at=now,
            )
            for code, d in new_people.items()
        ]
        insert_many(Person, persons, 5000)
        ids = dict(
            # jurisdiction: the people this import just registered
            Person.objects.filter(national_code__in=list(new_people)).values_list("national_code", "id")
        )
        for p in persons:
            p.id = ids[p.national_code]
        self._history(Person, persons)
        person_id = {**{c: p.pk for c, p in people.items()}, **ids}
        floor = Membership.objects.aggregate(m=Max("id"))["m"] or 0
        members = [
            SimpleNamespace(
                cooperative_id=coop_id,
                person_id=person_id[code],
                join_date=d["join_date"],
                leave_date=None,
                leave_reason="",
                shares=d.get("shares") or 0,
                created_at=now,
                updated_at=now,
            )
            for (coop_id, code), d in new_memberships.items()
        ]
        insert_many(Membership, members, 5000)
        made = {
            (c, p): pk
            # jurisdiction: the memberships this import just made
            for pk, c, p in Membership.objects.filter(id__gt=floor, leave_date__isnull=True).values_list(
                "id", "cooperative_id", "person_id"
            )
        }
        for m in members:
            m.id = made[(m.cooperative_id, m.person_id)]
        self._history(Membership, members)
        floor = Contribution.objects.aggregate(m=Max("id"))["m"] or 0
        paid = []
        for (coop_id, code), c in contributions:
            membership_id = c["existing"] or made[(coop_id, person_id[code])]
            paid.append(
                SimpleNamespace(
                    membership_id=membership_id,
                    date=c["date"],
                    amount_rial=c["amount"],
                    note=self.note,
                    created_at=now,
                    updated_at=now,
                )
            )
        insert_many(Contribution, paid, 5000)
        # jurisdiction: the contributions this import just made, in the order they were written
        written = Contribution.objects.filter(id__gt=floor).order_by("id").values_list("id", "membership_id")
        for obj, (pk, membership_id) in zip(paid, written, strict=True):
            if membership_id != obj.membership_id:
                raise RuntimeError("contributions were written by another process meanwhile; try again")
            obj.id = pk
        self._history(Contribution, paid)

    def finish(self) -> BulkResult:
        """The cooperatives' member figures recomputed once each (and the registry's summary moved with them)."""
        result = self.result
        result.counts = dict(self.counts)
        result.cooperatives = len(self.touched)
        result.committed = not self.failed and not self.dry_run
        if result.committed:
            refresh_figures_many(acting_user=self.user, cooperative_ids=sorted(self.touched), now=self.now)
        return result


FIGURES = ("members_women", "members_men", "capital_paid_rial")


def refresh_figures_many(
    *, acting_user: User, cooperative_ids: list[int], now=None, chunk: int = 2000
) -> int:
    """refresh_cooperative_figures for many cooperatives at once: the member counts and paid-up capital from the
    records, a history row for each record that changed, the registry's summary moved by the difference. Returns
    the number of cooperatives changed."""
    now = now or timezone.now()
    changed_total = 0
    moved_before: list = []
    moved_after: list = []
    history = Cooperative.history.model
    open_ = Q(leave_date__isnull=True)
    for start in range(0, len(cooperative_ids), chunk):
        ids = cooperative_ids[start : start + chunk]
        counts = {
            r["cooperative_id"]: r
            # jurisdiction: the cooperatives the import changed (checked row by row)
            for r in Membership.objects.filter(cooperative_id__in=ids)
            .order_by()
            .values("cooperative_id")
            .annotate(
                total=Count("id"),
                women=Count("id", filter=open_ & Q(person__gender=Gender.FEMALE)),
                men=Count("id", filter=open_ & Q(person__gender=Gender.MALE)),
            )
        }
        capital = dict(
            # jurisdiction: as above
            Contribution.objects.filter(
                membership__cooperative_id__in=ids, membership__leave_date__isnull=True
            )
            .order_by()
            .values("membership__cooperative_id")
            .annotate(s=Sum("amount_rial"))
            .values_list("membership__cooperative_id", "s")
        )
        # jurisdiction: as above
        coops = list(Cooperative.objects.select_for_update().filter(pk__in=ids).order_by())
        before, changed = [], []
        for coop in coops:
            c = counts.get(coop.pk)
            if not c or not c["total"]:
                continue
            figures = (c["women"], c["men"], capital.get(coop.pk) or 0)
            if tuple(getattr(coop, f) for f in FIGURES) == figures:
                continue
            before.append(SimpleNamespace(**_key_fields(coop)))
            for f, v in zip(FIGURES, figures, strict=True):
                setattr(coop, f, v)
            coop.version += 1
            coop.updated_at = now
            changed.append(coop)
        if not changed:
            continue
        table = connection.ops.quote_name(Cooperative._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET members_women = %s, members_men = %s, capital_paid_rial = %s, "  # noqa: S608
                "version = %s, updated_at = %s WHERE id = %s",
                [
                    (
                        c.members_women,
                        c.members_men,
                        c.capital_paid_rial,
                        c.version,
                        connection.ops.adapt_datetimefield_value(now),
                        c.pk,
                    )
                    for c in changed
                ],
            )
        insert_many(
            history,
            changed,
            2000,
            extra={
                "history_date": history_now(),
                "history_change_reason": DERIVED_REASON,
                "history_type": "~",
                "history_user_id": acting_user.pk,
            },
        )
        moved_before += before
        moved_after += [SimpleNamespace(**_key_fields(c)) for c in changed]
        changed_total += len(changed)
    # the summary moved once for all of them: one update per summary row touched, not per chunk
    summary.counts_remove(moved_before)
    summary.counts_add(moved_after)
    return changed_total


def _key_fields(coop: Cooperative) -> dict:
    return {
        "county_id": coop.county_id,
        "sector_id": coop.sector_id,
        "status": coop.status,
        **{f: getattr(coop, f) for f in FIGURES},
    }


def members_import_many(
    *,
    acting_user: User,
    rows: Iterable[tuple[int, dict]],
    reason: str,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    max_problems: int = MAX_PROBLEMS,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Import (row number, fields) pairs in one transaction, all or nothing: any row with a problem and nothing
    is written; every problem is reported (the first `max_problems` in full, then counted)."""
    with transaction.atomic():
        bulk = MembersBulk(acting_user=acting_user, reason=reason, dry_run=dry_run, max_problems=max_problems)
        iterator = iter(rows)
        while chunk := list(islice(iterator, chunk_size)):
            bulk.add(chunk)
            if progress:
                progress(bulk.result.rows)
        result = bulk.finish()
        if not result.committed:
            transaction.set_rollback(True)
    return result


__all__ = ["BulkResult", "MembersBulk", "Problem", "members_import_many", "refresh_figures_many"]
