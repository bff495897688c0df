"""The dashboard's figures: database aggregates, a constant number of queries whatever the number of records.

They come from the summary tables the registry and the projects keep current in their own services
(taavon.registry.summary, taavon.projects.summary): a few hundred rows instead of every record. The jurisdiction
and the filters apply in the database, on the summary's county (and sector, stage) columns. When a summary is
known to be stale (a raw load not yet followed by a rebuild), or a filter the summaries do not hold is given
(words, a cooperative, opening dates), the figures are counted from the records as before — `Sources` says which.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from taavon.accounts.jurisdiction import q as jurisdiction_q
from taavon.accounts.jurisdiction import scope_of
from taavon.accounts.models import User
from taavon.persian.collation import persian_sorted
from taavon.projects import summary as project_summary
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.selectors import ProjectFilters, project_totals, projects_by_stage, shown_name
from taavon.registry import summary as registry_summary
from taavon.registry.models import Cooperative, Status


@dataclass(frozen=True)
class Sources:
    """Where the dashboard's figures come from: the summaries (True) or the records (False), and whether a summary
    was passed over because it is stale (the page says so)."""

    cooperatives: bool
    projects: bool
    stale: bool = False


def dashboard_sources(filters: ProjectFilters, *, live: bool = False) -> Sources:
    """Summaries when they are current and the filters are ones they hold; `live=True` forces the records (the
    test that both paths agree, the benchmark's baseline). Two small queries."""
    if live:
        return Sources(cooperatives=False, projects=False)
    stale = registry_summary.summaries_stale()
    coops_ok = registry_summary.NAME not in stale
    projects_ok = project_summary.NAME not in stale
    projects_filters = not (
        filters.q.strip() or filters.cooperative or filters.opening_from or filters.opening_to
    )
    return Sources(
        cooperatives=coops_ok,
        projects=projects_ok and projects_filters,
        stale=not (coops_ok and projects_ok),
    )


STATUSES = tuple(Status.values)  # Status.values builds a new list at every call: once here, not once per row

# --- cooperatives ---------------------------------------------------------------------------------------------


def _cooperatives(user: User, filters: ProjectFilters):
    qs = Cooperative.objects.for_user(user)
    if filters.province:
        qs = qs.filter(county__province_id=filters.province)
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    return qs


def _summary_where(user: User, filters: ProjectFilters) -> Q:
    """The user's jurisdiction and the filters, on a summary's county and sector columns (in the database)."""
    where = jurisdiction_q(user, county="county", province="county__province")
    if filters.province:
        where &= Q(county__province_id=filters.province)
    if filters.county:
        where &= Q(county_id=filters.county)
    if filters.sector:
        where &= Q(sector_id=filters.sector)
    return where


def _matrix_rows(counts) -> dict:
    """{"rows": [{id, name, counts: [(status, n)..], total}], "totals": [..], "total"} from (id, fa, en, status, n)
    tuples, rows in the order of the Persian names; `name` the one of the interface's language."""
    rows: dict = {}
    for key_id, fa, en, status, n in counts:
        row = rows.setdefault(
            key_id,
            {
                "id": key_id,
                "name": shown_name(fa, en),
                "name_fa": fa,
                "by_status": dict.fromkeys(STATUSES, 0),
            },
        )
        row["by_status"][status] += n
    out = []
    for row in persian_sorted(rows.values(), key=lambda x: x["name_fa"]):
        row["counts"] = [(s, row["by_status"][s]) for s in STATUSES]
        row["total"] = sum(row["by_status"].values())
        out.append(row)
    totals = [(s, sum(r["by_status"][s] for r in out)) for s in STATUSES]
    return {"rows": out, "totals": totals, "total": sum(n for _, n in totals)}


def _matrix(user: User, filters: ProjectFilters, key: str, source: Sources | None) -> dict:
    if source is None or not source.cooperatives:
        name_fa, name_en = f"{key}__name_fa", f"{key}__name_en"
        qs = (
            _cooperatives(user, filters)
            .order_by()
            .values(key, name_fa, name_en, "status")
            .annotate(n=Count("id"))
        )
        return _matrix_rows((r[key], r[name_fa], r[name_en], r["status"], r["n"]) for r in qs)
    rows = [
        r
        for r in registry_summary.counts_totals(where=_summary_where(user, filters), group=key)
        if r["n"] and r["status"] in STATUSES
    ]
    return _matrix_rows(
        (r[f"{key}_id"], r[f"{key}__name_fa"], r[f"{key}__name_en"], r["status"], r["n"]) for r in rows
    )


def cooperatives_by_county(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    return _matrix(user, filters, "county", source)


def cooperatives_by_sector(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    return _matrix(user, filters, "sector", source)


def cooperative_members(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    if source is None or not source.cooperatives:
        return _cooperatives(user, filters).aggregate(
            women=Coalesce(Sum("members_women"), 0),
            men=Coalesce(Sum("members_men"), 0),
            capital=Coalesce(Sum("capital_paid_rial"), 0),
        )
    rows = registry_summary.counts_totals(where=_summary_where(user, filters))
    return {
        "women": sum(r["women"] or 0 for r in rows),
        "men": sum(r["men"] or 0 for r in rows),
        "capital": sum(r["capital"] or 0 for r in rows),
    }


# --- projects -------------------------------------------------------------------------------------------------

_FIGURES = project_summary.FIGURES


def _outside(user: User, filters: ProjectFilters) -> dict:
    """Projects the summary rows of the user's counties hold but the user may not see: those of a cooperative
    outside the jurisdiction (Project.objects.for_user requires both counties). Grouped by the summary's key, to be
    taken off; two queries, and only for a user whose jurisdiction is not the whole country."""
    if scope_of(user).everywhere:
        return {}
    # jurisdiction: the user's counties (jurisdiction_q), minus the projects of cooperatives outside them
    base = Project.objects.filter(
        jurisdiction_q(user, county="county", province="county__province")
        & _summary_where_filters(filters, stage=True)
    ).exclude(jurisdiction_q(user, county="cooperative__county", province="cooperative__county__province"))
    out: dict = {}
    for p in base.only(
        "county_id",
        "sector_id",
        "stage",
        "investment_rial",
        "members_contribution_rial",
        *(f"jobs_{k}_{w}" for k in ("direct", "indirect", "women") for w in ("planned", "actual")),
    ):
        key, figures = project_summary.sums_key(p, facilities=False)
        row = out.setdefault(key, [0] * len(_FIGURES))
        for i, v in enumerate(figures):
            row[i] += v
    facilities = (
        # jurisdiction: the facilities of the projects just scoped (base)
        Facility.objects.filter(project__in=base.values("pk"))
        .order_by()
        .values_list("project__county_id", "project__sector_id", "project__stage")
        .annotate(r=Sum("requested_rial"), a=Sum("approved_rial"), p=Sum("paid_rial"))
    )
    n = len(project_summary.PROJECT_FIGURES)
    for county_id, sector_id, stage, r, a, p in facilities:
        row = out.setdefault((county_id, sector_id, stage), [0] * len(_FIGURES))
        row[n], row[n + 1], row[n + 2] = row[n] + (r or 0), row[n + 1] + (a or 0), row[n + 2] + (p or 0)
    return out


def _summary_where_filters(filters: ProjectFilters, *, stage: bool) -> Q:
    where = Q()
    if filters.province:
        where &= Q(county__province_id=filters.province)
    if filters.county:
        where &= Q(county_id=filters.county)
    if filters.sector:
        where &= Q(sector_id=filters.sector)
    if stage and filters.stage in Stage.values:
        where &= Q(stage=filters.stage)
    return where


def _project_groups(user: User, filters: ProjectFilters, group: str | None, outside: dict) -> list[dict]:
    """The summary summed by `group`, less what the user may not see (`outside`)."""
    where = jurisdiction_q(user, county="county", province="county__province") & _summary_where_filters(
        filters, stage=True
    )
    rows = project_summary.sums_rows(where=where, group=group)
    column = None if group is None else (group if group == "stage" else f"{group}_id")
    index = {None if column is None else r[column]: r for r in rows}
    position = {"county": 0, "sector": 1, "stage": 2}.get(group)
    for key, figures in outside.items():
        k = None if position is None else key[position]
        row = index.get(k)
        if row is None:
            continue
        for name, v in zip(_FIGURES, figures, strict=True):
            row[name] = (row[name] or 0) - v
    extra = [column, f"{group}__name_fa", f"{group}__name_en"] if group in ("county", "sector") else [column]
    return [{name: r[name] or 0 for name in _FIGURES} | {k: r[k] for k in extra if k} for r in rows]


def _groups_shaped(rows: list[dict], key: str) -> list[dict]:
    shaped = [
        {
            "id": r[f"{key}_id"],
            "name": shown_name(r[f"{key}__name_fa"], r[f"{key}__name_en"]),
            "name_fa": r[f"{key}__name_fa"],
            "count": r["projects"],
            "investment_rial": r["investment_rial"],
            "facilities_paid_rial": r["facilities_paid_rial"],
            "jobs": r["jobs_direct"],
        }
        for r in rows
        if r["projects"]
    ]
    shaped.sort(key=lambda g: (-g["investment_rial"], g["name_fa"]))
    for g in shaped:
        del g["name_fa"]
    return shaped


def dashboard_project_totals(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    """The figures of projects_selectors.project_totals the dashboard shows (without its activities' list)."""
    if source is None or not source.projects:
        return project_totals(user=user, filters=filters)
    outside = _outside(user, filters)
    total = _project_groups(user, filters, None, outside)[0]
    by_stage = {r["stage"]: r for r in _project_groups(user, filters, "stage", outside)}
    return {
        "count": total["projects"],
        "opened": by_stage.get(Stage.OPENED, {}).get("projects", 0),
        "investment_rial": total["investment_rial"],
        "members_contribution_rial": total["members_contribution_rial"],
        "jobs_direct": total["jobs_direct"],
        "jobs_indirect": total["jobs_indirect"],
        "jobs_women": total["jobs_women"],
        "facilities_requested_rial": total["facilities_requested_rial"],
        "facilities_approved_rial": total["facilities_approved_rial"],
        "facilities_paid_rial": total["facilities_paid_rial"],
        "by_sector": _groups_shaped(_project_groups(user, filters, "sector", outside), "sector"),
        "by_county": _groups_shaped(_project_groups(user, filters, "county", outside), "county"),
        "by_stage": by_stage,
        "activities": [],
    }


def dashboard_projects_by_stage(
    *, user: User, filters: ProjectFilters, source: Sources | None = None, totals: dict | None = None
) -> list[dict]:
    if source is None or not source.projects:
        return projects_by_stage(user=user, filters=filters)
    rows = (totals or {}).get("by_stage")
    if rows is None:
        rows = {r["stage"]: r for r in _project_groups(user, filters, "stage", _outside(user, filters))}
    return [
        {
            "stage": s,
            "label": label,
            "count": rows.get(s, {}).get("projects", 0),
            "investment_rial": rows.get(s, {}).get("investment_rial", 0),
        }
        for s, label in Stage.choices
    ]


__all__ = [
    "Sources",
    "cooperative_members",
    "cooperatives_by_county",
    "cooperatives_by_sector",
    "dashboard_project_totals",
    "dashboard_projects_by_stage",
    "dashboard_sources",
]
