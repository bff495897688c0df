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
from django.utils.translation import gettext


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
    """A value as the user reads it: a related record's name, a choice's label, a date and digits in the
    interface's language."""
    import datetime

    from taavon.core import formatting

    if value in (None, ""):
        return "—"
    if field.is_relation:
        return str(value)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return formatting.date(value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int):
        return formatting.number(value)
    return formatting.digits(str(value))


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
        lines = gettext("; ").join(
            gettext("«%(field)s» is now «%(theirs)s» and you sent «%(yours)s»")
            % {"field": c.label, "theirs": c.theirs, "yours": c.yours}
            for c in clashes
        )
        who = clashes[0].by
        if who:
            changed = gettext(
                "This record was changed by %(who)s after your form was opened: %(changes)s."
            ) % {
                "who": who,
                "changes": lines,
            }
        else:
            changed = gettext("This record was changed after your form was opened: %(changes)s.") % {
                "changes": lines
            }
        raise ConflictError(
            clashes,
            current_version=record.version,
            message=changed
            + " "
            + gettext("Nothing was saved; weigh the values and, if yours is right, save again."),
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
            gettext(
                "«%(field)s» was changed by %(who)s to «%(value)s» after your form was opened; nothing was saved. "
                "Look at the page again and decide."
            )
            if who
            else gettext(
                "«%(field)s» was changed to «%(value)s» after your form was opened; nothing was saved. "
                "Look at the page again and decide."
            )
        )
        % {"field": model_field.verbose_name, "who": who, "value": describe(model_field, now)},
    )
