"""Form fields for Persian input: Jalali dates, amounts and identifiers typed with any digits."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.core.formatting import digits, number
from taavon.persian import (
    AmountError,
    IdentifierError,
    JalaliDateError,
    format_jalali,
    jalali_year,
    normalize_legal_id,
    normalize_national_code,
    parse_amount,
    parse_jalali,
    to_ascii_digits,
)


class TypedTextField(forms.Field):
    """Text typed by a person and parsed into a value (a date, an amount); refuses over-long input."""

    widget = forms.TextInput
    max_chars = 40

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not value:
            return None
        if len(value) > self.max_chars:
            raise ValidationError(
                _("This value is longer than %(count)s characters.") % {"count": digits(self.max_chars)},
                code="too_long",
            )
        return value


class JalaliDateField(TypedTextField):
    """A date typed in the Jalali calendar (۱۴۰۴/۰۶/۱۱, 1404-6-11, ۱۱ شهریور ۱۴۰۴); cleans to a datetime.date.
    Dates outside Jalali years MIN_YEAR..MAX_YEAR are typing mistakes and refused."""

    MIN_YEAR, MAX_YEAR = 1300, 1500

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", gettext_lazy("e.g. 1404/06/11 or 2025-09-02"))
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return digits(format_jalali(value, "short"))
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            parsed = parse_jalali(value)
        except JalaliDateError as exc:
            raise ValidationError(str(exc), code="invalid_jalali") from exc
        if not self.MIN_YEAR <= jalali_year(parsed) <= self.MAX_YEAR:
            raise ValidationError(
                _("The year must be between %(low)s and %(high)s.")
                % {"low": digits(self.MIN_YEAR), "high": digits(self.MAX_YEAR)},
                code="year_out_of_range",
            )
        return parsed


class AmountField(TypedTextField):
    """A whole amount of rials typed with any digits and separators; cleans to int."""

    def __init__(self, *, unit: str = "rial", max_rial: int = 10**17, **kwargs):
        self.unit = unit
        self.max_rial = max_rial
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value):
        if isinstance(value, int):
            return number(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(value, unit=self.unit)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid_amount") from exc
        if amount > self.max_rial:
            raise ValidationError(_("This amount is far too large; check the figure."), code="absurd_amount")
        return amount


class CountField(forms.IntegerField):
    """A count typed with any digits. A text box, not <input type=number>: browsers drop Persian digits there."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).strip()
        return super().to_python(value)


class LegalIdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("dir", "ltr")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            return normalize_legal_id(value)
        except IdentifierError as exc:
            raise ValidationError(str(exc), code="invalid_legal_id") from exc


class NationalCodeField(LegalIdField):
    def to_python(self, value):
        value = forms.CharField.to_python(self, value)
        if value in self.empty_values:
            return ""
        try:
            return normalize_national_code(value)
        except IdentifierError as exc:
            raise ValidationError(str(exc), code="invalid_national_code") from exc


class IdField(forms.IntegerField):
    """A record id in a query string: a positive 64-bit integer (anything else is an invalid filter, not a crash)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class VersionField(forms.IntegerField):
    """The version of the record the form showed (hidden): the service keeps what others changed since and refuses a
    field both changed (core.concurrency)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
