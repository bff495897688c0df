"""Reads of the staff's desk: the queues and their counts, one request with its thread, the cooperative's requests,
the home panels, the fast form's cooperative search. Every read goes through `for_user`: a request outside the
user's jurisdiction does not exist for them.

A request's "next due time" is its first-answer deadline until it is first answered, then its resolution deadline.
It is overdue when that time has passed and it is neither answered nor closed (a request waiting for the cooperator
is overdue only if its time had passed before the clock paused); it is breaching when that time falls within the
next 2 working hours (or 1 working day)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from taavon.accounts.jurisdiction import can_change_in, counties_for, is_admin, scope_of
from taavon.accounts.models import Role, User
from taavon.registry.models import Cooperative
from taavon.servicedesk.models import Attachment, Message, Request, RequestStatus, Transfer

S = RequestStatus
PANEL_SIZE = 8
SEARCH_SIZE = 10
QUEUES = ("mine", "county", "unassigned", "overdue", "breaching", "all")
# "breaching" looks this many working minutes ahead: 2 working hours, or 1 working day (7 office hours)
WINDOWS = {"2h": 120, "1d": 420}
DEFAULT_WINDOW = "2h"
# the clock runs: not answered, not closed, not waiting for the cooperator
RUNNING = (S.NEW, S.ASSIGNED, S.IN_PROGRESS)

NEXT_DUE = Case(
    When(first_answer_at__isnull=True, then=F("first_answer_due")),
    default=F("resolution_due"),
    output_field=DateTimeField(),
)


@dataclass
class QueueFilters:
    queue: str = "county"
    category: int | None = None
    county: int | None = None
    window: str = DEFAULT_WINDOW


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def horizon(now: datetime.datetime, window: str = DEFAULT_WINDOW) -> datetime.datetime:
    """The moment `window` working minutes from now (the edge of the "breaching" queue)."""
    from taavon.servicedesk.deadlines import add_working_minutes, office_calendar

    minutes = WINDOWS.get(window, WINDOWS[DEFAULT_WINDOW])
    return add_working_minutes(timezone.localtime(now), minutes, office_calendar())


def _due_before(moment) -> Q:
    """The next due time (NEXT_DUE: the first answer's until it is given, then the resolution's) before `moment`."""
    return Q(first_answer_at__isnull=True, first_answer_due__lt=moment) | Q(
        first_answer_at__isnull=False, resolution_due__lt=moment
    )


def overdue_q(now: datetime.datetime) -> Q:
    """The one definition of «overdue» (queues, home panels, figures): its due time has passed and it is neither
    answered nor closed; a request waiting for the cooperator only if its time had passed before the clock paused."""
    return Q(status__in=RUNNING) & _due_before(now) | Q(status=S.WAITING) & _due_before(F("paused_since"))


def _breaching(now: datetime.datetime, edge: datetime.datetime) -> Q:
    return Q(status__in=RUNNING, next_due__gte=now, next_due__lte=edge)


def _queue_q(queue: str, user: User, now: datetime.datetime, edge: datetime.datetime) -> Q:
    open_ = ~Q(status=S.CLOSED)
    return {
        "mine": open_ & Q(assignee=user),
        "county": open_,
        "unassigned": open_ & Q(assignee__isnull=True),
        "overdue": overdue_q(now),
        "breaching": _breaching(now, edge),
        "all": Q(),
    }[queue]


def _scoped(user: User) -> QuerySet[Request]:
    return Request.objects.for_user(user).annotate(next_due=NEXT_DUE)


def queue(
    *, user: User, filters: QueueFilters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Request]:
    """The requests of a queue, the soonest due first (overdue ones therefore on top); "all" newest first."""
    f = filters or QueueFilters()
    now = _now(now)
    name = f.queue if f.queue in QUEUES else "county"
    edge = horizon(now, f.window) if name == "breaching" else now
    qs = _scoped(user).filter(_queue_q(name, user, now, edge))
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.county:
        qs = qs.filter(county_id=f.county)
    qs = qs.select_related("cooperative", "category", "county", "assignee")
    if name == "all":
        return qs.order_by("-opened_at", "-id")
    return qs.annotate(
        is_overdue=Case(When(overdue_q(now), then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("next_due", "id")


def queue_counts(
    *, user: User, filters: QueueFilters | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """How many requests each queue holds (the category and county filters applied), in one query."""
    f = filters or QueueFilters()
    now = _now(now)
    edge = horizon(now, f.window)
    qs = _scoped(user)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.county:
        qs = qs.filter(county_id=f.county)
    return qs.aggregate(**{name: Count("id", filter=_queue_q(name, user, now, edge)) for name in QUEUES})


def time_left(rows, now: datetime.datetime | None = None) -> None:
    """Set `minutes_left` (working minutes to the next due time; negative: how late) on each request shown (the
    arithmetic of servicedesk.deadlines, no query but the calendar's)."""
    from taavon.servicedesk.deadlines import office_calendar, working_minutes_between

    now = timezone.localtime(_now(now))
    calendar = None
    for r in rows:
        due = getattr(r, "next_due", None) or (
            r.first_answer_due if r.first_answer_at is None else r.resolution_due
        )
        r.next_due = due
        if r.status not in RUNNING:
            r.minutes_left, r.late, r.time_text = None, False, ""
            continue
        calendar = calendar or office_calendar()
        due = timezone.localtime(due)
        if due >= now:
            r.minutes_left = working_minutes_between(now, due, calendar)
        else:
            r.minutes_left = -working_minutes_between(due, now, calendar)
        r.late = due < now
        r.time_text = working_time(abs(r.minutes_left))


def working_time(minutes: int) -> str:
    """Working minutes in words: "2 working days and 3 hours", "3 hours and 20 minutes", "40 minutes" (a working day
    is 7 office hours)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from taavon.core.formatting import number

    days, rest = divmod(max(minutes, 0), 7 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return ngettext(
            "%(days)s working day and %(hours)s hours", "%(days)s working days and %(hours)s hours", days
        ) % {"days": number(days), "hours": number(hours)}
    if hours:
        return _("%(hours)s hours and %(minutes)s minutes") % {
            "hours": number(hours),
            "minutes": number(mins),
        }
    return _("%(minutes)s minutes") % {"minutes": number(mins)}


def request_get(*, user: User, code: str) -> Request:
    """One request by its tracking code (any digits); Request.DoesNotExist outside the user's jurisdiction."""
    from taavon.persian import to_ascii_digits

    code = to_ascii_digits(code or "").strip().upper()
    if len(code) > 20 or "\x00" in code:
        raise Request.DoesNotExist
    return (
        _scoped(user)
        .select_related("cooperative__county", "category", "county__province", "assignee", "filed_by")
        .get(code=code)
    )


def request_page(*, request: Request) -> dict:
    """What the request's page shows beside the request: the thread (replies, the cooperator's messages and internal
    notes, oldest first, each with its attachments), the request's own attachments, the transfers."""
    # jurisdiction: the messages, attachments and transfers of a request already read through request_get (for_user)
    files = list(Attachment.objects.filter(request=request).order_by("created_at", "id"))
    by_message: dict[int, list] = {}
    for a in files:
        if a.message_id:
            by_message.setdefault(a.message_id, []).append(a)
    thread = list(
        Message.objects.filter(request=request).select_related("author").order_by("created_at", "id")
    )
    for m in thread:
        m.files = by_message.get(m.pk, [])
    transfers = list(
        Transfer.objects.filter(request=request)
        .select_related("from_county", "to_county", "by")
        .order_by("at", "id")
    )
    return {
        "thread": thread,
        "attachments": [a for a in files if not a.message_id],
        "transfers": transfers,
    }


def cooperative_requests(*, user: User, cooperative: Cooperative) -> list[Request]:
    """The cooperative's requests, the open ones first (soonest due first), then the closed ones, newest first."""
    rows = list(
        _scoped(user)
        .filter(cooperative=cooperative)
        .select_related("category")
        .annotate(
            open_first=Case(
                When(status=S.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("open_first", "-opened_at", "-id")
    )
    time_left(rows)
    return rows


def home_mine(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The officer's panel: their open requests, the soonest due first."""
    now = _now(now)
    qs = queue(user=user, filters=QueueFilters(queue="mine"), now=now)
    rows = list(qs[:PANEL_SIZE])
    time_left(rows, now)
    counts = qs.aggregate(total=Count("id"), overdue=Count("id", filter=overdue_q(now)))
    return {"requests": rows, "open_count": counts["total"], "overdue_count": counts["overdue"]}


def home_county(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The county's (or the user's whole jurisdiction's) overdue and breaching requests."""
    now = _now(now)
    overdue = queue(user=user, filters=QueueFilters(queue="overdue"), now=now)
    breaching = queue(user=user, filters=QueueFilters(queue="breaching", window="1d"), now=now)
    rows = list(overdue[:PANEL_SIZE]), list(breaching[:PANEL_SIZE])
    time_left(rows[0] + rows[1], now)
    counts = queue_counts(user=user, filters=QueueFilters(window="1d"), now=now)
    return {
        "overdue": rows[0],
        "breaching": rows[1],
        "overdue_count": counts["overdue"],
        "breaching_count": counts["breaching"],
    }


def search_cooperatives(*, user: User, text: str) -> list[Cooperative]:
    """Cooperatives the user may file a request for, found by any spelling of their name (the registry's search: the
    search key of each word, the generic words left out), their shenasnameh or legal ID — within the counties where
    the user may change records."""
    from taavon.registry.selectors import CooperativeFilters, cooperative_list

    text = (text or "").strip()[:100]
    if len(text) < 2:
        return []
    found = cooperative_list(user=user, filters=CooperativeFilters(q=text))
    return [c for c in found[: SEARCH_SIZE * 2] if can_change_in(user, c.county)][:SEARCH_SIZE]


# --- who a request may be assigned to --------------------------------------------------------------------------------


def assignable_users(*, user: User, county) -> QuerySet[User]:
    """Staff of the county office who may answer its requests: its county officers, its province's staff, the
    national staff (administrators offered only to an administrator)."""
    where = (
        Q(county_id=county.pk)
        | Q(county__isnull=True, province_id=county.province_id)
        | Q(county__isnull=True, province__isnull=True)
    ) & Q(role__in=(Role.COUNTY, Role.PROVINCIAL))
    if is_admin(user):
        where |= Q(role=Role.ADMIN) | Q(is_superuser=True)
    return (
        User.objects.filter(where, is_active=True)
        .select_related("county", "province")
        .order_by("role", "last_name", "first_name", "username")
    )


def transfer_counties(*, request: Request):
    """The county offices a request may move to: any other county (a request may leave the user's jurisdiction)."""
    from taavon.places.models import County

    return (
        County.objects.select_related("province")
        .exclude(pk=request.county_id)
        .order_by("province_id", "name_fa")
    )


def filter_counties(*, user: User):
    s = scope_of(user)
    return [] if s.counties and len(s.counties) == 1 else list(counties_for(user).order_by("name_fa"))


__all__ = [
    "QUEUES",
    "WINDOWS",
    "QueueFilters",
    "assignable_users",
    "cooperative_requests",
    "filter_counties",
    "home_county",
    "home_mine",
    "queue",
    "queue_counts",
    "request_get",
    "request_page",
    "search_cooperatives",
    "time_left",
    "transfer_counties",
]
