"""Login security: the lockout by (user name, address), known devices, the locked page, idle sessions, and the
optional one-time code (TOTP)."""

import datetime
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from taavon.accounts import lockout
from taavon.persian import to_persian_digits
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ATTACKER = "10.0.0.66"
OFFICE = "10.0.0.7"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the known devices' slow-down counters live there
    yield
    cache.clear()


def _post(client, username, password, address, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _fail(client, username, address, times):
    for _ in range(times):
        _post(client, username, "wrong-password", address)


def _signed_in(client) -> bool:
    # a staff page (the home page answers anonymous visitors too: the public site's)
    return client.get(reverse("registry:list")).status_code == 200


# -- the lockout ---------------------------------------------------------------------------------------------------


def test_failures_lock_the_user_from_that_address_only(settings):
    UserFactory(username="admin-s", role="admin")
    attacker, colleague = Client(), Client()
    _fail(attacker, "admin-s", ATTACKER, settings.AXES_FAILURE_LIMIT)
    locked = _post(attacker, "admin-s", PASSWORD, ATTACKER)
    assert locked.status_code == 429  # the right password from the attacker's address is refused
    elsewhere = _post(colleague, "admin-s", PASSWORD, OFFICE)
    assert elsewhere.status_code == 302 and elsewhere.url == reverse("home")
    assert _signed_in(colleague)


def test_the_admin_signs_in_on_the_site_login_page(client):
    """Django's admin login is the site's: the same lockout, known devices and one-time code."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/admin/"
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_attempts_while_locked_do_not_extend_the_lockout(settings):
    UserFactory(username="maryam-s")
    attacker = Client()
    _fail(attacker, "maryam-s", ATTACKER, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="maryam-s", ip_address=ATTACKER)
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=ten_minutes_ago)
    _fail(attacker, "maryam-s", ATTACKER, 5)  # while locked
    assert _post(attacker, "maryam-s", PASSWORD, ATTACKER).status_code == 429
    attempt.refresh_from_db()
    assert attempt.attempt_time == ten_minutes_ago
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # 15 minutes after the last recorded failure the lock is over
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=5)
    )
    response = _post(attacker, "maryam-s", PASSWORD, ATTACKER)
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_locked_page_says_when_to_retry_in_persian_digits(settings):
    UserFactory(username="reza-s")
    attacker = Client()
    _fail(attacker, "reza-s", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    last = _post(attacker, "reza-s", "wrong-password", ATTACKER)  # the failure that locks
    assert last.status_code == 429
    body = last.content.decode()
    retry = re.search(r'data-testid="retry">(.*?)</p>', body).group(1)
    assert "۱۵ دقیقهٔ دیگر" in retry and not re.search(r"[0-9]", retry)
    assert to_persian_digits(settings.AXES_FAILURE_LIMIT) + " تلاش ناموفق" in body
    AccessAttempt.objects.filter(username="reza-s").update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=10, seconds=30)
    )
    later = _post(attacker, "reza-s", PASSWORD, ATTACKER).content.decode()
    assert "۵ دقیقهٔ دیگر" in re.search(r'data-testid="retry">(.*?)</p>', later).group(1)


def test_behind_nginx_the_address_is_the_one_nginx_added(settings, rf):
    settings.TAAVON_BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert lockout.client_ip(request) == "203.0.113.9"  # the client may have forged 1.2.3.4, not the last one
    assert lockout.client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.TAAVON_BEHIND_PROXY = False
    assert lockout.client_ip(request) == "127.0.0.1"


def test_behind_nginx_two_clients_are_two_addresses(settings):
    settings.TAAVON_BEHIND_PROXY = True
    UserFactory(username="sara-s")
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, "sara-s", "wrong-password", "127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert _post(attacker, "sara-s", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    response = _post(colleague, "sara-s", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
    assert response.status_code == 302


# -- known devices -------------------------------------------------------------------------------------------------


def _known_device(username: str, address: str = OFFICE) -> Client:
    device = Client()
    assert _post(device, username, PASSWORD, address).status_code == 302
    assert lockout.DEVICE_COOKIE in device.cookies
    device.post(reverse("accounts:logout"))
    return device


def test_a_known_device_is_not_locked_out_by_failures_from_its_own_address(settings):
    """An office behind one address: someone there fails eight times; the user's own computer still signs in."""
    UserFactory(username="ali-s")
    device = _known_device("ali-s")
    stranger = Client()
    _fail(stranger, "ali-s", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert _post(stranger, "ali-s", PASSWORD, OFFICE).status_code == 429
    response = _post(device, "ali-s", PASSWORD, OFFICE)
    assert response.status_code == 302 and _signed_in(device)


def test_a_known_device_is_slowed_down_not_locked(settings):
    UserFactory(username="neda-s")
    device = _known_device("neda-s")
    _fail(device, "neda-s", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert not AccessAttempt.objects.filter(username="neda-s").exists()  # not counted towards a lockout
    waiting = _post(device, "neda-s", PASSWORD, OFFICE)  # even the right password waits
    assert waiting.status_code == 200
    assert "۱۵ ثانیهٔ دیگر دوباره تلاش کنید" in waiting.content.decode()
    key = lockout._slow_down_key("neda-s")
    failures, _ = cache.get(key)
    cache.set(key, (failures, time.time() - 16))  # 16 seconds later
    response = _post(device, "neda-s", PASSWORD, OFFICE)
    assert response.status_code == 302 and _signed_in(device)
    assert cache.get(key) is None  # the slow-down is over


def test_a_device_is_known_for_its_own_user_and_password_only(settings):
    first = UserFactory(username="omid-s")
    UserFactory(username="leila-s")
    device = _known_device("omid-s")
    _fail(Client(), "leila-s", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert _post(device, "leila-s", PASSWORD, OFFICE).status_code == 429  # known for omid-s only
    first.set_password("a-new-pass-1405")
    first.save()
    _fail(Client(), "omid-s", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert _post(device, "omid-s", "a-new-pass-1405", OFFICE).status_code == 429  # unknown after the change
    forged = Client()
    forged.cookies[lockout.DEVICE_COOKIE] = device.cookies[lockout.DEVICE_COOKIE].value + "x"
    assert _post(forged, "leila-s", PASSWORD, OFFICE).status_code == 429


# -- sessions ------------------------------------------------------------------------------------------------------


def test_sessions_last_a_working_day_without_activity(settings):
    from taavon import settings as production

    assert production.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert not getattr(production, "SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
    UserFactory(username="hamid-s")
    client = Client()
    response = _post(client, "hamid-s", PASSWORD, OFFICE)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + datetime.timedelta(hours=8)


def test_activity_moves_the_expiry_forward_and_idleness_ends_the_session(settings):
    UserFactory(username="zahra-s")
    client = Client()
    _post(client, "zahra-s", PASSWORD, OFFICE)
    key = client.session.session_key
    # two hours later (the last refresh was long ago): a request moves the expiry to eight hours from now
    session = client.session
    session["_taavon_seen"] = int(time.time()) - 2 * 60 * 60
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(hours=6))
    response = client.get(reverse("registry:list"))
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(hours=7, minutes=59)
    # a request within the minute does not write the session again
    assert settings.SESSION_COOKIE_NAME not in client.get(reverse("registry:list")).cookies
    # eight idle hours: the session is over
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# -- the one-time code (TOTP) --------------------------------------------------------------------------------------


def _code(device: TOTPDevice, *, persian: bool = False, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    code = f"{totp.token():0{device.digits}d}"
    return to_persian_digits(code) if persian else code


def _device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_enrol_a_device_with_the_qr_code_and_a_code_in_persian_digits(client, provincial):
    client.force_login(provincial)
    page = client.get(reverse("accounts:otp_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="otp-qr"' in body and "<svg" in body
    device = TOTPDevice.objects.get(user=provincial, confirmed=False)
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    assert TOTPDevice.objects.filter(user=provincial).count() == 1  # the scanned QR code stays valid
    wrong = client.post(
        reverse("accounts:otp_setup"), {"otp_token": "000000" if _code(device) != "000000" else "1"}
    )
    assert wrong.status_code == 200 and "کد نادرست است" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    response = client.post(reverse("accounts:otp_setup"), {"otp_token": _code(device, persian=True)})
    assert response.status_code == 302 and response.url == reverse("home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session counts as verified
    assert 'data-testid="otp-enabled"' in client.get(reverse("accounts:otp_setup")).content.decode()


def test_representatives_have_no_enrolment_page(client, admin_user):
    from tests.factories import make_cooperative

    rep = UserFactory(role="representative", cooperative=make_cooperative(acting_user=admin_user))
    client.force_login(rep)
    assert client.get(reverse("accounts:otp_setup")).status_code == 403


def test_with_a_device_the_password_alone_does_not_sign_in(provincial):
    device = _device_for(provincial)
    client = Client()
    response = _post(client, provincial.username, PASSWORD, OFFICE)
    assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")
    assert not _signed_in(client)
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert 'data-testid="otp-form"' in page and 'autocomplete="one-time-code"' in page
    wrong = client.post(reverse("accounts:otp_verify"), {"otp_token": "۱۲۳"})
    assert wrong.status_code == 200 and not _signed_in(client)
    device.throttle_reset()
    response = client.post(reverse("accounts:otp_verify"), {"otp_token": _code(device, persian=True)})
    assert response.status_code == 302 and response.url == reverse("home")
    assert _signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert lockout.DEVICE_COOKIE in response.cookies  # a complete login makes a known device


def test_a_wrong_code_is_refused(provincial):
    device = _device_for(provincial)
    client = Client()
    _post(client, provincial.username, PASSWORD, OFFICE)
    right = _code(device)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post(reverse("accounts:otp_verify"), {"otp_token": wrong})
    assert response.status_code == 200 and "کد نادرست است" in response.content.decode()
    assert not _signed_in(client)
    # the code just tried again at once: django-otp makes repeated wrong codes wait
    again = client.post(reverse("accounts:otp_verify"), {"otp_token": right})
    assert "ثانیهٔ دیگر" in again.content.decode() and not _signed_in(client)


def test_repeated_wrong_codes_send_back_to_the_password(provincial, settings):
    device = _device_for(provincial)
    client = Client()
    _post(client, provincial.username, PASSWORD, OFFICE)
    wrong = f"{(int(_code(device)) + 1) % 10**6:06d}"
    for _ in range(settings.TAAVON_OTP_MAX_TRIES):
        device.throttle_reset()
        response = client.post(reverse("accounts:otp_verify"), {"otp_token": wrong})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert 'data-testid="otp-expired"' in client.get(reverse("accounts:otp_verify")).content.decode()


def test_the_pending_login_expires(provincial, settings):
    device = _device_for(provincial)
    client = Client()
    _post(client, provincial.username, PASSWORD, OFFICE)
    session = client.session
    session["taavon_otp_pending"]["since"] -= settings.TAAVON_OTP_PENDING_SECONDS + 1
    session.save()
    response = client.post(reverse("accounts:otp_verify"), {"otp_token": _code(device)})
    assert response.status_code == 200 and 'data-testid="otp-expired"' in response.content.decode()
    assert not _signed_in(client)


def test_without_a_device_the_login_is_unchanged(provincial):
    client = Client()
    response = _post(client, provincial.username, PASSWORD, OFFICE)
    assert response.status_code == 302 and response.url == reverse("home")
    assert _signed_in(client)
    # a next page is honoured as before
    response = Client().post(
        f"{LOGIN}?next=/cooperatives/", {"username": provincial.username, "password": PASSWORD}
    )
    assert response.url == "/cooperatives/"


def test_a_required_role_must_enrol_before_anything_else(settings, provincial, viewer):
    settings.TAAVON_OTP_REQUIRED_ROLES = ["provincial"]
    client = Client()
    _post(client, provincial.username, PASSWORD, OFFICE)
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_setup"))
    assert client.get("/api/v1/stats/projects").status_code == 403
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "نقش شما ورود دومرحله‌ای می‌خواهد" in page
    device = TOTPDevice.objects.get(user=provincial)
    client.post(reverse("accounts:otp_setup"), {"otp_token": _code(device)})
    assert client.get(reverse("registry:list")).status_code == 200
    # the device cannot be removed while the role requires it
    device.refresh_from_db()
    client.post(reverse("accounts:otp_setup"), {"otp_token": _code(device, steps_ahead=1)})
    assert TOTPDevice.objects.filter(user=provincial, confirmed=True).exists()
    # other roles are not asked
    other = Client()
    _post(other, viewer.username, PASSWORD, OFFICE)
    assert other.get(reverse("registry:list")).status_code == 200


def test_a_device_can_be_removed_with_a_code(client, provincial):
    device = _device_for(provincial)
    client.force_login(provincial)
    response = client.post(reverse("accounts:otp_setup"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=provincial).exists()
    fresh = Client()
    assert _post(fresh, provincial.username, PASSWORD, OFFICE).url == reverse("home")
