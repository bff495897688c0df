"""Imports as services: preview (a dry run through the real services, rolled back), commit (all or nothing, or
only the valid rows), undo (while none of the touched records changed since). Every import is kept."""

import contextlib
import datetime
import gc
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from taavon.accounts.jurisdiction import can_change
from taavon.accounts.models import User
from taavon.core.bulk import SimpleNamespace, insert_many
from taavon.imports import engine, related
from taavon.imports.convert import Lookups
from taavon.imports.kinds import COOPERATIVES, KINDS, UNITS
from taavon.imports.mapping import SCAN_ROWS, find_header, signature
from taavon.imports.messages import Message, listing, message, of_error
from taavon.imports.models import BatchEvent, BatchStatus, ImportBatch, ImportedRecord, SavedMapping
from taavon.imports.readers import MAX_BYTES, ReadError, check_table, read_table, table_height
from taavon.places.models import Province
from taavon.registry.bulk import cooperatives_delete_imported
from taavon.registry.models import Cooperative
from taavon.registry.services import cooperative_restore


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, no header, required columns missing); args[0] is the message
    (an imports.messages.Message: it shows in the reader's language)."""

    @property
    def message(self) -> Message:
        return of_error(self)


def _quoted(labels) -> Message:
    """Column labels as «a»، «b» / “a”, “b”."""
    return listing(message(gettext_noop("“%(name)s”"), name=label) for label in labels)


def _table(data: bytes, filename: str, kind_code: str, mapping: dict | None, *, rows: list | None = None):
    kind = KINDS[kind_code]
    try:
        rows = read_table(data, filename) if rows is None else rows
    except ReadError as exc:
        raise ImportFileError(of_error(exc)) from exc
    header_row, found, units = find_header(rows, kind)
    if header_row < 0:
        raise ImportFileError(
            message(
                gettext_noop(
                    "No column header in the file was recognised (such as %(examples)s); check the headers."
                ),
                examples=_quoted(
                    [COOPERATIVES.get("name").label_message, COOPERATIVES.get("county").label_message]
                ),
            )
        )
    sig = signature(rows[header_row])
    if mapping is None:
        saved = SavedMapping.objects.filter(kind=kind_code, header_signature=sig).first()
        mapping = {int(k): v for k, v in saved.mapping.items() if str(k).isdigit()} if saved else found
        # a saved mapping that lacks a required column is not used (the headers are recognised again)
        if saved and mapping_missing(kind_code, mapping):
            mapping = found
    else:
        mapping = {int(k): v for k, v in mapping.items() if v and str(k).isdigit()}
    mapping = {k: v for k, v in mapping.items() if v in kind.by_name}
    missing = mapping_missing(kind_code, mapping)
    if missing:
        raise ImportFileError(
            message(
                gettext_noop("The column %(columns)s was not found in the file; correct the column mapping."),
                columns=_quoted(missing),
            )
        )
    return kind, rows, header_row, mapping, units, sig


def mapping_missing(kind_code: str, mapping: dict) -> list[Message]:
    """The labels of the required fields that no column of the mapping gives."""
    kind = KINDS[kind_code]
    names = {v for v in mapping.values() if v in kind.by_name}
    return [f.label_message for f in kind.fields if f.required and f.name not in names]


def missing_columns(missing: list[Message]) -> str:
    """The refusal of a mapping without a required column (shown at once, in the page's language)."""
    return gettext("The column %(columns)s is required; assign it to one of the file's columns.") % {
        "columns": _quoted(missing)
    }


@contextlib.contextmanager
def no_cyclic_gc():
    """An import makes hundreds of thousands of short-lived objects and nothing cyclic: the cyclic collector would
    walk all of them again and again (a second per pass at 100,000 rows). Freed by reference counting instead."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _run(
    *,
    acting_user: User,
    kind_code: str,
    data: bytes,
    filename: str,
    unit: str,
    mapping: dict | None,
    decisions: dict,
    dry_run: bool,
    valid_only: bool,
    progress: Callable | None = None,
):
    """Read, convert, match and apply (or roll back) one file; the callers run it without the cyclic GC."""
    if unit not in UNITS:
        raise ImportFileError(message(UNIT_INVALID))
    if streamed(kind_code, data, filename):
        return _run_streamed(
            acting_user=acting_user,
            data=data,
            filename=filename,
            unit=unit,
            mapping=mapping,
            dry_run=dry_run,
            valid_only=valid_only,
            progress=progress,
        )
    kind, rows, header_row, mapping, units, sig = _table(data, filename, kind_code, mapping)
    lookups = Lookups(Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first())
    # the bar: reading and converting the rows is the first third, checking and writing them the rest
    results = engine.prepare(
        rows,
        kind=kind,
        header_row=header_row,
        mapping=mapping,
        units=units,
        unit=unit,
        lookups=lookups,
        progress=_share(progress, 0, 1 / 3),
    )
    progress = _share(progress, 1 / 3, 2 / 3)
    if kind_code == "cooperatives":
        engine.match(results, decisions, user=acting_user)
        outcome = engine.apply(
            results,
            acting_user=acting_user,
            filename=filename,
            dry_run=dry_run,
            valid_only=valid_only,
            progress=progress,
        )
    else:
        outcome = related.run(
            results,
            kind=kind_code,
            acting_user=acting_user,
            filename=filename,
            dry_run=dry_run,
            valid_only=valid_only,
            progress=progress,
        )
    return outcome, {
        "header_row": header_row,
        "mapping": mapping,
        "signature": sig,
        "header": rows[header_row],
        "rows": rows,
    }


# a members list this long is read row by row and written in bulk (imports.streaming): the row-by-row import takes
# minutes from here on, and cannot take a national list at all
STREAMED_FROM_ROWS = 20_000


def streamed(kind_code: str, data: bytes, filename: str) -> bool:
    """Whether a file is imported through the streaming path (a large members list)."""
    return kind_code == "members" and (
        len(data) > MAX_BYTES or table_height(data, filename) > STREAMED_FROM_ROWS
    )


def _run_streamed(*, acting_user, data, filename, unit, mapping, dry_run, valid_only, progress):
    from taavon.imports.streaming import members_import_file

    if valid_only and not dry_run:
        raise ImportFileError(
            message(
                gettext_noop(
                    "A list this long is imported all or nothing; correct the rows with problems and import it "
                    "again."
                )
            )
        )
    outcome = members_import_file(
        acting_user=acting_user,
        data=data,
        filename=filename,
        unit=unit,
        mapping=mapping,
        dry_run=dry_run,
        progress=progress,
    )
    return outcome, {**outcome.meta, "rows": []}


def _share(progress: Callable | None, start: float, share: float) -> Callable | None:
    """A step's progress (done of total) as its share of the whole bar (in thousandths)."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        if total:
            progress(int(1000 * (start + share * done / total)), 1000)

    return report


PROGRESS_KEY = "taavon-import-progress-{}"
ACTION_LABELS = {  # what a previewed row would do (the sample's "action" is the code; old batches kept the words)
    "create": pgettext_lazy("import row", "New"),
    "update": pgettext_lazy("import row", "Update"),
    "unchanged": pgettext_lazy("import row", "No change"),
    "error": pgettext_lazy("import row", "Problem"),
    "duplicate": pgettext_lazy("import row", "Duplicate"),
    "near": pgettext_lazy("import row", "Similar name"),
    "created": pgettext_lazy("import row", "Created"),
    "updated": pgettext_lazy("import row", "Updated"),
}
UNIT_INVALID = gettext_noop("The unit of amounts is not valid.")
DONE_ALREADY = gettext_noop("This import was already done or cancelled.")
ONLY_DONE = gettext_noop("Only an import that was done can be undone.")
SAMPLE_ROWS = 300


def progress_get(batch: ImportBatch) -> tuple[int, int]:
    """(done, total) of the running step, shared between the worker and the web (file cache)."""
    return cache.get(PROGRESS_KEY.format(batch.pk), (0, 0))


def _progress(batch: ImportBatch) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        cache.set(PROGRESS_KEY.format(batch.pk), (done, total), 3600)

    return report


# The import's lifecycle. Every change of a batch's status goes through batch_move: one conditional step (of two
# clicks, two tabs or a worker and a page, only one takes the batch) and a BatchEvent row naming who and why.
B = BatchStatus
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    B.QUEUED: frozenset({B.RUNNING, B.PREVIEWED, B.FAILED}),  # previewed at once by the console command
    B.RUNNING: frozenset({B.PREVIEWED, B.COMMITTED, B.FAILED}),
    B.PREVIEWED: frozenset(
        {B.RUNNING, B.PREVIEWED, B.COMMITTED, B.FAILED}
    ),  # previewed again: a failed commit
    B.COMMITTED: frozenset({B.UNDOING, B.UNDONE}),
    B.UNDOING: frozenset({B.UNDONE, B.COMMITTED}),
    B.FAILED: frozenset(),
    B.UNDONE: frozenset(),
}
# a background step: the statuses it may start from, and the status while it runs
STEPS = {
    "preview": ((B.QUEUED, B.PREVIEWED), B.RUNNING),
    "commit": ((B.PREVIEWED,), B.RUNNING),
    "undo": ((B.COMMITTED,), B.UNDOING),
}


@transaction.atomic
def batch_move(
    *,
    batch_id: int,
    to: str,
    acting_user: User | None,
    note: str | Message = "",
    allowed_from: tuple | frozenset | None = None,
    older_than: datetime.datetime | None = None,
    fields: dict | None = None,
) -> bool:
    """Move a batch to `to` when its current status allows it (and is in `allowed_from`, and — with older_than —
    it was not touched since), saving `fields` with it, and write the BatchEvent. False when it did not move."""
    # jurisdiction: the batch taken through ImportBatch.objects.for_user (or the worker's own)
    rows = ImportBatch.objects.select_for_update().filter(pk=batch_id)
    if older_than is not None:
        rows = rows.filter(updated_at__lt=older_than)
    current = rows.values_list("status", flat=True).first()
    if current is None or (allowed_from is not None and current not in allowed_from):
        return False
    if to not in BATCH_TRANSITIONS[current]:
        return False
    now = timezone.now()
    # jurisdiction: the batch was taken through ImportBatch.objects.for_user (or is the worker's own)
    ImportBatch.objects.filter(pk=batch_id).update(status=to, updated_at=now, **(fields or {}))
    BatchEvent.objects.create(
        batch_id=batch_id,
        from_status=current,
        to_status=to,
        user=acting_user,
        at=now,
        note=note if isinstance(note, Message) else note[:2000],
    )
    return True


def batch_start(*, batch: ImportBatch, acting_user: User, step: str, updates: dict | None = None) -> bool:
    """Take the batch for a background step (its status moves to running, with `updates`: a new mapping,
    decisions). False when the batch was not ready (another step took it first)."""
    ready, running = STEPS[step]
    note = message(
        {
            "preview": gettext_noop("Preview requested"),
            "commit": gettext_noop("Import requested"),
            "undo": gettext_noop("Undo requested"),
        }[step]
    )
    taken = batch_move(
        batch_id=batch.pk,
        to=running,
        acting_user=acting_user,
        note=note,
        allowed_from=ready,
        fields={"error": "", **(updates or {})},
    )
    if taken:
        cache.set(PROGRESS_KEY.format(batch.pk), (0, 0), 3600)
    return taken


def import_upload(
    *, acting_user: User, kind: str, data: bytes, filename: str, unit: str = "rial"
) -> ImportBatch:
    """Keep the file and queue its preview; the file's readability is checked at once."""
    if not can_change(acting_user):
        raise ValidationError(message(gettext_noop("Your role may not import data.")))
    if kind not in KINDS:
        raise ImportFileError(message(gettext_noop("The kind of import is not valid.")))
    if unit not in UNITS:
        raise ImportFileError(message(UNIT_INVALID))
    # unreadable or hostile files and unmapped headers are refused here, before anything is kept; the file is read
    # in a separate process with a memory and time limit (the web worker must survive any file)
    try:
        first_rows = check_table(data, filename, first=SCAN_ROWS + 1, stream=kind == "members")
    except ReadError as exc:
        raise ImportFileError(of_error(exc)) from exc
    _table(data, filename, kind, None, rows=first_rows)
    batch = ImportBatch(kind=kind, filename=filename[:255], unit=unit, created_by=acting_user)
    batch.file.save(filename[-100:], ContentFile(data), save=False)
    with transaction.atomic():
        batch.save()
        _upload_event(batch, acting_user)
    return batch


def _upload_event(batch: ImportBatch, acting_user: User) -> None:
    BatchEvent.objects.create(
        batch=batch,
        from_status=B.QUEUED,
        to_status=B.QUEUED,
        user=acting_user,
        at=batch.created_at,
        note=message(gettext_noop("File uploaded")),
    )
    return batch


STALE_AFTER = datetime.timedelta(
    hours=1
)  # an import step takes seconds to minutes; an hour means its worker died


def import_put_back(
    *,
    batch_id: int,
    error: str | Message,
    older_than: datetime.datetime | None = None,
    acting_user: User | None = None,
) -> bool:
    """A background step that did not finish (refused, crashed, or its worker killed) puts its batch back where it
    was — its transaction was rolled back, nothing was written: committed after an undo, previewed after a commit
    or a new preview, failed when it had never been previewed — with the reason on the page and in its event. Only
    a batch still in a running state (and, with older_than, not touched since) is changed. True when it was."""
    # jurisdiction: the worker's own batch
    batch = ImportBatch.objects.filter(pk=batch_id).only("status", "header_signature").first()
    if batch is None:
        return False
    if batch.status == B.UNDOING:
        to = B.COMMITTED
    elif batch.status == B.RUNNING and batch.header_signature:
        to = B.PREVIEWED
    elif batch.status in (B.RUNNING, B.QUEUED):
        to = B.FAILED
    else:
        return False
    return batch_move(
        batch_id=batch_id,
        to=to,
        acting_user=acting_user,
        note=error,
        allowed_from=(batch.status,),
        older_than=older_than,
        fields={"error": error},
    )


def import_release_stale(*, batch: ImportBatch) -> bool:
    """A step whose worker was killed (out of memory, SIGKILL) leaves the batch "running" for ever; after an hour it
    is put back. True when the batch was released."""
    released = import_put_back(
        batch_id=batch.pk,
        error=message(
            gettext_noop(
                "The background work was left unfinished (the background service stopped); try again."
            )
        ),
        older_than=timezone.now() - STALE_AFTER,
    )
    if released:
        batch.refresh_from_db()
    return released


def _read(batch: ImportBatch) -> bytes:
    batch.file.open("rb")
    try:
        return batch.file.read()
    finally:
        batch.file.close()


@no_cyclic_gc()
def import_preview_batch(
    *,
    acting_user: User,
    batch: ImportBatch,
    mapping: dict | None = None,
    decisions: dict | None = None,
    progress: Callable | None = None,
) -> engine.Outcome:
    """Try the whole import and roll it back: what would happen, and every problem (kept on the batch)."""
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.PREVIEWED):
        raise ValidationError(message(DONE_ALREADY))
    decisions = {**batch.decisions, **(decisions or {})}
    if mapping is None and batch.mapping:
        mapping = batch.mapping
    try:
        outcome, meta = _run(
            acting_user=acting_user,
            kind_code=batch.kind,
            data=_read(batch),
            filename=batch.filename,
            unit=batch.unit,
            mapping=mapping,
            decisions=decisions,
            dry_run=True,
            valid_only=False,
            progress=progress or _progress(batch),
        )
    except ImportFileError as exc:
        batch_move(
            batch_id=batch.pk,
            to=B.FAILED,
            acting_user=acting_user,
            note=exc.message,
            fields={"error": exc.message},
        )
        batch.refresh_from_db()
        raise
    batch.mapping = {str(k): v for k, v in meta["mapping"].items()}
    batch.header_row = meta["header_row"] + 1
    batch.header_signature = meta["signature"]
    batch.header = [str(c) if c not in (None, "") else "" for c in meta["header"]]
    batch.decisions = decisions
    batch.counts = outcome.counts
    batch.problems = outcome.problems()
    batch.near = [
        {
            "row": r.number,
            "name": r.data.get("name", ""),
            "candidates": [
                {"pk": c.pk, "name": c.name, "shenasnameh": c.shenasnameh}
                for c in r.near
                if isinstance(c, Cooperative)
            ],
        }
        for r in outcome.rows
        if r.action == "near"
    ][:500]
    batch.sample = [
        {
            "row": r.number,
            "action": r.action,
            "name": str(r.data.get("name") or r.data.get("title") or r.data.get("cooperative") or ""),
            "match": str(r.match) if r.match else "",
            "changes": r.changes,
        }
        for r in outcome.rows[:SAMPLE_ROWS]
    ]
    batch.error = ""
    with transaction.atomic():  # the preview's results and its step together
        batch.save(update_fields=[*PREVIEW_FIELDS, "error", "updated_at"])
        batch_move(batch_id=batch.pk, to=B.PREVIEWED, acting_user=acting_user, note=_counts_note(outcome))
    batch.refresh_from_db(fields=["status", "updated_at"])
    return outcome


PREVIEW_FIELDS = ["mapping", "header_row", "header_signature", "header", "decisions", "counts", "problems"]
PREVIEW_FIELDS += ["near", "sample"]


def _counts_note(outcome: engine.Outcome) -> Message:
    c = outcome.counts
    return message(
        gettext_noop("Rows: %(rows)s; new: %(new)s; updated: %(updated)s; with problems: %(errors)s"),
        rows=c.get("rows", 0),
        new=c.get("create", 0),
        updated=c.get("update", 0),
        errors=c.get("error", 0),
    )


def import_preview(
    *,
    acting_user: User,
    kind: str,
    data: bytes,
    filename: str,
    unit: str = "rial",
    progress: Callable | None = None,
) -> tuple[ImportBatch, engine.Outcome]:
    """Upload and preview in one step (the console command)."""
    batch = import_upload(acting_user=acting_user, kind=kind, data=data, filename=filename, unit=unit)
    return batch, import_preview_batch(acting_user=acting_user, batch=batch, progress=progress)


def mapping_save(*, acting_user: User, batch: ImportBatch, mapping: dict) -> SavedMapping:
    missing = mapping_missing(batch.kind, mapping)
    if missing:
        raise ValidationError(
            message(
                gettext_noop("The column %(columns)s is required; this mapping is not saved."),
                columns=_quoted(missing),
            )
        )
    with transaction.atomic():
        saved = (
            SavedMapping.objects.select_for_update()
            .filter(kind=batch.kind, header_signature=batch.header_signature)
            .first()
        ) or SavedMapping(kind=batch.kind, header_signature=batch.header_signature)
        saved.mapping = {str(k): v for k, v in mapping.items() if v}
        saved._history_user = acting_user
        saved._change_reason = (gettext("From the import “%(file)s”") % {"file": batch.filename})[:100]
        saved.save()
    return saved


@no_cyclic_gc()
def import_commit(
    *,
    acting_user: User,
    batch: ImportBatch,
    valid_only: bool = False,
    decisions: dict | None = None,
    progress: Callable | None = None,
) -> engine.Outcome:
    """Import for real: all or nothing (or only the valid rows); the touched records are kept for undo."""
    if batch.status not in (BatchStatus.PREVIEWED, BatchStatus.RUNNING):
        raise ValidationError(message(DONE_ALREADY))
    data = _read(batch)
    decisions = {**batch.decisions, **(decisions or {})}
    with transaction.atomic():
        outcome, _ = _run(
            acting_user=acting_user,
            kind_code=batch.kind,
            data=data,
            filename=batch.filename,
            unit=batch.unit,
            mapping=batch.mapping,
            decisions=decisions,
            dry_run=False,
            valid_only=valid_only,
            progress=progress or _progress(batch),
        )
        batch.counts = outcome.counts
        batch.problems = outcome.problems()
        batch.decisions = decisions
        batch.valid_only = valid_only
        if outcome.committed:
            _record(batch, outcome)
            batch.committed_at = timezone.now()
        batch.save(
            update_fields=["counts", "problems", "decisions", "valid_only", "committed_at", "updated_at"]
        )
        batch_move(
            batch_id=batch.pk,
            to=B.COMMITTED if outcome.committed else B.PREVIEWED,
            acting_user=acting_user,
            note=_counts_note(outcome)
            if outcome.committed
            else message(gettext_noop("Not imported: some rows have problems.")),
        )
        batch.refresh_from_db(fields=["status", "updated_at"])
    return outcome


def _record(batch: ImportBatch, outcome: engine.Outcome) -> None:
    """Keep what the import touched, with each record's latest history row, so that it can be undone."""
    if batch.kind == "cooperatives":
        touched = [r for r in outcome.rows if r.record is not None and r.action in ("create", "update")]
        latest = _latest_history(Cooperative, [r.record.pk for r in touched])
        entries = [
            SimpleNamespace(
                batch_id=batch.pk,
                cooperative_id=r.record.pk,
                content_type_id=None,
                object_id=None,
                order=0,
                action="created" if r.action == "create" else "updated",
                history_id_before=getattr(r.record, "_import_history_before", None),
                history_id_after=latest.get(r.record.pk),
                row_number=r.number,
            )
            for r in touched
        ]
        insert_many(ImportedRecord, entries, 5000)
        return
    else:
        items = [(r.number, order, t) for r in outcome.rows for order, t in enumerate(r.touched)]
        latest: dict = {}
        for model in {type(t[0]) for _, _, t in items}:
            latest[model] = _latest_history(model, [t[0].pk for _, _, t in items if type(t[0]) is model])
        entries = [
            ImportedRecord(
                batch=batch,
                content_type=ContentType.objects.get_for_model(type(t[0])),
                object_id=t[0].pk,
                order=order,
                action=t[1],
                history_id_before=t[2] if len(t) > 2 else None,
                history_id_after=latest[type(t[0])].get(t[0].pk),
                row_number=number,
            )
            for number, order, t in items
        ]
    ImportedRecord.objects.bulk_create(entries, batch_size=2000)


def _latest_history(model, ids: list[int]) -> dict[int, int]:
    """{record id: its latest history id}. New records of one import have consecutive ids: a range is asked for
    then (a list of 100,000 ids costs more to compile than the query costs to run)."""
    if not ids:
        return {}
    wanted = set(ids)
    low, high = min(wanted), max(wanted)
    history = model.history
    rows = (
        history.filter(id__gte=low, id__lte=high)
        if high - low < 2 * len(wanted)
        else history.filter(id__in=wanted)
    )
    latest = rows.values("id").annotate(m=Max("history_id")).values_list("id", "m")
    return {pk: m for pk, m in latest if pk in wanted}


@transaction.atomic
def import_undo(*, acting_user: User, batch: ImportBatch) -> int:
    """Undo an import: delete what it created, restore what it changed — only while nothing was changed since."""
    # jurisdiction: the batch taken through ImportBatch.objects.for_user (or the worker's own)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (BatchStatus.COMMITTED, BatchStatus.UNDOING):
        raise ValidationError(message(ONLY_DONE))
    if batch.counts.get("streamed"):
        raise ValidationError(
            message(
                gettext_noop(
                    "A list this long was written in bulk, without a record of each row; it cannot be undone here."
                )
            )
        )
    records = list(batch.records.select_related("cooperative__county", "content_type"))
    objects: dict = {}
    for record in records:
        model = Cooperative if record.cooperative_id else record.content_type.model_class()
        objects.setdefault(model, set()).add(record.cooperative_id or record.object_id)
    latest = {model: _latest_history(model, list(ids)) for model, ids in objects.items()}
    changed = []
    for record in records:
        model = (
            Cooperative
            if record.cooperative_id
            else (record.content_type.model_class() if record.content_type else None)
        )
        pk = record.cooperative_id or record.object_id
        if model is None or pk is None or latest[model].get(pk) != record.history_id_after:
            changed.append(record)
    if changed:
        rows = listing(message(gettext_noop("row %(row)s"), row=r.row_number) for r in changed[:10])
        raise ValidationError(
            message(
                gettext_noop("Records have changed since this import (%(rows)s); it cannot be undone."),
                rows=rows,
            )
        )
    made = {(r.content_type_id, r.object_id) for r in records if r.content_type_id}
    later = related.later_children(records, made)
    if later:
        raise ValidationError(
            message(
                gettext_noop(
                    "Other records were added to “%(record)s” since this import; it cannot be undone."
                ),
                record=later,
            )
        )
    reason = gettext("Undoing the import of the file “%(file)s”") % {"file": batch.filename}
    try:
        _undo_records(records, acting_user, reason)
    except ProtectedError as exc:
        raise ValidationError(
            message(
                gettext_noop(
                    "Records this import made have since been linked to other records; it cannot be undone."
                )
            )
        ) from exc
    batch_move(
        batch_id=batch.pk,
        to=B.UNDONE,
        acting_user=acting_user,
        note=message(gettext_noop("Records undone: %(count)s."), count=len(records)),
        fields={"error": ""},
    )
    batch.refresh_from_db(fields=["status", "error", "updated_at"])
    return len(records)


def _undo_records(records, acting_user: User, reason: str) -> None:
    created = []  # new cooperatives: removed together at the end (in bulk)
    for record in sorted(records, key=lambda r: (r.row_number, r.order), reverse=True):
        if record.cooperative_id:
            if record.action == "created":
                created.append(record.cooperative)
            else:
                cooperative_restore(
                    acting_user=acting_user,
                    cooperative=record.cooperative,
                    history_id=record.history_id_before,
                    reason=reason,
                )
        else:
            related.undo_record(
                model=record.content_type.model_class(),
                pk=record.object_id,
                action=record.action,
                history_id_before=record.history_id_before,
                acting_user=acting_user,
                reason=reason,
            )
    if created:
        cooperatives_delete_imported(acting_user=acting_user, cooperatives=created, reason=reason)
