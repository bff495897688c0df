"""Imports as services: preview (a dry run through the real services, rolled back), commit (all or nothing, or
only the valid rows), undo (while none of the touched records changed since). Every import is kept."""

import datetime
import io
from collections.abc import Callable

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from taavon.accounts.jurisdiction import can_change
from taavon.accounts.models import User
from taavon.imports import engine
from taavon.imports.convert import Lookups
from taavon.imports.kinds import KINDS, UNITS
from taavon.imports.mapping import find_header, signature
from taavon.imports.models import BatchStatus, ImportBatch, ImportedRecord, SavedMapping
from taavon.imports.readers import ReadError, read_table
from taavon.persian import format_jalali
from taavon.places.models import Province
from taavon.registry.exports import neutralise
from taavon.registry.models import Cooperative
from taavon.registry.services import cooperative_delete_imported, cooperative_restore


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, no header, required columns missing); Persian message."""


def _table(data: bytes, filename: str, kind_code: str, mapping: dict | None):
    kind = KINDS[kind_code]
    try:
        rows = read_table(data, filename)
    except ReadError as exc:
        raise ImportFileError(str(exc)) from exc
    header_row, found, units = find_header(rows, kind)
    if header_row < 0:
        raise ImportFileError(
            "هیچ سرستونی در فایل شناخته نشد (مثلاً «نام تعاونی»، «شهرستان»)؛ سرستون‌ها را بررسی کنید."
        )
    sig = signature(rows[header_row])
    if mapping is None:
        saved = SavedMapping.objects.filter(kind=kind_code, header_signature=sig).first()
        mapping = {int(k): v for k, v in saved.mapping.items()} if saved else found
    else:
        mapping = {int(k): v for k, v in mapping.items() if v}
    names = set(mapping.values())
    missing = [f.label for f in kind.fields if f.required and f.name not in names]
    if missing:
        raise ImportFileError(f"ستون «{'»، «'.join(missing)}» در فایل پیدا نشد؛ نگاشت ستون‌ها را درست کنید.")
    return kind, rows, header_row, mapping, units, sig


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
    if unit not in UNITS:
        raise ImportFileError("واحد مبالغ نامعتبر است.")
    kind, rows, header_row, mapping, units, sig = _table(data, filename, kind_code, mapping)
    lookups = Lookups(Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first())
    results = engine.prepare(
        rows, kind=kind, header_row=header_row, mapping=mapping, units=units, unit=unit, lookups=lookups
    )
    engine.match(results, decisions)
    outcome = engine.apply(
        results,
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


def import_preview(
    *,
    acting_user: User,
    kind: str,
    data: bytes,
    filename: str,
    unit: str = "rial",
    mapping: dict | None = None,
    decisions: dict | None = None,
    progress: Callable | None = None,
) -> tuple[ImportBatch, engine.Outcome]:
    """Read, map, convert, match and try the whole import, then roll it back: what would happen, and every problem."""
    if not can_change(acting_user):
        raise ValidationError("نقش شما اجازهٔ ورود اطلاعات ندارد.")
    outcome, meta = _run(
        acting_user=acting_user,
        kind_code=kind,
        data=data,
        filename=filename,
        unit=unit,
        mapping=mapping,
        decisions=decisions or {},
        dry_run=True,
        valid_only=False,
        progress=progress,
    )
    batch = ImportBatch(
        kind=kind,
        filename=filename[:255],
        unit=unit,
        mapping={str(k): v for k, v in meta["mapping"].items()},
        header_row=meta["header_row"] + 1,
        header_signature=meta["signature"],
        decisions=decisions or {},
        counts=outcome.counts,
        problems=outcome.problems()[:5000],
        created_by=acting_user,
        progress_done=len(outcome.rows),
        progress_total=len(outcome.rows),
    )
    batch.file.save(filename[-100:], ContentFile(data), save=False)
    batch.save()
    return batch, outcome


def mapping_save(*, acting_user: User, batch: ImportBatch, mapping: dict) -> SavedMapping:
    saved, _ = SavedMapping.objects.update_or_create(
        kind=batch.kind,
        header_signature=batch.header_signature,
        defaults={"mapping": {str(k): v for k, v in mapping.items() if v}},
    )
    return saved


def import_commit(
    *,
    acting_user: User,
    batch: ImportBatch,
    valid_only: bool = False,
    decisions: dict | None = None,
    progress: Callable | None = None,
) -> engine.Outcome:
    """Import for real: all or nothing (or only the valid rows); the touched records are kept for undo."""
    if batch.status != BatchStatus.PREVIEWED:
        raise ValidationError("این ورود پیش‌تر انجام یا لغو شده است.")
    batch.file.open("rb")
    data = batch.file.read()
    batch.file.close()
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
            progress=progress,
        )
        batch.counts = outcome.counts
        batch.problems = outcome.problems()[:5000]
        batch.decisions = decisions
        batch.valid_only = valid_only
        if outcome.committed:
            _record(batch, outcome)
            batch.status = BatchStatus.COMMITTED
            batch.committed_at = timezone.now()
        batch.save()
    return outcome


def _record(batch: ImportBatch, outcome: engine.Outcome) -> None:
    touched = [r for r in outcome.rows if r.record is not None and r.action in ("create", "update")]
    ids = [r.record.pk for r in touched]
    latest = dict(
        Cooperative.history.filter(id__in=ids)
        .values("id")
        .annotate(m=Max("history_id"))
        .values_list("id", "m")
    )
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(
                batch=batch,
                cooperative=r.record,
                action="created" if r.action == "create" else "updated",
                history_id_before=getattr(r.record, "_import_history_before", None),
                history_id_after=latest.get(r.record.pk),
                row_number=r.number,
            )
            for r in touched
        ],
        batch_size=2000,
    )


@transaction.atomic
def import_undo(*, acting_user: User, batch: ImportBatch) -> int:
    """Undo an import: delete what it created, restore what it changed — only while nothing was changed since."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError("فقط ورودِ انجام‌شده را می‌توان بازگرداند.")
    records = list(batch.records.select_related("cooperative__county"))
    ids = [r.cooperative_id for r in records if r.cooperative_id]
    latest = dict(
        Cooperative.history.filter(id__in=ids)
        .values("id")
        .annotate(m=Max("history_id"))
        .values_list("id", "m")
    )
    changed = [
        r for r in records if r.cooperative_id is None or latest.get(r.cooperative_id) != r.history_id_after
    ]
    if changed:
        names = "، ".join(f"ردیف {r.row_number}" for r in changed[:10])
        raise ValidationError(f"پس از این ورود، سوابقی تغییر کرده است ({names})؛ بازگرداندن ممکن نیست.")
    reason = f"بازگرداندن ورود از فایل «{batch.filename}»"
    for r in records:
        if r.action == "created":
            cooperative_delete_imported(acting_user=acting_user, cooperative=r.cooperative, reason=reason)
        else:
            cooperative_restore(
                acting_user=acting_user,
                cooperative=r.cooperative,
                history_id=r.history_id_before,
                reason=reason,
            )
    batch.status = BatchStatus.UNDONE
    batch.save(update_fields=["status", "updated_at"])
    return len(records)


def rejected_rows_xlsx(*, batch: ImportBatch, outcome: engine.Outcome) -> bytes:
    """The rows that were not imported, as they were in the file, with a column that says why."""
    batch.file.open("rb")
    rows = read_table(batch.file.read(), batch.filename)
    batch.file.close()
    header = rows[batch.header_row - 1]
    rejected = {r.number: r for r in outcome.rows if r.errors and r.action != "create" and r.record is None}
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("ردیف‌های واردنشده")
    ws.right_to_left()
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["ردیف فایل", *[str(c) for c in header], "ایراد"], bold)
    for n, (number, r) in enumerate(sorted(rejected.items()), start=1):
        original = rows[number - 1]
        ws.write_number(n, 0, number)
        for c, value in enumerate(original, start=1):
            if isinstance(value, datetime.date):
                ws.write_string(n, c, format_jalali(value, "iso"))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(n, c, value)
            else:
                ws.write_string(n, c, neutralise(str(value)))
        ws.write_string(n, len(header) + 1, "؛ ".join(f"{col}: {msg}" for col, msg in r.errors))
    wb.close()
    return buffer.getvalue()
