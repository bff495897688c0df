import base64
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed

from taavon.accounts import lockout, otp
from taavon.accounts.access import staff_required
from taavon.accounts.forms import LoginForm, OTPCodeForm
from taavon.accounts.jurisdiction import ensure_staff, is_juror, is_representative
from taavon.accounts.services import user_set_language
from taavon.core.contributions import HOME_PANELS
from taavon.core.formatting import digits
from taavon.core.middleware import known_language


@login_required
def home(request):
    """Where a user lands: representatives in their cooperative's portal; staff on a page of panels that each app
    contributes (what is waiting for them in their jurisdiction)."""
    if is_representative(request.user):
        return redirect("members:portal")
    if is_juror(request.user):
        return redirect("festival:jury")
    ensure_staff(request.user)
    return render(request, "accounts/home.html", {"panels": HOME_PANELS.render(request, None)})


def _signed_in(request, response, user):
    """After a complete login: the browser becomes a known device of the user, whose slow-down is over; a language
    chosen on the login page (the browser's cookie) becomes the user's."""
    chosen = known_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen and chosen != user.language:
        user_set_language(acting_user=user, language=chosen)
    lockout.remember_device(request, response, user)
    lockout.known_device_succeeded(user.get_username())
    return response


class LoginView(auth_views.LoginView):
    """The password; then, for a user with a confirmed device, the code (otp_verify) before they are signed in."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if otp.confirmed_device(user) is not None:
            otp.begin(self.request, user, self.get_success_url())
            return redirect("accounts:otp_verify")
        return _signed_in(self.request, super().form_valid(form), user)


def _wait_message(device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and info.get("locked_until"):
        seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
        return _("Repeated wrong codes: try again in %(seconds)s seconds.") % {"seconds": digits(seconds)}
    return _("This device takes no code for now; try again a little later.")


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step: the code from the user's device completes the login the password began."""
    found = otp.pending(request)
    if found is None:
        return render(request, "accounts/otp_verify.html", {"form": None})
    user, state = found
    device = otp.confirmed_device(user)
    if device is None:  # the device was removed meanwhile: the password alone signs this user in
        otp.cancel(request)
        return redirect("accounts:login")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        if wait:
            form.add_error(None, wait)
        elif otp.verify(user, device, form.cleaned_data["otp_token"]):
            otp.complete(request, user, state, device)
            return _signed_in(request, redirect(state["next"]), user)
        elif otp.count_wrong_code(request) >= settings.TAAVON_OTP_MAX_TRIES:
            otp.cancel(request)
            messages.error(request, _("Repeated wrong codes: sign in with your password again."))
            return redirect("accounts:login")
        else:
            form.add_error("otp_token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, dark="#000", light="#fff")
    return buffer.getvalue().decode()


def _grouped_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@staff_required
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a TOTP device (scan the QR code, confirm with a code), or see and remove the one enrolled."""
    user = request.user
    device = otp.confirmed_device(user)
    form = OTPCodeForm(request.POST or None)
    required = otp.required_for(user)
    if device is not None:
        if request.method == "POST" and not required and form.is_valid():
            if otp.verify(user, device, form.cleaned_data["otp_token"]):
                device.delete()
                request.session.pop(DEVICE_ID_SESSION_KEY, None)
                messages.success(
                    request, _("Two-step sign-in was removed; from now on the password is enough.")
                )
                return redirect("accounts:otp_setup")
            form.add_error("otp_token", _("The code is wrong or has expired."))
        return render(
            request, "accounts/otp_setup.html", {"device": device, "form": form, "required": required}
        )
    enrolling = otp.unconfirmed_device(user)
    if request.method == "POST" and form.is_valid():
        if otp.verify(user, enrolling, form.cleaned_data["otp_token"]):
            enrolling.confirmed = True
            enrolling.save(update_fields=["confirmed"])
            otp_login(request, enrolling)
            messages.success(
                request, _("Two-step sign-in is on: from now on, give the app's code after your password.")
            )
            return redirect(_next_or_home(request))
        form.add_error("otp_token", _("The code is wrong or has expired. Type the app's new code."))
    context = {
        "device": None,
        "form": form,
        "required": required,
        "qr_svg": mark_safe(_qr_svg(enrolling.config_url)),  # segno's SVG: no script, no style attribute
        "secret": _grouped_secret(enrolling),
    }
    return render(request, "accounts/otp_setup.html", context)


def _next_or_home(request) -> str:
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("home")


@require_http_methods(["POST"])
def set_language(request):
    """The language switch (every page, the login page too): remembered in the browser (a cookie) and, for a
    signed-in user, in their record. Back to the page it was pressed on; an unknown code is Persian."""
    language = known_language(request.POST.get("language")) or settings.LANGUAGE_CODE
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    if request.user.is_authenticated:
        user_set_language(acting_user=request.user, language=language)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
