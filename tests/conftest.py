import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import ensure_reference_data

# Property tests must not fail because a loaded CI machine was slow: no per-example deadline.
hypothesis_settings.register_profile("taavon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("taavon")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the places and lists the migrations loaded included: they
    are put back (committed) once its teardown is over, so the tests that run after it in the same worker find them
    whatever order the workers take the modules in."""
    yield
    if nextitem is None:  # the session's last test: the test database is gone by now, nobody needs the data
        return
    marker = item.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        ensure_reference_data()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TAAVON_OPENDATA_DIR = tmp_path / "opendata"  # the bulk downloads a page may build
    # background work runs at once in tests (the database queue needs a worker process)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Argon2 is slow on purpose (≈50 ms a password); tests make hundreds of users. The production hashers are
    # tested in tests/accounts/test_login.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    """Places and the registry's lists (loaded by migrations; reloaded after a transactional test flushed them)."""
    ensure_reference_data()


@pytest.fixture
def lorestan(reference_data):
    from taavon.places.models import Province

    return Province.objects.get(code="IR-15")


@pytest.fixture
def khorramabad(lorestan):
    from taavon.places.selectors import county_find

    return county_find(name="خرم‌آباد", province=lorestan)


@pytest.fixture
def borujerd(lorestan):
    from taavon.places.selectors import county_find

    return county_find(name="بروجرد", province=lorestan)


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(role="admin", username="admin-t")


@pytest.fixture
def provincial(lorestan):
    from tests.factories import UserFactory

    return UserFactory(role="provincial", province=lorestan, username="ostan-t")


@pytest.fixture
def county_officer(khorramabad):
    from tests.factories import UserFactory

    return UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="kh-t")


@pytest.fixture
def viewer(lorestan):
    from tests.factories import UserFactory

    return UserFactory(role="viewer", province=lorestan, username="nazer-t")


@pytest.fixture(scope="module")
def read_only_demo(django_db_setup, django_db_blocker):
    """The demo data set (24 cooperatives and the report's projects), loaded once for a test module and rolled back
    after it. Each test of the module runs in a savepoint inside it, so a test may write, but the next test sees the
    demo as loaded. Transactional and live-server tests make their own data instead."""
    from django.db import transaction

    from taavon.demo.loader import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            load_demo(n_cooperatives=24, progress=False)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
