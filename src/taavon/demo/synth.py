"""A synthetic nation (`taavon synth`): cooperatives over all 31 provinces and 479 counties, with members, capital
contributions, assemblies, returns, status histories and projects with facilities and stages — realistic, valid
by construction and reproducible (one seeded random generator; the same seed on the same database gives the same
rows).

Written in bulk, not one save per row: the rows are built as plain tuples and written with executemany of one
INSERT per table (COPY on PostgreSQL), one transaction per batch of cooperatives (so a stopped run leaves whole batches: every record
with its history rows, memberships and counts). Every record gets its django-simple-history row ("+", the acting
user, one history date, version 1), as a save through a service would. Primary keys are given explicitly (from the
table's largest id), so no row is read back; on PostgreSQL the id sequences are reset at the end.

Rules kept by construction (and checked by tests/demo/test_synth.py): national codes and legal IDs have valid
check digits and are unique (checked against the database batch by batch); shenasnameh numbers are issued per
province and registration year after the ShenasnamehSequence's last number, which is advanced; member counts equal
the open memberships by gender; paid-up capital is the sum of the members' contributions; the last general assembly
is the last ordinary GeneralAssembly; the status is the last StatusChange's; a project's stage is its last
StageChange's and follows the allowed edges; a facility has requested ≥ approved ≥ paid.

SQLite: the pragmas Taavon always runs with (WAL, synchronous=NORMAL) are already the fastest safe ones; the
load raises the page cache to 512 MB for its own connection. Nothing unsafe (synchronous=OFF, journal_mode=OFF)
is used, since the loader cannot know that it owns the file."""

import datetime
import random
from bisect import bisect
from collections import Counter
from itertools import accumulate
from operator import itemgetter

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from taavon.accounts.models import Role, User
from taavon.members.demo import DECISIONS, FEMALE, LAST, MALE
from taavon.members.models import (
    AnnualReturn,
    AssemblyKind,
    Contribution,
    Gender,
    GeneralAssembly,
    Person,
)
from taavon.members.models import Membership as MemberRow
from taavon.persian import (
    jalali_year,
    legal_id_check_digit,
    search_key,
    to_gregorian,
    to_persian_digits,
)
from taavon.persian.collation import name_sort_key
from taavon.places.models import County
from taavon.projects.demo import BANKS, SCHEMES
from taavon.projects.models import Facility, Project, Stage, StageChange
from taavon.registry.demo import ACTIVITY_NAMES, DISTINCT, REASONS, STATUS_PLAN, _typed_like_people
from taavon.registry.models import (
    Activity,
    Cooperative,
    CooperativeType,
    Membership,
    ShenasnamehSequence,
    Status,
    StatusChange,
)
from taavon.registry.search import fts_deferred

REASON = "بارگذاری دادهٔ نمونهٔ ملی (synth)"
FIRST_YEAR = 1370  # registration dates from 1370 (Jalali) to today
REGISTRATION_REASON = "ثبت تعاونی"
# a 9- (national code) or 8-digit (legal ID) counter put through a bijection: unique, and not in order
_NC_SPACE, _LEGAL_SPACE = 10**9, 10**8
_STAGE_PATHS = {
    Stage.STUDY: [],
    Stage.LICENSING: [Stage.LICENSING],
    Stage.CONSTRUCTION: [Stage.LICENSING, Stage.CONSTRUCTION],
    Stage.READY: [Stage.LICENSING, Stage.CONSTRUCTION, Stage.READY],
    Stage.OPENED: [Stage.LICENSING, Stage.CONSTRUCTION, Stage.READY, Stage.OPENED],
    Stage.STALLED: [Stage.CONSTRUCTION, Stage.STALLED],
    Stage.CANCELLED: [Stage.CANCELLED],
}
_STAGE_PLAN = [
    (Stage.STUDY, 12),
    (Stage.LICENSING, 10),
    (Stage.CONSTRUCTION, 25),
    (Stage.READY, 8),
    (Stage.OPENED, 30),
    (Stage.STALLED, 10),
    (Stage.CANCELLED, 5),
]
_PROGRESS = {
    Stage.STUDY: (0, 5),
    Stage.LICENSING: (0, 10),
    Stage.CONSTRUCTION: (10, 90),
    Stage.READY: (95, 100),
    Stage.OPENED: (100, 100),
    Stage.STALLED: (5, 80),
    Stage.CANCELLED: (0, 20),
}


class _Table:
    """One table's INSERT (and its history table's). Rows are dicts by attribute name, all with the same keys, their
    dates as date objects and their datetimes already adapted for the database (`_Clock`); the columns a row does
    not give take one value for all rows (the field's default, or the history row's user, date and type)."""

    def __init__(self, model, *, history: bool = True):
        self.model = model
        self.history_model = model.history.model if history else None
        self.rows: list[dict] = []
        self.written = 0
        self._plans: dict = {}

    def next_id(self) -> int:
        return (self.model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    @staticmethod
    def _plan(model, keys, fixed: dict):
        ops = connection.ops
        fields = [
            f for f in model._meta.concrete_fields if f.attname in keys or not isinstance(f, models.AutoField)
        ]
        own = [f for f in fields if f.attname in keys]
        rest = [f for f in fields if f.attname not in keys]
        tail = []
        for f in rest:
            value = fixed[f.attname] if f.attname in fixed else (None if f.null else f.get_default())
            if value is not None and isinstance(f, models.DateTimeField):
                value = ops.adapt_datetimefield_value(value)
            elif value is not None and isinstance(f, models.DateField):
                value = ops.adapt_datefield_value(value)
            tail.append(value)
        columns = ", ".join(ops.quote_name(f.column) for f in own + rest)
        marks = ", ".join(["%s"] * len(own + rest))
        if connection.vendor == "postgresql":
            sql = f"COPY {ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        else:
            sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
        names = [f.attname for f in own]
        getter = itemgetter(*names) if len(names) > 1 else (lambda r, n=names[0]: (r[n],))
        return sql, getter, tuple(tail)

    def flush(self, cursor, fixed: dict, history_extra: dict) -> None:
        if not self.rows:
            return
        keys = frozenset(self.rows[0])
        targets = [(self.model, fixed)]
        if self.history_model is not None:
            targets.append((self.history_model, {**fixed, **history_extra}))
        for model, fixed in targets:
            plan = self._plans.get(model)
            if plan is None:
                plan = self._plans[model] = self._plan(model, keys, fixed)
            sql, getter, tail = plan
            if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs there
                with cursor.cursor.copy(sql) as copy:
                    for row in self.rows:
                        copy.write_row(getter(row) + tail)
            else:
                cursor.executemany(sql, [getter(row) + tail for row in self.rows])
        self.written += len(self.rows)
        self.rows = []


def _acting_user() -> User:
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username="synth",
            defaults={"role": Role.ADMIN, "first_name": "دادهٔ", "last_name": "نمونه", "is_active": False},
        )
    return user


def _bijection(rng: random.Random, space: int):
    """x → (a·x + b) mod space with a prime to space: a permutation of the counter's values."""
    a = rng.randrange(space // 3, space) | 1
    while a % 5 == 0:
        a += 2
    b = rng.randrange(space)
    return lambda x: (a * x + b) % space


def _taken(model, field: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 900):
        found.update(
            model.objects.filter(**{f"{field}__in": values[start : start + 900]}).values_list(
                field, flat=True
            )
        )
    return found


class _Identifiers:
    """Valid, unique national codes and legal IDs: counters through a bijection, with check digits; any value the
    database already holds is skipped (one indexed query per 900 values)."""

    def __init__(self, rng: random.Random):
        self.code = _bijection(rng, _NC_SPACE)
        self.legal = _bijection(rng, _LEGAL_SPACE)
        self.nc_next = Person.objects.count()
        self.legal_next = Cooperative.objects.filter(legal_id__startswith="14").count()

    def national_codes(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            batch = []
            while len(batch) < n - len(out):
                x = self.code(self.nc_next)
                self.nc_next += 1
                if x < 1_000_000:  # the first three digits (a place's code) are never 000
                    continue
                # the check digit (persian.identifiers): weights 10..2 over the nine digits, mod 11
                total, rest = 0, x
                for weight in range(2, 11):
                    rest, digit = divmod(rest, 10)
                    total += digit * weight
                r = total % 11
                code = f"{x:09d}{r if r < 2 else 11 - r}"
                if code.count(code[0]) != 10:
                    batch.append(code)
            taken = _taken(Person, "national_code", batch)
            out.extend(c for c in batch if c not in taken)
        return out

    def legal_ids(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            batch = []
            while len(batch) < n - len(out):
                first10 = f"14{self.legal(self.legal_next):08d}"
                self.legal_next += 1
                if first10[3:9] == "000000":
                    continue
                batch.append(first10 + legal_id_check_digit(first10))
            taken = _taken(Cooperative, "legal_id", batch)
            out.extend(c for c in batch if c not in taken)
        return out


def _weighted(rng: random.Random, plan: list[tuple]):
    cum = list(accumulate(w for _, w in plan))
    values = [v for v, _ in plan]
    total = cum[-1]
    return lambda: values[bisect(cum, rng.random() * total)]


def synth(
    *,
    cooperatives: int,
    members_per_coop: int = 3,
    projects: int = 0,
    seed: int = 1,
    progress: bool = True,
    acting_user=None,
    batch: int = 20_000,
) -> dict:
    """Add `cooperatives` synthetic cooperatives (each with `members_per_coop` members) and `projects` projects to
    the database, in bulk. Returns the counts written and the seconds taken."""
    started = timezone.now()
    clock = datetime.datetime.now()
    acting_user = acting_user or _acting_user()
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    history_extra = {
        "history_date": now,
        "history_change_reason": REASON,
        "history_type": "+",
        "history_user_id": acting_user.pk,
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-524288")

    counties = list(County.objects.select_related("province").order_by("pk"))
    # a county's weight: a little random around one (provinces with more counties have more cooperatives)
    county_pick = _weighted(rng, [(c, rng.uniform(0.4, 1.6)) for c in counties])
    activities = list(Activity.objects.select_related("sector").filter(is_active=True).order_by("pk"))
    types = {t.code: t for t in CooperativeType.objects.all()}
    type_ids = sorted(t.pk for t in types.values())
    activity_plan = []
    for a in activities:
        phrases, type_code = ACTIVITY_NAMES.get(a.code, ([a.name_fa], None))
        type_id = types[type_code].pk if type_code in types else None
        activity_plan.append(((a, phrases, type_id), 3 if a.code in ACTIVITY_NAMES else 1))
    activity_pick = _weighted(rng, activity_plan)
    status_pick = _weighted(rng, STATUS_PLAN)
    stage_pick = _weighted(rng, _STAGE_PLAN)
    # every day from 1370-01-01 to today, with its Jalali year
    first = to_gregorian(FIRST_YEAR, 1, 1)
    days = [first + datetime.timedelta(days=i) for i in range((today - first).days + 1)]
    years = [jalali_year(d) for d in days]
    tz = timezone.get_current_timezone()
    adapt = connection.ops.adapt_datetimefield_value
    moment: dict = {}

    def at(d: datetime.date) -> datetime.datetime:
        """Half past nine on that day, adapted for the database once."""
        if d not in moment:
            moment[d] = adapt(datetime.datetime.combine(d, datetime.time(9, 30), tzinfo=tz))
        return moment[d]

    def day_after(d: datetime.date, lo: int = 0) -> datetime.date:
        """A day between d+lo and today."""
        i = (d - first).days + lo
        if i >= len(days) - 1:
            return today
        return days[i + int(rand() * (len(days) - i))]

    rand = rng.random
    ids = _Identifiers(rng)
    tables = {
        m: _Table(m, history=m not in (StatusChange, StageChange))
        for m in (
            Cooperative,
            StatusChange,
            Person,
            MemberRow,
            Contribution,
            GeneralAssembly,
            AnnualReturn,
            Project,
            StageChange,
            Facility,
        )
    }
    next_id = {m: t.next_id() for m, t in tables.items()}
    sequences = {(s.province_id, s.jalali_year): s.last for s in ShenasnamehSequence.objects.all()}
    start_sequences = dict(sequences)
    # names used in a county: (county, name parts) → how many so far (the next gets «شماره n»)
    used_names: Counter = Counter()
    existing_keys = (
        set(Cooperative.objects.values_list("county_id", "name_key")) if cooperatives <= 200_000 else None
    )
    name_key_memo: dict = {}
    user_id = acting_user.pk

    bar = tqdm(total=cooperatives, desc="cooperatives", unit="coop", disable=not progress, smoothing=0.05)
    projects_left = projects
    done = 0
    while done < cooperatives:
        n = min(batch, cooperatives - done)
        legal = iter(ids.legal_ids(n))
        codes = iter(ids.national_codes(n * members_per_coop))
        active_coops = []
        with transaction.atomic():
            for _ in range(n):
                _coop(
                    rng, tables, next_id, county_pick, activity_pick, status_pick, days, years, first, today,
                    at, day_after, legal, codes, members_per_coop, sequences, used_names, existing_keys,
                    name_key_memo, type_ids, user_id, now, active_coops,
                )  # fmt: skip
            share = (
                projects_left
                if done + n >= cooperatives
                else round(projects * (done + n) / cooperatives) - (projects - projects_left)
            )
            for _ in range(min(share, projects_left)):
                if not active_coops:
                    break
                _project(
                    rng,
                    tables,
                    next_id,
                    rng.choice(active_coops),
                    stage_pick,
                    today,
                    at,
                    day_after,
                    user_id,
                    now,
                )
                projects_left -= 1
            with connection.cursor() as cursor, fts_deferred():
                for table in tables.values():
                    table.flush(cursor, {"created_at": now, "updated_at": now}, history_extra)
            _advance_sequences(sequences, start_sequences)
        done += n
        bar.update(n)
    bar.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
                cursor.execute(sql)
    _rebuild_summaries()
    seconds = (datetime.datetime.now() - clock).total_seconds()
    counts = {m._meta.model_name: t.written for m, t in tables.items()}
    rows = sum(counts.values()) + sum(t.written for t in tables.values() if t.history_model is not None)
    return {
        **counts,
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "started": started.isoformat(),
    }


def _advance_sequences(sequences: dict, start: dict) -> None:
    """Write the last shenasnameh number issued per province and year (an UPDATE for the existing rows, one
    INSERT for the new ones)."""
    changed = [(key, last) for key, last in sequences.items() if start.get(key) != last]
    if not changed:
        return
    old = [(last, province_id, year) for (province_id, year), last in changed if (province_id, year) in start]
    new = [
        ShenasnamehSequence(province_id=province_id, jalali_year=year, last=last)
        for (province_id, year), last in changed
        if (province_id, year) not in start
    ]
    table = connection.ops.quote_name(ShenasnamehSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET last = %s WHERE province_id = %s AND jalali_year = %s",  # noqa: S608
            old,
        )
    ShenasnamehSequence.objects.bulk_create(new, batch_size=500)
    start.update(changed)


def _rebuild_summaries() -> None:
    """The dashboard's summary tables (when the apps have them) recounted from the records just loaded."""
    try:
        from taavon.registry import summary as registry_summary
    except ImportError:
        registry_summary = None
    if registry_summary is not None and hasattr(registry_summary, "counts_rebuild"):
        registry_summary.counts_rebuild()
    try:
        from taavon.projects import summary as projects_summary
    except ImportError:
        projects_summary = None
    if projects_summary is not None and hasattr(projects_summary, "sums_rebuild"):
        projects_summary.sums_rebuild()


def _fast_randrange(rand):
    """randrange(n) or randrange(a, b) from one random() draw (randrange is five times slower; the bias is nil)."""

    def randrange(a: int, b: int | None = None) -> int:
        if b is None:
            return int(rand() * a)
        return a + int(rand() * (b - a))

    return randrange


_person_keys: dict = {}


def _person_key(first_name: str, last_name: str) -> str:
    key = _person_keys.get((first_name, last_name))
    if key is None:
        key = _person_keys[(first_name, last_name)] = search_key(f"{first_name} {last_name}")
    return key


def _status_steps(target: str, rng: random.Random) -> list[str]:
    return {
        Status.ACTIVE: [Status.ACTIVE] + ([Status.DORMANT, Status.ACTIVE] if rng.random() < 0.1 else []),
        Status.DORMANT: [Status.ACTIVE, Status.DORMANT],
        Status.LIQUIDATING: [Status.ACTIVE, Status.DORMANT, Status.LIQUIDATING],
        Status.DISSOLVED: [Status.ACTIVE, Status.LIQUIDATING, Status.DISSOLVED],
        Status.UNKNOWN: [],
    }[target]


def _coop(
    rng, tables, next_id, county_pick, activity_pick, status_pick, days, years, first, today, at, day_after,
    legal, codes, members_per_coop, sequences, used_names, existing_keys, name_key_memo, type_ids, user_id, now,
    active_coops,
) -> None:  # fmt: skip
    rand = rng.random
    randrange = _fast_randrange(rand)
    county = county_pick()
    activity, phrases, type_id = activity_pick()
    # the name: unique in the county (a number is added to a repeated one, as the registry does)
    parts = (
        randrange(2),
        randrange(len(phrases)),
        randrange(len(DISTINCT)),
        rand() < 0.3,
    )
    base = f"{'شرکت تعاونی' if parts[0] else 'تعاونی'} {phrases[parts[1]]} {DISTINCT[parts[2]]}"
    if parts[3]:
        base += f" {county.name_fa}"
    mk = (activity.pk, parts)
    base_key = name_key_memo.get(mk)
    if base_key is None:
        base_key = name_key_memo[mk] = search_key(base)
    while True:
        seen = used_names[(county.pk, mk)]
        used_names[(county.pk, mk)] = seen + 1
        name = base if not seen else f"{base} شماره {to_persian_digits(seen + 1)}"
        key = base_key if not seen else search_key(name)
        if existing_keys is None or (county.pk, key) not in existing_keys:
            break
    name = _typed_like_people(rng, name)

    coop_id = next_id[Cooperative]
    next_id[Cooperative] += 1
    reg_index = randrange(len(days) - 60)
    reg_date = days[reg_index]
    year = years[reg_index]
    seq_key = (county.province_id, year)
    number = sequences.get(seq_key, 0) + 1
    sequences[seq_key] = number
    target = status_pick()

    # status history: registered active (or unknown: no history), then the steps to the present status
    changes = tables[StatusChange]
    previous, when = Status.UNKNOWN, reg_date
    for step in _status_steps(target, rng):
        when = when if previous == Status.UNKNOWN else day_after(when, 30)
        changes.rows.append(
            {
                "id": next_id[StatusChange],
                "cooperative_id": coop_id,
                "from_status": previous,
                "to_status": step,
                "reason": REASONS.get(step, REGISTRATION_REASON)
                if previous != Status.UNKNOWN
                else REGISTRATION_REASON,
                "evidence": "",
                "changed_by_id": user_id,
                "changed_at": at(when),
                "effective_date": when,
            }
        )
        next_id[StatusChange] += 1
        previous = step
    status_changed_at = at(when) if target != Status.UNKNOWN else None

    # members: people with valid national codes, open memberships, one contribution each
    women = men = paid = 0
    people, memberships, contributions = tables[Person], tables[MemberRow], tables[Contribution]
    for _ in range(members_per_coop):
        female = rand() < 0.35
        first_name = FEMALE[randrange(len(FEMALE))] if female else MALE[randrange(len(MALE))]
        last_name = LAST[randrange(len(LAST))]
        person_id = next_id[Person]
        next_id[Person] += 1
        people.rows.append(
            {
                "id": person_id,
                "national_code": next(codes),
                "first_name": first_name,
                "last_name": last_name,
                "name_key": _person_key(first_name, last_name),
                "gender": Gender.FEMALE if female else Gender.MALE,
                "birth_year": 1330 + randrange(55),
                "mobile": f"09{randrange(10**8, 10**9)}" if rand() < 0.6 else "",
            }
        )
        joined = day_after(reg_date) if rand() < 0.4 else reg_date
        membership_id = next_id[MemberRow]
        next_id[MemberRow] += 1
        shares = 1 + randrange(100)
        memberships.rows.append(
            {
                "id": membership_id,
                "cooperative_id": coop_id,
                "person_id": person_id,
                "join_date": joined,
                "leave_date": None,
                "leave_reason": "",
                "shares": shares,
            }
        )
        amount = shares * 1_000_000
        contributions.rows.append(
            {
                "id": next_id[Contribution],
                "membership_id": membership_id,
                "date": joined,
                "amount_rial": amount,
                "note": "",
            }
        )
        next_id[Contribution] += 1
        paid += amount
        if female:
            women += 1
        else:
            men += 1
    if not members_per_coop:  # no member records: the counts the cooperative declared
        women, men = randrange(0, 40), randrange(7, 120)
        paid = randrange(5, 5000) * 7_000_000
    registered = max(paid, 10_000_000) * (1 + randrange(3))

    # assemblies: a working cooperative meets every year; the last ordinary one is the record's date
    assemblies = tables[GeneralAssembly]
    last_assembly = None
    n_assemblies = (1 + randrange(3)) if target == Status.ACTIVE else randrange(2)
    for _ in range(n_assemblies):
        d = day_after(reg_date, 20) if last_assembly is None else day_after(last_assembly, 200)
        if target == Status.ACTIVE and last_assembly is None and rand() < 0.8:
            d = day_after(max(reg_date, today - datetime.timedelta(days=400)))
        assemblies.rows.append(
            {
                "id": next_id[GeneralAssembly],
                "cooperative_id": coop_id,
                "date": d,
                "kind": AssemblyKind.ORDINARY,
                "quorum_present": True,
                "attendees": max(1, members_per_coop - randrange(2)) if members_per_coop else None,
                "decisions": DECISIONS[randrange(len(DECISIONS))],
                "minutes": "",
            }
        )
        next_id[GeneralAssembly] += 1
        last_assembly = d if last_assembly is None or d > last_assembly else last_assembly
    if target in (Status.LIQUIDATING, Status.DISSOLVED):
        assemblies.rows.append(
            {
                "id": next_id[GeneralAssembly],
                "cooperative_id": coop_id,
                "date": day_after(reg_date, 30),
                "kind": AssemblyKind.EXTRAORDINARY,
                "quorum_present": True,
                "attendees": members_per_coop or None,
                "decisions": REASONS[Status.LIQUIDATING],
                "minutes": "",
            }
        )
        next_id[GeneralAssembly] += 1

    # annual returns: four in ten working cooperatives filed the last one or two
    if target == Status.ACTIVE and rand() < 0.4:
        this_year = jalali_year(today)
        for fiscal_year in range(this_year - 1 - randrange(2), this_year):
            if to_gregorian(fiscal_year, 1, 1) < reg_date:
                continue
            revenue = randrange(10, 100_000) * 1_000_000
            assets = randrange(10, 50_000) * 1_000_000
            tables[AnnualReturn].rows.append(
                {
                    "id": next_id[AnnualReturn],
                    "cooperative_id": coop_id,
                    "fiscal_year": fiscal_year,
                    "revenue_rial": revenue,
                    "assets_rial": assets,
                    "liabilities_rial": assets * randrange(90) // 100,
                    "profit_rial": revenue * (randrange(40) - 10) // 100,
                    "employees": randrange(50),
                    "members_year_end": members_per_coop,
                    "statements": "",
                    "filed_on": min(today, to_gregorian(fiscal_year + 1, 2, 1 + randrange(28))),
                }
            )
            next_id[AnnualReturn] += 1

    province_number = county.province.number
    tables[Cooperative].rows.append(
        {
            "id": coop_id,
            "version": 1,
            "shenasnameh": f"{province_number}-{year}-{number:05d}",
            "legal_id": next(legal) if rand() < 0.93 else None,
            "registration_number": str(randrange(100, 999_999)),
            "registration_date": reg_date,
            "name": name,
            "name_key": key,
            "name_sort": name_sort_key(name),
            "type_id": type_id or type_ids[randrange(len(type_ids))],
            "sector_id": activity.sector_id,
            "activity_id": activity.pk,
            "membership": Membership.OPEN
            if activity.code in {"consumer", "credit", "housing"}
            else Membership.CLOSED,
            "county_id": county.pk,
            "address": f"{county.name_fa}، خیابان {DISTINCT[randrange(len(DISTINCT))]}، پلاک {to_persian_digits(1 + randrange(250))}",
            "postal_code": str(randrange(10**9, 10**10)),
            "phone": f"0{randrange(11, 88)}{randrange(10**7, 10**8)}",
            "members_women": women,
            "members_men": men,
            "founding_members": max(women + men, 7) if not members_per_coop else women + men,
            "capital_registered_rial": registered,
            "capital_paid_rial": paid,
            "board_term_end": day_after(today - datetime.timedelta(days=300))
            + datetime.timedelta(days=randrange(900))
            if target == Status.ACTIVE
            else day_after(reg_date, 365),
            "last_general_assembly": last_assembly,
            "notes": "",
            "status": target,
            "status_changed_at": status_changed_at,
        }
    )
    if target == Status.ACTIVE:
        active_coops.append((coop_id, county.pk, activity, reg_date))


def _project(rng, tables, next_id, coop, stage_pick, today, at, day_after, user_id, now) -> None:
    coop_id, county_id, activity, reg_date = coop
    randrange = _fast_randrange(rng.random)
    target = stage_pick()
    project_id = next_id[Project]
    next_id[Project] += 1
    start = day_after(reg_date, 30)
    title = f"طرح {activity.name_fa} {DISTINCT[randrange(len(DISTINCT))]}"
    investment = randrange(1, 2_000) * 1_000_000_000
    jobs = 2 + randrange(60)
    steps, when, previous = [], start, Stage.STUDY
    for stage in _STAGE_PATHS[target]:
        when = day_after(when, 20)
        steps.append(
            {
                "id": next_id[StageChange],
                "project_id": project_id,
                "from_stage": previous,
                "to_stage": stage,
                "date": when,
                "reason": "",
                "changed_by_id": user_id,
                "changed_at": at(when),
            }
        )
        next_id[StageChange] += 1
        previous = stage
    for step in steps:
        tables[StageChange].rows.append(step)
    lo, hi = _PROGRESS[target]
    opened = target == Stage.OPENED
    tables[Project].rows.append(
        {
            "id": project_id,
            "version": 1,
            "cooperative_id": coop_id,
            "title": title,
            "title_key": search_key(title),
            "sector_id": activity.sector_id,
            "activity_id": activity.pk,
            "county_id": county_id,
            "stage": target,
            "investment_rial": investment,
            "members_contribution_rial": investment * randrange(10, 60) // 100,
            "jobs_direct_planned": jobs,
            "jobs_indirect_planned": jobs * randrange(1, 4),
            "jobs_women_planned": jobs * randrange(0, 60) // 100,
            "jobs_direct_actual": jobs - randrange(min(jobs, 3)) if opened else None,
            "jobs_indirect_actual": jobs * randrange(1, 3) if opened else None,
            "jobs_women_actual": jobs * randrange(0, 50) // 100 if opened else None,
            "start_date": start,
            "expected_opening_date": None
            if opened
            else start + datetime.timedelta(days=365 + randrange(900)),
            "actual_opening_date": when if opened else None,
            "progress_percent": lo + randrange(hi - lo + 1),
            "notes": "",
        }
    )
    for _ in range(randrange(3) if target != Stage.CANCELLED else 0):
        requested = investment * randrange(10, 70) // 100
        approved = requested * randrange(50, 101) // 100
        paid = approved * randrange(0, 101) // 100
        requested_date = day_after(start)
        approved_date = day_after(requested_date, 30)
        tables[Facility].rows.append(
            {
                "id": next_id[Facility],
                "version": 1,
                "project_id": project_id,
                "bank": BANKS[randrange(len(BANKS))],
                "scheme": SCHEMES[randrange(len(SCHEMES))],
                "requested_rial": requested,
                "approved_rial": approved,
                "paid_rial": paid,
                "requested_date": requested_date,
                "approved_date": approved_date,
                "paid_date": day_after(approved_date, 10) if paid else None,
            }
        )
        next_id[Facility] += 1
