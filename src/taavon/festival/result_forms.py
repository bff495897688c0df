"""The results' forms: an appeal (a criterion, the reason, a document) and a reviewer's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _


def bootstrap(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class AppealForm(forms.Form):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("Evidence (PDF or image)"), required=False, help_text=_("Optional: a PDF, JPG or PNG file.")
    )

    def __init__(self, *args, edition, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = edition.criteria.order_by("order", "code")
        if candidates is not None:
            self.fields["candidate"] = forms.ModelChoiceField(
                label=_("Candidate"), queryset=candidates, required=True
            )
            self.fields["candidate"].label_from_instance = lambda c: c.cooperative.name
            self.order_fields(["candidate", "criterion", "reason", "evidence"])
        bootstrap(self)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    corrected = forms.DecimalField(
        label=_("Corrected score (0–100)"), required=False, max_digits=7, decimal_places=3
    )
    decision = forms.CharField(
        label=_("Decision's text"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
