"""Forms of the cooperators' pages: the portal (file a request, write on it, rate the answer) and the public status
lookup. They parse the input; servicedesk.services applies the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.core.formatting import digits
from taavon.core.forms_style import style_fields
from taavon.core.validators import validate_phone
from taavon.persian.digits import to_ascii_digits
from taavon.servicedesk.models import Category

TEXT_CHARS = 5000


class PortalRequestForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    mobile = forms.CharField(
        label=_("Mobile for the answer by SMS"),
        max_length=20,
        help_text=_(
            "The answers are sent to this number; with it and the tracking code anyone may ask the status."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].widget.attrs.update({"dir": "ltr", "inputmode": "tel"})
        style_fields(self)

    def clean_mobile(self):
        mobile = to_ascii_digits(self.cleaned_data["mobile"]).strip()
        validate_phone(mobile)
        return mobile


class PortalMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating of the answer"),
        coerce=int,
        choices=[(n, n) for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("The rating is a whole number from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from taavon.core.formatting import digits

        self.fields["rating"].choices = [(n, digits(n)) for n in range(1, 6)]
        style_fields(self)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"


CODE = re.compile(r"^(?:MK)?-?(\d{4})-?(\d{1,6})$")


def normalize_code(value: str) -> str | None:
    """A tracking code as typed (Persian or ASCII digits, any case, spaces or dashes): «MK-1405-0042», or None."""
    text = re.sub(r"[\s\-_/–—ـ]+", "-", to_ascii_digits(value or "").strip().upper()).strip("-")
    m = CODE.match(text.replace("MK-", "MK"))
    if not m:
        return None
    return f"MK-{m.group(1)}-{int(m.group(2)):04d}"


def normalize_mobile(value: str) -> str:
    """The number's last ten digits (09121234567, +98 912 123 4567 and ۰۹۱۲۱۲۳۴۵۶۷ are one number)."""
    only = re.sub(r"\D", "", to_ascii_digits(value or ""))
    return only[-10:]


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=30)
    mobile = forms.CharField(label=_("The mobile number the request was filed with"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"dir": "ltr", "placeholder": digits("MK-1405-0042"), "autocomplete": "off"}
        )
        self.fields["mobile"].widget.attrs.update({"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"})
        style_fields(self)

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A tracking code looks like %(example)s.") % {"example": digits("MK-1405-0042")},
                code="format",
            )
        return code

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if len(mobile) != 10:
            raise forms.ValidationError(_("Enter the mobile number, e.g. 09121234567."), code="format")
        return mobile
