"""The dashboard's figures: database aggregates, a constant number of queries whatever the number of records.

They come from the summary tables the registry and the projects keep current in their own services
(taavon.registry.summary, taavon.projects.summary): a few hundred rows instead of every record. The jurisdiction
and the filters apply in the database, on the summary's county (and sector, stage) columns. When a summary is
known to be stale (a raw load not yet followed by a rebuild), or a filter the summaries do not hold is given
(words, a cooperative, opening dates), the figures are counted from the records as before — `Sources` says which.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from taavon.accounts.jurisdiction import as_of_for_user, scope_of
from taavon.accounts.jurisdiction import q as jurisdiction_q
from taavon.accounts.models import User
from taavon.core.history import names_as_of
from taavon.persian.collation import persian_sorted
from taavon.places.models import County
from taavon.projects import summary as project_summary
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.selectors import ProjectFilters, project_totals, projects_by_stage, shown_name
from taavon.registry import summary as registry_summary
from taavon.registry.models import Cooperative, Sector, Status


@dataclass(frozen=True)
class Sources:
    """Where the dashboard's figures come from: the summaries (True) or the records (False), and whether a summary
    was passed over because it is stale (the page says so)."""

    cooperatives: bool
    projects: bool
    stale: bool = False
    # the records as Taavon knew them at this moment (their history rows: issue 18), not as they are now
    as_of: datetime.datetime | None = None
    # the summaries' rows read once per page (several figures come from the same grouping)
    memo: dict = field(default_factory=dict, compare=False, repr=False)


def _memo(source: Sources, key: tuple, compute):
    if key not in source.memo:
        source.memo[key] = compute()
    return source.memo[key]


def _names(key: str, ids, as_of: datetime.datetime | None = None) -> dict:
    """{id: (name_fa, name_en)} of the counties or sectors `ids`, as named now or at `as_of`."""
    return names_as_of(County if key == "county" else Sector, ids, as_of)


def dashboard_sources(
    filters: ProjectFilters, *, live: bool = False, as_of: datetime.datetime | None = None
) -> Sources:
    """Summaries when they are current and the filters are ones they hold; `live=True` forces the records (the
    test that both paths agree, the benchmark's baseline). Two small queries. `as_of`: the figures of that moment,
    from the history rows (the summaries hold only today's)."""
    if as_of is not None:
        return Sources(cooperatives=False, projects=False, as_of=as_of)
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


def _cooperatives(user: User, filters: ProjectFilters, as_of: datetime.datetime | None = None):
    qs = Cooperative.objects.for_user(user) if as_of is None else as_of_for_user(Cooperative, user, as_of)
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
        row = rows.get(key_id)
        if row is None:  # the name once a row (a county has a row a status)
            row = rows[key_id] = {
                "id": key_id,
                "name": shown_name(fa, en),
                "name_fa": fa,
                "by_status": dict.fromkeys(STATUSES, 0),
            }
        row["by_status"][status] += n
    out = []
    for row in persian_sorted(rows.values(), key=lambda x: x["name_fa"]):
        row["counts"] = [(s, row["by_status"][s]) for s in STATUSES]
        row["total"] = sum(row["by_status"].values())
        out.append(row)
    totals = [(s, sum(r["by_status"][s] for r in out)) for s in STATUSES]
    return {"rows": out, "totals": totals, "total": sum(n for _, n in totals)}


def _record_rows(user: User, filters: ProjectFilters, source: Sources | None) -> list[tuple]:
    """(county, sector, status, cooperatives, women, men, capital) counted from the records — or from their history
    rows as of a moment — in one grouped read a page: both status tables and the members' figures come from it
    (over a million history rows, one pass instead of three)."""

    def compute():
        return list(
            _cooperatives(user, filters, source.as_of if source else None)
            .order_by()
            .values_list("county", "sector", "status")
            .annotate(
                n=Count("id"),
                women=Coalesce(Sum("members_women"), 0),
                men=Coalesce(Sum("members_men"), 0),
                capital=Coalesce(Sum("capital_paid_rial"), 0),
            )
        )

    if source is None:
        return compute()
    return _memo(source, ("records", user.pk, repr(filters)), compute)


def _matrix(user: User, filters: ProjectFilters, key: str, source: Sources | None) -> dict:
    if source is None or not source.cooperatives:
        at = 0 if key == "county" else 1
        counts: dict = {}
        for row in _record_rows(user, filters, source):
            counts[(row[at], row[2])] = counts.get((row[at], row[2]), 0) + row[3]
        ids = {k for k, _status in counts}
        as_of = source.as_of if source else None
        names = _names(key, ids, as_of)  # the names they have now, or had then
        return _matrix_rows((k, *names[k], status, n) for (k, status), n in counts.items() if k is not None)
    rows = [r for r in _count_rows(user, filters, source, key) if r[2] and r[1] in STATUSES]
    names = _names(key, (r[0] for r in rows))
    return _matrix_rows((r[0], *names[r[0]], r[1], r[2]) for r in rows)


def _count_rows(user: User, filters: ProjectFilters, source: Sources, key: str) -> list[tuple]:
    """(id, status, cooperatives, women, men, capital) of the registry's summary grouped by `key`, once a page."""
    return _memo(
        source,
        ("counts", key, user.pk, repr(filters)),
        lambda: registry_summary.counts_grouped(where=_summary_where(user, filters), key=key),
    )


def cooperatives_by_county(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    return _matrix(user, filters, "county", source)


def cooperatives_by_sector(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    return _matrix(user, filters, "sector", source)


def cooperative_members(*, user: User, filters: ProjectFilters, source: Sources | None = None) -> dict:
    if source is None or not source.cooperatives:
        rows = _record_rows(user, filters, source)
        return {
            "women": sum(r[4] for r in rows),
            "men": sum(r[5] for r in rows),
            "capital": sum(r[6] for r in rows),
        }
    rows = _count_rows(user, filters, source, "county")
    return {
        "women": sum(r[3] or 0 for r in rows),
        "men": sum(r[4] or 0 for r in rows),
        "capital": sum(r[5] or 0 for r in rows),
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
    seen: list[int] = []
    for p in base.only(
        "county_id",
        "sector_id",
        "stage",
        "investment_rial",
        "members_contribution_rial",
        *(f"jobs_{k}_{w}" for k in ("direct", "indirect", "women") for w in ("planned", "actual")),
    ):
        seen.append(p.pk)
        key, figures = project_summary.sums_key(p, facilities=False)
        row = out.setdefault(key, [0] * len(_FIGURES))
        for i, v in enumerate(figures):
            row[i] += v
    if not seen:  # the usual case: every project's cooperative is in the user's counties
        return out
    facilities = (
        # jurisdiction: the facilities of the projects just read (base), by their ids — as a subquery PostgreSQL
        # joined every facility of the province to it (63 ms at 1M for none)
        Facility.objects.filter(project_id__in=seen)
        .order_by()
        .values_list("project__county_id", "project__sector_id", "project__stage")
        .annotate(r=Sum("requested_rial"), a=Sum("approved_rial"), p=Sum("paid_rial"))
    )
    n = len(project_summary.PROJECT_FIGURES)
    for county_id, sector_id, stage, r, a, p in facilities:
        row = out.setdefault((county_id, sector_id, stage), [0] * len(_FIGURES))
        row[n], row[n + 1], row[n + 2] = row[n] + (r or 0), row[n + 1] + (a or 0), row[n + 2] + (p or 0)
    return out


def outside_projects(user: User, filters: ProjectFilters) -> dict:
    """{(county, sector, stage): the summary's figures} of the projects in the user's counties that the user may
    not see (their cooperative is outside the jurisdiction): to be taken off the summary's rows."""
    return _outside(user, filters)


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


def _project_rows(user: User, filters: ProjectFilters, source: Sources) -> dict:
    """The projects' summary under the jurisdiction and filters, less what the user may not see (`_outside`):
    {"county": {(county, stage): figures}, "sector": {sector: figures}} — two grouped reads of the covering
    indexes, once a page."""

    def compute():
        where = jurisdiction_q(user, county="county", province="county__province") & _summary_where_filters(
            filters, stage=True
        )
        n = len(_FIGURES)
        by_county: dict = {}
        for row in project_summary.sums_grouped(where=where, keys=("county_id", "stage")):
            by_county[(row[0], row[1])] = [v or 0 for v in row[2:]]
        by_sector: dict = {}
        for row in project_summary.sums_grouped(where=where, keys=("sector_id", "stage")):
            sums = by_sector.setdefault(row[0], [0] * n)
            for i, v in enumerate(row[2:]):
                sums[i] += v or 0
        for (county_id, sector_id, stage), figures in _outside(user, filters).items():
            for sums in (by_county.get((county_id, stage)), by_sector.get(sector_id)):
                if sums is not None:
                    for i, v in enumerate(figures):
                        sums[i] -= v
        return {"county": by_county, "sector": by_sector}

    return _memo(source, ("sums", user.pk, repr(filters)), compute)


def _project_groups(user: User, filters: ProjectFilters, source: Sources, group: str | None) -> list[dict]:
    """The summary summed by `group` ("county", "sector", "stage" or None for the whole), as dicts of FIGURES
    (with the key's id and names for county and sector); the four groupings made in one pass, once a page."""
    return _memo(source, ("groups", user.pk, repr(filters)), lambda: _all_groups(user, filters, source))[
        group
    ]


def _all_groups(user: User, filters: ProjectFilters, source: Sources) -> dict:
    rows = _project_rows(user, filters, source)
    n = len(_FIGURES)
    sums: dict = {None: {None: [0] * n}, "county": {}, "stage": {}, "sector": rows["sector"]}
    total = sums[None][None]
    by_county, by_stage = sums["county"], sums["stage"]
    for (county_id, stage), figures in rows["county"].items():
        c = by_county.get(county_id)
        by_county[county_id] = figures if c is None else [a + b for a, b in zip(c, figures, strict=True)]
        st = by_stage.get(stage)
        by_stage[stage] = figures if st is None else [a + b for a, b in zip(st, figures, strict=True)]
    sums[None][None] = [sum(col) for col in zip(*by_stage.values(), strict=True)] if by_stage else total
    out = {}
    for group, groups in sums.items():
        names = _names(group, groups) if group in ("county", "sector") else {}
        shaped = []
        for k, figures in groups.items():
            row = dict(zip(_FIGURES, figures, strict=True))
            if group in ("county", "sector"):
                row |= {f"{group}_id": k, f"{group}__name_fa": names[k][0], f"{group}__name_en": names[k][1]}
            elif group == "stage":
                row["stage"] = k
            shaped.append(row)
        out[group] = shaped
    return out


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
        return project_totals(user=user, filters=filters, as_of=source.as_of if source else None)
    total = _project_groups(user, filters, source, None)[0]
    by_stage = {r["stage"]: r for r in _project_groups(user, filters, source, "stage")}
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
        "by_sector": _groups_shaped(_project_groups(user, filters, source, "sector"), "sector"),
        "by_county": _groups_shaped(_project_groups(user, filters, source, "county"), "county"),
        "by_stage": by_stage,
        "activities": [],
    }


def dashboard_projects_by_stage(
    *, user: User, filters: ProjectFilters, source: Sources | None = None, totals: dict | None = None
) -> list[dict]:
    if source is None or not source.projects:
        return projects_by_stage(user=user, filters=filters, as_of=source.as_of if source else None)
    rows = (totals or {}).get("by_stage")
    if rows is None:
        rows = {r["stage"]: r for r in _project_groups(user, filters, source, "stage")}
    return [
        {
            "stage": s,
            "label": label,
            "count": rows.get(s, {}).get("projects", 0),
            "investment_rial": rows.get(s, {}).get("investment_rial", 0),
        }
        for s, label in Stage.choices
    ]


def press_summary(
    *,
    province,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.datetime | None = None,
) -> dict:
    """The press paragraph of a province's projects opening from `start` to `end`, with the figures behind it:
    {"paragraph", "totals"}. Public figures (no jurisdiction, cancelled projects left out). `as_of`: as Taavon knew
    the records at that moment — the paragraph published that day, reproduced word for word whatever was recorded
    since. The page, `taavon press-summary` and a publication all write it here."""
    from taavon.core.contributions import press_lines
    from taavon.reports.press import press_paragraph, triage_sentence
    from taavon.triage.figures import settled_between

    filters = ProjectFilters(province=province.pk, opening_from=start, opening_to=end)
    totals = project_totals(user=None, filters=filters, as_of=as_of)
    from taavon.places.models import Province

    province_name = shown_name(*names_as_of(Province, [province.pk], as_of)[province.pk])
    paragraph = press_paragraph(
        totals=totals, province_name=province_name, start=start, end=end, opened=totals["opened"]
    )
    if start and end:
        settled = triage_sentence(settled_between(province_id=province.pk, start=start, end=end, as_of=as_of))
        if settled:
            paragraph = f"{paragraph} {settled}"
        # what the capabilities above reports add (events: the openings' events), core.contributions.PRESS_LINES
        for line in press_lines(province_id=province.pk, start=start, end=end, as_of=as_of):
            paragraph = f"{paragraph} {line}"
    return {"paragraph": paragraph, "totals": totals}


def dashboard_choices(*, user: User) -> dict:
    """The dashboard filter's choices: the user's counties as (id, name), in the reader's alphabet as registry's
    filter_choices gives them, and the active sectors. The Persian order is computed here, one ICU sort key a
    name, not by the database calling the collation for every comparison of the country's 479 counties."""
    from taavon.accounts.jurisdiction import counties_for
    from taavon.core.models import english
    from taavon.persian.collation import sort_key
    from taavon.registry.models import Sector

    rows = list(
        counties_for(user).values_list("pk", "name_fa", "name_en", "province__name_fa", "province__name_en")
    )
    if english():
        rows.sort(key=lambda r: (r[4] or "", r[2] or ""))
    else:
        keys: dict = {}

        def key(text):
            if text not in keys:
                keys[text] = sort_key(text)
            return keys[text]

        rows.sort(key=lambda r: (key(r[3]), key(r[1])))
    return {
        "counties": [(pk, shown_name(fa, en)) for pk, fa, en, _pfa, _pen in rows],
        "sectors": list(Sector.objects.filter(is_active=True)),
    }


def county_options_html(counties: list[tuple], chosen: int | None) -> str:
    """The county filter's <option>s (up to the country's 479) from (id, name) pairs, escaped, marked safe."""
    from html import escape

    from django.utils.safestring import mark_safe

    return mark_safe(  # noqa: S308
        "".join(
            f'<option value="{pk}"{" selected" if chosen == pk else ""}>{escape(str(name))}</option>'
            for pk, name in counties
        )
    )


__all__ = [
    "Sources",
    "county_options_html",
    "dashboard_choices",
    "cooperative_members",
    "cooperatives_by_county",
    "cooperatives_by_sector",
    "dashboard_project_totals",
    "dashboard_projects_by_stage",
    "dashboard_sources",
    "outside_projects",
    "press_summary",
]
