"""The audit trail's tables (django-simple-history), with only the indexes they are read by.

simple-history copies every index of the record's table (and adds one for each unique field and foreign key) to
the history table. The history is read by record (`id`) and by date, never by the copied fields; the copied
indexes made every write several times dearer (an import of 100,000 records wrote 13 indexes per history row)."""

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
