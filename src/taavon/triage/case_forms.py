"""Forms of the case pages: they parse the input (Jalali dates, a shenasnameh typed with any digits); the services in
triage.cases apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.accounts.models import User
from taavon.core.forms import IdField, JalaliDateField, VersionField
from taavon.core.forms_style import style_fields
from taavon.registry.models import Cooperative
from taavon.triage.case_selectors import CaseFilters, assignable_users
from taavon.triage.models import Case, CaseStatus, Channel, CommitmentKind, Outcome, StepKind

NOTE_CHARS = 2000


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        place = user.county or user.province
        name = user.get_full_name() or user.username
        return f"{name} — {user.get_role_display()}" + (f" ({place.name})" if place else "")


class ShenasnamehField(forms.CharField):
    """A cooperative named by its shenasnameh number (any digits), found in the user's jurisdiction only: one
    outside it is "not found", never named."""

    def __init__(self, *, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("dir", "ltr")
        self.widget.attrs.setdefault("inputmode", "numeric")

    def clean(self, value):
        from taavon.registry.selectors import cooperative_get

        value = super().clean(value)
        if not value:
            return None
        try:
            return cooperative_get(user=self.user, shenasnameh=value)
        except Cooperative.DoesNotExist as exc:
            raise forms.ValidationError(
                _("No cooperative with this shenasnameh number in your jurisdiction."), code="not_found"
            ) from exc


class CaseFilterForm(forms.Form):
    county = IdField()
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(CaseStatus.choices))
    outcome = forms.ChoiceField(required=False, choices=[("", "")] + list(Outcome.choices))
    assignee = IdField()
    overdue = forms.BooleanField(required=False)
    cooperative = IdField()

    def filters(self) -> CaseFilters:
        """The filters that are valid (an invalid one is left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return CaseFilters(
            county=d.get("county"),
            status=d.get("status") or "",
            outcome=d.get("outcome") or "",
            assignee=d.get("assignee"),
            overdue=bool(d.get("overdue")),
            cooperative=d.get("cooperative"),
        )


class CaseOpenForm(forms.Form):
    deadline = JalaliDateField(label=_("deadline"))
    reason = forms.CharField(
        label=_("why the case is opened"),
        max_length=NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, cooperative: Cooperative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "cooperative": ShenasnamehField(
                user=user,
                label=_("shenasnameh number of the cooperative"),
                initial=cooperative.shenasnameh if cooperative else None,
            ),
            "assigned_to": AssigneeField(
                label=_("assigned to"),
                queryset=assignable_users(user=user, cooperative=cooperative),
                initial=user.pk if cooperative and user.role != "admin" else None,
            ),
            **self.fields,
        }
        style_fields(self)


class CaseAssignForm(forms.Form):
    version = VersionField()
    deadline = JalaliDateField(label=_("deadline"))

    def __init__(self, *args, user: User, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "version": self.fields["version"],
            "assigned_to": AssigneeField(
                label=_("assigned to"),
                queryset=assignable_users(user=user, cooperative=case.cooperative),
                initial=case.assigned_to_id,
            ),
            "deadline": self.fields["deadline"],
        }
        self.fields["version"].initial = case.version
        self.fields["deadline"].initial = case.deadline
        style_fields(self)


REACHED = [("", "—"), ("yes", _("Yes: the board was reached")), ("no", _("No: not reached"))]


class CaseStepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("step"), choices=[(k, v) for k, v in StepKind.choices if k != StepKind.SUMMONS]
    )
    date = JalaliDateField(label=_("date"))
    channel = forms.ChoiceField(
        label=_("channel"),
        required=False,
        choices=[("", "—")] + list(Channel.choices),
        help_text=_("For a contact attempt."),
    )
    reached = forms.ChoiceField(
        label=_("reached"), required=False, choices=REACHED, help_text=_("For a contact attempt.")
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=NOTE_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(label=_("document (PDF or image)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_reached(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("reached"))


class SummonsForm(forms.Form):
    meeting_date = JalaliDateField(label=_("date of the meeting"))
    meeting_time = forms.CharField(
        label=_("time of the meeting"), required=False, max_length=20, help_text=_("e.g. 10:00")
    )
    meeting_place = forms.CharField(label=_("place of the meeting"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class CaseDecideForm(forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—")] + list(Outcome.choices))
    decided_on = JalaliDateField(label=_("date of the decision"))
    note = forms.CharField(
        label=_("grounds of the decision"), max_length=NOTE_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("evidence (PDF or image)"), required=False)
    evidence_step = forms.ModelChoiceField(
        label=_("or the step of the case it rests on"), required=False, queryset=None
    )
    plan_assembly = JalaliDateField(
        label=CommitmentKind.ASSEMBLY.label,
        required=False,
        help_text=_("Revived: the deadline of this commitment."),
    )
    plan_board = JalaliDateField(
        label=CommitmentKind.BOARD.label,
        required=False,
        help_text=_("Revived: the deadline of this commitment."),
    )
    plan_return = JalaliDateField(
        label=CommitmentKind.RETURN.label,
        required=False,
        help_text=_("Revived: the deadline of this commitment."),
    )

    def __init__(self, *args, user: User, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version
        # jurisdiction: the steps of a case already read through case_get (for_user)
        self.fields["evidence_step"].queryset = case.steps.order_by("date", "pk")
        self.fields["evidence_step"].label_from_instance = _step_label
        self.fields["evidence_step"].empty_label = "—"
        self.fields["merged_into"] = ShenasnamehField(
            user=user,
            required=False,
            label=_("merged into (shenasnameh number)"),
            help_text=_("Merged: the cooperative it merges into."),
        )
        order = ["version", "outcome", "decided_on", "note", "evidence", "evidence_step", "merged_into"]
        self.order_fields(order)
        style_fields(self)

    def plan(self) -> list:
        d = self.cleaned_data
        return [(kind, d.get(f"plan_{kind}")) for kind in CommitmentKind.values if d.get(f"plan_{kind}")]


def _step_label(step) -> str:
    from taavon.core.formatting import date

    return f"{date(step.date)} — {step.get_kind_display()}"


class InspectorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.username


class CaseVisitForm(forms.Form):
    """Plan a field visit for the case: the day, the county's inspectors, what to look at."""

    planned_on = JalaliDateField(label=_("day of the visit"))
    inspectors = InspectorsField(label=_("inspectors"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("what to look at"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: Case, **kwargs):
        from taavon.visits.selectors import inspectors_of

        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_of(county_id=case.cooperative.county_id)
        style_fields(self)
