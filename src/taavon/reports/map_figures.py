"""The figures of the counties' map: one number a county, database aggregates (one query a figure).

`user=None` is the public map: every record, aggregates only (no record is shown). A staff member's map counts
only the records of their jurisdiction, and only their counties get a figure: the others are left out of the
result, so the map greys them instead of showing a number the user may not see.

The figures come from the summary tables the registry and the projects keep (taavon.registry.summary,
taavon.projects.summary: a few hundred rows, whatever the number of records); from the records themselves only
while a summary is marked stale (a raw load not yet followed by a rebuild).
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taavon.accounts.jurisdiction import counties_for, scope_of
from taavon.accounts.jurisdiction import q as jurisdiction_q
from taavon.accounts.models import User
from taavon.places.models import County, Province
from taavon.projects import summary as project_summary
from taavon.projects.models import Project, Stage
from taavon.registry import summary as registry_summary
from taavon.registry.models import Cooperative, Status


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    money: bool = False  # rials, shown in toman


FIGURES = {
    f.key: f
    for f in (
        Figure("cooperatives", gettext_lazy("Cooperatives")),
        Figure("active", gettext_lazy("Active cooperatives")),
        Figure("members", gettext_lazy("Members")),
        Figure("opened", gettext_lazy("Projects opened")),
        Figure("investment", gettext_lazy("Investment"), money=True),
        Figure("jobs", gettext_lazy("Jobs created")),
    )
}
DEFAULT_FIGURE = "cooperatives"
COOPERATIVE_FIGURES = ("cooperatives", "active", "members")


def _cooperatives(user: User | None):
    # jurisdiction: public map — aggregates only (user=None); staff through for_user
    return Cooperative.objects.all() if user is None else Cooperative.objects.for_user(user)


def _projects(user: User | None):
    # jurisdiction: public map — aggregates only (user=None); staff through for_user
    qs = Project.objects.all() if user is None else Project.objects.for_user(user)
    return qs.exclude(stage=Stage.CANCELLED)


def _from_summaries(figure: str, user: User | None, province: Province | None) -> dict[int, int] | None:
    """{county id (or province id when `province` is None): the figure} from the summary tables, one grouped query
    (and, for a staff member's projects, the ones of cooperatives outside their jurisdiction taken off); None when
    the summary is stale."""
    coop = figure in COOPERATIVE_FIGURES
    if (registry_summary.NAME if coop else project_summary.NAME) in registry_summary.summaries_stale():
        return None
    where = Q() if user is None else jurisdiction_q(user, county="county", province="county__province")
    if province is not None:
        where &= Q(county__province=province)
    key = "county_id" if province is not None else "county__province_id"
    if coop:
        qs = registry_summary.CooperativeCount.objects.filter(where)
        value = {
            "cooperatives": Sum("cooperatives"),
            "active": Sum("cooperatives", filter=Q(status=Status.ACTIVE)),
            "members": Sum(F("members_women") + F("members_men")),
        }[figure]
    else:
        qs = project_summary.ProjectSum.objects.filter(where).exclude(stage=Stage.CANCELLED)
        value = {
            "opened": Sum("projects", filter=Q(stage=Stage.OPENED)),
            "investment": Sum("investment_rial"),
            "jobs": Sum("jobs_direct_created"),
        }[figure]
    found = dict(qs.order_by().values_list(key).annotate(n=Coalesce(value, 0)).values_list(key, "n"))
    if not coop and user is not None and not scope_of(user).everywhere:
        from taavon.projects.selectors import ProjectFilters
        from taavon.reports.selectors import outside_projects

        column = {
            "opened": "projects",
            "investment": "investment_rial",
            "jobs": "jobs_direct_created",
        }[figure]
        i = project_summary.FIGURES.index(column)
        filters = ProjectFilters(province=province.pk if province is not None else None)
        outside = outside_projects(user, filters)
        provinces = (
            {}
            if province is not None or not outside
            else dict(County.objects.values_list("pk", "province_id"))
        )
        for (county_id, _sector_id, stage), figures in outside.items():
            if stage == Stage.CANCELLED or (figure == "opened" and stage != Stage.OPENED):
                continue
            place = county_id if province is not None else provinces[county_id]
            if place in found:
                found[place] -= figures[i]
    return found


def _aggregate(figure: str, user: User | None, province: Province | None) -> dict[int, int]:
    """{county id (or province id when `province` is None): the figure}, one grouped query: from the summaries
    when they are current, else from the records."""
    found = _from_summaries(figure, user, province)
    if found is not None:
        return found
    coop = figure in COOPERATIVE_FIGURES
    qs = _cooperatives(user) if coop else _projects(user)
    if province is not None:
        qs, key = qs.filter(county__province=province), "county_id"
    else:
        key = "county__province_id"
    if figure == "cooperatives":
        value = Count("id")
    elif figure == "active":
        value = Count("id", filter=Q(status=Status.ACTIVE))
    elif figure == "members":
        value = Coalesce(Sum(F("members_women") + F("members_men")), 0)
    elif figure == "opened":
        value = Count("id", filter=Q(stage=Stage.OPENED))
    elif figure == "investment":
        value = Coalesce(Sum("investment_rial"), 0)
    else:  # jobs created: the direct jobs recorded as created (not the planned ones)
        value = Coalesce(Sum(Coalesce("jobs_direct_actual", Value(0), output_field=IntegerField())), 0)
    return dict(qs.order_by().values_list(key).annotate(n=value).values_list(key, "n"))


def county_figures(*, user: User | None, province: Province, figure: str) -> dict[int, int]:
    """{county id: the figure} for the province's counties: every county for the public (0 when it has no
    record), only the user's counties for staff. `figure`: a key of FIGURES (KeyError otherwise)."""
    if figure not in FIGURES:
        raise KeyError(figure)
    found = _aggregate(figure, user, province)
    counties = County.objects.filter(province=province)
    if user is not None:
        counties = counties_for(user).filter(province=province)
    return {pk: found.get(pk, 0) for pk in counties.values_list("pk", flat=True)}


def province_figures(*, figure: str) -> dict[int, int]:
    """{province id: the figure} for the whole country (the public map's country view: aggregates only)."""
    if figure not in FIGURES:
        raise KeyError(figure)
    found = _aggregate(figure, None, None)
    return {pk: found.get(pk, 0) for pk in Province.objects.values_list("pk", flat=True)}


def _in_reading_order(places: list[dict], persian_sorted) -> list[dict]:
    """The table's rows in the reader's alphabet: English names A–Z on an English page, Persian order otherwise."""
    from taavon.core.models import english

    if english():
        return sorted(places, key=lambda c: (c["name_en"] or c["name_fa"]).casefold())
    return persian_sorted(places, key=lambda c: c["name_fa"])


def _map(*, spec: Figure, values: dict, matching, places: list[dict], link, title: str, unit: str) -> dict:
    from taavon.core.formatting import number, toman
    from taavon.persian.collation import persian_sorted
    from taavon.places.maps import draw
    from taavon.projects.selectors import shown_name

    show = toman if spec.money else number
    drawn = draw(matching, values, show=show, url=link)
    rows = [
        {
            "name": shown_name(c["name_fa"], c["name_en"]),
            "value": show(values[c["id"]]) if c["id"] in values else None,
            "url": link([c["id"]]) if link and c["id"] in values else "",
        }
        for c in _in_reading_order(places, persian_sorted)
    ]
    return {
        "figure": spec,
        "title": title,
        "unit": unit,
        "drawn": drawn,
        "rows": rows,
        "total": show(sum(values.values())) if values else None,
        "merged": [s.name for s in drawn.shapes if s.merged],
    }


def county_map(*, user: User | None, province: Province, figure: str, link=None) -> dict:
    """What `_county_map.html` draws: the SVG's shapes shaded by the figure, the legend, and the same numbers as a
    table (one row a county, the merged ones apart). `link`: county ids → the records' address (or "")."""
    from taavon.places.maps import county_shapes

    spec = FIGURES[figure]
    data = _map(
        spec=spec,
        values=county_figures(user=user, province=province, figure=figure),
        matching=county_shapes(province),
        places=list(County.objects.filter(province=province).values("id", "name_fa", "name_en")),
        link=link,
        title=_("%(figure)s by county, %(province)s") % {"figure": spec.label, "province": province.name},
        unit=_("County"),
    )
    data["province"] = province
    return data


def country_map(*, figure: str, link=None) -> dict:
    """The public map of the country's provinces (aggregates only); `link`: province ids → an address."""
    from taavon.places.maps import province_shapes

    spec = FIGURES[figure]
    return _map(
        spec=spec,
        values=province_figures(figure=figure),
        matching=province_shapes(),
        places=list(Province.objects.values("id", "name_fa", "name_en")),
        link=link,
        title=_("%(figure)s by province") % {"figure": spec.label},
        unit=_("Province"),
    )
