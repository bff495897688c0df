"""Bootstrap classes for form widgets, so templates can render fields plainly."""

from django import forms


def style_fields(form: forms.BaseForm) -> None:
    for fld in form.fields.values():
        if isinstance(fld.widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(fld.widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        fld.widget.attrs.setdefault("class", css)
