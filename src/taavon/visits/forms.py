"""Forms of the office's visit pages: they parse the input (Jalali dates, ids, a mobile typed with any digits); the
services in visits.services apply the rules (an action not due before its visit, a finding closed only when its
actions are done...)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import can_change_in, counties_for
from taavon.accounts.models import User
from taavon.core.forms import IdField, JalaliDateField, VersionField
from taavon.core.forms_style import style_fields
from taavon.registry.models import Cooperative
from taavon.servicedesk.models import Category, Priority
from taavon.servicedesk.selectors import assignable_users
from taavon.visits import selectors
from taavon.visits.models import (
    Action,
    ActionStatus,
    Finding,
    FindingCategory,
    Owner,
    Purpose,
    Severity,
    Visit,
)
from taavon.visits.services import ACTION_TRANSITIONS

TEXT = 3000


class InspectorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "invalid_choice": _("Choose among the inspectors of the cooperative's county office."),
        "invalid_pk_value": _("Choose among the inspectors of the cooperative's county office."),
    }

    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name() or user.username
        return f"{name} ({user.county.name})" if self.with_county and user.county_id else name

    with_county = False


def _textarea(rows: int = 2):
    return forms.Textarea(attrs={"rows": rows})


class PlanFilterForm(forms.Form):
    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    county = IdField()


class PlanForm(forms.Form):
    """A visit put in the plan: the cooperative (found as the officer types, or given by the record's link), the day,
    the purpose, the inspectors, what to look at."""

    cooperative = IdField(label=_("cooperative"))
    planned_on = JalaliDateField(label=_("day of the visit"))
    purpose = forms.ModelChoiceField(label=_("purpose"), queryset=None)
    inspectors = InspectorsField(label=_("inspectors"), queryset=None)
    plan_note = forms.CharField(
        label=_("what to look at"), required=False, max_length=300, widget=_textarea()
    )

    def __init__(self, *args, user: User, cooperative: Cooperative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.chosen: Cooperative | None = cooperative
        if cooperative is not None:
            self.fields["cooperative"].initial = cooperative.pk
        self.fields["purpose"].queryset = selectors.purposes()
        self.fields["purpose"].initial = (
            Purpose.objects.filter(code="routine").values_list("pk", flat=True).first()
        )
        # the chosen cooperative's county's inspectors; before one is chosen, those of the user's counties
        county_id = cooperative.county_id if cooperative is not None else None
        self.fields["inspectors"].queryset = selectors.plan_inspectors(user=user, county_id=county_id)
        self.fields["inspectors"].with_county = county_id is None and counties_for(user).count() > 1
        self.fields["inspectors"].widget.attrs["class"] = "form-check-input"
        style_fields(self)

    def clean_cooperative(self):
        pk = self.cleaned_data.get("cooperative")
        if not pk:
            raise ValidationError(_("Choose the cooperative to visit."))
        found = (
            Cooperative.objects.for_user(self.user).select_related("county__province").filter(pk=pk).first()
        )
        if found is None or not can_change_in(self.user, found.county):
            raise ValidationError(_("No such cooperative in your jurisdiction."))
        self.chosen = found
        return found


class ReplanForm(forms.Form):
    version = VersionField()
    planned_on = JalaliDateField(label=_("day of the visit"))
    inspectors = InspectorsField(label=_("inspectors"), queryset=None)
    plan_note = forms.CharField(
        label=_("what to look at"), required=False, max_length=300, widget=_textarea()
    )

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = selectors.inspectors_of(county_id=visit.county_id)
        if not self.is_bound:
            self.initial.update(
                version=visit.version,
                planned_on=visit.planned_on,
                inspectors=[u.pk for u in visit.inspectors.all()],
                plan_note=visit.plan_note,
            )
        self.fields["inspectors"].widget.attrs["class"] = "form-check-input"
        style_fields(self)


class CancelForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(label=_("why it is cancelled"), max_length=200)

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = visit.version
        style_fields(self)


class ReviewedForm(forms.Form):
    version = VersionField()

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = visit.version


class FindingForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=FindingCategory.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices)
    description = forms.CharField(label=_("description"), max_length=TEXT, widget=_textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ActionForm(forms.Form):
    """An action item for a finding. `officers`: the people it may be given to, read once for the whole page (a
    visit's page has one of these forms per finding)."""

    what = forms.CharField(label=_("what is to be done"), max_length=300)
    owner = forms.ChoiceField(label=_("who does it"), choices=Owner.choices)
    officer = forms.TypedChoiceField(
        label=_("the directorate's officer"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the county office's officers.")},
    )
    agency = forms.CharField(label=_("agency"), required=False, max_length=200)
    due_on = JalaliDateField(label=_("due on"))

    def __init__(self, *args, officers: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {u.pk: u for u in officers}
        self.fields["officer"].choices = [("", "—")] + [
            (u.pk, u.get_full_name() or u.username) for u in officers
        ]
        self.fields["officer"].help_text = _("When an officer of the directorate does it.")
        self.fields["agency"].help_text = _("When another agency does it: its name.")
        style_fields(self)

    def clean_officer(self):
        pk = self.cleaned_data.get("officer")
        return self.officers.get(pk) if pk else None


def action_officers(*, user: User, finding: Finding) -> list[User]:
    """Who an action may be given to: the staff of the visit's county office (servicedesk's assignable users)."""
    return list(assignable_users(user=user, county=finding.visit.county))


class ActionStatusForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("new status"), choices=())
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=_textarea())
    done_on = JalaliDateField(label=_("done on"), required=False)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ActionStatus.choices)
        allowed = ACTION_TRANSITIONS.get(action.status, frozenset())
        # shown: the steps allowed now; taken: any status (a form opened before someone else moved the action is
        # answered by the service: what changed, by whom — not «not one of the choices»)
        shown = ActionStatus.values if self.is_bound else [s for s in ActionStatus.values if s in allowed]
        self.fields["status"].choices = [(s, labels[s]) for s in shown]
        self.fields["version"].initial = action.version
        self.fields["note"].help_text = _("Required when the action is done: what was done.")
        style_fields(self)


def _mobile_or_blank(phone: str) -> str:
    from taavon.servicedesk.services import normalize_mobile

    try:
        return normalize_mobile(phone) if phone else ""
    except ValidationError:
        return ""


class ActionRequestForm(forms.Form):
    """An action made a service-desk request. `categories`: the desk's categories, read once for the page."""

    category = forms.TypedChoiceField(label=_("request category"), coerce=int)
    mobile = forms.CharField(
        label=_("mobile for the replies"),
        max_length=20,
        help_text=_("The cooperative's mobile: the desk's replies are sent to it by SMS."),
    )
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL)
    subject = forms.CharField(label=_("subject"), max_length=200, required=False)
    description = forms.CharField(
        label=_("what the cooperative reads"),
        max_length=2000,
        required=False,
        widget=_textarea(3),
        help_text=_(
            "The subject and this text are shown to the cooperative in its portal; the finding itself is added "
            "as an internal note."
        ),
    )

    def __init__(self, *args, cooperative: Cooperative, categories: list[Category], action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        from taavon.visits.services import action_request_text

        self.fields["subject"].initial = action.what[:200]
        self.fields["description"].initial = action_request_text(action)
        self.categories = {c.pk: c for c in categories}
        self.fields["category"].choices = [("", "—")] + [(c.pk, c.name) for c in categories]
        self.fields["mobile"].initial = _mobile_or_blank(cooperative.phone)
        self.fields["mobile"].widget.attrs.update({"dir": "ltr", "inputmode": "tel"})
        style_fields(self)

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]

    def clean_mobile(self):
        from taavon.servicedesk.services import normalize_mobile

        return normalize_mobile(self.cleaned_data.get("mobile") or "")


def request_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


class FindingCloseForm(forms.Form):
    version = VersionField()
    result = forms.CharField(label=_("result"), max_length=TEXT, widget=_textarea())
    closed_on = JalaliDateField(label=_("closed on"), required=False)

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = finding.version
        self.fields["result"].help_text = _("What was done, what changed.")
        style_fields(self)


class FindingReopenForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(label=_("why it is opened again"), max_length=100)

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = finding.version
        style_fields(self)


AGES = (30, 90, 180)


class FindingsFilterForm(forms.Form):
    county = IdField()
    category = forms.ChoiceField(required=False, choices=[("", "")] + list(FindingCategory.choices))
    severity = forms.ChoiceField(required=False, choices=[("", "")] + list(Severity.choices))
    older_than = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "")] + [(str(a), str(a)) for a in AGES]
    )
    overdue = forms.BooleanField(required=False)

    def filters(self) -> selectors.FindingFilters:
        """The valid filters (an invalid one is left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return selectors.FindingFilters(
            county=d.get("county"),
            category=d.get("category") or "",
            severity=d.get("severity") or "",
            older_than=d.get("older_than"),
            overdue=bool(d.get("overdue")),
        )
