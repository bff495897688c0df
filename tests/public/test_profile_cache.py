"""The public profile from the page cache (public.page_cache). Given an anonymous visitor's page stored by a first
GET, when anything the page shows changes through a service (or the date moves on), then the next GET shows it; the
stored page is never another language's, never a signed-in user's, and never holds a CSRF token or a CSP nonce."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taavon.members import services as members
from taavon.persian import national_code_check_digit
from taavon.public import page_cache
from taavon.public.selectors import StandingRule
from taavon.registry.models import Sector
from taavon.registry.services import cooperative_change_status, cooperative_update
from tests.factories import UserFactory, make_cooperative, make_project

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_store(settings):
    """The page cache as settings.py configures it (the tests' settings leave it out), emptied for each test."""
    settings.CACHES = {
        **settings.CACHES,
        page_cache.ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-public-pages",
        },
    }
    caches[page_cache.ALIAS].clear()
    yield caches[page_cache.ALIAS]
    caches[page_cache.ALIAS].clear()


@pytest.fixture
def admin(reference_data):
    return UserFactory(role="admin", username="cache-admin")


@pytest.fixture
def coop(admin):
    today = timezone.localdate()
    coop = make_cooperative(
        acting_user=admin,
        name="تعاونی فرش کوهدشت",
        registration_date=datetime.date(2015, 5, 1),
        last_general_assembly=today - datetime.timedelta(days=60),
    )
    members.return_file(
        acting_user=admin,
        cooperative=coop,
        fiscal_year=StandingRule.now().return_year,
        filed_on=today,
    )
    coop.refresh_from_db()
    return coop


def _url(coop) -> str:
    return reverse("public:profile", args=[coop.shenasnameh])


def _get(client, coop) -> str:
    response = client.get(_url(coop))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</section>")[0]


# --- served from the cache -------------------------------------------------------------------------------------------


def test_second_anonymous_get_is_served_from_the_cache(client, coop, django_assert_num_queries):
    first = _get(client, coop)
    with django_assert_num_queries(1):  # the data version, nothing else
        second = _get(client, coop)
    assert second.replace(_token(second), "") == first.replace(_token(first), "")
    assert coop.name in second
    assert page_cache.CSRF_PLACEHOLDER not in second


def test_a_query_string_is_rendered_not_stored(client, coop, django_assert_max_num_queries):
    _get(client, coop)
    response = client.get(_url(coop) + "?utm=1")
    assert response.status_code == 200
    assert 'value="' + _url(coop) + '?utm=1"' in response.content.decode()  # the language switch's return
    with django_assert_max_num_queries(1):
        assert 'value="' + _url(coop) + '"' in _get(client, coop)


def test_unknown_number_is_not_stored(client, coop, page_store):
    assert client.get("/register/999999999/").status_code == 404
    assert client.get("/register/999999999/").status_code == 404
    assert not page_store._cache  # only a 200 page is stored


# --- any change shows on the next GET --------------------------------------------------------------------------------


def test_status_change_shows_on_the_next_get(client, coop, admin):
    _english(client)
    assert "Active" in _section(_get(client, coop), "identity")
    cooperative_change_status(acting_user=admin, cooperative=coop, to_status="dormant", reason="بدون فعالیت")
    html = _get(client, coop)
    assert "Dormant" in html
    assert 'data-testid="standing-missing"' in html
    assert "The cooperative is not active." in html


def test_name_change_shows_on_the_next_get(client, coop, admin):
    assert coop.name in _get(client, coop)
    cooperative_update(acting_user=admin, cooperative=coop, name="تعاونی فرش نورآباد", reason="اصلاح نام")
    html = _get(client, coop)
    assert "تعاونی فرش نورآباد" in html
    assert coop.name not in html


def test_project_opened_shows_on_the_next_get(client, coop, admin):
    assert "<table" not in _section(_get(client, coop), "projects-opened")
    make_project(
        acting_user=admin,
        cooperative=coop,
        title="طرح کارگاه بافت",
        stage="opened",
        stage_date=datetime.date(2025, 9, 2),
    )
    assert "طرح کارگاه بافت" in _section(_get(client, coop), "projects-opened")


def _members_total(html: str) -> str:
    return re.search(r'data-testid="members-total">([^<]*)<', html).group(1)


def _join(admin, coop, serial: str, first_name: str):
    code = "37815260" + serial
    person = members.person_register(
        acting_user=admin,
        national_code=code + national_code_check_digit(code),
        first_name=first_name,
        last_name="کرمی",
        gender="female",
    )
    members.membership_add(
        acting_user=admin, cooperative=coop, person=person, join_date=datetime.date(2016, 1, 1)
    )


def test_member_added_shows_in_the_count_on_the_next_get(client, coop, admin):
    _english(client)
    _join(admin, coop, "5", "مریم")  # from now on the count comes from the member records
    assert _members_total(_get(client, coop)) == "1"
    _join(admin, coop, "6", "زهرا")
    assert _members_total(_get(client, coop)) == "2"


def test_return_filed_shows_in_the_standing_on_the_next_get(client, admin):
    today = timezone.localdate()
    late = make_cooperative(
        acting_user=admin,
        registration_date=datetime.date(2015, 5, 1),
        last_general_assembly=today - datetime.timedelta(days=60),
    )
    _english(client)
    assert "is not filed" in _get(client, late)
    members.return_file(
        acting_user=admin, cooperative=late, fiscal_year=StandingRule.now().return_year, filed_on=today
    )
    html = _get(client, late)
    assert "is not filed" not in html
    assert 'data-testid="standing-good"' in html


def test_award_published_shows_on_the_next_get(client, admin):
    from taavon.places.models import County, Province
    from tests.festival.outputs_setup import published_edition

    counties = [County.objects.get(province__code="IR-15", name_en="Khorramabad")]
    edition, rankings = published_edition(
        acting_user=admin, province=Province.objects.get(code="IR-15"), counties=counties, publish=False
    )
    winner = rankings[0].candidate.cooperative
    assert "<table" not in _section(_get(client, winner), "awards")
    edition.results_published_at = timezone.now()
    edition.save()
    assert "<table" in _section(_get(client, winner), "awards")


def test_sector_renamed_in_the_admin_shows_on_the_next_get(client, coop, admin):
    _english(client)
    sector = Sector.objects.get(pk=coop.sector_id)
    assert sector.name_en in _get(client, coop)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    staff = Client()
    staff.force_login(admin)
    form = {
        "name_fa": sector.name_fa,
        "name_en": "Renamed in the admin",
        "code": sector.code,
        "order": sector.order,
        "is_active": "on",
    }
    saved = staff.post(reverse("admin:registry_sector_change", args=[sector.pk]), form)
    assert saved.status_code == 302, saved.content.decode()[:2000]  # the sector has no history table
    assert "Renamed in the admin" in _get(client, coop)


# --- what the key keeps apart ----------------------------------------------------------------------------------------


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_english_and_persian_pages_are_not_mixed(client, coop):
    persian = _get(client, coop)
    assert 'lang="fa"' in persian and "Shenasnameh number" not in persian
    _english(client)
    english = _get(client, coop)
    assert 'lang="en"' in english and "Shenasnameh number" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    again = _get(client, coop)
    assert 'lang="fa"' in again and "Shenasnameh number" not in again


def test_signed_in_page_is_never_served_to_an_anonymous_visitor(coop, admin):
    staff = Client()
    staff.force_login(admin)
    signed_in = _get(staff, coop)
    assert 'data-testid="whoami"' in signed_in
    anonymous = _get(Client(), coop)
    assert 'data-testid="whoami"' not in anonymous
    assert 'data-testid="public-menu"' in anonymous


def test_anonymous_page_is_never_served_to_a_signed_in_user(coop, admin):
    visitor = Client()
    _get(visitor, coop)
    _get(visitor, coop)  # from the cache
    staff = Client()
    staff.force_login(admin)
    html = _get(staff, coop)
    assert 'data-testid="whoami"' in html
    assert 'data-testid="public-menu"' not in html
    assert "no-store" in staff.get(_url(coop))["Cache-Control"]


def test_good_standing_mark_follows_the_date(client, admin, monkeypatch):
    real_localdate = timezone.localdate
    today = real_localdate()
    # the last assembly a year ago: up to date today (15 months), overdue in 4 months with no write in between
    coop = make_cooperative(
        acting_user=admin,
        registration_date=today - datetime.timedelta(days=400),  # after the start of the return's year
        last_general_assembly=today - datetime.timedelta(days=365),
    )
    _english(client)
    assert 'data-testid="standing-good"' in _get(client, coop)

    def later(value=None, timezone=None):
        if value is None:
            return today + datetime.timedelta(days=122)
        return real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", later)
    html = _get(client, coop)
    assert 'data-testid="standing-missing"' in html
    assert "No ordinary general assembly is recorded on or after" in html


# --- no token, no nonce in a stored page -----------------------------------------------------------------------------


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the language switch's form has its token"
    return found.group(1)


def test_each_visitor_gets_their_own_valid_csrf_token(coop, page_store):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a = _get(first, coop)
    b = _get(second, coop)  # from the cache
    assert _token(a) != _token(b)
    assert f'"X-CSRFToken": "{_token(b)}"' in b  # htmx's header carries the same token
    for client, html in ((first, a), (second, b)):
        switched = client.post(
            reverse("accounts:language"),
            {"language": "en", "next": _url(coop), "csrfmiddlewaretoken": _token(html)},
        )
        assert switched.status_code == 302  # the token fits this visitor's cookie
    stored = [v for v in page_store._cache.values()]
    assert stored
    for token in (_token(a), _token(b), first.cookies["csrftoken"].value, second.cookies["csrftoken"].value):
        assert all(token.encode() not in value for value in stored)


def test_cached_page_has_no_csp_nonce(client, coop):
    _get(client, coop)
    response = client.get(_url(coop))
    policy = response["Content-Security-Policy"]
    assert "nonce-" not in policy
    assert "script-src 'self'" in policy
    assert "nonce=" not in response.content.decode()


# --- the home page and the statistics, whole country --------------------------------------------------------------------


def _figure(html: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}">([^<]*)<', html).group(1).replace(",", ""))


def test_home_page_from_the_cache_counts_a_new_cooperative(client, coop, admin, django_assert_num_queries):
    _english(client)
    before = _figure(client.get("/").content.decode(), "fig-cooperatives")
    with django_assert_num_queries(1):
        assert 'data-testid="public-home"' in client.get("/").content.decode()
    make_cooperative(acting_user=admin)
    assert _figure(client.get("/").content.decode(), "fig-cooperatives") == before + 1
    staff = Client()
    staff.force_login(admin)
    assert (
        'data-testid="public-home"' not in staff.get("/").content.decode()
    )  # their own home, never the stored one


def test_statistics_from_the_cache_count_a_new_cooperative(client, coop, admin, django_assert_num_queries):
    _english(client)
    url = reverse("public:statistics")
    assert "1 cooperative in the register." in client.get(url).content.decode()
    with django_assert_num_queries(1):
        assert "1 cooperative in the register." in client.get(url).content.decode()
    make_cooperative(acting_user=admin)
    assert "2 cooperatives in the register." in client.get(url).content.decode()


# --- SQLite outside a transaction: the version is read again only after a commit ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_version_read_again_after_a_commit_only(client, reference_data, django_assert_num_queries):
    admin = UserFactory(role="admin", username="cache-admin-t")
    coop = make_cooperative(acting_user=admin, name="تعاونی نان سپیددشت")
    assert coop.name in _get(client, coop)
    # SQLite: nothing committed since the last read (PRAGMA data_version, the connection's changes): no query at all
    with django_assert_num_queries(0 if connection.vendor == "sqlite" else 1):
        assert coop.name in _get(client, coop)
    cooperative_update(acting_user=admin, cooperative=coop, name="تعاونی نان ازنا", reason="اصلاح نام")
    html = _get(client, coop)
    assert "تعاونی نان ازنا" in html and coop.name not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's running transactions")
@pytest.mark.django_db(transaction=True)
def test_a_write_running_in_this_database_changes_the_version_one_in_another_does_not(reference_data):
    """A transaction still running here may commit rows with ids below the newest: its id is part of the version.
    One running in another database of the same server cannot change these pages, and must not make every request
    a new version (the suite's parallel workers each have their own database)."""
    import psycopg

    s = connection.settings_dict
    dsn = {"host": s["HOST"] or None, "port": s["PORT"] or None, "user": s["USER"], "dbname": s["NAME"]}
    before = page_cache.data_version()
    with psycopg.connect(**{**dsn, "dbname": "postgres"}) as other:
        other.execute("SELECT pg_current_xact_id()")  # a write transaction: it has an id
        assert page_cache.data_version() == before
    with psycopg.connect(**dsn) as same:
        same.execute("SELECT pg_current_xact_id()")
        running = page_cache.data_version()
        assert running != before
    assert page_cache.data_version() == before != running
