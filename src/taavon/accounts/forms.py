from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from taavon.accounts import lockout, otp
from taavon.core.formatting import digits


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is wrong."),
        "inactive": _("This account is inactive."),
        "slow_down": _("Repeated failed attempts: try again in %(seconds)s seconds."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"
        self.fields["username"].widget.attrs["dir"] = "ltr"

    def clean(self):
        """A known device (accounts.lockout) is never locked out; after repeated failures it waits instead."""
        username = self.cleaned_data.get("username")
        known = bool(
            self.request is not None
            and username
            and lockout.is_known_device(self.request, {"username": username})
        )
        if known:
            wait = lockout.known_device_wait(username)
            if wait:
                raise forms.ValidationError(
                    self.error_messages["slow_down"],
                    code="slow_down",
                    params={"seconds": digits(wait)},
                )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if known and error.code == "invalid_login":
                lockout.known_device_failed(username)
            raise


class OTPCodeForm(forms.Form):
    """The six digits from the authenticator app (Persian or Latin digits)."""

    otp_token = forms.CharField(
        label=_("Six-digit code from the authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "dir": "ltr",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "placeholder": "123456",
            }
        ),
    )

    def clean_otp_token(self):
        code = otp.normalize_code(self.cleaned_data["otp_token"])
        if code is None:
            raise forms.ValidationError(_("Type the six digits as the app shows them."))
        return code
