"""Reads of projects: the list and the totals behind the dashboard, the press summary and the statistics API.

Every figure is a database aggregate; the number of queries does not grow with the number of records.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from taavon.accounts.jurisdiction import as_of_for_user
from taavon.accounts.models import User
from taavon.core.history import names_as_of, rows_as_of
from taavon.core.models import english
from taavon.persian import name_search_tokens
from taavon.projects.models import Facility, Project, Stage
from taavon.registry.models import Activity

OPENING_STAGES = (Stage.READY, Stage.OPENED)


@dataclass
class ProjectFilters:
    q: str = ""
    province: int | None = None
    county: int | None = None
    sector: int | None = None
    stage: str = ""
    cooperative: int | None = None
    opening_from: datetime.date | None = None
    opening_to: datetime.date | None = None

    def as_query(self) -> dict:
        """The filters as list-page query parameters (for links from figures to the records behind them)."""
        from taavon.persian import format_jalali

        params = {}
        for name in ("q", "province", "county", "sector", "stage", "cooperative"):
            value = getattr(self, name)
            if value not in (None, ""):
                params[name] = value
        if self.opening_from:
            params["opening_from"] = format_jalali(self.opening_from, "iso")
        if self.opening_to:
            params["opening_to"] = format_jalali(self.opening_to, "iso")
        return params


def _jobs(kind: str):
    return Coalesce(
        F(f"jobs_{kind}_actual"), F(f"jobs_{kind}_planned"), Value(0), output_field=IntegerField()
    )


def _opening():
    return Coalesce(F("actual_opening_date"), F("expected_opening_date"))


def project_queryset(
    *, user: User | None, filters: ProjectFilters | None = None, as_of: datetime.datetime | None = None
) -> QuerySet[Project]:
    """Projects filtered; `user=None` means public figures (no jurisdiction: aggregates only). `as_of`: the
    projects as Taavon knew them at that moment (their history rows; core.history.rows_as_of), for figures
    reproduced later."""
    f = filters or ProjectFilters()
    if as_of is not None:
        # jurisdiction: user=None is the public figures (aggregates only); a user's through as_of_for_user
        qs = rows_as_of(Project, as_of) if user is None else as_of_for_user(Project, user, as_of)
    else:
        # jurisdiction: user=None is the public figures (aggregates only, no record shown)
        qs = Project.objects.all() if user is None else Project.objects.for_user(user)
    if user is None:  # a cancelled project is not public (the public register's rule): not in public figures
        qs = qs.exclude(stage=Stage.CANCELLED)
    if f.province:
        qs = qs.filter(county__province_id=f.province)
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.sector:
        qs = qs.filter(sector_id=f.sector)
    if f.stage in Stage.values:
        qs = qs.filter(stage=f.stage)
    if f.cooperative:
        qs = qs.filter(cooperative_id=f.cooperative)
    if f.opening_from or f.opening_to:
        # "opening in this window" counts the projects ready to open or opened, not those planned to
        if f.stage not in Stage.values:
            qs = qs.filter(stage__in=OPENING_STAGES)
        qs = qs.alias(opening=_opening())
        if f.opening_from:
            qs = qs.filter(opening__gte=f.opening_from)
        if f.opening_to:
            qs = qs.filter(opening__lte=f.opening_to)
    if f.q.strip():
        for token in name_search_tokens(f.q):
            qs = qs.filter(Q(cooperative__name_key__contains=token) | Q(title_key__contains=token))
    return qs


def _paid_subquery():
    return Subquery(
        # jurisdiction: a subquery per project of an already scoped list
        Facility.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(s=Sum("paid_rial"))
        .values("s")[:1]
    )


def project_list(*, user: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    return _listed(project_queryset(user=user, filters=filters))


def cooperative_projects(*, user: User, cooperative_id: int) -> QuerySet[Project]:
    """A cooperative's projects as its record lists them (title, stage, investment, opening), in the list's order:
    only those columns, no join nor sum (the record page's time is mostly the building of its queries)."""
    return (
        project_queryset(user=user, filters=ProjectFilters(cooperative=cooperative_id))
        .annotate(opening=_opening())
        .only("id", "title", "stage", "investment_rial")
        .order_by(F("opening").desc(nulls_last=True), "-id")
    )


def project_export_list(*, province_code: str | None = None) -> QuerySet[Project]:
    """Every project (of a province), as the list shows it: for `taavon export projects` (an operator's command)."""
    # jurisdiction: `taavon export projects`, an operator's command on the server
    qs = Project.objects.all()
    if province_code:
        qs = qs.filter(county__province__code=province_code.upper())
    return _listed(qs)


def _listed(qs: QuerySet[Project]) -> QuerySet[Project]:
    return (
        qs.select_related("cooperative", "county", "sector", "activity")
        .annotate(
            facilities_paid=Coalesce(_paid_subquery(), Value(0)),
            opening=_opening(),
            jobs_direct=_jobs("direct"),
        )
        .order_by(F("opening").desc(nulls_last=True), "-id")
    )


def project_get(*, user: User, pk: int) -> Project:
    return (
        Project.objects.for_user(user)
        .select_related("cooperative", "county__province", "sector", "activity")
        .annotate(facilities_paid=Coalesce(_paid_subquery(), Value(0)))
        .get(pk=pk)
    )


def shown_name(name_fa: str, name_en: str | None) -> str:
    """A reference record's name from a values() row, as BilingualName.name shows it (English in English)."""
    return name_en if english() and name_en else name_fa


def project_facilities(qs: QuerySet[Project], as_of: datetime.datetime | None = None):
    """The facilities of the projects of `qs` (as they were at `as_of`, when given)."""
    if as_of is None:
        # jurisdiction: of `qs`, already scoped
        return Facility.objects.filter(project__in=qs.values("id"))
    # jurisdiction: of `qs`, already scoped (the projects as they were then)
    return rows_as_of(Facility, as_of).filter(project_id__in=qs.values("id"))


def _paid_by(qs: QuerySet[Project], key: str, as_of: datetime.datetime | None) -> dict:
    """{key's id: facilities paid} of the projects of `qs`. As of a moment, each facility counts under its
    project's key of that moment (a project moved since counts where it was)."""
    if as_of is None:
        return dict(
            project_facilities(qs, None)
            .order_by()
            .values_list(f"project__{key}")
            .annotate(s=Sum("paid_rial"))
        )
    keys = dict(qs.order_by().values_list("id", key))
    paid: dict = {}
    for project_id, s in paid_by_project(qs, as_of).items():
        k = keys.get(project_id)
        paid[k] = paid.get(k, 0) + s
    return paid


def paid_by_project(qs: QuerySet[Project], as_of: datetime.datetime | None = None) -> dict[int, int]:
    """{project id: facilities paid} of the projects of `qs` (as the facilities were at `as_of`, when given)."""
    rows = project_facilities(qs, as_of).order_by().values_list("project_id").annotate(s=Sum("paid_rial"))
    return {project_id: s or 0 for project_id, s in rows}


def _group(qs: QuerySet[Project], key: str, as_of: datetime.datetime | None = None) -> list[dict]:
    label = f"{key}__name_fa"
    rows = (
        qs.order_by()
        .values(key, label, f"{key}__name_en")
        .annotate(
            count=Count("id"),
            investment_rial=Coalesce(Sum("investment_rial"), 0),
            jobs=Coalesce(Sum(_jobs("direct")), 0),
        )
        .order_by("-investment_rial", label)
    )
    paid = _paid_by(qs, key, as_of)
    if (
        as_of is not None
    ):  # the names they had then (a county or sector renamed since keeps its old name here)
        rows = list(rows)
        names = names_as_of(qs.model._meta.get_field(key).related_model, (r[key] for r in rows), as_of)
        for r in rows:
            r[label], r[f"{key}__name_en"] = names.get(r[key], (r[label], r[f"{key}__name_en"]))
    return [
        {
            "id": r[key],
            "name": shown_name(r[label], r[f"{key}__name_en"]),
            "count": r["count"],
            "investment_rial": r["investment_rial"],
            "facilities_paid_rial": paid.get(r[key], 0) or 0,
            "jobs": r["jobs"],
        }
        for r in rows
    ]


def project_totals(
    *, user: User | None, filters: ProjectFilters | None = None, as_of: datetime.datetime | None = None
) -> dict:
    """The figures the report quotes: count, investment, members' contribution, facilities paid, jobs (as Taavon
    knew the records at `as_of`, when given)."""
    qs = project_queryset(user=user, filters=filters, as_of=as_of)
    totals = qs.aggregate(
        count=Count("id"),
        opened=Count("id", filter=Q(stage=Stage.OPENED)),
        investment_rial=Coalesce(Sum("investment_rial"), 0),
        members_contribution_rial=Coalesce(Sum("members_contribution_rial"), 0),
        jobs_direct=Coalesce(Sum(_jobs("direct")), 0),
        jobs_indirect=Coalesce(Sum(_jobs("indirect")), 0),
        jobs_women=Coalesce(Sum(_jobs("women")), 0),
    )
    fac = project_facilities(qs, as_of).aggregate(
        requested=Coalesce(Sum("requested_rial"), 0),
        approved=Coalesce(Sum("approved_rial"), 0),
        paid=Coalesce(Sum("paid_rial"), 0),
    )
    totals["facilities_requested_rial"] = fac["requested"]
    totals["facilities_approved_rial"] = fac["approved"]
    totals["facilities_paid_rial"] = fac["paid"]
    totals["by_sector"] = _group(qs, "sector", as_of)
    totals["by_county"] = _group(qs, "county", as_of)
    activities = list(
        Activity.objects.filter(pk__in=qs.exclude(activity=None).values("activity_id"))
        .order_by("id")
        .values_list("id", "name_fa", "name_en")
    )
    names = names_as_of(Activity, (pk for pk, _fa, _en in activities), as_of) if as_of else {}
    totals["activities"] = [shown_name(*names.get(pk, (fa, en))) for pk, fa, en in activities]
    return totals


def projects_by_stage(
    *, user: User | None, filters: ProjectFilters | None = None, as_of: datetime.datetime | None = None
) -> list[dict]:
    qs = project_queryset(user=user, filters=filters, as_of=as_of)
    rows = {
        r["stage"]: r
        for r in qs.order_by()
        .values("stage")
        .annotate(count=Count("id"), investment_rial=Coalesce(Sum("investment_rial"), 0))
    }
    return [
        {
            "stage": s,
            "label": label,
            "count": rows.get(s, {}).get("count", 0),
            "investment_rial": rows.get(s, {}).get("investment_rial", 0),
        }
        for s, label in Stage.choices
    ]


def projects_opening_soon(*, user: User, days: int = 90, limit: int = 8) -> list[Project]:
    """Projects ready to open, or expected to open within `days`, in the user's jurisdiction (the home page)."""
    import datetime as _dt

    from django.utils import timezone

    today = timezone.localdate()
    return list(
        Project.objects.for_user(user)
        .filter(
            Q(stage=Stage.READY)
            | Q(
                stage__in=(Stage.CONSTRUCTION, Stage.LICENSING),
                expected_opening_date__range=(today, today + _dt.timedelta(days=days)),
            )
        )
        .select_related("cooperative", "county")
        .annotate(opening=_opening())
        .order_by(F("opening").asc(nulls_last=True), "id")[:limit]
    )
