"""Forms for members, organs, assemblies, returns and the portal's proposals (they parse; services decide)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.core.forms import AmountField, CountField, JalaliDateField, NationalCodeField
from taavon.core.forms_style import style_fields
from taavon.members.models import AssemblyKind, Gender, OfficeRole
from taavon.persian import to_ascii_digits


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def payload(self) -> dict:
        """The cleaned data as JSON (dates as ISO text, files left out): what a proposal stores."""
        out = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "read"):
                continue
            out[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return out


class PersonFields(StyledForm):
    national_code = NationalCodeField(label=_("National code"))
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_year = CountField(
        label=_("Birth year (Solar Hijri)"), required=False, min_value=1290, max_value=1500
    )
    mobile = forms.CharField(label=_("Mobile phone"), required=False, max_length=20)

    def clean_mobile(self):
        value = to_ascii_digits(self.cleaned_data.get("mobile") or "").replace(" ", "").replace("-", "")
        if value.startswith("+98"):
            value = "0" + value[3:]
        if value and (len(value) != 11 or not value.startswith("09") or not value.isdigit()):
            raise forms.ValidationError(_("A mobile number has 11 digits and starts with 09."))
        return value

    def person_fields(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("national_code", "first_name", "last_name", "gender", "birth_year", "mobile")
        }


class MemberJoinForm(PersonFields):
    join_date = JalaliDateField(label=_("Membership date"))
    shares = CountField(label=_("Number of shares"), required=False, min_value=0)
    contribution_rial = AmountField(label=_("Cash contribution on joining (rials)"), required=False)


class MemberLeaveForm(StyledForm):
    leave_date = JalaliDateField(label=_("Leaving date"))
    reason = forms.CharField(label=_("Reason for leaving"), max_length=200)


class PortalMemberLeaveForm(MemberLeaveForm):
    membership = forms.TypedChoiceField(label=_("Member"), coerce=int, choices=())

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, str(m.person)) for m in memberships]
        self.order_fields(["membership", "leave_date", "reason"])


class ContributionForm(StyledForm):
    date = JalaliDateField(label=_("Payment date"))
    amount_rial = AmountField(label=_("Amount (rials)"))
    note = forms.CharField(label=_("Description"), required=False, max_length=200)


class OfficerForm(PersonFields):
    role = forms.ChoiceField(label=_("Position"), choices=OfficeRole.choices)
    start = JalaliDateField(label=_("Term start"))
    end = JalaliDateField(label=_("Term end"))


class AssemblyForm(StyledForm):
    date = JalaliDateField(label=_("Assembly date"))
    kind = forms.ChoiceField(label=_("Kind of assembly"), choices=AssemblyKind.choices)
    quorum_present = forms.BooleanField(label=_("Quorum present"), required=False, initial=True)
    attendees = CountField(label=_("Number attending"), required=False, min_value=0)
    decisions = forms.CharField(
        label=_("Decisions"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.FileField(label=_("Minutes (PDF or image)"), required=False)


class ReturnForm(StyledForm):
    fiscal_year = CountField(label=_("Fiscal year"), min_value=1300, max_value=1500)
    filed_on = JalaliDateField(label=_("Filing date"))
    revenue_rial = AmountField(label=_("Revenue (rials)"), required=False)
    assets_rial = AmountField(label=_("Assets (rials)"), required=False)
    liabilities_rial = AmountField(label=_("Liabilities (rials)"), required=False)
    profit_rial = forms.CharField(
        label=_("Profit or loss (rials; a loss with a minus sign)"), required=False, max_length=40
    )
    employees = CountField(label=_("Employees"), required=False, min_value=0)
    members_year_end = CountField(label=_("Members at year end"), required=False, min_value=0)
    statements = forms.FileField(label=_("Financial statements (PDF or image)"), required=False)

    def clean_profit_rial(self):
        from taavon.persian import AmountError, parse_amount

        text = to_ascii_digits(self.cleaned_data.get("profit_rial") or "").strip().replace("−", "-")
        if not text:
            return 0
        negative = text.startswith("-")
        try:
            value = parse_amount(text.lstrip("-").strip())
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return -value if negative else value

    def clean(self):
        data = super().clean()
        for name in ("revenue_rial", "assets_rial", "liabilities_rial", "employees", "members_year_end"):
            if data.get(name) is None:
                data[name] = 0
        return data


class ContactForm(StyledForm):
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)

    def clean_phone(self):
        return to_ascii_digits(self.cleaned_data.get("phone") or "").strip()

    def clean_postal_code(self):
        value = to_ascii_digits(self.cleaned_data.get("postal_code") or "").replace("-", "").replace(" ", "")
        if value and (len(value) != 10 or not value.isdigit()):
            raise forms.ValidationError(_("The postal code must be 10 digits."))
        return value


class RefuseForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
