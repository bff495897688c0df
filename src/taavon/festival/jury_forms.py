"""The jury's forms: a juror's scores of a candidate (a score and a comment per jury criterion), a conflict of
interest, and the staff's assignment of a juror to a category."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.accounts.models import Role, User
from taavon.festival.jury import plain


def bootstrap(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class TypedDecimalField(forms.DecimalField):
    """A score as people type it: Persian or Latin digits, «٫» or "." for the decimals («۷٫۵» is 7.5)."""

    def to_python(self, value):
        if isinstance(value, str):
            from taavon.persian import to_ascii_digits

            value = to_ascii_digits(value).replace("\u066b", ".").strip()
        return super().to_python(value)


class ScoreForm(forms.Form):
    """One score and one comment per jury criterion (`score_<code>`, `comment_<code>`); a blank score is left as it
    was. Read-only after the lock."""

    def __init__(self, *args, criteria, scores, locked=False, **kwargs):
        initial = {}
        for code, s in scores.items():
            initial[f"score_{code}"] = f"{s.score.normalize():f}"
            initial[f"comment_{code}"] = s.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for c in criteria:
            attrs = {
                "min": f"{c.low.normalize():f}",
                "max": f"{c.high.normalize():f}",
                "step": "0.5",
                "inputmode": "decimal",
            }
            if locked:
                attrs["disabled"] = "disabled"
            self.fields[f"score_{c.code}"] = TypedDecimalField(
                label=_("Score"),
                required=False,
                max_digits=7,
                decimal_places=2,
                help_text=_("from %(low)s to %(high)s") % {"low": plain(c.low), "high": plain(c.high)},
                widget=forms.NumberInput(attrs=attrs),
            )
            comment_attrs = {"rows": 2}
            if locked:
                comment_attrs["disabled"] = "disabled"
            self.fields[f"comment_{c.code}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                help_text=_("Required when the score is at either end of the range."),
                widget=forms.Textarea(attrs=comment_attrs),
            )
        bootstrap(self)

    def pairs(self):
        """[(criterion, score field, comment field)] for the template."""
        return [(c, self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    cooperative = forms.TypedChoiceField(label=_("Cooperative"), coerce=int)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        self.fields["cooperative"].choices = [("", "---------")] + [
            (c.pk, f"{c.cooperative.name} — {c.category.name}") for c in candidates
        ]
        bootstrap(self)


class AssignForm(forms.Form):
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=User.objects.none())
    category = forms.ModelChoiceField(label=_("Festival category"), queryset=None)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = User.objects.filter(role=Role.JUROR, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["juror"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["category"].queryset = categories
        bootstrap(self)
