"""Cooperative Week's reads, each through the user's jurisdiction (`for_user`): a year's programme grouped by
Jalali day, an event and the projects it opens, the exhibition with its booths and visitors, the week's figures
(counted, never typed), a project's openings and a cooperative's booths."""

import datetime
from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from taavon.accounts.jurisdiction import is_staff
from taavon.events.models import Booth, Event, EventKind, Exhibition, VisitorCount
from taavon.persian import to_gregorian
from taavon.projects.models import Project

WEEK_MONTH, WEEK_FIRST, WEEK_LAST = 6, 11, 17  # 11–17 Shahrivar


def week_days(year: int) -> tuple[datetime.date, datetime.date]:
    """Cooperative Week of a Jalali year: its first and last day."""
    return to_gregorian(year, WEEK_MONTH, WEEK_FIRST), to_gregorian(year, WEEK_MONTH, WEEK_LAST)


def _events(user):
    if not is_staff(user):
        return Event.objects.none()
    return Event.objects.for_user(user)


def programme(*, user, year: int, county_id: int | None = None) -> list[Event]:
    """Every event of the year the user sees, by time (a county's filter: that county's events and the
    province's)."""
    qs = (
        _events(user)
        .filter(year=year)
        .select_related("county", "province")
        .annotate(projects_count=Count("projects", distinct=True))
        .order_by("starts_at", "id")
    )
    if county_id:
        from django.db.models import Q

        qs = qs.filter(Q(county_id=county_id) | Q(county__isnull=True))
    return list(qs)


def programme_days(events: list[Event]) -> list[tuple[datetime.date, list[Event]]]:
    """The events grouped by their (local) day, days in order."""
    days: dict[datetime.date, list[Event]] = defaultdict(list)
    for e in events:
        days[timezone.localtime(e.starts_at).date()].append(e)
    return sorted(days.items())


def event_get(*, user, pk: int) -> Event:
    """An event the user sees (Event.DoesNotExist otherwise: the caller answers 404)."""
    return _events(user).select_related("county", "province", "created_by").get(pk=pk)


def event_projects(*, user, event: Event) -> list[Project]:
    """The projects an opening opens, those the user sees."""
    return list(
        Project.objects.for_user(user)
        .filter(opening_events=event)
        .select_related("cooperative", "county")
        .order_by("title", "id")
    )


def openable_projects(*, user, event: Event) -> list[Project]:
    """The projects the opening may list: of its county (its province's when it has none), opened or ready."""
    from taavon.events.services import OPENABLE

    qs = Project.objects.for_user(user).filter(stage__in=OPENABLE).select_related("cooperative", "county")
    if event.county_id:
        qs = qs.filter(county_id=event.county_id)
    else:
        qs = qs.filter(county__province_id=event.province_id)
    return list(qs.order_by("county__name_fa", "title", "id"))


def _exhibitions(user):
    if not is_staff(user):
        return Exhibition.objects.none()
    return Exhibition.objects.for_user(user)


def exhibition_of(*, user, year: int, province_id: int | None = None) -> Exhibition | None:
    """The year's exhibition the user sees (the province's, when given)."""
    qs = _exhibitions(user).filter(year=year).select_related("province")
    if province_id:
        qs = qs.filter(province_id=province_id)
    return qs.order_by("province__name_fa", "id").first()


def exhibition_booths(*, exhibition: Exhibition) -> list[Booth]:
    """The booths of an exhibition the user sees (the exhibition is the province's programme: every booth of it is
    public within the province), by number."""
    # jurisdiction: the exhibition was read through Exhibition.objects.for_user; its booths are part of it
    return list(
        Booth.objects.filter(exhibition=exhibition)
        .select_related("cooperative", "cooperative__county")
        .order_by("number", "id")
    )


def exhibition_visitors(*, exhibition: Exhibition) -> list[tuple[datetime.date, int | None]]:
    """Each day of the exhibition with its visitors (None: not recorded yet)."""
    # jurisdiction: the exhibition was read through Exhibition.objects.for_user
    counts = dict(VisitorCount.objects.filter(exhibition=exhibition).values_list("date", "visitors"))
    days, day = [], exhibition.starts_on
    while day <= exhibition.ends_on:
        days.append((day, counts.get(day)))
        day += datetime.timedelta(days=1)
    return days


def week_figures(
    *, user, year: int, events: list[Event] | None = None, exhibition: Exhibition | None = None
) -> dict:
    """The figures of a year's week as the user sees them: events, openings, projects opened and their investment,
    exhibitors, visitors."""
    events = events if events is not None else programme(user=user, year=year)
    openings = [e.pk for e in events if e.kind == EventKind.OPENING]
    opened = Project.objects.for_user(user).filter(
        pk__in=Project.objects.for_user(user).filter(opening_events__in=openings).values("pk")
    )
    projects = opened.aggregate(n=Count("id"), total=Sum("investment_rial"))
    figures = {
        "events": len(events),
        "openings": len(openings),
        "projects": projects["n"] or 0,
        "investment_rial": projects["total"] or 0,
        "exhibitors": 0,
        "visitors": 0,
    }
    if exhibition is not None:
        # jurisdiction: the exhibition was read through Exhibition.objects.for_user
        figures["exhibitors"] = Booth.objects.filter(exhibition=exhibition).count()
        figures["visitors"] = (
            # jurisdiction: the exhibition's, read through Exhibition.objects.for_user
            VisitorCount.objects.filter(exhibition=exhibition).aggregate(t=Sum("visitors"))["t"] or 0
        )
    return figures


def project_openings(*, user, project: Project) -> list[Event]:
    """The events at which a project is opened (the project page's section)."""
    return list(_events(user).filter(projects=project).select_related("county").order_by("starts_at", "id"))


def cooperative_booths(*, user, cooperative) -> list[Booth]:
    """A cooperative's booths at the exhibitions (the record's section), newest first."""
    if not is_staff(user):
        return []
    return list(
        Booth.objects.for_user(user)
        .filter(cooperative=cooperative)
        .select_related("exhibition")
        .order_by("-exhibition__year", "id")
    )


def year_openings(
    *, province_id: int, start: datetime.date, end: datetime.date, as_of: datetime.datetime | None = None
) -> list[Event]:
    """The province's openings between two days that list projects (the press summary's line; public figures, like
    the summary's own); as Taavon knew the events, and the projects each listed, at `as_of` when given."""
    if as_of is not None:
        from django.apps import apps
        from django.db.models import Exists, OuterRef

        from taavon.core.history import rows_as_of

        listed = apps.get_model("events", "HistoricalEvent_projects")
        # jurisdiction: the press summary is the province's public text (as above), as it was then
        return list(
            rows_as_of(Event, as_of)
            .filter(province_id=province_id, kind=EventKind.OPENING, starts_at__date__range=(start, end))
            .filter(Exists(listed.objects.filter(history=OuterRef("history_id"))))
            .order_by("starts_at", "id")
        )
    # jurisdiction: the press summary is the province's public text; it names events, no person or private record
    return list(
        Event.objects.filter(
            province_id=province_id,
            kind=EventKind.OPENING,
            starts_at__date__range=(start, end),
            projects__isnull=False,
        )
        .distinct()
        .order_by("starts_at", "id")
    )
