"""Triage's `visit_closed` rule and the visits' activity fact (registered in visits.contributions).

`visit_closed`: the cooperative's LAST reported visit found the unit closed or not at its address — a later visit
that found it operating clears it. Set-based: one query over the cooperatives evaluated (the latest reported visit per
cooperative by a subquery).

Activity (for triage's `inactive` rule): a reported visit that found the unit — operating, or open but idle — shows
the cooperative is there; a visit that found it closed or not at its address shows no activity (it is what the
`visit_closed` rule is about)."""

import datetime

from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.core.contributions import TriageRule
from taavon.core.formatting import date as show_date
from taavon.visits.models import CLOSED_STATES, UnitState, Visit, VisitStatus

FOUND_STATES = (UnitState.OPERATING, UnitState.IDLE)


def _last_visit():
    # jurisdiction: a rule runs over the cooperatives the caller gives (already within its scope)
    return Visit.objects.filter(cooperative_id=OuterRef("pk"), status=VisitStatus.REPORTED).order_by(
        "-visited_on", "-id"
    )


def visit_closed_find(cooperatives, threshold, today: datetime.date) -> dict:
    last = _last_visit()
    rows = (
        cooperatives.annotate(
            last_state=Subquery(last.values("unit_state")[:1]),
            last_on=Subquery(last.values("visited_on")[:1]),
        )
        .filter(last_state__in=CLOSED_STATES)
        .values_list("id", "last_on", "last_state")
    )
    return {pk: {"date": day.isoformat(), "state": state} for pk, day, state in rows}


def visit_closed_explain(params: dict, today: datetime.date) -> str:
    day = show_date(datetime.date.fromisoformat(params["date"]))
    if params.get("state") == UnitState.NOT_FOUND:
        return _("The field visit of %(date)s did not find the unit at its address") % {"date": day}
    return _("The field visit of %(date)s found the unit closed") % {"date": day}


VISIT_CLOSED = TriageRule(
    code="visit_closed",
    label=gettext_lazy("Last field visit found the unit closed"),
    find=visit_closed_find,
    explain=visit_closed_explain,
    default_threshold=None,
    threshold_unit="",
    default_weight=3,
    order=60,
)


def activity_rows(cooperative_ids):
    """The date of a cooperative's latest reported visit that found the unit (operating or idle)."""
    return (
        # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
        Visit.objects.filter(
            cooperative_id__in=cooperative_ids, status=VisitStatus.REPORTED, unit_state__in=FOUND_STATES
        )
        .order_by()
        .values("cooperative_id")
        .annotate(last=Max("visited_on"))
        .values_list("cooperative_id", "last")
    )
