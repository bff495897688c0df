"""Forms of the registry's staff pages. They parse and check input; the services apply the rules and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import counties_for
from taavon.core.collation import PersianOrder
from taavon.core.forms import AmountField, CountField, IdField, JalaliDateField, LegalIdField, VersionField
from taavon.persian import to_ascii_digits
from taavon.registry.models import Activity, Cooperative, CooperativeType, Sector, Status
from taavon.registry.selectors import DEFAULT_SORT, CooperativeFilters
from taavon.registry.services import EDITABLE_FIELDS, allowed_transitions

DIGIT_FIELDS = ("registration_number", "postal_code", "phone")


class CooperativeForm(forms.ModelForm):
    version = VersionField()
    legal_id = LegalIdField(
        label=_("national ID"), required=False, help_text=_("11 digits; in any script, dashes allowed.")
    )
    registration_date = JalaliDateField(label=_("registration date"), required=False)
    board_term_end = JalaliDateField(label=_("end of the board's term"), required=False)
    last_general_assembly = JalaliDateField(label=_("date of the last general assembly"), required=False)
    capital_registered_rial = AmountField(label=_("registered capital (rials)"), required=False)
    capital_paid_rial = AmountField(label=_("paid-up capital (rials)"), required=False)
    members_women = CountField(label=_("women members"), min_value=0, required=False)
    members_men = CountField(label=_("men members"), min_value=0, required=False)
    founding_members = CountField(label=_("founding members"), min_value=0, required=False)

    class Meta:
        model = Cooperative
        fields = list(EDITABLE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "address": forms.TextInput()}

    def __init__(self, *args, user, derived: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in derived:  # figures computed from member, organ and assembly records
            self.fields[name].disabled = True
            self.fields[name].help_text = _("Computed from the records.")
        self.fields["county"].queryset = counties_for(user).order_by(PersianOrder("name_fa"))
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)
        self.fields["type"].queryset = CooperativeType.objects.filter(is_active=True)
        self.fields["activity"].queryset = Activity.objects.filter(is_active=True).select_related("sector")
        for name in ("legal_id", "registration_number", "postal_code", "phone"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        for fld in self.fields.values():
            css = "form-select" if isinstance(fld.widget, forms.Select) else "form-control"
            fld.widget.attrs.setdefault("class", css)

    def validate_unique(self):
        """Uniqueness (legal ID, name in the county) is the service's to decide — and to word: it names the other
        cooperative only to a user who may see it."""

    def clean(self):
        data = super().clean()
        for name in DIGIT_FIELDS:
            if data.get(name):
                data[name] = to_ascii_digits(data[name]).strip()
        for name in (
            "members_women",
            "members_men",
            "founding_members",
            "capital_registered_rial",
            "capital_paid_rial",
        ):
            if data.get(name) is None:
                data[name] = 0
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatusChangeForm(forms.Form):
    version = VersionField()
    to_status = forms.ChoiceField(label=_("new status"), choices=())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    effective_date = JalaliDateField(
        label=_("effective date"), required=False, help_text=_("If the change took effect earlier.")
    )
    evidence = forms.FileField(label=_("evidence (PDF or image)"), required=False)

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = cooperative.version
        self.fields["to_status"].choices = [
            (s, Status(s).label) for s in allowed_transitions(cooperative.status)
        ]
        for fld in self.fields.values():
            css = "form-select" if isinstance(fld.widget, forms.Select) else "form-control"
            fld.widget.attrs.setdefault("class", css)


class CooperativeFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    county = IdField()
    sector = IdField()
    type = IdField()
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(Status.choices))
    sort = forms.CharField(required=False, max_length=30)

    def filters(self):
        """The filters that are valid (an invalid one is shown as an error and left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return CooperativeFilters(
            q=d.get("q") or "",
            county=d.get("county"),
            sector=d.get("sector"),
            type=d.get("type"),
            status=d.get("status") or "",
            sort=d.get("sort") or DEFAULT_SORT,
        )
