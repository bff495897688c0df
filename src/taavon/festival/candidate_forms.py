from django import forms
from django.utils.translation import gettext_lazy as _

from taavon.persian import to_ascii_digits


class NominateForm(forms.Form):
    shenasnameh = forms.CharField(
        label=_("Shenasnameh number of the cooperative"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "ltr"}),
        help_text=_("A cooperative of your county; its category is its sector."),
    )

    def clean_shenasnameh(self):
        return to_ascii_digits(self.cleaned_data["shenasnameh"]).strip()


class WeightsForm(forms.Form):
    """One category's weights: a field per criterion (percent); festival.services.weights_set checks the sum."""

    def __init__(self, *args, criteria=(), initial_weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_weights = initial_weights or {}
        for c in criteria:
            self.fields[c.code] = forms.CharField(
                label=c.name,
                max_length=10,
                initial=initial_weights.get(c.code, ""),
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "dir": "ltr", "inputmode": "decimal"}
                ),
            )

    def percents(self) -> dict[str, str]:
        return {code: to_ascii_digits(value or "").strip() for code, value in self.cleaned_data.items()}
