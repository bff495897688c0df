"""Cooperative Week's forms: an event (a Jalali day and a time), the projects an opening opens, a booth, the
visitors of a day, the programme's county filter."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.core.forms import CountField, IdField, JalaliDateField, TypedTextField, VersionField
from taavon.events.models import EventKind
from taavon.persian import to_ascii_digits

_CLOCK = re.compile(r"^(\d{1,2})[:٫.](\d{2})$")


class ClockField(TypedTextField):
    """A time of day typed with any digits (۱۰:۳۰, 10:30); cleans to a datetime.time."""

    max_chars = 8

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", gettext_lazy("e.g. 10:30"))
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("dir", "ltr")

    def prepare_value(self, value):
        if isinstance(value, datetime.time):
            from taavon.core.formatting import digits

            return digits(value.strftime("%H:%M"))
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        m = _CLOCK.match(to_ascii_digits(value))
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValidationError(_("Write the time as hours:minutes, e.g. 10:30."), code="invalid_time")
        return datetime.time(int(m.group(1)), int(m.group(2)))


def _moment(day, clock):
    if day is None or clock is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, clock))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=EventKind.choices)
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    day = JalaliDateField(label=gettext_lazy("day"))
    starts = ClockField(label=gettext_lazy("starts at"))
    ends = ClockField(label=gettext_lazy("ends at"), required=False)
    place = forms.CharField(label=gettext_lazy("place"), max_length=200, required=False)
    organiser = forms.CharField(label=gettext_lazy("organiser"), max_length=200, required=False)
    county = forms.ModelChoiceField(
        label=gettext_lazy("county"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("The province's (no county)"),
    )
    description = forms.CharField(
        label=gettext_lazy("description"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()

    def __init__(self, *args, counties, event=None, **kwargs):
        if event is not None and not args and "initial" not in kwargs:
            local = timezone.localtime(event.starts_at)
            kwargs["initial"] = {
                "kind": event.kind,
                "title": event.title,
                "day": local.date(),
                "starts": local.time(),
                "ends": timezone.localtime(event.ends_at).time() if event.ends_at else None,
                "place": event.place,
                "organiser": event.organiser,
                "county": event.county_id,
                "description": event.description,
                "version": event.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        data["starts_at"] = _moment(data.get("day"), data.get("starts"))
        data["ends_at"] = _moment(data.get("day"), data.get("ends"))
        return data


class ProjectsForm(forms.Form):
    projects = forms.TypedMultipleChoiceField(
        label=gettext_lazy("projects opened"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = choices


class BoothForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("booth"), max_length=10)
    cooperative = forms.CharField(
        label=gettext_lazy("cooperative"),
        max_length=30,
        help_text=gettext_lazy("The cooperative's registration number (shenasnameh)."),
    )
    products = forms.CharField(
        label=gettext_lazy("products shown"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cooperatives, **kwargs):
        self.cooperatives = cooperatives
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_cooperative(self):
        value = to_ascii_digits(self.cleaned_data["cooperative"]).strip()
        found = self.cooperatives.filter(shenasnameh=value).first()
        if found is None:
            raise ValidationError(_("No cooperative of yours has this registration number."))
        return found


class VisitorsForm(forms.Form):
    date = JalaliDateField(label=gettext_lazy("day"))
    visitors = CountField(label=gettext_lazy("visitors"), min_value=0, max_value=10_000_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class ProgrammeFilterForm(forms.Form):
    county = IdField()
