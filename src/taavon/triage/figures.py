"""Triage's figures for the dashboard and the press summary, from the records (aggregates in the database): how many
cooperatives are flagged, how many are in a case, how many were settled in a period by outcome and by county, and
the median time from a cooperative's first flag to the decision on its case."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q

from taavon.accounts.models import User
from taavon.registry.models import Cooperative
from taavon.triage.models import Case, CaseStatus, Flag, Outcome


@dataclass
class TriageFigures:
    flagged: int = 0
    in_case: int = 0
    overdue: int = 0
    settled: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    median_days: float | None = None
    by_county: list[dict] = field(default_factory=list)


def triage_figures(
    *,
    user: User,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    county: int | None = None,
    sector: int | None = None,
) -> TriageFigures:
    """The figures within the user's jurisdiction (and a county / sector when given); "settled" counts the cases
    decided from `start` to `end` (inclusive)."""
    coops = Cooperative.objects.for_user(user)
    if county:
        coops = coops.filter(county_id=county)
    if sector:
        coops = coops.filter(sector_id=sector)
    ids = coops.values("id")
    flagged_q = Q(triage_flags__cleared_on__isnull=True, triage_flags__isnull=False)
    open_q = Q(triage_cases__status=CaseStatus.OPEN)
    decided = Case.objects.filter(
        cooperative__in=ids, status=CaseStatus.DECIDED, decided_on__gte=start, decided_on__lte=end
    )
    out = TriageFigures()
    out.flagged = coops.filter(flagged_q).distinct().count()
    open_cases = Case.objects.filter(cooperative__in=ids, status=CaseStatus.OPEN)
    out.in_case = open_cases.count()
    out.overdue = open_cases.filter(deadline__lt=today).count()
    counts = dict(decided.order_by().values_list("outcome").annotate(n=Count("id")))
    out.by_outcome = {o: counts.get(o, 0) for o in Outcome.values}
    out.settled = sum(out.by_outcome.values())

    # from the first flag (raised before the decision, cleared since or not) to the decision
    first_flag = dict(
        Flag.objects.filter(cooperative__in=decided.values("cooperative"))
        .order_by()
        .values_list("cooperative")
        .annotate(first=Min("raised_on"))
    )
    waits = [
        (decided_on - first_flag[coop]).days
        for coop, decided_on in decided.values_list("cooperative", "decided_on")
        if coop in first_flag and first_flag[coop] <= decided_on
    ]
    out.median_days = statistics.median(waits) if waits else None

    rows = (
        coops.order_by()
        .values("county_id", "county__name_fa", "county__name_en")
        .annotate(
            flagged=Count("id", filter=flagged_q, distinct=True),
            in_case=Count("triage_cases", filter=open_q, distinct=True),
            **{
                f"o_{o}": Count(
                    "triage_cases",
                    filter=Q(
                        triage_cases__status=CaseStatus.DECIDED,
                        triage_cases__outcome=o,
                        triage_cases__decided_on__gte=start,
                        triage_cases__decided_on__lte=end,
                    ),
                    distinct=True,
                )
                for o in Outcome.values
            },
        )
    )
    out.by_county = [
        r for r in rows if r["flagged"] or r["in_case"] or any(r[f"o_{o}"] for o in Outcome.values)
    ]
    return out


def settled_between(*, province_id: int, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Cases decided in a province from `start` to `end` (inclusive), by outcome — public figures (the press
    summary), counts only."""
    rows = (
        Case.objects.filter(
            cooperative__county__province_id=province_id,
            status=CaseStatus.DECIDED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    return {o: counts.get(o, 0) for o in Outcome.values}
