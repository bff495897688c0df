import pytest
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings):
    from taavon import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the tests' fast hasher off for this test
    user = UserFactory(username="argon-t")
    assert user.password.startswith("argon2")
    assert get_hasher().algorithm == "argon2"


def test_login_and_logout(client):
    UserFactory(username="maryam")
    page = client.get(reverse("accounts:login")).content.decode()
    assert "نام کاربری" in page and "گذرواژه" in page
    response = client.post(reverse("accounts:login"), {"username": "maryam", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200 and 'data-testid="home-panels"' in home.content.decode()
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("registry:list")).status_code == 302


def test_wrong_password_gets_a_persian_message(client):
    UserFactory(username="maryam")
    response = client.post(reverse("accounts:login"), {"username": "maryam", "password": "wrong"})
    assert "نام کاربری یا گذرواژه نادرست است." in response.content.decode()


def test_repeated_failures_lock_the_login(client, settings):
    UserFactory(username="maryam")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "maryam", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "maryam", "password": PASSWORD})
    assert response.status_code == 429
    assert "مسدود" in response.content.decode()
