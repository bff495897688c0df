"""The audit trail of a record as people read it: each saved version, who, when, why, and what changed.

Reads django-simple-history's rows. A page shows the newest `SHOWN` versions (older ones page by page with
`before=`), so what a record page costs does not grow with its history:

- one query for the versions, newest first by history_id (the order they were written in, which is the order the
  diffs are taken in; on SQLite the record's index on `id` gives that order without a sort), reading only the
  tracked columns as tuples — no historical model instances;
- the diffs compare those tuples column by column, with each model's field list worked out once (model metadata,
  which does not change while the process runs — nothing read from the database is kept between calls);
- related records' names are fetched only for the values a diff shows (one query per kind, none when no relation
  changed), and the authors' names with one query for the distinct authors shown;
- the dates are formatted here, each day converted to the Jalali calendar once per call (the template does no
  filtering: the jdate filter converts the time zone and the calendar again for every value, ≈0.14 ms each).
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taavon.core import formatting
from taavon.core.models import english
from taavon.core.templatetags.persian import fa, num
from taavon.persian import to_persian_digits

HIDDEN = {"id", "created_at", "updated_at", "name_key", "title_key", "status_changed_at", "version"}
KINDS = {"+": _("Created"), "~": _("Edited"), "-": _("Deleted")}
SYSTEM = _("System")
SHOWN = 10  # versions a record page shows; the rest are a click away (`before=`)

_META = ("history_id", "history_date", "history_type", "history_change_reason", "history_user_id")
_FIRST = len(_META)  # the tracked fields' columns start here in each row tuple


class ChangeHistory(list):
    """The rows, newest first. `more`: older versions exist; `older`: the `before=` that shows them."""

    more: bool = False
    older: int | None = None


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: one per field, made once
class _Field:
    name: str
    attname: str
    label: object  # verbose_name (a lazy string is rendered in the active language)
    relation: type[models.Model] | None
    target: str | None  # the related model's field the stored value is (its pk, or a to_field)
    choices: dict | None
    date_only: bool
    date_time: bool


_FIELDS: dict[type[models.Model], tuple[_Field, ...]] = {}


def _fields(model: type[models.Model], historical: type[models.Model]) -> tuple[_Field, ...]:
    """The fields a diff compares: the record's concrete fields that its history keeps, less the bookkeeping."""
    fields = _FIELDS.get(model)
    if fields is None:
        kept = {f.attname for f in historical._meta.concrete_fields}
        fields = tuple(
            _Field(
                name=f.name,
                attname=f.attname,
                label=f.verbose_name,
                relation=f.related_model if f.is_relation else None,
                target=f.target_field.attname if f.is_relation else None,
                choices=dict(f.flatchoices) if f.choices else None,
                date_only=isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField),
                date_time=isinstance(f, models.DateTimeField),
            )
            for f in model._meta.concrete_fields
            if f.name not in HIDDEN and f.attname in kept
        )
        _FIELDS[model] = fields
    return fields


def change_history(obj: models.Model, *, limit: int = SHOWN, before: int | None = None) -> ChangeHistory:
    """The newest `limit` versions of `obj` (older than version `before`, a history_id, when given)."""
    history = obj.history
    fields = _fields(type(obj), history.model)
    qs = history.order_by("-history_id")
    if before is not None:
        qs = qs.filter(history_id__lt=before)
    # one version more than shown: the one the oldest shown version is compared with
    records = list(qs.values_list(*_META, *(f.attname for f in fields))[: limit + 1])
    shown = records[:limit]

    diffs = []  # per row: [(field, old, new)]
    wanted: dict[_Field, set] = {}  # related ids a diff shows, per field
    for i, rec in enumerate(shown):
        changed = []
        if i + 1 < len(records):
            prev = records[i + 1]
            for j, fld in enumerate(fields, _FIRST):
                old, new = prev[j], rec[j]
                if old != new:
                    changed.append((fld, old, new))
                    if fld.relation is not None:
                        wanted.setdefault(fld, set()).update((old, new))
        diffs.append(changed)

    labels = {
        fld: {
            getattr(o, fld.target): str(o)
            for o in fld.relation._base_manager.filter(**{f"{fld.target}__in": ids - {None}})
        }
        for fld, ids in wanted.items()
        if ids - {None}
    }
    authors = _authors(history.model, {rec[4] for rec in shown} - {None})
    dates = _Dates()

    out = ChangeHistory()
    for rec, changed in zip(shown, diffs, strict=True):
        out.append(
            {
                "id": rec[0],
                "date": rec[1],
                "when": dates.moment(rec[1]),
                "who": authors.get(rec[4], str(SYSTEM)) if rec[4] is not None else str(SYSTEM),
                "type": str(KINDS[rec[2]]),
                "reason": shown_reason(rec[3] or ""),
                "changes": [
                    {
                        "field": fld.label,
                        "old": _display(fld, old, labels, dates),
                        "new": _display(fld, new, labels, dates),
                    }
                    for fld, old, new in changed
                ],
            }
        )
    if len(records) > limit:
        out.more = True
        out.older = shown[-1][0]
    return out


def before_param(value: str | None) -> int | None:
    """The `before=` of a history page's address: a version number, or None for the newest (anything else typed
    in the address is read as the newest page, never an error)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _authors(historical: type[models.Model], ids: set) -> dict:
    """Each author's name as the rest of the interface shows a user (str), for the few distinct authors shown."""
    if not ids:
        return {}
    user_model = historical._meta.get_field("history_user").related_model
    return {u.pk: str(u) for u in user_model._base_manager.filter(pk__in=ids)}


class _Dates:
    """Dates as the jdate filter shows them ("۱۱ شهریور ۱۴۰۴"; a moment in local time with the hour), each day
    converted once: the history's rows fall on few days."""

    def __init__(self):
        self.tz = timezone.get_current_timezone()
        self.days: dict[datetime.date, str] = {}

    def day(self, value: datetime.date) -> str:
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = formatting.date(value)
        return text

    def moment(self, value: datetime.datetime) -> str:
        if timezone.is_aware(value):
            value = value.astimezone(self.tz)
        clock = f"{value.hour:02d}:{value.minute:02d}"
        if english():
            return f"{self.day(value.date())}, {clock}"
        return f"{self.day(value.date())}، ساعت {to_persian_digits(clock)}"


def _display(fld: _Field, value, labels: dict, dates: _Dates) -> str:
    if value is None or value == "":
        return "—"
    if fld.relation is not None:
        return labels.get(fld, {}).get(value, str(value))
    if fld.choices is not None:
        return str(fld.choices.get(value, value))
    if fld.date_time:
        return dates.moment(value)
    if fld.date_only:
        return dates.day(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int):
        return num(value)
    return fa(value)


# Reasons and notes the system itself writes into the records are stored in Persian (the site's language: they are
# data once written — services store a gettext_noop message translated into Persian). An English reader sees them
# in English: the Persian catalogue read backwards (exact texts, and messages with placeholders as patterns whose
# values are translated back too). What people typed stays as typed.
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_reverse: tuple[dict[str, str], list[tuple[re.Pattern, str]]] | None = None


def _backwards() -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    global _reverse
    if _reverse is None:
        from django.utils.translation import trans_real

        catalog = trans_real.translation(settings.LANGUAGE_CODE)._catalog
        exact: dict[str, str] = {}
        patterns = []
        for key, persian in catalog.items():
            if not isinstance(key, str) or not isinstance(persian, str) or not key or not persian:
                continue  # plural forms (tuples) and the header
            if "\x04" in key:  # a context: "ctx\x04msgid"
                key = key.split("\x04", 1)[1]
            if not _PLACEHOLDER.search(persian):
                exact.setdefault(persian, key)
                continue
            literal = _PLACEHOLDER.sub("", persian)
            if len(literal.strip()) < 6:
                continue  # too little fixed text to recognise it
            names = set()
            regex = ""
            for part in re.split(r"(%\(\w+\)[sd])", persian):
                found = _PLACEHOLDER.fullmatch(part)
                if found and found.group(1) not in names:
                    names.add(found.group(1))
                    regex += f"(?P<{found.group(1)}>.+?)"
                elif found:
                    regex += f"(?P={found.group(1)})"
                else:
                    regex += re.escape(part)
            patterns.append((re.compile(regex + r"\Z", re.S), key))
        patterns.sort(key=lambda p: -len(p[0].pattern))
        _reverse = (exact, patterns)
    return _reverse


# Stored by services written before the catalogue (registry): their Persian text, and what it says in English.
SYSTEM_REASONS = {
    "ثبت": _("Registered"),
    "ثبت در سامانه": _("Registered in the system"),
    "ویرایش": _("Edited"),
    "ورود از فایل": _("Imported from a file"),
    "محاسبه از سوابق اعضا، ارکان و مجامع": _("Computed from the records of members, officers and assemblies"),
}
STATUS_CHANGE = _("Status change: %(reason)s")  # stored as «تغییر وضعیت: …»


def shown_reason(text: str) -> str:
    """A reason or note the system wrote (stored in Persian), in the interface's language; typed ones as typed."""
    if not text or not english():
        return text or ""
    stripped = text.strip()
    if stripped in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[stripped])
    exact, patterns = _backwards()
    if stripped in exact:
        return exact[stripped]
    for pattern, english_text in patterns:
        found = pattern.match(stripped)
        if found:
            values = {k: exact.get(v.strip(), v) for k, v in found.groupdict().items()}
            try:
                return english_text % values
            except (KeyError, TypeError, ValueError):
                return text
    return text
