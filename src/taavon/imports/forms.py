from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.core.formatting import number
from taavon.core.forms_style import style_fields
from taavon.imports.kinds import KINDS, UNITS

MAX_UPLOAD = 40 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of data"), choices=[(k.code, k.label) for k in KINDS.values()]
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit of the amounts in the file"), choices=list(UNITS.items())
    )
    file = forms.FileField(label=gettext_lazy("File (XLSX, XLS, ODS or CSV)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": number(MAX_UPLOAD // (1024 * 1024))}
            )
        return f
