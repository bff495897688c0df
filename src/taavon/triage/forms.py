"""Forms of the flagged list, the rules' settings and record health. They parse input; the services decide (a negative
or absurd setting is refused by `rule_setting_change` / `health_cycle_change`, with the message on the field)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.core.forms import CountField, IdField
from taavon.registry.models import Status
from taavon.triage.flag_selectors import DEFAULT_SORT, FlagFilters
from taavon.triage.rules import all_rules


class FlagFilterForm(forms.Form):
    county = IdField()
    sector = IdField()
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(Status.choices))
    rule = forms.ChoiceField(required=False, choices=())
    sort = forms.CharField(required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "")] + [(r.code, r.label) for r in all_rules()]

    def filters(self) -> FlagFilters:
        """The valid filters (an invalid one is left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return FlagFilters(
            county=d.get("county"),
            sector=d.get("sector"),
            status=d.get("status") or "",
            rule=d.get("rule") or "",
            sort=d.get("sort") or DEFAULT_SORT,
        )


class HealthFilterForm(forms.Form):
    county = IdField()
    sector = IdField()

    def filters(self) -> dict:
        self.is_valid()
        return {k: self.cleaned_data.get(k) for k in ("county", "sector")}


def _styled(form: forms.Form) -> None:
    for fld in form.fields.values():
        if isinstance(fld.widget, forms.CheckboxInput):
            fld.widget.attrs.setdefault("class", "form-check-input")
        else:
            fld.widget.attrs.setdefault("class", "form-control form-control-sm")
            fld.widget.attrs.setdefault("dir", "ltr")


class RuleSettingForm(forms.Form):
    """A rule's threshold, weight and on/off. Bounds are the service's to check (one message for each)."""

    enabled = forms.BooleanField(label=pgettext_lazy("rule", "on"), required=False)
    threshold = CountField(label=_("threshold"), required=False)
    weight = CountField(label=_("weight"))
    reason = forms.CharField(label=_("why (for the audit)"), required=False, max_length=100)

    def __init__(self, *args, rule, has_threshold: bool, **kwargs):
        super().__init__(*args, prefix=rule, **kwargs)
        self.code = rule
        if not has_threshold:
            del self.fields["threshold"]
        _styled(self)
        self.fields["reason"].widget.attrs.pop("dir", None)


class HealthCycleForm(forms.Form):
    months = CountField(label=_("months"))
    reason = forms.CharField(label=_("why (for the audit)"), required=False, max_length=100)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, prefix=cycle, **kwargs)
        self.code = cycle
        _styled(self)
        self.fields["reason"].widget.attrs.pop("dir", None)
