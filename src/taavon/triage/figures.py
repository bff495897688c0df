"""Triage's figures for the dashboard and the press summary, from the records (aggregates in the database): how many
cooperatives are flagged, how many are in a case, how many were settled in a period by outcome and by county, and
the median time from a cooperative's first flag to the decision on its case."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min

from taavon.accounts.jurisdiction import as_of_for_user
from taavon.accounts.models import User
from taavon.core.history import rows_as_of, value_as_of
from taavon.places.models import County
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


def cooperative_then(as_of: datetime.datetime, field: str):
    """A field of a flag's or a case's cooperative as it was at `as_of` (core.history.value_as_of)."""
    from taavon.registry.models import Cooperative

    return value_as_of(Cooperative, field, as_of, record="cooperative_id")


def triage_figures(
    *,
    user: User,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    county: int | None = None,
    sector: int | None = None,
    as_of: datetime.datetime | None = None,
) -> TriageFigures:
    """The figures within the user's jurisdiction (and a county / sector when given); "settled" counts the cases
    decided from `start` to `end` (inclusive). Counted from the flags and the cases (grouped by their cooperative's
    county), never by a pass over every cooperative: the work grows with the flags and cases, not the registry."""
    narrow = {}
    if as_of is None:
        if county:
            narrow["cooperative__county_id"] = county
        if sector:
            narrow["cooperative__sector_id"] = sector
        flags = Flag.objects.for_user(user).filter(**narrow)
        cases = Case.objects.for_user(user).filter(**narrow)
        all_flags = Flag.objects.all()
        county_key = "cooperative__county_id"
    else:
        # the flags and cases as Taavon knew them then (issue 18), each under its cooperative's county and sector
        # of that moment
        if county:
            narrow["coop_county"] = county
        if sector:
            narrow["coop_sector"] = sector
        then = {
            "coop_county": cooperative_then(as_of, "county_id"),
            "coop_sector": cooperative_then(as_of, "sector_id"),
        }
        flags = as_of_for_user(Flag, user, as_of).annotate(**then).filter(**narrow)
        cases = as_of_for_user(Case, user, as_of).annotate(**then).filter(**narrow)
        all_flags = rows_as_of(Flag, as_of)
        county_key = "coop_county"
    open_cases = cases.filter(status=CaseStatus.OPEN)
    decided = cases.filter(status=CaseStatus.DECIDED, decided_on__gte=start, decided_on__lte=end)
    flagged_by = dict(
        flags.filter(cleared_on__isnull=True)
        .order_by()
        .values_list(county_key)
        .annotate(n=Count("cooperative", distinct=True))
    )
    in_case_by = dict(open_cases.order_by().values_list(county_key).annotate(n=Count("id")))
    outcome_by: dict = {}
    for county_id, outcome, n in (
        decided.order_by().values_list(county_key, "outcome").annotate(n=Count("id"))
    ):
        outcome_by[(county_id, outcome)] = n
    out = TriageFigures()
    out.flagged = sum(flagged_by.values())  # a cooperative lies in one county: the counties' counts add up
    out.in_case = sum(in_case_by.values())
    out.overdue = open_cases.filter(deadline__lt=today).count()
    out.by_outcome = {
        o: sum(n for (_c, outcome), n in outcome_by.items() if outcome == o) for o in Outcome.values
    }
    out.settled = sum(out.by_outcome.values())

    # from the first flag (raised before the decision, cleared since or not) to the decision
    first_flag = dict(
        # jurisdiction: the flags of the cooperatives of `decided`, already scoped
        all_flags.filter(cooperative__in=decided.values("cooperative"))
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

    ids = set(flagged_by) | set(in_case_by) | {c for c, _o in outcome_by}
    names = (
        {c["id"]: c for c in County.objects.filter(pk__in=ids).values("id", "name_fa", "name_en")}
        if ids
        else {}
    )
    out.by_county = [
        {
            "county_id": c,
            "county__name_fa": names[c]["name_fa"],
            "county__name_en": names[c]["name_en"],
            "flagged": flagged_by.get(c, 0),
            "in_case": in_case_by.get(c, 0),
            **{f"o_{o}": outcome_by.get((c, o), 0) for o in Outcome.values},
        }
        for c in sorted(ids)
    ]
    return out


def settled_cases(
    *, province_id: int, start: datetime.date, end: datetime.date, as_of: datetime.datetime | None = None
):
    """The cases decided in a province from `start` to `end` (inclusive) — as Taavon knew them at `as_of`, when
    given, in the province their cooperative was in then. Public figures (the press summary): counted, not shown."""
    if as_of is None:
        cases = Case.objects.filter(cooperative__county__province_id=province_id)
    else:
        cases = (
            rows_as_of(Case, as_of)
            .alias(coop_county=cooperative_then(as_of, "county_id"))
            .filter(coop_county__in=County.objects.filter(province_id=province_id).values("id"))
        )
    return cases.filter(status=CaseStatus.DECIDED, decided_on__gte=start, decided_on__lte=end)


def settled_between(
    *, province_id: int, start: datetime.date, end: datetime.date, as_of: datetime.datetime | None = None
) -> dict[str, int]:
    """Cases decided in a province from `start` to `end` (inclusive), by outcome — public figures (the press
    summary), counts only; as Taavon knew the cases at `as_of`, when given."""
    rows = (
        settled_cases(province_id=province_id, start=start, end=end, as_of=as_of)
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    return {o: counts.get(o, 0) for o in Outcome.values}
