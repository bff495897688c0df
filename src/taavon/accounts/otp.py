"""The optional second step of a login: a time-based one-time code (TOTP, django-otp) from an app on the user's
phone.

A staff member enrols a device (accounts:otp_setup: a QR code and a confirming code). From then on a correct
password does not sign them in: it starts a pending login, kept in the session for TAAVON_OTP_PENDING_SECONDS, and
the code completes it (accounts:otp_verify). Users without a device sign in with the password alone, as before.
The staff roles in TAAVON_OTP_REQUIRED_ROLES ("admin" also covers superusers) must enrol before they can use
anything else. A lost phone: an administrator deletes the device (Django admin, "TOTP devices").
"""

import re
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from taavon.accounts.jurisdiction import is_staff
from taavon.accounts.models import Role
from taavon.persian import to_ascii_digits

PENDING_KEY = "taavon_otp_pending"
CODE = re.compile(r"[0-9]{6,8}")


def normalize_code(text: str) -> str | None:
    """The code as ASCII digits (Persian and Arabic-Indic digits accepted, spaces and dashes dropped), or None."""
    code = re.sub(r"[\s\-\u200c]", "", to_ascii_digits(text or ""))
    return code if CODE.fullmatch(code) else None


def confirmed_device(user) -> TOTPDevice | None:
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def unconfirmed_device(user) -> TOTPDevice:
    """The device being enrolled (the same one while its QR code may already have been scanned)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="taavon", confirmed=False)
    return device


def verify(user, device, code: str) -> bool:
    """Whether the code is the device's (each code once; django-otp slows down repeated wrong codes)."""
    return verify_token(user, device.persistent_id, code) is not None


def required_for(user) -> bool:
    """Whether this user's role must sign in with a code (staff only: representatives are never required)."""
    roles = set(settings.TAAVON_OTP_REQUIRED_ROLES)
    if not roles or not is_staff(user):
        return False
    return user.role in roles or (user.is_superuser and Role.ADMIN in roles)


def is_verified(request) -> bool:
    """Whether this session was signed in (or confirmed) with a code."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified()) if callable(verified) else bool(request.session.get(DEVICE_ID_SESSION_KEY))


# -- the pending login ---------------------------------------------------------------------------------------------


def begin(request, user, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "since": int(time.time()),
        "next": next_url,
        "tries": 0,
    }


def pending(request):
    """(user, state) of the login waiting for its code, or None (none, expired, or the user is gone)."""
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - state.get("since", 0) > settings.TAAVON_OTP_PENDING_SECONDS:
        cancel(request)
        return None
    user = get_user_model()._default_manager.filter(pk=state.get("user"), is_active=True).first()
    if user is None:
        cancel(request)
        return None
    return user, state


def count_wrong_code(request) -> int:
    state = request.session[PENDING_KEY]
    state["tries"] = state.get("tries", 0) + 1
    request.session.modified = True
    return state["tries"]


def cancel(request) -> None:
    request.session.pop(PENDING_KEY, None)


def complete(request, user, state, device) -> None:
    """Sign the user in, as verified by this device."""
    cancel(request)
    auth_login(request, user, backend=state["backend"])
    otp_login(request, device)
