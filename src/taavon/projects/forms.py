"""Forms of the project pages: parse Persian input; the services apply the rules."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import counties_for
from taavon.core.collation import PersianOrder
from taavon.core.forms import AmountField, CountField, IdField, JalaliDateField, VersionField
from taavon.core.forms_style import style_fields
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.selectors import ProjectFilters
from taavon.projects.services import (
    CLOSED_COOPERATIVE,
    FACILITY_FIELDS,
    PROJECT_FIELDS,
    allowed_stages,
    facility_validate,
    project_validate,
)
from taavon.registry.models import Activity, Cooperative, Sector


class ProjectForm(forms.ModelForm):
    version = VersionField()
    investment_rial = AmountField(label=_("total investment (rials)"))
    members_contribution_rial = AmountField(label=_("members' contribution (rials)"), required=False)
    start_date = JalaliDateField(label=_("start date"), required=False)
    expected_opening_date = JalaliDateField(label=_("expected opening date"), required=False)
    progress_percent = CountField(
        label=_("physical progress (%)"), min_value=0, max_value=100, required=False
    )

    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["cooperative"].queryset = (
            Cooperative.objects.for_user(user).exclude(status__in=CLOSED_COOPERATIVE).select_related("county")
        )
        self.fields["county"].queryset = counties_for(user).order_by(PersianOrder("name_fa"))
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)
        self.fields["activity"].queryset = Activity.objects.filter(is_active=True)
        for name in PROJECT_FIELDS:
            if name.startswith("jobs_"):
                self.fields[name] = CountField(
                    label=Project._meta.get_field(name).verbose_name, min_value=0, required=False
                )
        style_fields(self)

    def clean(self):
        data = super().clean()
        for name in ("members_contribution_rial", "progress_percent"):
            if data.get(name) is None:
                data[name] = 0
        if not self.errors:
            try:
                project_validate(Project(**{k: data.get(k) for k in PROJECT_FIELDS}))
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class StageForm(forms.Form):
    version = VersionField()
    to_stage = forms.ChoiceField(label=_("new stage"), choices=())
    date = JalaliDateField(label=_("date"), required=False, help_text=_("Empty: today"))
    reason = forms.CharField(
        label=_("description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = project.version
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in allowed_stages(project.stage)]
        style_fields(self)


class FacilityForm(forms.ModelForm):
    version = VersionField()
    requested_rial = AmountField(label=_("amount requested (rials)"))
    approved_rial = AmountField(label=_("amount approved (rials)"), required=False)
    paid_rial = AmountField(label=_("amount paid (rials)"), required=False)
    requested_date = JalaliDateField(label=_("date requested"), required=False)
    approved_date = JalaliDateField(label=_("date approved"), required=False)
    paid_date = JalaliDateField(label=_("date paid"), required=False)

    class Meta:
        model = Facility
        fields = list(FACILITY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        style_fields(self)

    def clean(self):
        data = super().clean()
        for name in ("approved_rial", "paid_rial"):
            if data.get(name) is None:
                data[name] = 0
        if not self.errors:
            try:
                facility_validate(Facility(**{k: data.get(k) for k in FACILITY_FIELDS}))
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class ProjectFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    province = IdField()
    county = IdField()
    sector = IdField()
    stage = forms.ChoiceField(required=False, choices=[("", "")] + list(Stage.choices))
    cooperative = IdField()
    opening_from = JalaliDateField(required=False)
    opening_to = JalaliDateField(required=False)
    year = CountField(required=False, min_value=1300, max_value=1500)

    def clean(self):
        from taavon.persian import to_gregorian

        data = super().clean()
        year = data.get("year")
        if year and not data.get("opening_from") and not data.get("opening_to"):
            data["opening_from"] = to_gregorian(year, 1, 1)
            data["opening_to"] = to_gregorian(year + 1, 1, 1) - datetime.timedelta(days=1)
        return data

    def filters(self) -> ProjectFilters:
        """The filters that are valid (an invalid one is shown as an error and left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return ProjectFilters(
            q=d.get("q") or "",
            province=d.get("province"),
            county=d.get("county"),
            sector=d.get("sector"),
            stage=d.get("stage") or "",
            cooperative=d.get("cooperative"),
            opening_from=d.get("opening_from"),
            opening_to=d.get("opening_to"),
        )
