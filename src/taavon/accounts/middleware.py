"""The roles that must sign in with a one-time code (TAAVON_OTP_REQUIRED_ROLES) use nothing else until they do."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext

from taavon.accounts import otp


class OTPRequiredMiddleware:
    """A signed-in user whose role requires the second step, in a session not verified with a code, is sent to
    enrol a device (accounts:otp_setup); signing out stays open. The API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TAAVON_OTP_REQUIRED_ROLES and self._must_verify(request):
            setup = reverse("accounts:otp_setup")
            if request.path not in (setup, reverse("accounts:logout")):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": gettext("Your role must sign in in two steps.")}, status=403
                    )
                return redirect_to_login(request.get_full_path(), setup)
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        user = getattr(request, "user", None)
        return bool(
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
            and otp.required_for(user)
            and not otp.is_verified(request)
        )
