"""Background work for the import pages (django-tasks; the worker is `taavon db_worker`, started by `taavon serve`)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext_noop
from django_tasks import task

from taavon.accounts.models import User
from taavon.imports import services
from taavon.imports.messages import message, of_error
from taavon.imports.models import ImportBatch


@task()
def import_run(
    batch_id: int, user_id: int, step: str, valid_only: bool = False, language: str | None = None
) -> str:
    """One step of an import, in the language of the person who asked for it (`language`): what the step writes
    is kept as messages that show in the language of whoever reads them, but a message another module renders at
    once (a service's refusal) is in this one."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run(batch_id, user_id, step, valid_only)


def _run(batch_id: int, user_id: int, step: str, valid_only: bool) -> str:
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
        reason = of_error(exc) if isinstance(exc, ValidationError) or str(exc) else None
        services.import_put_back(
            batch_id=batch_id,
            error=reason or message(gettext_noop("You are not allowed to do this.")),
            acting_user=user,
        )
        return "refused"
    except BaseException as exc:  # a crash or a stopped worker: the page must not wait for ever; see the log
        services.import_put_back(
            batch_id=batch_id,
            error=message(
                gettext_noop("The work was not done (processing error: %(error)s)."), error=str(exc)
            ),
            acting_user=user,
        )
        raise
    return "done"


def enqueue(
    batch: ImportBatch, user: User, step: str, valid_only: bool = False, updates: dict | None = None
) -> bool:
    """Queue a step, if the batch is ready for it (services.batch_start takes it, one click of two). False when the
    batch was not ready."""
    if not services.batch_start(batch=batch, acting_user=user, step=step, updates=updates):
        return False
    import_run.enqueue(batch.pk, user.pk, step, valid_only, translation.get_language())
    return True
