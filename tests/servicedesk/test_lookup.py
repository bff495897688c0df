"""The public status lookup: a tracking code (any digits) and the mobile it was filed with show the status and the
dates only; a wrong mobile answers exactly as an unknown code; an address is throttled after 10 tries."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from taavon.persian.digits import to_persian_digits
from taavon.servicedesk import services
from taavon.servicedesk.models import Category
from tests.factories import UserFactory, make_cooperative

URL = "/servicedesk/track/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    from django.core.cache import cache

    cache.clear()  # the tests' cache is in this process's memory (tests/conftest.py)


@pytest.fixture
def req(khorramabad):
    officer = UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="l-kh")
    coop = make_cooperative(acting_user=officer, county=khorramabad, name="تعاونی مرغداران سیمره")
    r = services.request_file(
        acting_user=officer,
        channel="phone",
        category=Category.objects.get(code="insurance"),
        subject="بیمهٔ محرمانه",
        description="شرح خصوصی",
        mobile="0916 123 4567",
        cooperative=coop,
    )
    services.request_reply(acting_user=officer, request=r, body="پاسخ خصوصی", then="answered")
    return r


def _result(html: str) -> str:
    """The page without its form's token (which differs on every answer)."""
    return re.sub(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"', "", html)


def test_the_url_is_fixed():
    assert reverse("servicedesk:lookup") == URL


def test_the_right_code_and_mobile_show_the_status_only(client, req):
    code = to_persian_digits(req.code).replace("-", " - ").lower()
    response = client.post(URL, {"code": code, "mobile": "۰۹۱۶۱۲۳۴۵۶۷"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lookup-result"' in page
    page = page.split('data-testid="lookup-result"')[
        1
    ]  # what the page answers (the form shows what was typed)
    assert "پاسخ داده شده" in page or req.get_status_display() in page
    assert "بیمه" in page  # the category
    for secret in ("تعاونی مرغداران سیمره", "بیمهٔ محرمانه", "شرح خصوصی", "پاسخ خصوصی", "1234567", "۱۲۳۴۵۶۷"):
        assert secret not in page


def test_a_wrong_mobile_answers_as_an_unknown_code(req):
    year = req.code.split("-")[1]
    wrong_mobile = Client().post(URL, {"code": req.code, "mobile": "09169999999"})
    unknown_code = Client().post(URL, {"code": f"MK-{year}-9999", "mobile": "09169999999"})
    assert wrong_mobile.status_code == unknown_code.status_code == 200
    assert _result(wrong_mobile.content.decode()).replace(req.code, "") == _result(
        unknown_code.content.decode()
    ).replace(f"MK-{year}-9999", "")
    assert 'data-testid="lookup-none"' in wrong_mobile.content.decode()


def test_a_malformed_code_is_told_on_the_field(client, req):
    response = client.post(URL, {"code": "hello", "mobile": "0916"})
    assert response.status_code == 422
    assert "MK-۱۴۰۵-۰۰۴۲" in response.content.decode()  # the example in the page's digits


def test_repeated_tries_are_throttled(client, req):
    for _ in range(10):
        assert client.post(URL, {"code": "MK-1405-9999", "mobile": "09161234567"}).status_code == 200
    response = client.post(URL, {"code": req.code, "mobile": "09161234567"})
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-testid="lookup-throttled"' in page
    assert 'data-testid="lookup-result"' not in page
    other = client.post(URL, {"code": req.code, "mobile": "09161234567"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_form_is_protected_against_cross_site_posts(req):
    client = Client(enforce_csrf_checks=True)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"code": req.code, "mobile": "09161234567"}).status_code == 403
