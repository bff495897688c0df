"""The visits' reads, each through the user's jurisdiction (`for_user`): a visit, the plan of a week, the open
findings a re-visit must look at, a cooperative's visits, the inspectors a county may send."""

import datetime

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
        Finding.objects.filter(visit=visit)
        .select_related("closed_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("officer", "request").order_by("due_on", "id"),
            )
        )
        .order_by("id")
    )


def open_findings_before(*, cooperative_id: int, visit: Visit | None = None) -> list[Finding]:
    """The open findings of the cooperative's last reported visit before `visit` (or the last one of all): what a
    re-visit must look at."""
    visits = Visit.objects.filter(cooperative_id=cooperative_id, status=VisitStatus.REPORTED)
    if visit is not None and visit.pk:
        visits = visits.exclude(pk=visit.pk)
        if visit.visited_on:
            visits = visits.filter(visited_on__lte=visit.visited_on)
    last = visits.order_by("-visited_on", "-id").first()
    if last is None:
        return []
    return list(
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
        .select_related("visit")
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
