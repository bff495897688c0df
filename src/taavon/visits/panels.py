"""The reads behind the visits' parts of other pages: the cooperative's record (its visits, its open findings), the
home page's panels (an inspector's week and overdue actions; the jurisdiction's overdue actions). Each through the
user's jurisdiction (`for_user`), a query or two."""

import datetime

from django.utils import timezone

from taavon.accounts.jurisdiction import can_change_in
from taavon.visits.models import Action, Visit, VisitStatus
from taavon.visits.selectors import cooperative_open_findings, cooperative_visits


def week_start(day: datetime.date) -> datetime.date:
    """The Saturday a week (of the Iranian calendar: Saturday to Friday) starts on."""
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def record_context(*, user, cooperative, today: datetime.date | None = None, visited: bool = True) -> dict:
    """The record's section; `visited=False`: the cooperative is known to have no visit (hence no finding), nothing
    is read."""
    today = today or timezone.localdate()
    findings = cooperative_open_findings(user=user, cooperative=cooperative) if visited else []
    for f in findings:
        f.age_days = (today - f.opened_on).days
    return {
        "visits": cooperative_visits(user=user, cooperative=cooperative) if visited else [],
        "open_findings": findings,
        "may_plan": can_change_in(user, cooperative.county),
    }


def overdue_actions(*, user, today: datetime.date | None = None):
    """The open action items of the user's jurisdiction past their due day, the oldest first."""
    today = today or timezone.localdate()
    return Action.objects.for_user(user).overdue(today).order_by("due_on", "id")


def inspector_panel(*, user, today: datetime.date | None = None) -> dict:
    """An inspector's week: the visits planned for them this week, and the action items they carry past due."""
    today = today or timezone.localdate()
    start = week_start(today)
    visits = list(
        Visit.objects.for_user(user)
        .filter(
            inspectors=user,
            status=VisitStatus.PLANNED,
            planned_on__range=(start, start + datetime.timedelta(days=6)),
        )
        .select_related("cooperative", "purpose")
        .order_by("planned_on", "id")
    )
    actions = list(
        overdue_actions(user=user, today=today)
        .filter(officer=user)
        .select_related("finding__visit__cooperative")[:10]
    )
    return {"week_visits": visits, "my_overdue": actions, "week_from": start}


def overdue_panel(*, user, today: datetime.date | None = None) -> dict:
    return {"overdue_count": overdue_actions(user=user, today=today).count()}
