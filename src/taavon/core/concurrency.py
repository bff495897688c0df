"""Optimistic locking: no lost updates. A record that people edit has a `version` (core.models.Versioned), raised by
every save through a service. An edit form carries the version it showed; the service, holding the row lock,
compares what the user changed with what others changed since that version (the history keeps every version):

- fields only the user changed are applied, fields only others changed are kept — two officers changing the name
  and the phone both win;
- a field both changed to different values is a conflict: nothing is written, and the user is told, field by field,
  the value now in the record (and who changed it) beside theirs. The form comes back with the new version, so a
  second save is a deliberate choice.

One mechanism for every edited record; a new capability's model inherits Versioned and its services call merge().
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Clash:
    field: str
    label: str
    theirs: object  # the value now in the record
    yours: object  # the value the user sent
    by: object  # who made the record's value (a User or None)


class ConflictError(ValidationError):
    """Someone changed the record since the user's form showed it, on a field the user changed too."""

    def __init__(self, clashes: list[Clash], *, current_version: int, message: str):
        self.clashes = clashes
        self.current_version = current_version
        super().__init__(message, code="conflict")


def _value(field: models.Field, value):
    """A comparable value: related objects by id."""
    if field.is_relation:
        return getattr(value, "pk", value)
    return value


def describe(field: models.Field, value) -> str:
    """A value as the user reads it: a related record's name, a choice's label, a Jalali date, Persian digits."""
    import datetime

    from taavon.persian import format_jalali, format_rial, to_persian_digits

    if value in (None, ""):
        return "—"
    if field.is_relation:
        return str(value)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return format_jalali(value)
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int):
        return format_rial(value)
    return to_persian_digits(str(value))


def merge(record: models.Model, expected_version: int | None, fields: dict, *, describe=describe) -> dict:
    """The fields to write, given the user's form values `fields` as they were edited from `expected_version`.

    record: the current row, read under lock. describe(field, value) → text: how a value is shown to the user.
    Raises ConflictError when a field the user changed was changed meanwhile to something else. With
    expected_version None (a service called by code, an import) everything given is applied."""
    if expected_version is None or expected_version == record.version:
        return dict(fields)
    base = record.history.filter(version=expected_version).order_by("-history_id").first()
    meta = type(record)._meta
    if base is None:  # no snapshot of what the user saw: any change is treated as a conflict
        changed_by_others = set(fields)
    else:
        changed_by_others = {
            name
            for name in fields
            if getattr(base, meta.get_field(name).attname) != getattr(record, meta.get_field(name).attname)
        }
    apply, clashes = {}, []
    latest = record.history.select_related("history_user").order_by("-history_id").first()
    for name, value in fields.items():
        field = meta.get_field(name)
        mine = _value(field, value)
        now = getattr(record, field.attname)
        seen = getattr(base, field.attname) if base is not None else now
        if mine == seen:
            continue  # the user left it as they saw it: the record's value (whoever set it) stays
        if name in changed_by_others and mine != now:
            clashes.append(
                Clash(
                    field=name,
                    label=str(field.verbose_name),
                    theirs=describe(field, getattr(record, name)),
                    yours=describe(field, value),
                    by=latest.history_user if latest is not None else None,
                )
            )
            continue
        apply[name] = value
    if clashes:
        lines = "؛ ".join(f"«{c.label}» اکنون «{c.theirs}» است و شما «{c.yours}» فرستادید" for c in clashes)
        who = clashes[0].by
        raise ConflictError(
            clashes,
            current_version=record.version,
            message=(
                f"این سابقه پس از باز کردن فرم شما{f' به دست {who}' if who else ''} تغییر کرده است: {lines}. "
                "چیزی ذخیره نشد؛ مقدارها را بسنجید و اگر مقدار شما درست است، دوباره ذخیره کنید."
            ),
        )
    return apply


def check_unchanged(
    record: models.Model, expected_version: int | None, field: str, *, describe=describe
) -> None:
    """A step that depends on one field as the user saw it (a status, a stage): refused when that field changed since
    `expected_version` — the user decided on a value that is no longer there."""
    if expected_version is None or expected_version == record.version:
        return
    base = record.history.filter(version=expected_version).order_by("-history_id").first()
    model_field = type(record)._meta.get_field(field)
    seen = getattr(base, model_field.attname) if base is not None else None
    now = getattr(record, model_field.attname)
    if base is not None and seen == now:
        return
    latest = record.history.select_related("history_user").order_by("-history_id").first()
    who = latest.history_user if latest is not None else None
    raise ConflictError(
        [Clash(field, str(model_field.verbose_name), describe(model_field, now), "", who)],
        current_version=record.version,
        message=(
            f"«{model_field.verbose_name}» پس از باز کردن فرم شما{f' به دست {who}' if who else ''} به "
            f"«{describe(model_field, now)}» تغییر کرده است؛ چیزی ذخیره نشد. صفحه را دوباره ببینید و تصمیم بگیرید."
        ),
    )
