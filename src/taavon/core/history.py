"""The audit trail's tables (django-simple-history), with only the indexes they are read by.

simple-history copies every index of the record's table (and adds one for each unique field and foreign key) to
the history table. The history is read by record (`id`) and by date, never by the copied fields; the copied
indexes made every write several times dearer (an import of 100,000 records wrote 13 indexes per history row)."""

import contextlib
import contextvars
import datetime

from django.db.models import Max
from django.utils import timezone
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords


class _HistoryDescriptor(HistoryDescriptor):
    """simple-history's descriptor builds a new manager class (from_queryset) on every `obj.history` — every save,
    which reads it to write the history row: a third of the cost of a save. The class is built once here."""

    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self._manager = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self._manager(self.model, instance)


CHANGE_REASON_CHARS = 100  # simple-history's history_change_reason column (varchar(100) on PostgreSQL)


class AuditHistory(HistoricalRecords):
    def get_change_reason_for_object(self, instance, history_type, using):
        """The reason a service gave, cut to the column's length (a long typed reason stays whole where the service
        keeps it — a status change's reason, a case's grounds; the history row holds its start)."""
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if isinstance(reason, str) and len(reason) > CHANGE_REASON_CHARS:
            reason = reason[: CHANGE_REASON_CHARS - 1] + "…"
        return reason

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        plain = sender.__dict__.get(self.manager_name)
        if isinstance(plain, HistoryDescriptor) and not isinstance(plain, _HistoryDescriptor):
            setattr(
                sender,
                self.manager_name,
                _HistoryDescriptor(plain.model, plain.manager_class, plain.queryset_class),
            )

    def create_historical_record(self, instance, history_type, using=None):
        moment = _RECORDED_AT.get()
        if moment is None or hasattr(instance, "_history_date"):
            return super().create_historical_record(instance, history_type, using=using)
        instance._history_date = moment
        try:
            return super().create_historical_record(instance, history_type, using=using)
        finally:
            del instance._history_date

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields

    def post_delete(self, instance, using=None, **kwargs):
        # a bulk removal (undo of an import) writes its "deleted" history rows itself, in bulk; the flag is the one
        # simple-history already honours for saves
        if getattr(instance, "skip_history_when_saving", False):
            return
        super().post_delete(instance, using=using, **kwargs)


def restore_from_history(obj, history_id: int, fields) -> object:
    """Put the named fields of `obj` back as they were in one of its history versions (not saved: the caller's
    service checks, audits and saves). Returns the version. The one way any app restores a record from its history."""
    version = obj.history.get(history_id=history_id)
    for name in fields:
        field = type(obj)._meta.get_field(name)
        setattr(obj, field.attname, getattr(version, field.attname))
    return version


# --- the moment a change is recorded, and the records as they were known at a moment ---------------------------

_RECORDED_AT: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "taavon_recorded_at", default=None
)


def history_now() -> datetime.datetime:
    """The moment a history row written now records: the clock, or the moment `recorded_at` sets (the demo, whose
    records are dated as they would have been recorded). Every history row, one by one or in bulk, takes it."""
    return _RECORDED_AT.get() or timezone.now()


@contextlib.contextmanager
def recorded_at(moment: datetime.datetime):
    """Write the history rows made inside as recorded at `moment` (an aware datetime). For the demo and tests:
    a user's change is always recorded when it is made."""
    if timezone.is_naive(moment):
        raise ValueError("recorded_at needs an aware datetime")
    token = _RECORDED_AT.set(moment)
    try:
        yield
    finally:
        _RECORDED_AT.reset(token)


def rows_as_of(model, as_of: datetime.datetime):
    """The history rows of `model` as Taavon knew its records at `as_of`: each record's newest row recorded by
    then, records deleted by then left out. A queryset of the history model, with the record's fields under
    their names (`id` is the record's); filter, group and sum it as the records themselves. Unscoped: the
    jurisdiction applies to it in accounts.jurisdiction (`as_of_for_user`)."""
    history = model.history.model
    newest = (
        history.objects.filter(history_date__lte=as_of)
        .order_by()
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    return history.objects.filter(history_id__in=newest).exclude(history_type="-")


def day_moment(
    day: datetime.date, *, hour: int = 10, after: datetime.datetime | None = None
) -> datetime.datetime:
    """`hour` o'clock (local time) of `day`, a second after `after` at least, never later than now: the moment the
    demo records a change made on `day` (a record's changes keep their order)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    if after is not None and moment <= after:
        moment = after + datetime.timedelta(seconds=1)
    return min(moment, timezone.now())


def value_as_of(model, field: str, as_of: datetime.datetime, *, record: str):
    """A field of the `model` record named by the outer row's `record` column (a case's `cooperative_id`), as it was
    at `as_of`: its newest history row by then, one indexed look-up a row — where a cooperative was then, not now."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        model.history.model.objects.filter(id=OuterRef(record), history_date__lte=as_of)
        .order_by("-history_id")
        .values(field)[:1]
    )


def names_as_of(model, ids, as_of: datetime.datetime | None) -> dict:
    """{id: (name_fa, name_en)} of reference records (counties, sectors, activities) as they were named at `as_of`
    — a figure published then is written again with the names it had; a record without a history row by then
    keeps today's name. `as_of` None: today's names."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    names = {
        pk: (fa, en)
        for pk, fa, en in model.objects.filter(pk__in=ids).values_list("pk", "name_fa", "name_en")
    }
    if as_of is not None:
        names.update(
            (pk, (fa, en))
            for pk, fa, en in rows_as_of(model, as_of)
            .filter(id__in=ids)
            .values_list("id", "name_fa", "name_en")
        )
    return names


def seed_history(app_label: str, names: tuple[str, ...]):
    """A data migration's function: a first history row for each record made before its history was kept (the
    reference data the migrations loaded), dated when the record was created — names read "as of" a date then have
    a row to come from."""

    def seed(apps, schema_editor):
        for name in names:
            model = apps.get_model(app_label, name)
            history = apps.get_model(app_label, "Historical" + name)
            own = {f.attname for f in model._meta.concrete_fields}
            copied = [f.attname for f in history._meta.concrete_fields if f.attname in own]
            rows = [
                history(
                    **{a: getattr(record, a) for a in copied},
                    history_date=record.created_at,
                    history_type="+",
                    history_change_reason="Recorded before its history was kept",
                )
                for record in model.objects.all().iterator()
            ]
            history.objects.bulk_create(rows, batch_size=1000)

    return seed
