from django import forms

from taavon.core.forms_style import style_fields
from taavon.imports.kinds import KINDS, UNITS

MAX_UPLOAD = 40 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="نوع اطلاعات", choices=[(k.code, k.label) for k in KINDS.values()])
    unit = forms.ChoiceField(label="واحد مبالغ در فایل", choices=list(UNITS.items()))
    file = forms.FileField(label="فایل (XLSX، XLS، ODS یا CSV)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(f"حجم فایل بیش از {MAX_UPLOAD // (1024 * 1024)} مگابایت است.")
        return f
