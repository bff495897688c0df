"""Background work for the import pages (django-tasks; the worker is `taavon db_worker`, started by `taavon serve`)."""

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
        else:
            services.import_commit(acting_user=user, batch=batch, valid_only=valid_only)
    except services.ImportFileError:
        return "failed"
    except Exception as exc:  # keep the page from waiting forever; the worker's log has the traceback
        ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, error=f"خطای پردازش: {exc}")
        raise
    return "done"


def enqueue(batch: ImportBatch, user: User, step: str, valid_only: bool = False) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    services.cache.set(services.PROGRESS_KEY.format(batch.pk), (0, 0), 3600)
    import_run.enqueue(batch.pk, user.pk, step, valid_only)
