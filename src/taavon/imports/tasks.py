"""Background work for the import pages (django-tasks; the worker is `taavon db_worker`, started by `taavon serve`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks import task

from taavon.accounts.models import User
from taavon.imports import services
from taavon.imports.models import BatchStatus, ImportBatch


@task()
def import_run(batch_id: int, user_id: int, step: str, valid_only: bool = False) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    user = User.objects.get(pk=user_id)
    try:
        if step == "preview":
            services.import_preview_batch(acting_user=user, batch=batch)
        elif step == "undo":
            services.import_undo(acting_user=user, batch=batch)
        else:
            services.import_commit(acting_user=user, batch=batch, valid_only=valid_only)
    except services.ImportFileError:
        return "failed"
    except (ValidationError, PermissionDenied) as exc:  # refused (records changed since, done meanwhile)
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        services.import_put_back(batch_id=batch_id, error=reason or "اجازهٔ این کار را ندارید.")
        return "refused"
    except BaseException as exc:  # a crash or a stopped worker: the page must not wait for ever; see the log
        services.import_put_back(batch_id=batch_id, error=f"کار انجام نشد (خطای پردازش: {exc}).")
        raise
    return "done"


READY = {  # step: (the statuses it may start from, the status while it runs)
    "preview": ((BatchStatus.QUEUED, BatchStatus.PREVIEWED), BatchStatus.RUNNING),
    "commit": ((BatchStatus.PREVIEWED,), BatchStatus.RUNNING),
    "undo": ((BatchStatus.COMMITTED,), BatchStatus.UNDOING),
}


def enqueue(
    batch: ImportBatch, user: User, step: str, valid_only: bool = False, updates: dict | None = None
) -> bool:
    """Queue a step, if the batch is ready for it. The status moves to "running" in one conditional update, with
    `updates` (a new mapping, decisions): of two clicks (two tabs, a double submit, a commit while a new mapping is
    sent) only one takes the batch. False when the batch was not ready."""
    ready, running = READY[step]
    taken = ImportBatch.objects.filter(pk=batch.pk, status__in=ready).update(
        status=running, error="", updated_at=timezone.now(), **(updates or {})
    )
    if not taken:
        return False
    services.cache.set(services.PROGRESS_KEY.format(batch.pk), (0, 0), 3600)
    import_run.enqueue(batch.pk, user.pk, step, valid_only)
    return True
