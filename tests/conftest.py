import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import ensure_reference_data

# Property tests must not fail because a loaded CI machine was slow: no per-example deadline.
hypothesis_settings.register_profile("taavon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("taavon")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # background work runs at once in tests (the database queue needs a worker process)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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
