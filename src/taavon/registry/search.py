"""Finding a cooperative by what a person types: its name (any spelling), its shenasnameh, legal ID or registration
number, or the name of its county.

Identifier-shaped input (only digits and separators) goes to the unique/indexed columns alone. A name goes to a
substring index: on SQLite the FTS5 table `registry_cooperative_name_fts` (trigram tokenizer, kept current by
triggers; migration 0015), on PostgreSQL the trigram GIN index on name_key (migration 0003), which serves
`LIKE '%…%'` itself. A trigram index cannot find a token shorter than three characters: such tokens filter the
matches of the longer ones, and a query made only of them scans name_key, bounded by the page's LIMIT and the
capped count (taavon.core.paging).

A name that matches many records («تولید» in a tenth of them) is better found the other way round: walking the
name_sort index in alphabetical order and keeping the rows whose name contains the words, rather than fetching and
sorting the whole FTS5 answer (100,000 rows for a common word at 1M). The index's answer read no further than
DENSE + 1 ids (`fts_ids_capped` on SQLite, `like_ids` on PostgreSQL) decides whether: up to DENSE matches those ids
are the search — the page and its count read them by id and sort them, without asking the index again. Past it,
how the order is walked depends on where the matches sit in it (`like_share`, the first 2,000 names): a word
spread through it («شرکت», half the names) is walked with LIKE and fills a page after a few dozen rows; a word
clustered in it («مصرف»: the names that begin with it, far down the alphabet) is walked on the name index alone,
which holds the id, against the FTS5 answer as a set (`+id IN (…)`) — the LIKE walk would read most of the table
first (4.4 s against 0.29 s for «مصرف» at 1M). The page's count comes from the FTS5 table too
(`dense_count`) when the search is the list's only filter.
"""

import contextlib
import re
import sqlite3

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from taavon.core.memo import memoized
from taavon.persian import name_search_tokens, only_digits, to_ascii_digits
from taavon.places.models import County
from taavon.places.selectors import counties_named

FTS_TABLE = "registry_cooperative_name_fts"
TRIGRAM = 3  # the shortest token a trigram index can find
DENSE = 2_000  # more matches than this: walk the name order with LIKE rather than sort the index's answer
SHENASNAMEH_RE = re.compile(r"^\s*(\d{2})\s*[-/ ]?\s*(\d{4})\s*[-/ ]?\s*(\d{1,6})\s*$")
_SEPARATORS = re.compile(r"[\s\-/]")


def _sqlite_has_trigram() -> bool:
    """This Python's SQLite has FTS5 with the trigram tokenizer (SQLite ≥ 3.34 built with FTS5)."""
    try:
        db = sqlite3.connect(":memory:")
        try:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return True


SQLITE_TRIGRAM = _sqlite_has_trigram()


def uses_fts() -> bool:
    """Whether name tokens go to the FTS5 table (SQLite with trigram; migration 0015 created it there)."""
    return connection.vendor == "sqlite" and SQLITE_TRIGRAM


def identifier_q(text: str) -> Q | None:
    """The lookup of identifier-shaped input (a shenasnameh in any digits and separators, a legal ID, a registration
    number) on its indexed columns; None when the text is not shaped like an identifier."""
    ascii_text = to_ascii_digits(text)
    digits = only_digits(text)
    found = None
    match = SHENASNAMEH_RE.match(ascii_text)
    if match:
        province, year, seq = match.groups()
        found = Q(shenasnameh=f"{province}-{year}-{int(seq):05d}")
    if digits and len(digits) >= 3 and len(digits) >= len(_SEPARATORS.sub("", ascii_text)):
        numbers = Q(legal_id=digits) | Q(registration_number=digits)
        found = numbers if found is None else found | numbers
    return found


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_ids(tokens: list[str]) -> RawSQL:
    """The ids of the cooperatives whose name_key contains every token (each at least three characters long)."""
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (_fts_query(tokens),))  # noqa: S611


def _fts_query(tokens: list[str]) -> str:
    return " AND ".join(_fts_phrase(t) for t in tokens)


def fts_count(tokens: list[str], cap: int) -> int:
    """How many names contain every token (each at least three characters), counting no further than `cap`: the
    FTS5 table alone, read in rowid order and stopped at the cap (a few milliseconds even for a word every name
    has)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",  # noqa: S608
            [_fts_query(tokens), cap],
        )
        return cursor.fetchone()[0]


def fts_ids_capped(tokens: list[str], cap: int) -> list[int]:
    """The ids of the names that contain every token (each at least three characters), at most `cap` of them, from
    the FTS5 table alone. A search of a few words that together match few names («صنایع دستی گلیم بیستون») costs the
    index 5–15 ms at 1M — once a request (taavon.core.memo): the page and its count take the ids from here, not from
    the index again. The memo's key holds the database's version: SQLite's `data_version` moves when another
    connection commits, `total_changes()` when this one writes — but a rollback moves neither, so inside a
    transaction (which may yet roll back what it wrote) nothing is kept; and the key holds the connection itself, so
    two connections of one request never share an answer."""
    query = _fts_query(tokens)

    def read() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",  # noqa: S608
                [query, cap],
            )
            return [row[0] for row in cursor.fetchall()]

    if connection.in_atomic_block:
        return read()
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes(), data_version FROM pragma_data_version")
        version = tuple(cursor.fetchone())
    return memoized(("registry.fts_ids", connection.connection, version, query, cap), read)


def _indexed(tokens: list[str], counties: dict, fts: bool) -> list[str]:
    return [t for t in tokens if fts and len(t) >= TRIGRAM and t not in counties]


def _likes(tokens: list[str]) -> tuple[str, list[str]]:
    """`name_key` contains every token, as SQL and its parameters (a search key holds letters, digits and "."
    only — persian.search_key —: nothing LIKE reads as a wildcard)."""
    return " AND ".join(["name_key LIKE %s"] * len(tokens)), [f"%{t}%" for t in tokens]


# `+id`: SQLite's planner may not drive the query from the id list (its unary plus hides the column from the
# index), so it walks the name order's index — which holds the id, so the walk never reads a table row — and keeps
# the ids the FTS5 answer has
_PLUS_ID = Func(F("id"), template="+%(expressions)s", output_field=IntegerField())


def name_q(
    tokens: list[str], *, counties: dict, fts: bool, walk: bool = False, ids: list[int] | None = None
) -> Q:
    """Every token in the name (AND); a token that names a county also finds that county's cooperatives.
    `walk`: the FTS5 answer as a set the name-order walk checks (many matches clustered in that order).
    `ids`: the names the long tokens match, already taken from the index (at most DENSE of them): the page and its
    count read those rows by id and sort them, rather than ask the index again — on PostgreSQL the planner would
    otherwise walk the name order's index hoping to meet them soon, and read most of the table when they sit late
    in it (1.5 s for «سرمایه‌گذاری چنار» at 1M)."""
    q = Q() if ids is None else ids_q(ids)
    indexed = [] if ids is not None else _indexed(tokens, counties, fts)
    if indexed:
        q &= Q(In(_PLUS_ID, fts_ids(indexed))) if walk else Q(id__in=fts_ids(indexed))
    for token in tokens:
        if token in indexed:
            continue
        if ids is not None and len(token) >= TRIGRAM and token not in counties:
            continue  # the ids hold it
        if fts and len(token) >= TRIGRAM:
            word = Q(id__in=fts_ids([token]))
        else:  # too short for a trigram (or no FTS): filters the rows the other tokens found
            word = Q(name_key__contains=token)
        if token in counties:
            word |= Q(county_id__in=sorted(counties[token]))
        q &= word
    return q


def ids_q(ids: list[int]) -> Q:
    """The cooperatives with these ids (at most DENSE): the page sorts them. On PostgreSQL as `unnest()` of one
    array: told by an IN list how many ids there are, its planner walks the name order's index hoping to meet them
    soon, and reads most of the table when they sit late in it (1,274 ms against 14 ms for the 1,772 ids of
    «سرمایه‌گذاری چنار» at 1M)."""
    if connection.vendor == "postgresql":
        return Q(id__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))  # noqa: S611
    return Q(id__in=ids)


def search_q(text: str, *, within: QuerySet, fts: bool | None = None) -> Q:
    """Find a cooperative by name however it is typed, or by shenasnameh, legal ID or registration number; a word
    that names one of the counties `within` (the user's; all of them for the public register) — or a county's former
    name or capital («الشتر» for سلسله) — also finds the cooperatives of that county.

    `fts=False` forces the plain LIKE path (the reference the FTS path is tested and measured against)."""
    found = identifier_q(text)
    if found is not None:  # identifier-shaped: its unique/indexed columns alone, no name scan
        return found
    # «شرکت», «تعاونی» and the like do not decide whether a name is found: «شرکت تعاونی زاگرس» finds «تعاونی زاگرس»
    tokens = name_search_tokens(text)
    if not tokens:
        return Q(pk__in=[])
    counties = counties_named(tokens, within=within)
    walk = False
    if fts is None:
        fts = uses_fts()
        if not counties and all(
            len(t) < TRIGRAM for t in tokens
        ):  # no trigram index can find them («77», «کو»)
            ids = like_ids(tokens, DENSE + 1)
            if len(ids) <= DENSE:
                return ids_q(ids)
        long = [t for t in tokens if len(t) >= TRIGRAM and t not in counties]
        if connection.vendor == "postgresql":
            if long:
                ids = like_ids(long, DENSE + 1)
                if len(ids) <= DENSE:
                    return name_q(tokens, counties=counties, fts=False, ids=ids)
            return name_q(tokens, counties=counties, fts=False)
        if fts and long:
            ids = fts_ids_capped(long, DENSE + 1)
            if len(ids) <= DENSE:  # a rare name: its ids, read once
                return name_q(tokens, counties=counties, fts=fts, ids=ids)
            # a common name (see the module's text)
            if like_share(long) >= LIKE_WALK_MIN:
                fts = False  # spread through the name order: the LIKE form, walked in that order
            else:  # clustered somewhere in it: the name order's index walked against the FTS5 answer
                walk = True
    return name_q(tokens, counties=counties, fts=fts, walk=walk)


def like_ids(tokens: list[str], cap: int) -> list[int]:
    """The ids of the names that contain every token, at most `cap` of them, by `LIKE` (a rare name's rows stop it
    early only at the cap when many match). On PostgreSQL the trigram GIN index finds the rows of tokens of three
    characters or more. Tokens no index can find («77», «کو») are scanned for (on SQLite the name_key index: names
    and ids only, 100 ms at 1M when few match): a rare one then costs that scan once, whatever the page's order — in
    the order of shenasnameh (the public API) the LIKE form read every row through that index first (4.4 s for «77»
    at 1M)."""
    likes, params = _likes(tokens)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM registry_cooperative WHERE {likes} LIMIT %s", [*params, cap])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


LIKE_PROBE = 2_000  # the first names in name order that decide how a common name is walked
LIKE_WALK_MIN = 50  # this many of them match (2.5 %): the LIKE walk fills a page of 25 after ≈1,000 rows


def like_share(tokens: list[str]) -> int:
    """How many of the first LIKE_PROBE names in name order contain every token: a few milliseconds, and it tells a
    word spread through the order («شرکت»: half the names) from one clustered in it («مصرف»: names beginning with it,
    far down the alphabet) — for which the LIKE walk would read most of the table before a page is full."""
    likes, params = _likes(tokens)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT name_key FROM registry_cooperative ORDER BY name_sort, id LIMIT %s) "  # noqa: S608
            f"WHERE {likes}",
            [LIKE_PROBE, *params],
        )
        return cursor.fetchone()[0]


def dense_count(text: str, cap: int) -> int | None:
    """The number of cooperatives a name search finds, capped at `cap`, from the FTS5 table alone — when it can say
    it: a name search on SQLite, none of whose words is short or names a county (the list's other filters and the
    user's jurisdiction are the caller's to rule out). None otherwise."""
    if not uses_fts() or identifier_q(text) is not None:
        return None
    tokens = name_search_tokens(text)
    if not tokens or any(len(t) < TRIGRAM for t in tokens):
        return None
    # jurisdiction: the county words of the whole country — a name that is also a county's is not counted here
    if counties_named(tokens, within=County.objects.all()):
        return None
    few = fts_ids_capped(tokens, DENSE + 1)  # what the search itself took (the same request asks it once)
    if len(few) <= DENSE:
        return min(len(few), cap)
    return fts_count(tokens, cap)


def search_q_before(text: str, *, within: QuerySet) -> Q:
    """The search as it was before issue 17 (name LIKE OR'd with the identifiers): the baseline of the benchmark and
    of the tests that prove the new search finds the same rows for names."""
    tokens = name_search_tokens(text)
    counties = counties_named(tokens, within=within)
    q = Q()
    for token in tokens:
        word = Q(name_key__contains=token)
        if token in counties:
            word |= Q(county_id__in=sorted(counties[token]))
        q &= word
    ids = identifier_q(text) or Q(pk__in=[])
    return ids if not tokens else q | ids


FTS_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON registry_cooperative BEGIN
        INSERT INTO {FTS_TABLE}(rowid, name_key) VALUES (new.id, new.name_key);
    END""",
    f"{FTS_TABLE}_ad": f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON registry_cooperative BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    END""",
    f"{FTS_TABLE}_au": f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF id, name_key ON registry_cooperative BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
        INSERT INTO {FTS_TABLE}(rowid, name_key) VALUES (new.id, new.name_key);
    END""",
}


@contextlib.contextmanager
def fts_deferred():
    """Many cooperatives inserted at once (imports, the synthetic nation): the FTS5 index takes their names in one
    statement at the end rather than through the insert trigger row by row (5.2 s instead of 12.7 s for 100,000
    names on top of 100,000). Inside a transaction only: the trigger is dropped and created again in it, so no other
    connection ever sees the table without it, and a rollback puts everything back. Only inserts of new rows (ids
    above every id there, as AUTOINCREMENT and the synthetic nation give) may run inside it: the update and delete
    triggers stay and expect the rows they touch to be indexed already (were one broken, `fts_repair`'s rebuild
    mends the index)."""
    if not uses_fts() or not connection.in_atomic_block:
        yield
        return
    name = f"{FTS_TABLE}_ai"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        if cursor.fetchone() is None:  # migration 0015 not applied (or this SQLite has no trigram)
            yield
            return
        cursor.execute("SELECT coalesce(max(id), 0) FROM registry_cooperative")
        floor = cursor.fetchone()[0]
        cursor.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:  # on an error too: the transaction may go on (a savepoint), and must find its trigger and index whole
        # — unless it is marked for rollback: it will not go on, the rollback puts the trigger back, and the error
        # is the one the caller sees
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, name_key) "  # noqa: S608
                    "SELECT id, name_key FROM registry_cooperative WHERE id > %s",
                    [floor],
                )
                cursor.execute(FTS_TRIGGERS[name])


def fts_repair(using=None, **kwargs) -> bool:
    """Recreate the FTS triggers if a migration lost them and rebuild the index (True when it had to).

    Django's SQLite schema editor rebuilds a table to alter it (new table, copy, drop, rename), which drops the
    table's triggers: connected to post_migrate, this puts them back before any write can miss the index."""
    from django.db import connections

    db = connections[using or "default"]
    if db.vendor != "sqlite" or not SQLITE_TRIGRAM:
        return False
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:  # migration 0015 not applied yet
            return False
        missing = [name for name in FTS_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(FTS_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return bool(missing)
