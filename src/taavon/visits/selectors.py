"""The visits' reads, each through the user's jurisdiction (`for_user`): a visit, the plan of a week, the open
findings a re-visit must look at, a cooperative's visits, the inspectors a county may send."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from taavon.accounts.jurisdiction import inspectors_q, is_staff
from taavon.accounts.models import User
from taavon.visits.models import (
    ACTION_OPEN,
    Action,
    Finding,
    FindingStatus,
    Purpose,
    Visit,
    VisitStatus,
    overdue_q,
)


def visit_get(*, user, pk: int) -> Visit:
    """A visit of the user's jurisdiction (Visit.DoesNotExist otherwise: the caller answers 404)."""
    if not is_staff(user):
        raise Visit.DoesNotExist
    return (
        Visit.objects.for_user(user)
        .select_related(
            "cooperative", "cooperative__county", "county", "purpose", "reported_by", "planned_by"
        )
        .prefetch_related("inspectors")
        .get(pk=pk)
    )


def visit_findings(*, visit: Visit) -> list[Finding]:
    """A visit's findings with their actions (and the actions' requests and officers): three queries."""
    return list(
        # jurisdiction: the findings of a visit the caller read through visit_get (for_user)
        Finding.objects.filter(visit=visit)
        .select_related("closed_by")
        .prefetch_related(
            Prefetch(
                "actions",
                # jurisdiction: the actions of those findings
                queryset=Action.objects.select_related("officer", "request").order_by("due_on", "id"),
            )
        )
        .order_by("id")
    )


def open_findings_before(*, user, cooperative_id: int, visit: Visit | None = None) -> list[Finding]:
    """The open findings of the cooperative's last reported visit before `visit` (or the last one of all) in the
    user's jurisdiction: what a re-visit must look at."""
    visits = Visit.objects.for_user(user).filter(cooperative_id=cooperative_id, status=VisitStatus.REPORTED)
    if visit is not None and visit.pk:
        visits = visits.exclude(pk=visit.pk)
        if visit.visited_on:
            visits = visits.filter(visited_on__lte=visit.visited_on)
    last = visits.order_by("-visited_on", "-id").first()
    if last is None:
        return []
    return list(
        # jurisdiction: the findings of a visit read above through for_user
        Finding.objects.filter(visit=last, status=FindingStatus.OPEN)
        .select_related("visit")
        .annotate(actions_open=Count("actions", filter=Q(actions__status__in=ACTION_OPEN)))
        .order_by("id")
    )


def cooperative_visits(*, user, cooperative, limit: int = 10) -> list[Visit]:
    """A cooperative's visits, newest first, with their open findings counted (the record's section)."""
    return list(
        Visit.objects.for_user(user)
        .filter(cooperative=cooperative)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("purpose")
        .prefetch_related("inspectors")
        .annotate(
            findings_count=Count("findings", distinct=True),
            open_count=Count("findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True),
        )
        .order_by("-visited_on", "-planned_on", "-id")[:limit]
    )


def cooperative_open_findings(*, user, cooperative) -> list[Finding]:
    """Every open finding of a cooperative's visits (the record's section)."""
    return list(
        Finding.objects.for_user(user)
        .filter(visit__cooperative=cooperative, status=FindingStatus.OPEN)
        .annotate(actions_open=Count("actions", filter=Q(actions__status__in=ACTION_OPEN)))
        .order_by("visit__visited_on", "id")
    )


def week_plan(*, user, start: datetime.date, county_id: int | None = None):
    """The visits of the seven days from `start` (a Saturday) in the user's jurisdiction (one county when given):
    planned ones by their planned day, reported ones by their visit's day."""
    end = start + datetime.timedelta(days=6)
    qs = (
        Visit.objects.for_user(user)
        .filter(
            Q(status=VisitStatus.PLANNED, planned_on__range=(start, end))
            | Q(status=VisitStatus.REPORTED, visited_on__range=(start, end))
            | Q(status=VisitStatus.CANCELLED, planned_on__range=(start, end))
        )
        .select_related("cooperative", "county", "purpose")
        .prefetch_related("inspectors")
        .order_by("county__name_fa", "planned_on", "visited_on", "id")
    )
    if county_id:
        qs = qs.filter(county_id=county_id)
    return qs


def inspectors_of(*, county_id: int):
    """The users a county may send to visit its units."""
    return User.objects.filter(inspectors_q(county_id)).order_by("last_name", "first_name", "username")


def purposes():
    return Purpose.objects.filter(is_active=True)


# --- the office's pages (the plan's week, a visit's page, the follow-up lists) ------------------------------------

SATURDAY = 5  # date.weekday(): the Iranian week starts on Saturday


def week_start(day: datetime.date) -> datetime.date:
    """The Saturday that starts the week of `day`."""
    return day - datetime.timedelta(days=(day.weekday() - SATURDAY) % 7)


def visit_day(visit: Visit) -> datetime.date | None:
    """The day a visit stands on in the plan: its visit's day once reported, else its planned day."""
    return visit.visited_on if visit.status == VisitStatus.REPORTED else visit.planned_on


def plan_days(*, start: datetime.date, visits) -> list[tuple[datetime.date, list[Visit]]]:
    """The seven days from `start`, each with its visits (in the order given)."""
    days = {start + datetime.timedelta(days=i): [] for i in range(7)}
    for v in visits:
        day = visit_day(v)
        if day in days:
            days[day].append(v)
    return list(days.items())


def plan_cooperative(*, user, shenasnameh: str):
    """The cooperative a plan form starts from (?cooperative=<shenasnameh>): one of the user's jurisdiction where
    they may change records, else None."""
    from taavon.accounts.jurisdiction import can_change_in
    from taavon.registry.models import Cooperative

    found = (
        Cooperative.objects.for_user(user)
        .select_related("county", "county__province")
        .filter(shenasnameh=(shenasnameh or "").strip()[:30])
        .first()
    )
    return found if found is not None and can_change_in(user, found.county) else None


def plan_inspectors(*, user, county_id: int | None = None):
    """The inspectors a user may send: those of one county, or of every county of the user's jurisdiction."""
    from taavon.accounts.jurisdiction import counties_for

    if county_id:
        return inspectors_of(county_id=county_id).select_related("county")
    counties = counties_for(user).values("pk")
    return (
        User.objects.filter(is_active=True, is_inspector=True, role="county", county__in=counties)
        .select_related("county")
        .order_by("county__name_fa", "last_name", "first_name", "username")
    )


def visit_photos(*, user, visit: Visit):
    from taavon.visits.models import Photo

    return list(Photo.objects.for_user(user).filter(visit=visit).order_by("created_at", "id"))


def _open_actions_q(prefix: str = "actions__") -> Q:
    return Q(**{f"{prefix}status__in": ACTION_OPEN})


@dataclass
class FindingFilters:
    county: int | None = None
    category: str = ""
    severity: str = ""
    older_than: int | None = None  # days
    overdue: bool = False


def findings_open(*, user, filters: FindingFilters, today: datetime.date):
    """The open findings of the user's jurisdiction to follow, oldest first, each with its actions open and overdue
    counted (and its visit, cooperative and county: one query for a page)."""
    qs = (
        Finding.objects.for_user(user)
        .filter(status=FindingStatus.OPEN)
        .select_related("visit", "visit__cooperative", "visit__county")
        .annotate(
            actions_open=Count("actions", filter=_open_actions_q(), distinct=True),
            actions_overdue=Count("actions", filter=overdue_q(today, "actions__"), distinct=True),
        )
        .order_by("opened_on", "id")
    )
    if filters.county:
        qs = qs.filter(visit__county_id=filters.county)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.older_than:
        qs = qs.filter(opened_on__lt=today - datetime.timedelta(days=filters.older_than))
    if filters.overdue:
        qs = qs.filter(actions_overdue__gt=0)
    return qs


def actions_list(*, user, mine: bool, overdue: bool, today: datetime.date):
    """The open action items of the user's jurisdiction (only those the user owns with `mine`; only those past
    their due date with `overdue`), soonest due first."""
    qs = (
        Action.objects.for_user(user)
        .filter(status__in=ACTION_OPEN)
        .select_related("officer", "request", "finding", "finding__visit", "finding__visit__cooperative")
        .order_by("due_on", "id")
    )
    if mine:
        qs = qs.filter(officer=user)
    if overdue:
        qs = qs.overdue(today)
    return qs
