"""The audit trail of a record as people read it: each saved version, who, when, why, and what changed.

Reads django-simple-history's rows; related rows' names are fetched in one query per kind.
"""

from django.db import models

HIDDEN = {"id", "created_at", "updated_at", "name_key", "title_key", "status_changed_at"}
KINDS = {"+": "ایجاد", "~": "ویرایش", "-": "حذف"}


def change_history(obj: models.Model, *, limit: int = 50) -> list[dict]:
    model = type(obj)
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN]
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    labels = _labels(records, [f for f in fields if f.is_relation])
    rows = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None:
            for fld in fields:
                old, new = getattr(prev, fld.attname), getattr(rec, fld.attname)
                if old != new:
                    changes.append(
                        {
                            "field": fld.verbose_name,
                            "old": _display(fld, old, labels),
                            "new": _display(fld, new, labels),
                        }
                    )
        rows.append(
            {
                "date": rec.history_date,
                "user": rec.history_user,
                "type": KINDS[rec.history_type],
                "reason": rec.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows


def _labels(records, relations) -> dict:
    out = {}
    for fld in relations:
        ids = {getattr(r, fld.attname) for r in records} - {None}
        if ids:
            out[fld.name] = {o.pk: str(o) for o in fld.related_model.objects.filter(pk__in=ids)}
    return out


def _display(fld, value, labels) -> str:
    from taavon.core.templatetags.persian import fa, jdate, num

    if value in (None, ""):
        return "—"
    if fld.is_relation:
        return labels.get(fld.name, {}).get(value, str(value))
    if fld.choices:
        return str(dict(fld.choices).get(value, value))
    if isinstance(fld, models.DateField) and not isinstance(fld, models.DateTimeField):
        return jdate(value)
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int):
        return num(value)
    return fa(value)
