"""Cards in batch: a background task (django-tasks, like the imports; the worker is `taavon db_worker`) renders one
PDF of the cards of a filter of the registry, for one user. Its state and progress are shared between the worker and
the web through the cache (as the imports' progress is); the PDF is kept under MEDIA_ROOT/card-batches/ (never served
as a path: only `card_views.batch_download` sends it, to the user who asked). Batches older than a day are removed
when a new one starts."""

import dataclasses
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from taavon.accounts.models import User
from taavon.core.formatting import decimal, digits
from taavon.registry import selectors
from taavon.registry.cards import DEFAULT_SIZE, SIZES, cards_pdf
from taavon.registry.selectors import CooperativeFilters

KEY = "taavon-card-batch-{}"
KEEP_SECONDS = 24 * 3600
MAX_CARDS = 5000  # one document; a larger print run is split by county or status
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_RE = re.compile(r"^[0-9a-f]{32}$")


def size_choices() -> list[tuple[str, str]]:
    return [
        ("a5", _("A5 (%(width)s × %(height)s mm)") % {"width": digits(148), "height": digits(210)}),
        (
            "wallet",
            _("Wallet size (%(width)s × %(height)s mm)") % {"width": decimal(85.6), "height": digits(54)},
        ),
    ]


def batch_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "card-batches"


def job_file(job: str) -> Path:
    return batch_dir() / f"{job}.pdf"


def job_get(job: str) -> dict | None:
    if not JOB_RE.match(job or ""):
        return None
    return cache.get(KEY.format(job))


def _job_set(job: str, **changes) -> dict:
    state = {**(cache.get(KEY.format(job)) or {}), **changes}
    cache.set(KEY.format(job), state, KEEP_SECONDS)
    return state


def percent(state: dict) -> int:
    total = state.get("total") or 0
    return int(100 * (state.get("done") or 0) / total) if total else 0


def _clean_old() -> None:
    folder = batch_dir()
    if not folder.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.pdf"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def batch_start(*, user: User, filters: CooperativeFilters, size: str, base_url: str) -> str:
    """Queue a batch of the user's cooperatives that match `filters`; returns the job's id."""
    _clean_old()
    job = uuid.uuid4().hex
    size = size if size in SIZES else DEFAULT_SIZE
    _job_set(job, user=user.pk, state=QUEUED, done=0, total=0, size=size)
    cards_batch_run.enqueue(
        job, user.pk, dataclasses.asdict(filters), size, base_url, translation.get_language()
    )
    return job


@task()
def cards_batch_run(
    job: str, user_id: int, filters: dict, size: str, base_url: str, language: str | None
) -> str:
    """Render the batch's PDF in the language of the person who asked for it."""
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            user = User.objects.get(pk=user_id)
            coops = list(
                selectors.cooperative_list(user=user, filters=CooperativeFilters(**filters))[:MAX_CARDS]
            )
            _job_set(job, state=RUNNING, done=0, total=len(coops))
            pdf = cards_pdf(
                coops,
                base_url=base_url,
                size=size,
                progress=lambda done, total: _job_set(job, done=done, total=total),
            )
            batch_dir().mkdir(parents=True, exist_ok=True)
            job_file(job).write_bytes(pdf)
        except BaseException:  # a crash or a stopped worker: the page must not wait for ever; see the log
            _job_set(job, state=FAILED)
            raise
        _job_set(job, state=DONE)
    return DONE
