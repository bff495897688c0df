"""The public statistics: aggregates only — counts and sums of public fields of public records, computed in the
database (`values().annotate()`), a handful of queries whatever the number of records. No row of a record leaves
here: the home page's headline figures, the statistics page's series (cooperatives by county, sector, status and
Jalali registration year) and the latest Cooperative Week's openings (count, investment, jobs)."""

import datetime

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from taavon.core.history import names_as_of, rows_as_of
from taavon.core.models import english
from taavon.events.selectors import week_days
from taavon.persian import jalali_year, to_gregorian
from taavon.projects.models import Project, Stage
from taavon.public.selectors import StandingRule
from taavon.registry.models import Cooperative, Status

FIRST_WEEK_YEAR = 1390  # the earliest Cooperative Week looked for
OPENING_STAGES = (Stage.READY, Stage.OPENED)  # as the press summary counts a week's openings


def _shown(row: dict, key: str) -> str:
    if english() and row.get(f"{key}_en"):
        return row[f"{key}_en"]
    return row.get(f"{key}_fa") or ""


def _jobs():
    """Direct jobs: the actual number when known, else the planned one (as the press summary counts them)."""
    return Coalesce(F("jobs_direct_actual"), F("jobs_direct_planned"), Value(0), output_field=IntegerField())


def _opening():
    return Coalesce(F("actual_opening_date"), F("expected_opening_date"))


def _cooperatives(province: str = "", as_of: datetime.datetime | None = None) -> QuerySet:
    """The register's cooperatives (as Taavon knew them at `as_of`, when given: their history rows)."""
    # jurisdiction: public statistics — aggregates only (counts of the register's cooperatives)
    qs = Cooperative.objects.all() if as_of is None else rows_as_of(Cooperative, as_of)
    return qs.filter(county__province__code=province) if province else qs


def _projects(province: str = "", as_of: datetime.datetime | None = None) -> QuerySet:
    # jurisdiction: public statistics — aggregates only (every project but a cancelled one is public)
    qs = Project.objects.all() if as_of is None else rows_as_of(Project, as_of)
    qs = qs.exclude(stage=Stage.CANCELLED)
    return qs.filter(county__province__code=province) if province else qs


# --- the home page ---------------------------------------------------------------------------------------------------


def headline(*, rule: StandingRule | None = None) -> dict:
    """The home page's figures: cooperatives in the register, active, in good standing, members; projects opened,
    their investment and jobs. Two queries."""
    rule = rule or StandingRule.now()
    coops = _cooperatives().aggregate(
        cooperatives=Count("id"),
        active=Count("id", filter=Q(status=Status.ACTIVE)),
        good_standing=Count("id", filter=rule.good_q()),
        members=Coalesce(Sum(F("members_women") + F("members_men")), 0),
    )
    opened = _projects().filter(stage=Stage.OPENED)
    projects = opened.aggregate(
        projects_opened=Count("id"),
        investment_rial=Coalesce(Sum("investment_rial"), 0),
        jobs=Coalesce(Sum(_jobs()), 0),
    )
    return {**coops, **projects}


# --- the statistics page ---------------------------------------------------------------------------------------------


def _by(qs: QuerySet, key: str, as_of: datetime.datetime | None = None) -> list[dict]:
    """Cooperatives counted by a reference record (county, sector): id, name in the reader's language (as it was
    named at `as_of`, when given), count."""
    rows = list(
        qs.order_by()
        .values(key)
        .annotate(name_fa=F(f"{key}__name_fa"), name_en=F(f"{key}__name_en"), count=Count("id"))
        .order_by("-count", "name_fa")
    )
    if as_of is not None:
        names = names_as_of(qs.model._meta.get_field(key).related_model, (r[key] for r in rows), as_of)
        for r in rows:
            r["name_fa"], r["name_en"] = names.get(r[key], (r["name_fa"], r["name_en"]))
    return [{"id": r[key], "name": _shown(r, "name"), "count": r["count"]} for r in rows]


def by_county(province: str = "", as_of: datetime.datetime | None = None) -> list[dict]:
    return _by(_cooperatives(province, as_of), "county", as_of)


def by_sector(province: str = "", as_of: datetime.datetime | None = None) -> list[dict]:
    return _by(_cooperatives(province, as_of), "sector", as_of)


def by_status(province: str = "", as_of: datetime.datetime | None = None) -> list[dict]:
    """Every status (zero included), in the lifecycle's order."""
    counts = dict(_cooperatives(province, as_of).order_by().values_list("status").annotate(n=Count("id")))
    return [
        {"status": value, "name": str(label), "count": counts.get(value, 0)}
        for value, label in Status.choices
    ]


def by_year(province: str = "", as_of: datetime.datetime | None = None) -> list[dict]:
    """Cooperatives by the Jalali year of their registration (oldest first; those without a date last, year None).
    The Jalali year is computed in the database: a CASE over the years' first days. Two queries."""
    qs = _cooperatives(province, as_of).order_by()
    bounds = qs.aggregate(first=Min("registration_date"), last=Max("registration_date"))
    if bounds["first"] is None:
        unknown = qs.filter(registration_date__isnull=True).count()
        return [{"year": None, "count": unknown}] if unknown else []
    first, last = jalali_year(bounds["first"]), jalali_year(bounds["last"])
    year = Case(
        *[
            When(registration_date__gte=to_gregorian(y, 1, 1), then=Value(y))
            for y in range(last, first - 1, -1)
        ],
        default=Value(None),
        output_field=IntegerField(),
    )
    rows = qs.annotate(jyear=year).values("jyear").annotate(count=Count("id"))
    counts = {r["jyear"]: r["count"] for r in rows}
    out = [{"year": y, "count": counts[y]} for y in range(first, last + 1) if y in counts]
    if counts.get(None):
        out.append({"year": None, "count": counts[None]})
    return out


def _week_of(day: datetime.date) -> tuple[int, datetime.date, datetime.date] | None:
    y = jalali_year(day)
    start, end = week_days(y)
    return (y, start, end) if start <= day <= end else None


def week_years(today: datetime.date | None = None) -> list[int]:
    """The Jalali years whose Cooperative Week has begun, newest first (the statistics page's choice)."""
    today = today or timezone.localdate()
    last = jalali_year(today) - (1 if today < week_days(jalali_year(today))[0] else 0)
    return list(range(last, FIRST_WEEK_YEAR - 1, -1))


def latest_week(
    province: str = "", today: datetime.date | None = None, as_of: datetime.datetime | None = None
) -> tuple[int, datetime.date, datetime.date]:
    """The latest Cooperative Week (11–17 Shahrivar) that has openings (projects ready or opened with their opening
    date in it); the latest week begun when none has. One query."""
    today = today or timezone.localdate()
    this_year = jalali_year(today)
    if today < week_days(this_year)[0]:
        this_year -= 1
    weeks = Q()
    for y in range(FIRST_WEEK_YEAR, this_year + 1):
        weeks |= Q(opening__range=week_days(y))
    latest = (
        _projects(province, as_of)
        .filter(stage__in=OPENING_STAGES)
        .alias(opening=_opening())
        .filter(weeks)
        .aggregate(last=Max(_opening()))["last"]
    )
    found = _week_of(latest) if latest else None
    if found:
        return found
    start, end = week_days(this_year)
    return this_year, start, end


def week_openings(
    province: str = "",
    today: datetime.date | None = None,
    year: int | None = None,
    as_of: datetime.datetime | None = None,
) -> dict:
    """The latest Cooperative Week's openings (or the week of `year`): its year and days, the projects opened or ready to open in it, their
    investment and direct jobs, in all and by county. Three queries."""
    if year:
        start, end = week_days(year)
    else:
        year, start, end = latest_week(province, today, as_of)
    qs = (
        _projects(province, as_of)
        .filter(stage__in=OPENING_STAGES)
        .alias(opening=_opening())
        .filter(opening__range=(start, end))
        .order_by()
    )
    totals = qs.aggregate(
        count=Count("id"),
        opened=Count("id", filter=Q(stage=Stage.OPENED)),
        investment_rial=Coalesce(Sum("investment_rial"), 0),
        jobs=Coalesce(Sum(_jobs()), 0),
    )
    rows = (
        qs.values("county")
        .annotate(
            name_fa=F("county__name_fa"),
            name_en=F("county__name_en"),
            count=Count("id"),
            investment_rial=Coalesce(Sum("investment_rial"), 0),
            jobs=Coalesce(Sum(_jobs()), 0),
        )
        .order_by("-investment_rial", "name_fa")
    )
    counties = [
        {
            "name": _shown(r, "name"),
            "count": r["count"],
            "investment_rial": r["investment_rial"],
            "jobs": r["jobs"],
        }
        for r in rows
    ]
    return {"year": year, "start": start, "end": end, **totals, "by_county": counties}
