"""Public pages for anonymous visitors from a cache that is never stale: a cooperative's profile, the home page and
the statistics of the whole country (views.py: `@anonymous_page`).

A stored page is found by a key made of everything the page can differ by:
- the data version: one SQL statement that reads, by primary key, the newest row of every history table kept by
  django-simple-history (every write through a service writes one, bulk writes included), of Django admin's log
  (the lists without history — sectors, activities, types — are edited there, in the same transaction as their
  log row) and of the applied migrations (provinces and counties change only with a migration). Any change anywhere
  makes a new version, so a page stored before it is never found again (coarse, but never stale). On PostgreSQL,
  where ids are taken before commit and transactions commit in any order, the ids of the write transactions still
  running in this database are part of the version too: a row committed later with a smaller id changes it;
- today's date (good standing moves with the date without any write), and a page rendered across midnight is not
  stored;
- the language and the address (the language switch sends the visitor back to it).
Only anonymous GETs without a query string, a session or pending messages are stored or served from the cache; a
signed-in user's page is rendered for them each time. A stored page holds no CSRF token: the view renders
`CSRF_PLACEHOLDER` in its place, and each response gets the visitor's own token (and the cookie, as a rendered page
does). The Content-Security-Policy has no nonce (settings: no inline script), so a stored body carries none.

The store is the cache alias `public_pages` (settings.CACHES: memory of each worker process, bounded); without the
alias nothing is stored and every page is rendered (the test settings, unless a test adds it).
"""

import hashlib
import threading
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

ALIAS = "public_pages"
# stands for the visitor's CSRF token in a stored page: letters and dashes (unchanged by escaping), never a token
CSRF_PLACEHOLDER = "taavon-csrf-token-of-the-visitor"
# besides the history tables: the admin's log (lists without history) and the applied migrations (places)
LOGS = ("django_admin_log", "django_migrations")

_statements: dict[str, str] = {}


def version_sql(vendor: str) -> str:
    """The one statement of the data version (built once per database vendor)."""
    if vendor not in _statements:
        qn = connection.ops.quote_name
        parts = [
            f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})"
            for m in sorted(apps.get_models(), key=lambda m: m._meta.db_table)
            if issubclass(m, HistoricalChanges)
        ]
        parts += [f"(SELECT MAX({qn('id')}) FROM {qn(table)})" for table in LOGS]
        if vendor == "postgresql":
            # the write transactions running in this database (another database's, on the same server, cannot
            # change these pages — and would make every request a new version)
            parts.append(
                "(SELECT string_agg(backend_xid::text, ',' ORDER BY backend_xid::text) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
            )
        _statements[vendor] = "SELECT " + ", ".join(parts)
    return _statements[vendor]


_seen = (
    threading.local()
)  # SQLite: the last version read on this thread's connection, and the mark it was read at


def _read_version() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(version_sql(connection.vendor))
        return cursor.fetchone()


def data_version() -> tuple:
    """Values that change whenever anything a public page shows may have changed.

    On SQLite, outside a transaction, the statement is read again only when something was committed since the last
    read on this connection: by another connection (SQLite's `PRAGMA data_version` changes) or by this one (its
    `total_changes` grows). The mark is taken before the statement runs, so a commit between the two reads it
    again next time."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return _read_version()
    connection.ensure_connection()
    raw = connection.connection
    mark = (raw.execute("PRAGMA data_version").fetchall()[0][0], raw.total_changes)
    seen = getattr(_seen, "entry", None)
    if seen is not None and seen[0] is raw and seen[1] == mark:
        return seen[2]
    version = _read_version()
    _seen.entry = (raw, mark, version)
    return version


def _store():
    return caches[ALIAS] if ALIAS in settings.CACHES else None


def _cacheable(request) -> bool:
    """An anonymous GET (or HEAD) without a query string, a session or messages waiting to be shown."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and not request.user.is_authenticated
    )


def with_visitor_token(request, response):
    """The visitor's CSRF token (and cookie, when they have none yet) where the page has the placeholder."""
    if not getattr(response, "streaming", False) and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response


def anonymous_page(view):
    """Serve the view's 200 pages to anonymous visitors from the cache (see the module's docstring). The view
    renders its template with `csrf_token=CSRF_PLACEHOLDER` in the context."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        store = _store()
        key = None
        if store is not None and _cacheable(request):
            today = timezone.localdate()
            parts = (get_language(), today.isoformat(), data_version(), request.path)
            key = "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
            stored = store.get(key)
            if stored is not None:
                content, content_type = stored
                return with_visitor_token(request, HttpResponse(content, content_type=content_type))
        response = view(request, *args, **kwargs)
        if (
            key is not None
            and response.status_code == 200
            and not getattr(response, "streaming", False)
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a real token: never stored
            and timezone.localdate() == today
        ):
            store.set(key, (response.content, response["Content-Type"]))
        return with_visitor_token(request, response)

    return wrapper
