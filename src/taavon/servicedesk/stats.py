"""The service desk's figures (the /servicedesk/stats/ page and the dashboard's block): requests by category, channel
and county, the median working hours to the first answer and to the resolution, the share first answered within
the deadline, satisfaction, and the oldest open requests — always within the user's jurisdiction.

Counts, shares and the mean rating are aggregated in the database; the medians are in working hours (office hours,
the working week and the holidays: servicedesk.deadlines), which only Python knows, so they are computed over the
(opened, answered, closed) times of the requests — one query of three columns."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from taavon.servicedesk.models import Channel, Request, RequestStatus
from taavon.servicedesk.selectors import overdue_q

S = RequestStatus


def within_q() -> Q:
    """First answered by the first-answer deadline."""
    return Q(first_answer_at__isnull=False, first_answer_at__lte=F("first_answer_due"))


def due_q(now: datetime.datetime) -> Q:
    """Requests whose first answer counts for the share: answered, or past the first-answer deadline unanswered."""
    return Q(first_answer_at__isnull=False) | Q(first_answer_due__lt=now)


@dataclass
class DeskFigures:
    total: int = 0
    open: int = 0
    overdue: int = 0
    waiting: int = 0
    closed: int = 0
    by_category: list[dict] = field(default_factory=list)  # name, total, open
    by_channel: list[dict] = field(default_factory=list)  # code, label, total
    by_county: list[dict] = field(default_factory=list)  # county_id, name, total, open, overdue, within, due
    median_first_answer_hours: float | None = None
    median_resolution_hours: float | None = None
    within: int = 0  # first answered by the first-answer deadline
    due: int = 0  # answered, or past the first-answer deadline unanswered
    rating_mean: float | None = None
    rating_count: int = 0
    oldest_open: list = field(default_factory=list)

    @property
    def within_share(self) -> float | None:
        """The share (0–1) of requests whose first answer came within the deadline, of those answered or due."""
        return self.within / self.due if self.due else None


def _name(row: dict, prefix: str) -> str:
    from taavon.core.models import english

    return (english() and row.get(f"{prefix}__name_en")) or row[f"{prefix}__name_fa"]


def desk_requests(*, user, county: int | None = None, category: int | None = None, as_of=None):
    """The requests the figures count: the user's jurisdiction, narrowed to a county or a category when given;
    as Taavon knew them at `as_of`, when given (their history rows)."""
    from taavon.accounts.jurisdiction import as_of_for_user

    qs = Request.objects.for_user(user) if as_of is None else as_of_for_user(Request, user, as_of)
    if county:
        qs = qs.filter(county_id=county)
    if category:
        qs = qs.filter(category_id=category)
    return qs


def working_hours(start, end, calendar, paused_minutes: int = 0) -> float:
    from taavon.servicedesk.deadlines import working_minutes_between

    minutes = working_minutes_between(timezone.localtime(start), timezone.localtime(end), calendar)
    return max(minutes - paused_minutes, 0) / 60


def desk_figures(
    *,
    user,
    county: int | None = None,
    category: int | None = None,
    now: datetime.datetime | None = None,
    oldest: int = 10,
    as_of: datetime.datetime | None = None,
) -> DeskFigures:
    """Every figure of the desk for `user` (see the module's docstring). `now`: the moment «overdue» is judged at.
    `as_of`: the figures as Taavon knew the requests at that moment (and «overdue» judged then)."""
    from taavon.servicedesk.deadlines import office_calendar

    now = as_of or now or timezone.now()
    qs = desk_requests(user=user, county=county, category=category, as_of=as_of)
    open_q = ~Q(status=S.CLOSED)
    within = within_q()
    f = DeskFigures()
    totals = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=overdue_q(now)),
        waiting=Count("pk", filter=Q(status=S.WAITING)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
        within=Count("pk", filter=within),
        due=Count("pk", filter=due_q(now)),
        rating_mean=Avg("rating"),
        rating_count=Count("rating"),
    )
    for key, value in totals.items():
        setattr(f, key, value)
    f.by_category = [
        {"id": r["category_id"], "name": _name(r, "category"), "total": r["total"], "open": r["open"]}
        for r in qs.order_by()
        .values("category_id", "category__name_fa", "category__name_en", "category__order")
        .annotate(total=Count("pk"), open=Count("pk", filter=open_q))
        .order_by("category__order", "category__name_fa")
    ]
    labels = dict(Channel.choices)
    counts = dict(qs.order_by().values("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    f.by_channel = [
        {"code": code, "label": labels[code], "total": counts[code]}
        for code in Channel.values
        if counts.get(code)
    ]
    f.by_county = [
        {
            "id": r["county_id"],
            "name": _name(r, "county"),
            "total": r["total"],
            "open": r["open"],
            "overdue": r["overdue"],
            "within": r["within"],
            "due": r["due"],
            "share": r["within"] / r["due"] if r["due"] else None,
        }
        for r in qs.order_by()
        .values("county_id", "county__name_fa", "county__name_en")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_q(now)),
            within=Count("pk", filter=within),
            due=Count("pk", filter=due_q(now)),
        )
        .order_by("-total", "county__name_fa")
    ]
    times = list(
        qs.filter(Q(first_answer_at__isnull=False) | Q(closed_at__isnull=False))
        .order_by()
        .values_list("opened_at", "first_answer_at", "closed_at", "paused_minutes")
    )
    if times:
        calendar = office_calendar()
        answered = [working_hours(o, a, calendar) for o, a, _c, _p in times if a]
        # the resolution: opening to closing, less the time waiting for the cooperator
        resolved = [working_hours(o, c, calendar, p) for o, _a, c, p in times if c]
        f.median_first_answer_hours = statistics.median(answered) if answered else None
        f.median_resolution_hours = statistics.median(resolved) if resolved else None
    f.oldest_open = list(
        qs.filter(open_q)
        .select_related("county", "category", "cooperative")
        .order_by("opened_at", "pk")[:oldest]
    )
    return f


def hours_text(hours: float | None) -> str:
    """«۵٫۵ ساعت کاری» / «5.5 working hours»; «—» when there is nothing to measure."""
    from django.utils.translation import ngettext

    from taavon.core.formatting import digits
    from taavon.core.models import english

    if hours is None:
        return "—"
    shown = f"{hours:.1f}".removesuffix(".0")
    if not english():
        shown = shown.replace(".", "٫")
    count = round(hours) if hours >= 1 else 2
    return ngettext("%(hours)s working hour", "%(hours)s working hours", count) % {"hours": digits(shown)}


def percent_text(share: float | None) -> str:
    from taavon.core.formatting import digits
    from taavon.core.models import english

    if share is None:
        return "—"
    n = round(share * 100)
    return f"{n}%" if english() else f"{digits(n)}٪"


def rating_text(f: DeskFigures) -> str:
    from django.utils.translation import gettext as _

    from taavon.core.formatting import digits, number
    from taavon.core.models import english

    if not f.rating_count:
        return "—"
    mean = f"{f.rating_mean:.1f}"
    if not english():
        mean = mean.replace(".", "٫")
    return _("%(mean)s of 5 (%(count)s ratings)") % {"mean": digits(mean), "count": number(f.rating_count)}


def figure_cards(f: DeskFigures, *, list_url: str = "") -> list[dict]:
    """The desk's headline figures as cards (label, text), shared by the figures page and the dashboard."""
    from django.utils.translation import gettext as _

    from taavon.core.formatting import number

    return [
        {"key": "total", "label": _("Requests"), "text": number(f.total), "url": list_url},
        {"key": "open", "label": _("Open requests"), "text": number(f.open), "url": list_url},
        {"key": "overdue", "label": _("Past their deadline"), "text": number(f.overdue), "url": ""},
        {
            "key": "first_answer",
            "label": _("Median time to the first answer"),
            "text": hours_text(f.median_first_answer_hours),
            "url": "",
        },
        {
            "key": "resolution",
            "label": _("Median time to resolution"),
            "text": hours_text(f.median_resolution_hours),
            "url": "",
        },
        {
            "key": "within",
            "label": _("First answered within the deadline"),
            "text": percent_text(f.within_share),
            "url": "",
        },
        {"key": "satisfaction", "label": _("Satisfaction"), "text": rating_text(f), "url": ""},
    ]


def figure_tables(f: DeskFigures) -> dict:
    """The desk's tables in the dashboard's shape (title, first, headers, rows of cells)."""
    from django.utils.translation import gettext as _

    def row(name, *values):
        return {"name": name, "cells": [{"value": v} for v in values]}

    return {
        "desk_county": {
            "title": _("Service desk requests by county"),
            "first": _("County"),
            "headers": [
                _("Requests"),
                _("Still open"),
                _("Past their deadline"),
                _("First answered in time"),
            ],
            "rows": [row(c["name"], c["total"], c["open"], c["overdue"], c["within"]) for c in f.by_county],
        },
        "desk_category": {
            "title": _("Service desk requests by category"),
            "first": _("Category"),
            "headers": [_("Requests"), _("Still open")],
            "rows": [row(c["name"], c["total"], c["open"]) for c in f.by_category],
        },
        "desk_channel": {
            "title": _("Service desk requests by channel"),
            "first": _("Channel"),
            "headers": [_("Requests")],
            "rows": [row(str(c["label"]), c["total"]) for c in f.by_channel],
        },
    }


__all__ = [
    "DeskFigures",
    "desk_figures",
    "desk_requests",
    "figure_cards",
    "figure_tables",
    "overdue_q",
    "within_q",
]
