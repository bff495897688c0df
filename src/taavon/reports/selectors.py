"""The dashboard's figures: database aggregates, a constant number of queries whatever the number of records."""

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from taavon.accounts.models import User
from taavon.persian.collation import persian_sorted
from taavon.projects.selectors import ProjectFilters, shown_name
from taavon.registry.models import Cooperative, Status


def _cooperatives(user: User, filters: ProjectFilters):
    qs = Cooperative.objects.for_user(user)
    if filters.province:
        qs = qs.filter(county__province_id=filters.province)
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    return qs


def _matrix(qs, key: str) -> dict:
    """Rows of `key` × statuses, with totals: {"rows": [{id, name, counts: [..], total}], "totals": [..], "total"}
    (rows in the order of the Persian names; `name` the one of the interface's language)."""
    rows: dict = {}
    name_fa, name_en = f"{key}__name_fa", f"{key}__name_en"
    for r in qs.order_by().values(key, name_fa, name_en, "status").annotate(n=Count("id")):
        row = rows.setdefault(
            r[key],
            {
                "id": r[key],
                "name": shown_name(r[name_fa], r[name_en]),
                "name_fa": r[name_fa],
                "by_status": dict.fromkeys(Status.values, 0),
            },
        )
        row["by_status"][r["status"]] = r["n"]
    out = []
    for row in persian_sorted(rows.values(), key=lambda x: x["name_fa"]):
        row["counts"] = [(s, row["by_status"][s]) for s in Status.values]
        row["total"] = sum(row["by_status"].values())
        out.append(row)
    totals = [(s, sum(r["by_status"][s] for r in out)) for s in Status.values]
    return {"rows": out, "totals": totals, "total": sum(n for _, n in totals)}


def cooperatives_by_county(*, user: User, filters: ProjectFilters) -> dict:
    return _matrix(_cooperatives(user, filters), "county")


def cooperatives_by_sector(*, user: User, filters: ProjectFilters) -> dict:
    return _matrix(_cooperatives(user, filters), "sector")


def cooperative_members(*, user: User, filters: ProjectFilters) -> dict:
    return _cooperatives(user, filters).aggregate(
        women=Coalesce(Sum("members_women"), 0),
        men=Coalesce(Sum("members_men"), 0),
        capital=Coalesce(Sum("capital_paid_rial"), 0),
    )
