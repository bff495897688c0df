"""The search at national scale (issue 17): identifiers go to their indexes alone, names to the FTS5 trigram index
(SQLite) with the same results as the LIKE search it replaced, and list pages count at most 10,001 rows."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taavon.persian import search_key
from taavon.persian.collation import name_sort_key
from taavon.places.models import County
from taavon.registry.models import Cooperative, CooperativeType, Sector
from taavon.registry.search import FTS_TABLE, search_q, search_q_before, uses_fts
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db

WORDS = "زاگرس کیو گهر سیمره بلوط لاله آفتاب پویا امید دنا کرخه سرو چنار مینو ری با کو".split()


def _bulk(n: int, seed: int = 17, start: int = 0) -> list[Cooperative]:
    """n cooperatives written directly (the triggers keep the FTS table current on any INSERT)."""
    rng = random.Random(seed)
    counties = list(County.objects.filter(province__code="IR-15"))
    sector, kind = Sector.objects.first(), CooperativeType.objects.first()
    rows = []
    for i in range(start, start + n):
        name = "تعاونی " + " ".join(rng.sample(WORDS, rng.randint(1, 3))) + (f" {i}" if i % 4 == 0 else "")
        rows.append(
            Cooperative(
                shenasnameh=f"15-1399-{i:05d}",
                registration_number=str(70000 + i),
                name=name,
                name_key=search_key(name),
                name_sort=name_sort_key(name),
                county=rng.choice(counties),
                sector=sector,
                type=kind,
            )
        )
    return Cooperative.objects.bulk_create(rows)


def _ids(q) -> set[int]:
    return set(Cooperative.objects.filter(q).values_list("id", flat=True))


@pytest.fixture
def hundred(reference_data):
    return _bulk(120)


needs_fts = pytest.mark.skipif(not uses_fts(), reason="the FTS5 path is SQLite's")

query_word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: w[:2]),  # short tokens
    st.sampled_from(WORDS).map(lambda w: w[1:]),  # inner substrings
    st.sampled_from(["خرم آباد", "بروجرد", "تعاونی", "شرکت", "1", "12", "۴۸", "ي", "ك"]),
    st.text(alphabet="زاگرسکیوبلوطمن", min_size=1, max_size=5),
)


@needs_fts
@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])  # reads only
@given(words=st.lists(query_word, min_size=1, max_size=3))
def test_fts_finds_what_the_like_search_found(hundred, words):
    text = " ".join(words)
    within = County.objects.all()
    assert _ids(search_q(text, within=within)) == _ids(search_q(text, within=within, fts=False))
    before = search_q_before(text, within=within)
    if not text.replace(" ", "").isdigit():  # identifier-shaped input now skips the names on purpose
        assert _ids(search_q(text, within=within)) == _ids(before)


@needs_fts
def test_the_index_follows_renames_and_deletions(hundred):
    coop = hundred[0]
    within = County.objects.all()
    Cooperative.objects.filter(pk=coop.pk).update(name="تعاونی نارون", name_key=search_key("تعاونی نارون"))
    assert _ids(search_q("نارون", within=within)) == {coop.pk}
    Cooperative.objects.filter(pk=coop.pk).delete()
    assert _ids(search_q("نارون", within=within)) == set()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("text", ["15-1399-00007", "۱۵/۱۳۹۹/۷", "70007", "۷۰۰۰۷", "10380284790"])
def test_identifier_input_uses_no_name_filter(hundred, text):
    sql = str(Cooperative.objects.filter(search_q(text, within=County.objects.all())).order_by().query)
    where = sql.split(" WHERE ", 1)[1]
    assert "name_key" not in where
    assert FTS_TABLE not in where


def test_identifier_search_finds_exactly_the_one_record(client, provincial, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, legal_id="10380284790")
    make_cooperative(acting_user=admin_user, county=khorramabad)
    client.force_login(provincial)
    for text in ("10380284790", "۱۰۳۸۰۲۸۴۷۹۰", coop.shenasnameh, coop.shenasnameh.replace("-", "/")):
        page = client.get(reverse("registry:list"), {"q": text}).context["page"]
        assert [c.pk for c in page.object_list] == [coop.pk], text


def test_a_name_search_uses_the_fts_index(hundred):
    with CaptureQueriesContext(connection) as asked:
        sql = str(Cooperative.objects.filter(search_q("زاگرس", within=County.objects.all())).query)
    if uses_fts():  # the index gives the ids (or, for a common name, is the page's filter); no LIKE scan
        assert FTS_TABLE in sql + " ".join(q["sql"] for q in asked.captured_queries) and "LIKE" not in sql
    else:  # PostgreSQL: the trigram index serves LIKE itself; a rare name's ids are taken by it first
        assert "LIKE" in sql + " ".join(q["sql"] for q in asked.captured_queries)


def test_the_staff_list_caps_its_count(client, provincial, hundred, monkeypatch):
    monkeypatch.setattr("taavon.core.paging.CAP", 50)
    client.force_login(provincial)
    response = client.get(reverse("registry:list"))
    body = response.content.decode()
    assert response.context["page"].paginator.capped
    assert 'data-testid="exact-count"' in body
    assert "last-page" not in body
    exact = client.get(reverse("registry:list"), {"exact": "1"})
    assert exact.context["page"].paginator.count == Cooperative.objects.count()
    assert 'data-testid="exact-count"' not in exact.content.decode()
    assert 'data-testid="last-page"' in exact.content.decode()


def test_the_cap_text_in_persian_and_english(client, provincial, hundred, monkeypatch):
    monkeypatch.setattr("taavon.core.paging.CAP", 10_000)
    monkeypatch.setattr("taavon.core.paging.CappedPaginator.capped", property(lambda self: True))
    client.force_login(provincial)
    body = client.get(reverse("registry:list"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۱۰٬۰۰۰" in body


def test_the_public_register_caps_its_count(client, hundred, monkeypatch):
    monkeypatch.setattr("taavon.core.paging.CAP", 50)
    response = client.get(reverse("public:register"))
    assert response.context["page"].paginator.capped
    assert 'data-testid="exact-count"' in response.content.decode()
    exact = client.get(reverse("public:register"), {"exact": "1"})
    assert exact.context["page"].paginator.count == Cooperative.objects.count()


def test_the_search_page_makes_a_constant_number_of_queries(client, provincial, reference_data):
    client.force_login(provincial)
    _bulk(10, seed=1)
    client.get(reverse("registry:list"), {"q": "زاگرس"})  # the first request loads what is cached afterwards
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:list"), {"q": "زاگرس"})
    _bulk(60, seed=2, start=10)
    Cooperative.objects.update(name="تعاونی زاگرس", name_key=search_key("تعاونی زاگرس"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("registry:list"), {"q": "زاگرس"})
    assert len(many) == len(few)


@needs_fts
def test_lost_triggers_are_put_back_and_the_index_rebuilt(hundred):
    from taavon.registry.search import fts_repair

    assert not fts_repair()  # all there
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_ai")
    _bulk(1, start=500)  # written while the trigger is missing (a table rebuilt by a migration)
    assert fts_repair()
    new = Cooperative.objects.get(shenasnameh="15-1399-00500")
    assert new.pk in _ids(search_q(new.name, within=County.objects.all()))


# --- the Persian alphabetical order by an index (name_sort) -----------------------------------------------------------

SORT_NAMES = [
    "تعاونی یاس",
    "تعاونی پویا",
    "تعاونی چنار",
    "تعاونی آفتاب",
    "تعاونی گلستان",
    "تعاونی ژاله",
    "تعاونی بلوط",
]


def test_the_list_is_in_persian_alphabetical_order_by_the_stored_key(client, provincial, khorramabad):
    from taavon.persian.collation import persian_sorted

    for name in SORT_NAMES:
        make_cooperative(name=name, county=khorramabad)
    client.force_login(provincial)
    page = client.get(reverse("registry:list"), {"q": "تعاونی"}).content.decode()
    shown = [n for n in sorted(SORT_NAMES, key=page.find) if n in page]
    expected = persian_sorted(SORT_NAMES)
    assert shown == expected
    # code-point order would put «پ», «چ», «ژ» and «گ» after «ی»: the page does not
    assert shown.index("تعاونی پویا") < shown.index("تعاونی یاس")
    assert shown.index("تعاونی گلستان") < shown.index("تعاونی یاس")


def test_the_sort_key_follows_a_rename(provincial, khorramabad):
    from taavon.persian.collation import name_sort_key
    from taavon.registry.services import cooperative_update

    coop = make_cooperative(name="تعاونی یاس", county=khorramabad)
    assert bytes(Cooperative.objects.get(pk=coop.pk).name_sort) == name_sort_key("تعاونی یاس")
    cooperative_update(acting_user=provincial, cooperative=coop, reason="نام درست", name="تعاونی آفتاب زرین")
    assert bytes(Cooperative.objects.get(pk=coop.pk).name_sort) == name_sort_key("تعاونی آفتاب زرین")


def test_the_legal_form_words_do_not_decide_the_order(client, provincial, khorramabad):
    """«شرکت تعاونی زاگرس» is listed under ز, beside «تعاونی زاگرس» — not after every «تعاونی …» name."""
    # equal but for «شرکت»: the id decides (the one registered first comes first)
    names = ["شرکت تعاونی یاس", "تعاونی آفتاب", "تعاونی زاگرس", "شرکت تعاونی زاگرس", "تعاونی پویا", "تعاونی"]
    for name in names:
        make_cooperative(name=name, county=khorramabad)
    client.force_login(provincial)
    page = client.get(reverse("registry:list")).content.decode()
    shown = [n for n in sorted(names, key=lambda n: page.find(f">{n}<")) if f">{n}<" in page]
    assert shown == [
        "تعاونی آفتاب",
        "تعاونی پویا",
        "تعاونی",
        "تعاونی زاگرس",
        "شرکت تعاونی زاگرس",
        "شرکت تعاونی یاس",
    ]


def test_the_name_order_is_served_by_an_index(admin_user, hundred):
    """The whole country's list (the one that would sort a million rows) walks the name_sort index in order."""
    from taavon.registry.selectors import CooperativeFilters, cooperative_list

    qs = cooperative_list(user=admin_user, filters=CooperativeFilters())[:25]
    with connection.cursor() as cursor:
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "COLLATE" not in sql and "name_sort" in sql
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


@needs_fts
@given(
    words=st.lists(st.sampled_from([w for w in WORDS if len(w) >= 3]), min_size=1, max_size=2),
    like_walk_min=st.sampled_from([0, 10**6]),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_common_name_walked_in_name_order_finds_what_the_index_found(
    hundred, words, like_walk_min, monkeypatch
):
    """Past DENSE matches the name order is walked — by the LIKE form, or its index against the FTS5 answer: the
    same rows, in the same order, as the FTS5 answer sorted."""
    from taavon.registry import search

    text = " ".join(words)
    within = County.objects.all()
    by_index = list(
        Cooperative.objects.filter(search_q(text, within=within, fts=True)).values_list("id", flat=True)
    )
    monkeypatch.setattr(search, "DENSE", 3)
    monkeypatch.setattr(search, "LIKE_WALK_MIN", like_walk_min)
    walked = list(Cooperative.objects.filter(search_q(text, within=within)).values_list("id", flat=True))
    assert walked == by_index


@needs_fts
def test_a_common_name_is_walked_by_the_like_form_or_by_the_name_index(hundred, monkeypatch):
    from taavon.persian import search_key
    from taavon.registry import search

    def query():
        return str(Cooperative.objects.filter(search_q("زاگرس", within=County.objects.all())).query)

    monkeypatch.setattr(search, "DENSE", 3)
    share = search.like_share([search_key("زاگرس")])
    assert share == sum("زاگرس" in c.name for c in Cooperative.objects.all()[: search.LIKE_PROBE]) > 3
    monkeypatch.setattr(search, "LIKE_WALK_MIN", share)  # spread through the order: LIKE
    assert FTS_TABLE not in query() and "LIKE" in query()
    monkeypatch.setattr(
        search, "LIKE_WALK_MIN", share + 1
    )  # clustered: the name index against the FTS5 answer
    assert FTS_TABLE in query() and '+"registry_cooperative"."id" IN' in query()
    monkeypatch.setattr(search, "DENSE", 10_000)
    rare = query()  # few: the index's ids themselves, sorted by the name order
    assert FTS_TABLE not in rare and "LIKE" not in rare and '"registry_cooperative"."id" IN (' in rare


@needs_fts
def test_the_index_alone_counts_the_whole_countrys_search(
    client, admin_user, provincial, hundred, monkeypatch
):
    """The count of an administrator's name search comes from the FTS table (and equals the list's own count); a
    provincial officer's, or a search with another filter, is counted on the list itself (jurisdiction applies)."""
    from taavon.registry.search import dense_count
    from taavon.registry.selectors import CooperativeFilters, cooperative_list, cooperative_list_counter

    filters = CooperativeFilters(q="زاگرس")
    counter = cooperative_list_counter(user=admin_user, filters=filters)
    assert counter is not None
    assert (
        counter(10_001)
        == dense_count("زاگرس", 10_001)
        == cooperative_list(user=admin_user, filters=filters).count()
    )
    assert cooperative_list_counter(user=provincial, filters=filters) is None
    assert (
        cooperative_list_counter(user=admin_user, filters=CooperativeFilters(q="زاگرس", status="active"))
        is None
    )
    assert cooperative_list_counter(user=admin_user, filters=CooperativeFilters()) is None
    assert dense_count("15-1399-00001", 100) is None  # an identifier is no name
    assert dense_count("کو", 100) is None  # too short for the trigram index
    # the page says the same count as the list it shows
    client.force_login(admin_user)
    page = client.get(reverse("registry:list"), {"q": "زاگرس"}).content.decode()
    from taavon.persian import to_persian_digits

    n = cooperative_list(user=admin_user, filters=filters).count()
    assert to_persian_digits(str(n)) in page


@needs_fts
def test_the_public_register_counts_a_name_search_on_the_index(client, hundred):
    from taavon.persian import to_persian_digits
    from taavon.public.selectors import RegisterFilters, register_counter

    assert register_counter(RegisterFilters(q="زاگرس", province="IR-15")) is None
    assert register_counter(RegisterFilters(q="زاگرس", good_standing=False)) is None
    counter = register_counter(RegisterFilters(q="زاگرس"))
    n = Cooperative.objects.filter(search_q("زاگرس", within=County.objects.all())).count()
    assert counter(10_001) == n > 0
    page = client.get(reverse("public:register"), {"q": "زاگرس"}).content.decode()
    assert to_persian_digits(f"{n:,}".replace(",", "٬")) in page or to_persian_digits(str(n)) in page


# --- many names indexed at once (imports, the synthetic nation) -------------------------------------------------------


def _trigger_present() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{FTS_TABLE}_ai"]
        )
        return cursor.fetchone() is not None


@needs_fts
def test_names_inserted_with_the_trigger_deferred_are_found(hundred):
    from django.db import transaction

    from taavon.registry.search import fts_deferred

    with transaction.atomic():
        with fts_deferred():
            assert not _trigger_present()  # the rows below go in without the per-row trigger
            new = _bulk(30, seed=3, start=1000)
        assert _trigger_present()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    for coop in new[:10]:
        assert coop.pk in _ids(search_q(coop.name, within=County.objects.all()))
    for word in WORDS:  # the same answers as the LIKE search, old rows and new
        q = search_q(word, within=County.objects.all())
        assert _ids(q) == _ids(search_q(word, within=County.objects.all(), fts=False)), word
    _bulk(1, start=2000)  # after it, the trigger indexes one-by-one inserts again
    one = Cooperative.objects.get(shenasnameh="15-1399-02000")
    assert one.pk in _ids(search_q(one.name, within=County.objects.all()))


@needs_fts
def test_a_failure_inside_the_deferral_leaves_the_trigger_and_the_index_whole(hundred):
    from django.db import transaction

    from taavon.registry.search import fts_deferred

    with pytest.raises(RuntimeError), transaction.atomic(), fts_deferred():
        _bulk(5, seed=4, start=3000)
        raise RuntimeError("an import's last check fails")
    assert _trigger_present()
    assert not Cooperative.objects.filter(shenasnameh__startswith="15-1399-030").exists()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    _bulk(1, start=3100)
    one = Cooperative.objects.get(shenasnameh="15-1399-03100")
    assert one.pk in _ids(search_q(one.name, within=County.objects.all()))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner, PostgreSQL's form")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(query_word, min_size=1, max_size=3))
def test_postgresql_takes_the_ids_of_a_rare_name_first(hundred, words):
    """Up to DENSE matches the trigram index's ids are taken first and the page sorted from them: the same rows in
    the same order as the plain LIKE form."""
    from taavon.registry import search

    text = " ".join(words)
    within = County.objects.all()
    plain = list(
        Cooperative.objects.filter(search_q(text, within=within, fts=False)).values_list("id", flat=True)
    )
    taken = []
    like_ids = search.like_ids

    def spy(tokens, cap):
        taken.append(tokens)
        return like_ids(tokens, cap)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "like_ids", spy)
        chosen = Cooperative.objects.filter(search_q(text, within=within))
    assert list(chosen.values_list("id", flat=True)) == plain
    long = [t for t in search.name_search_tokens(text) if len(t) >= search.TRIGRAM]
    if long and not search.counties_named(long, within=within):
        assert taken == [long], text  # the ids were taken from the index first, once
        assert "unnest(" in str(chosen.query), text  # as one array: the planner does not walk the name order


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner, PostgreSQL's form")
def test_postgresql_walks_the_name_order_for_a_common_name(hundred, monkeypatch):
    from taavon.registry import search

    monkeypatch.setattr(search, "DENSE", 3)
    common = str(Cooperative.objects.filter(search_q("زاگرس", within=County.objects.all())).query)
    assert '"id" IN (' not in common and "LIKE" in common


@needs_fts
def test_an_orm_error_inside_the_deferral_is_the_error_the_caller_sees(hundred):
    """A failed save marks the transaction for rollback: the deferral's last step does not run (and does not hide
    the error behind a TransactionManagementError); the rollback puts the trigger back."""
    from django.db import IntegrityError, transaction

    from taavon.registry.search import fts_deferred

    taken = Cooperative.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic(), fts_deferred():
        _bulk(2, seed=5, start=4000)
        Cooperative.objects.create(
            shenasnameh=taken.shenasnameh, name="تعاونی تکراری", county=taken.county, sector=taken.sector,
            type=taken.type,
        )  # fmt: skip
    assert _trigger_present()
    assert not Cooperative.objects.filter(shenasnameh__startswith="15-1399-040").exists()


def test_a_rare_short_token_is_found_by_one_scan_whatever_the_order(hundred, monkeypatch):
    """«۱۲» or «کو» no trigram can find: the names are scanned once for the ids (at most DENSE), and the page is
    read by those — the same rows as the LIKE form; past DENSE matches the LIKE form itself."""
    from taavon.registry import search

    within = County.objects.all()
    for text in ["12", "۱۲", "کو", "با"]:
        q = search_q(text, within=within)
        assert _ids(q) == _ids(search_q(text, within=within, fts=False)), text
        assert "LIKE" not in str(Cooperative.objects.filter(q).query), text
    monkeypatch.setattr(search, "DENSE", 1)
    common = search_q("کو", within=within)
    assert "LIKE" in str(Cooperative.objects.filter(common).query)
    assert _ids(common) == _ids(search_q("کو", within=within, fts=False))


@needs_fts
@pytest.mark.django_db(transaction=True)  # a request outside any transaction, as in production
def test_a_rare_name_asks_the_index_once_a_request(client, admin_user, reference_data):
    """The page and its count (counted on the index alone for a user who sees the whole country) take a rare name's
    ids from one reading of the FTS5 index (taavon.core.memo); outside a request nothing is kept."""
    from taavon.registry.search import fts_ids_capped

    _bulk(120)
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("registry:list"), {"q": "زاگرس"}).context["page"]
    assert sum(f"{FTS_TABLE} MATCH" in q["sql"] for q in queries.captured_queries) == 1
    expected = {c.pk for c in Cooperative.objects.all() if "زاگرس" in c.name_key}
    assert expected and page.paginator.count == len(expected)
    assert {c.pk for c in page.object_list} <= expected
    with CaptureQueriesContext(connection) as outside:
        fts_ids_capped(["زاگرس"], 100)
        fts_ids_capped(["زاگرس"], 100)
    assert sum(f"{FTS_TABLE} MATCH" in q["sql"] for q in outside.captured_queries) == 2


@needs_fts
@pytest.mark.django_db(transaction=True)
def test_a_write_inside_the_request_is_seen_by_its_next_search(reference_data):
    """The memo's key holds the database's version: a name written after a search is found by the next one; and
    nothing read inside a transaction is kept (a rollback would not change the version)."""
    from django.db import transaction

    from taavon.core.memo import request_memo
    from taavon.registry.search import fts_ids_capped

    _bulk(40)
    with request_memo():
        before = fts_ids_capped(["کرخه"], 500)
        new = _bulk(1, seed=99, start=5000)[0]
        Cooperative.objects.filter(pk=new.pk).update(
            name="تعاونی کرخه نو", name_key=search_key("تعاونی کرخه نو")
        )
        after = fts_ids_capped(["کرخه"], 500)
        assert fts_ids_capped(["کرخه"], 500) is after  # unchanged since: the same answer, not asked again
        assert new.pk not in before and new.pk in after
        with pytest.raises(RuntimeError), transaction.atomic():  # renamed away, seen, then rolled back
            Cooperative.objects.filter(pk=new.pk).update(
                name="تعاونی دیگر", name_key=search_key("تعاونی دیگر")
            )
            assert new.pk not in fts_ids_capped(["کرخه"], 500)
            raise RuntimeError
        assert new.pk in fts_ids_capped(["کرخه"], 500)
