"""Reads from the registry. Every selector applies the user's jurisdiction."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from taavon.accounts.jurisdiction import as_of_for_user, counties_for, scope_of
from taavon.accounts.models import User
from taavon.core.audit import SHOWN, ChangeHistory, change_history
from taavon.core.collation import PersianOrder
from taavon.core.models import english
from taavon.persian import to_ascii_digits
from taavon.registry.models import Cooperative, CooperativeType, Sector, Status
from taavon.registry.search import dense_count, search_q

SORTS = {
    "name": ("name_sort", "id"),  # name_sort: the Persian alphabetical order, by an index
    "-registration_date": ("-registration_date", "-id"),
    "registration_date": ("registration_date", "id"),
    "county": (PersianOrder("county__name_fa"), "name_sort", "id"),
    "status": ("status", "name_sort", "id"),
    "-capital": ("-capital_paid_rial", "id"),
    "-members": ("-members_total", "id"),
    "-created": ("-created_at", "-id"),
}
DEFAULT_SORT = "name"


@dataclass
class CooperativeFilters:
    q: str = ""
    county: int | None = None
    sector: int | None = None
    type: int | None = None
    status: str = ""
    sort: str = DEFAULT_SORT


def _search_q(text: str, user: User) -> Q:
    return search_q(text, within=counties_for(user))


def cooperative_list(*, user: User, filters: CooperativeFilters | None = None) -> QuerySet[Cooperative]:
    """The cooperatives the user may see, filtered and sorted; related rows joined (constant query count)."""
    filters = filters or CooperativeFilters()
    qs = Cooperative.objects.for_user(user).select_related("county__province", "sector", "type", "activity")
    if filters.q.strip():
        qs = qs.filter(_search_q(filters.q, user))
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    if filters.type:
        qs = qs.filter(type_id=filters.type)
    if filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if "-members_total" in order:
        from django.db.models import F

        qs = qs.alias(members_total=F("members_women") + F("members_men"))
    return qs.order_by(*order)


def cooperative_list_counter(
    *, user: User, filters: CooperativeFilters
) -> Callable[[int], int | None] | None:
    """A cheaper count of `cooperative_list` (for CappedPaginator): when a name search is the list's only filter and
    the user sees the whole country, the search index counts it alone (registry.search.dense_count)."""
    if (
        not filters.q.strip()
        or filters.county
        or filters.sector
        or filters.type
        or filters.status in Status.values
    ):
        return None
    if not scope_of(user).everywhere:
        return None
    return lambda cap: dense_count(filters.q, cap)


def cooperative_get(*, user: User, shenasnameh: str) -> Cooperative:
    """One cooperative by its shenasnameh (any digits); Cooperative.DoesNotExist outside the user's jurisdiction."""
    number = to_ascii_digits(shenasnameh).strip()
    if "\x00" in number or len(number) > 20:
        raise Cooperative.DoesNotExist
    return (
        Cooperative.objects.for_user(user)
        .select_related("county__province", "sector", "type", "activity")
        .get(shenasnameh=number)
    )


def cooperative_status_history(*, cooperative: Cooperative) -> QuerySet:
    return cooperative.status_changes.select_related("changed_by").order_by("-changed_at", "-id")


def cooperative_change_history(
    *, cooperative: Cooperative, limit: int = SHOWN, before: int | None = None
) -> ChangeHistory:
    """The audit trail of the record: each saved version with who, when, why and what changed (the newest `limit`,
    older than version `before` when given)."""
    return change_history(cooperative, limit=limit, before=before)


def filter_choices(*, user: User) -> dict:
    """Choices for the list's filters: the user's counties, active sectors and types, statuses."""
    if english():  # in the reader's alphabet: English names A–Z
        counties = counties_for(user).order_by("province__name_en", "name_en")
    else:
        counties = counties_for(user).order_by(PersianOrder("province__name_fa"), PersianOrder("name_fa"))
    return {
        "counties": list(counties),
        "sectors": list(Sector.objects.filter(is_active=True)),
        "types": list(CooperativeType.objects.filter(is_active=True)),
        "statuses": Status.choices,
    }


def status_counts_as_of(*, user: User, as_of: datetime.datetime) -> dict[str, int]:
    """`status_counts` as Taavon knew the records at `as_of`: each cooperative's newest history row recorded by then
    (its status and its county at that moment); a record deleted by then is not counted, nor one recorded later,
    whatever date it carries. Reproduces the figure any later day (issue 18); at now it equals `status_counts`."""
    return status_counts(user=user, qs=as_of_for_user(Cooperative, user, as_of))


def status_counts(*, user: User, qs: QuerySet[Cooperative] | None = None) -> dict[str, int]:
    from django.db.models import Count

    base = qs if qs is not None else Cooperative.objects.for_user(user)
    rows = base.order_by().values("status").annotate(n=Count("id"))
    counts = {s: 0 for s in Status.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts
