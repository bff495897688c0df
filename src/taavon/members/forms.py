"""Forms for members, organs, assemblies, returns and the portal's proposals (they parse; services decide)."""

import datetime

from django import forms

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
    national_code = NationalCodeField(label="کد ملی")
    first_name = forms.CharField(label="نام", max_length=80)
    last_name = forms.CharField(label="نام خانوادگی", max_length=80)
    gender = forms.ChoiceField(label="جنسیت", choices=Gender.choices)
    birth_year = CountField(label="سال تولد (شمسی)", required=False, min_value=1290, max_value=1500)
    mobile = forms.CharField(label="تلفن همراه", required=False, max_length=20)

    def clean_mobile(self):
        value = to_ascii_digits(self.cleaned_data.get("mobile") or "").replace(" ", "").replace("-", "")
        if value.startswith("+98"):
            value = "0" + value[3:]
        if value and (len(value) != 11 or not value.startswith("09") or not value.isdigit()):
            raise forms.ValidationError("شمارهٔ همراه باید ۱۱ رقم و با ۰۹ آغاز شود.")
        return value

    def person_fields(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("national_code", "first_name", "last_name", "gender", "birth_year", "mobile")
        }


class MemberJoinForm(PersonFields):
    join_date = JalaliDateField(label="تاریخ عضویت")
    shares = CountField(label="تعداد سهام", required=False, min_value=0)
    contribution_rial = AmountField(label="آوردهٔ نقدی هنگام عضویت (ریال)", required=False)


class MemberLeaveForm(StyledForm):
    leave_date = JalaliDateField(label="تاریخ خروج")
    reason = forms.CharField(label="دلیل خروج", max_length=200)


class PortalMemberLeaveForm(MemberLeaveForm):
    membership = forms.TypedChoiceField(label="عضو", coerce=int, choices=())

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, str(m.person)) for m in memberships]
        self.order_fields(["membership", "leave_date", "reason"])


class ContributionForm(StyledForm):
    date = JalaliDateField(label="تاریخ پرداخت")
    amount_rial = AmountField(label="مبلغ (ریال)")
    note = forms.CharField(label="شرح", required=False, max_length=200)


class OfficerForm(PersonFields):
    role = forms.ChoiceField(label="سمت", choices=OfficeRole.choices)
    start = JalaliDateField(label="آغاز دوره")
    end = JalaliDateField(label="پایان دوره")


class AssemblyForm(StyledForm):
    date = JalaliDateField(label="تاریخ مجمع")
    kind = forms.ChoiceField(label="نوع مجمع", choices=AssemblyKind.choices)
    quorum_present = forms.BooleanField(label="حد نصاب حاضر بود", required=False, initial=True)
    attendees = CountField(label="تعداد حاضران", required=False, min_value=0)
    decisions = forms.CharField(
        label="تصمیمات", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.FileField(label="صورت‌جلسه (PDF یا تصویر)", required=False)


class ReturnForm(StyledForm):
    fiscal_year = CountField(label="سال مالی", min_value=1300, max_value=1500)
    filed_on = JalaliDateField(label="تاریخ ارائه")
    revenue_rial = AmountField(label="درآمد (ریال)", required=False)
    assets_rial = AmountField(label="دارایی‌ها (ریال)", required=False)
    liabilities_rial = AmountField(label="بدهی‌ها (ریال)", required=False)
    profit_rial = forms.CharField(
        label="سود یا زیان (ریال؛ زیان با علامت منفی)", required=False, max_length=40
    )
    employees = CountField(label="کارکنان", required=False, min_value=0)
    members_year_end = CountField(label="اعضا در پایان سال", required=False, min_value=0)
    statements = forms.FileField(label="صورت‌های مالی (PDF یا تصویر)", required=False)

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
    address = forms.CharField(label="نشانی", max_length=300)
    phone = forms.CharField(label="تلفن", required=False, max_length=20)
    postal_code = forms.CharField(label="کد پستی", required=False, max_length=20)

    def clean_phone(self):
        return to_ascii_digits(self.cleaned_data.get("phone") or "").strip()

    def clean_postal_code(self):
        value = to_ascii_digits(self.cleaned_data.get("postal_code") or "").replace("-", "").replace(" ", "")
        if value and (len(value) != 10 or not value.isdigit()):
            raise forms.ValidationError("کد پستی باید ۱۰ رقم باشد.")
        return value


class RefuseForm(StyledForm):
    reason = forms.CharField(label="دلیل رد", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
