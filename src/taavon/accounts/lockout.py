"""Failed logins (django-axes, settings AXES_*): who is locked out, what they are told, and known devices.

- Failures lock the pair (user name, address) for AXES_COOLOFF_TIME: wrong passwords for `admin` from one address
  never lock `admin` out of another address. Attempts while locked are not recorded, so they do not extend it.
- The locked page says, in Persian digits, in how many minutes (and at what time) to try again.
- A known device — a browser the user signed in with before: it carries a signed cookie naming a fingerprint of
  the user (the user name and password hash, HMAC'd with the secret key; no name is readable in it) — is never
  locked out by failures from elsewhere, even from its own address (an office behind one address). Its own
  failures do not lock it either; they slow it down: after AXES_FAILURE_LIMIT of them, each attempt waits longer
  (15 s, doubling, at most 5 minutes). A changed password makes every known device of the user unknown again.
- Behind nginx (TAAVON_BEHIND_PROXY) the client's address is the last one in X-Forwarded-For: the one nginx added,
  which a client cannot forge (every address before it can be).
"""

import hashlib
import ipaddress
import math
import time

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

DEVICE_COOKIE = "taavon_device"
DEVICE_SALT = "taavon.accounts.known-device"
DEVICE_USERS_MAX = 5  # a shared office computer remembers its last few users
SLOW_DOWN_FIRST = 15  # seconds, then doubling
SLOW_DOWN_MAX = 5 * 60


# -- the client's address ------------------------------------------------------------------------------------------


def _valid_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR; behind nginx, the address nginx appended to X-Forwarded-For."""
    if settings.TAAVON_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            found = _valid_ip(forwarded.split(",")[-1])
            if found:
                return found
    return request.META.get("REMOTE_ADDR")


# -- known devices -------------------------------------------------------------------------------------------------


def _fingerprint(username: str, password_hash: str) -> str:
    return salted_hmac(DEVICE_SALT, f"{username}\0{password_hash}").hexdigest()[:32]


def _device_fingerprints(request) -> list[str]:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=settings.TAAVON_DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)][:DEVICE_USERS_MAX]


def _attempted_username(request, credentials) -> str | None:
    username = get_client_username(request, credentials)
    return username if isinstance(username, str) and username else None


def is_known_device(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: whether this browser signed in before as the user being tried (and the user's
    password has not changed since). Such an attempt is never locked out, and its failures are not recorded."""
    username = _attempted_username(request, credentials)
    if username is None:
        return False
    known = getattr(request, "_taavon_known_devices", None)
    if known is None:
        known = request._taavon_known_devices = {}
    if username not in known:
        known[username] = _check_known_device(request, username)
    return known[username]


def _check_known_device(request, username: str) -> bool:
    fingerprints = _device_fingerprints(request)
    if not fingerprints:
        return False
    User = get_user_model()
    password_hash = (
        User._default_manager.filter(**{User.USERNAME_FIELD: username, "is_active": True})
        .values_list("password", flat=True)
        .first()
    )
    if not password_hash:
        return False
    expected = _fingerprint(username, password_hash)
    return any(constant_time_compare(f, expected) for f in fingerprints)


def remember_device(request, response, user) -> None:
    """After a complete login: this browser becomes a known device of the user (the newest of its few)."""
    mine = _fingerprint(user.get_username(), user.password)
    others = [f for f in _device_fingerprints(request) if f != mine]
    value = signing.dumps([mine, *others][:DEVICE_USERS_MAX], salt=DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.TAAVON_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# -- a known device slows down -------------------------------------------------------------------------------------


def _slow_down_key(username: str) -> str:
    return "taavon:known-device-failures:" + hashlib.sha256(username.encode()).hexdigest()


def known_device_wait(username: str) -> int:
    """Seconds a known device must still wait before trying this user's password again (0: it may try now)."""
    failures, last = cache.get(_slow_down_key(username), (0, 0.0))
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return 0
    delay = min(SLOW_DOWN_FIRST * 2**over, SLOW_DOWN_MAX)
    return max(0, math.ceil(last + delay - time.time()))


def known_device_failed(username: str) -> None:
    key = _slow_down_key(username)
    failures, _ = cache.get(key, (0, 0.0))
    cache.set(key, (failures + 1, time.time()), timeout=_cool_off_seconds() + SLOW_DOWN_MAX)


def known_device_succeeded(username: str) -> None:
    cache.delete(_slow_down_key(username))


def _cool_off_seconds(request=None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


# -- the locked page -----------------------------------------------------------------------------------------------


def retry_at(request, username: str):
    """When the pair (user name, this address) may try again: the cool-off after its latest recorded failure."""
    cool_off = get_cool_off(request)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        t=Max("attempt_time")
    )["t"]
    return (last or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: accounts/locked.html (HTTP 429), with the minutes left and the time to retry."""
    username = _attempted_username(request, credentials) or ""
    until = retry_at(request, username)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {
        "minutes": minutes,
        "retry_at": timezone.localtime(until),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
