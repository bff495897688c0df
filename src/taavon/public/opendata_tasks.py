"""Rebuilding the bulk downloads in the background (django-tasks; the worker is `taavon db_worker`).

The open data page queues a rebuild when the files are more than a day old, so they stay fresh without cron; staff
of a province (and administrators) may queue one at once. A cache key keeps two rebuilds from being queued at the
same time (it expires by itself if a worker dies).
"""

from django.core.cache import cache
from django_tasks import task

from taavon.public import opendata

LOCK = "public:opendata:rebuild"
LOCK_SECONDS = 15 * 60


@task()
def opendata_rebuild() -> dict:
    try:
        return opendata.build()
    finally:
        cache.delete(LOCK)


def enqueue() -> bool:
    """Queue a rebuild unless one is queued or running. True when this call queued it."""
    if not cache.add(LOCK, 1, timeout=LOCK_SECONDS):
        return False
    try:
        opendata_rebuild.enqueue()
    except Exception:
        cache.delete(LOCK)
        raise
    return True


def enqueue_if_stale() -> bool:
    return opendata.stale() and enqueue()
