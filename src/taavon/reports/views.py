"""The managers' dashboard and the press summary page."""

import functools
import json
from urllib.parse import urlencode

import jdatetime
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from taavon.accounts.access import staff_required
from taavon.accounts.jurisdiction import can_publish_for_province
from taavon.core.formatting import date, number, toman
from taavon.core.models import english
from taavon.persian import format_jalali, to_gregorian
from taavon.places.models import Province
from taavon.projects.forms import ProjectFilterForm
from taavon.projects.models import Stage
from taavon.projects.selectors import ProjectFilters
from taavon.registry.models import Status
from taavon.reports import selectors
from taavon.reports.map_figures import DEFAULT_FIGURE, FIGURES, county_map
from taavon.reports.params import (
    ParamError,
    as_of_display,
    as_of_param,
    as_of_query,
    as_of_text,
    date_param,
    province_lookup,
)
from taavon.reports.publications import recent_publications
from taavon.reports.tables import table_body_html, table_xlsx


@functools.lru_cache(maxsize=8192)
def _query_pair(key: str, value) -> str:
    """One `key=value` of a query string, as urlencode writes it (a national table links thousands of cells
    with the same few hundred pairs)."""
    return urlencode({key: value})


def _status_labels() -> list[str]:
    return [str(label) for _value, label in Status.choices]


def _people(n: int) -> str:
    return ngettext("%(shown)s person", "%(shown)s people", n) % {"shown": number(n)}


def this_jalali_year(today) -> tuple:
    """From 1 Farvardin of the current Jalali year to today."""
    from taavon.persian import jalali_year

    return to_gregorian(jalali_year(today), 1, 1), today


def _triage(user, filters: ProjectFilters, as_of=None) -> dict:
    """Settling dormant cooperatives: flagged, in a case, settled this (Jalali) year by outcome and by county, the
    median time from first flag to decision (triage.figures; the county and sector filters apply)."""
    from django.utils import timezone

    from taavon.triage.figures import triage_figures
    from taavon.triage.models import Outcome

    today = timezone.localdate(as_of) if as_of else timezone.localdate()
    start, end = this_jalali_year(today)
    f = triage_figures(
        user=user,
        start=start,
        end=end,
        today=today,
        county=filters.county,
        sector=filters.sector,
        as_of=as_of,
    )
    flagged_url, cases_url = reverse("triage:flagged"), reverse("triage:cases")

    def link(url, **params):
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{url}?{urlencode(params)}" if params else url

    outcomes = list(Outcome.choices)
    rows = []
    for r in sorted(f.by_county, key=lambda r: -r["flagged"]):
        name = r["county__name_en"] if english() and r["county__name_en"] else r["county__name_fa"]
        cells = [
            {"value": r["flagged"], "url": link(flagged_url, county=r["county_id"])},
            {"value": r["in_case"], "url": link(cases_url, county=r["county_id"], status="open")},
        ]
        cells += [
            {"value": r[f"o_{o}"], "url": link(cases_url, county=r["county_id"], outcome=o)}
            for o, _label in outcomes
        ]
        rows.append({"name": name, "cells": cells})
    if rows:
        foot = [
            {"value": f.flagged, "url": link(flagged_url, county=filters.county, sector=filters.sector)},
            {"value": f.in_case, "url": link(cases_url, county=filters.county, status="open")},
        ]
        foot += [
            {"value": f.by_outcome[o], "url": link(cases_url, county=filters.county, outcome=o)}
            for o, _label in outcomes
        ]
        rows.append({"name": _("Total"), "cells": foot, "total": True})
    table = {
        "title": _("Settling dormant cooperatives by county (decisions since %(date)s)")
        % {"date": date(start)},
        "first": _("County"),
        "headers": [_("Flagged"), _("In a case"), *[str(label) for _o, label in outcomes]],
        "rows": rows,
    }
    if f.median_days is None:
        median = "—"
    else:
        days = round(f.median_days)
        median = ngettext("%(days)s day", "%(days)s days", days) % {"days": number(days)}
    cards = [
        {"label": _("Flagged cooperatives"), "text": number(f.flagged), "url": link(flagged_url)},
        {"label": _("In a case"), "text": number(f.in_case), "url": link(cases_url, status="open")},
        {
            "label": _("Cases past their deadline"),
            "text": number(f.overdue),
            "url": link(cases_url, overdue=1),
        },
        {
            "label": _("Settled this year"),
            "text": number(f.settled),
            "url": link(cases_url, status="decided"),
        },
        {"label": _("Median time from first flag to decision"), "text": median, "url": ""},
    ]
    return {"cards": cards, "table": table, "figures": f}


def _servicedesk(user, filters: ProjectFilters, as_of=None) -> dict:
    """The service desk: requests, open and overdue, median times, the share answered in time, satisfaction, and the
    requests by county (servicedesk.stats; the county filter applies)."""
    from taavon.servicedesk.stats import desk_figures, figure_cards, figure_tables

    f = desk_figures(user=user, county=filters.county, oldest=0, as_of=as_of)
    return {"cards": figure_cards(f, list_url=reverse("servicedesk:stats")), "tables": figure_tables(f)}


def _tables(user, filters: ProjectFilters, source: selectors.Sources | None = None) -> dict:
    """Every table of the dashboard: title, headers, rows (with links for each figure). `source`: the summaries
    or the records (selectors.dashboard_sources)."""
    by_county = selectors.cooperatives_by_county(user=user, filters=filters, source=source)
    by_sector = selectors.cooperatives_by_sector(user=user, filters=filters, source=source)
    totals = selectors.dashboard_project_totals(user=user, filters=filters, source=source)
    stages = selectors.dashboard_projects_by_stage(user=user, filters=filters, source=source, totals=totals)
    coop_url = reverse("registry:list")
    proj_url = reverse("projects:list")
    base_q = filters.as_query()

    coop_base = {k: v for k, v in base_q.items() if k in ("county", "sector")}

    def link(url, **params):
        merged = {**(base_q if url == proj_url else coop_base), **params}
        return f"{url}?{'&'.join(_query_pair(k, v) for k, v in merged.items())}" if merged else url

    def matrix_rows(matrix, key):
        rows = []
        for r in matrix["rows"]:
            cells = [
                {"value": n, "url": link(coop_url, **{key: r["id"], "status": s})} for s, n in r["counts"]
            ]
            cells.append({"value": r["total"], "url": link(coop_url, **{key: r["id"]})})
            rows.append({"name": r["name"], "cells": cells})
        foot = [{"value": n, "url": link(coop_url, status=s)} for s, n in matrix["totals"]]
        foot.append({"value": matrix["total"], "url": link(coop_url)})
        rows.append({"name": _("Total"), "cells": foot, "total": True})
        return rows

    def project_rows(groups, key):
        return [
            {
                "name": g["name"],
                "cells": [
                    {"value": g["count"], "url": link(proj_url, **{key: g["id"]})},
                    {"value": g["investment_rial"], "money": True, "url": link(proj_url, **{key: g["id"]})},
                    {
                        "value": g["facilities_paid_rial"],
                        "money": True,
                        "url": link(proj_url, **{key: g["id"]}),
                    },
                    {"value": g["jobs"], "url": link(proj_url, **{key: g["id"]})},
                ],
            }
            for g in groups
        ]

    project_headers = [_("Number of projects"), _("Investment"), _("Facilities paid"), _("Direct jobs")]
    as_of = source.as_of if source else None
    triage = _triage(user, filters, as_of)
    desk = _servicedesk(user, filters, as_of)
    return {
        "totals": totals,
        "stages": stages,
        "triage": triage,
        "servicedesk": desk,
        "tables": {
            "triage_county": triage["table"],
            "desk_county": desk["tables"]["desk_county"],
            "status_county": {
                "title": _("Cooperatives by county and status"),
                "first": _("County"),
                "headers": [*_status_labels(), _("Total")],
                "rows": matrix_rows(by_county, "county"),
            },
            "status_sector": {
                "title": _("Cooperatives by sector and status"),
                "first": _("Sector"),
                "headers": [*_status_labels(), _("Total")],
                "rows": matrix_rows(by_sector, "sector"),
            },
            "stages": {
                "title": _("Projects by stage"),
                "first": _("Stage"),
                "headers": [_("Number of projects"), _("Investment")],
                "rows": [
                    {
                        "name": str(s["label"]),
                        "cells": [
                            {"value": s["count"], "url": link(proj_url, stage=s["stage"])},
                            {
                                "value": s["investment_rial"],
                                "money": True,
                                "url": link(proj_url, stage=s["stage"]),
                            },
                        ],
                    }
                    for s in stages
                ],
            },
            "projects_county": {
                "title": _("Projects by county"),
                "first": _("County"),
                "headers": project_headers,
                "rows": project_rows(totals["by_county"], "county"),
            },
            "projects_sector": {
                "title": _("Projects by sector"),
                "first": _("Sector"),
                "headers": project_headers,
                "rows": project_rows(totals["by_sector"], "sector"),
            },
        },
        "status_totals": by_county["totals"],
    }


def _map_province(user) -> Province | None:
    """The province the dashboard's map shows: the user's (a county officer's county's), else the home one."""
    if user.county_id:
        return Province.objects.filter(counties=user.county_id).first()
    if user.province_id:
        return Province.objects.filter(pk=user.province_id).first()
    return Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first()


def _dashboard_map(request) -> dict | None:
    """The counties' map of the user's province, scoped to their jurisdiction (?map_figure= chooses the figure;
    an unknown one falls back to the default), each county linked to its cooperatives."""
    province = _map_province(request.user)
    if province is None:
        return None
    figure = request.GET.get("map_figure")
    figure = figure if figure in FIGURES else DEFAULT_FIGURE
    list_url = (
        reverse("projects:list") if figure in ("opened", "investment", "jobs") else reverse("registry:list")
    )

    def link(ids: list[int]) -> str:
        return f"{list_url}?{urlencode({'county': ids[0]})}" if len(ids) == 1 else ""

    data = county_map(user=request.user, province=province, figure=figure, link=link)
    base = {k: v for k, v in request.GET.items() if k not in ("map_figure", "download")}
    data["choices"] = [
        {"key": f.key, "label": f.label, "url": "?" + urlencode({**base, "map_figure": f.key})}
        for f in FIGURES.values()
    ]
    data["chosen"] = figure
    return data


def _as_of(request) -> tuple:
    """(moment, None) from ?as_of=, (None, None) when not asked, (None, message) when it cannot be used: the page
    then shows today's figures with the message, never an error page."""
    try:
        return as_of_param(request.GET.get("as_of"), _("As of")), None
    except ParamError as exc:
        return None, str(exc)


@staff_required
def dashboard(request):
    form = ProjectFilterForm(request.GET)
    filters = form.filters()
    as_of, as_of_error = _as_of(request)
    if as_of_error:
        messages.error(request, as_of_error)
    source = selectors.dashboard_sources(filters, as_of=as_of)
    if source.stale:
        messages.warning(
            request,
            _(
                "The summary figures are being rebuilt after a bulk load; the figures below are counted from the "
                "records and may take longer to show."
            ),
        )
    data = _tables(request.user, filters, source)
    download = request.GET.get("download")
    if download:
        table = data["tables"].get(download)
        if table is None:
            raise Http404
        rows = [[r["name"], *[c["value"] for c in r["cells"]]] for r in table["rows"]]
        money = [bool(c.get("money")) for c in table["rows"][0]["cells"]] if table["rows"] else []
        headers = [
            _("%(header)s (rials)") % {"header": h} if i < len(money) and money[i] else h
            for i, h in enumerate(table["headers"])
        ]
        title = f"{table['title']} — {as_of_text(as_of)}" if as_of else table["title"]
        content = table_xlsx(title=title, headers=[table["first"], *headers], rows=rows)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="taavon-{download}.xlsx"'
        return response
    for table in data["tables"].values():
        table["body"] = table_body_html(table["rows"])
    totals = data["totals"]
    # every text a chart shows comes from here, in the page's language; charts.js only draws
    charts = {
        "ui": {"rtl": get_language_bidi(), "digits": "latn" if english() else "fa"},
        "status": {"labels": _status_labels(), "values": [n for _s, n in data["status_totals"]]},
        "stages": {
            "labels": [str(s["label"]) for s in data["stages"]],
            "values": [s["count"] for s in data["stages"]],
            "axis": _("Number of projects"),
        },
        "county_investment": {
            "labels": [c["name"] for c in totals["by_county"]],
            "values": [c["investment_rial"] // 10_000_000_000 for c in totals["by_county"]],
            "axis": _("Billion toman"),
        },
        "sector_jobs": {
            "labels": [s["name"] for s in totals["by_sector"]],
            "values": [s["jobs"] for s in totals["by_sector"]],
            "axis": _("People"),
        },
    }
    members = selectors.cooperative_members(user=request.user, filters=filters, source=source)
    coop_total = data["tables"]["status_county"]["rows"][-1]["cells"][-1]["value"]
    active = dict(data["status_totals"])[Status.ACTIVE]
    proj_url = reverse("projects:list") + "?" + urlencode(filters.as_query())
    coop_filters = {k: v for k, v in filters.as_query().items() if k in ("county", "sector")}
    coop_list_url = reverse("registry:list") + ("?" + urlencode(coop_filters) if coop_filters else "")
    kpis = [
        {
            "label": _("Cooperatives (active)"),
            "text": f"{number(coop_total)} ({number(active)})",
            "url": coop_list_url,
        },
        {"label": _("Members"), "text": _people(members["women"] + members["men"]), "url": coop_list_url},
        {"label": _("Projects"), "text": number(totals["count"]), "url": proj_url},
        {"label": _("Projects' investment"), "text": toman(totals["investment_rial"]), "url": proj_url},
        {
            "label": _("Members' contribution"),
            "text": toman(totals["members_contribution_rial"]),
            "url": proj_url,
        },
        {"label": _("Facilities paid"), "text": toman(totals["facilities_paid_rial"]), "url": proj_url},
        {"label": _("Direct jobs"), "text": _people(totals["jobs_direct"]), "url": proj_url},
    ]
    choices = selectors.dashboard_choices(user=request.user)
    context = {
        # the map counts today's records (the summaries): not shown beside the figures of another day
        "county_map": None if as_of else _dashboard_map(request),
        "as_of": as_of,
        "as_of_text": as_of_text(as_of) if as_of else "",
        "as_of_value": as_of_display(as_of) if as_of else request.GET.get("as_of", ""),
        "kpis": kpis,
        "form": form,
        "filters": filters,
        "choices": choices,
        "county_options": selectors.county_options_html(choices["counties"], filters.county),
        "stages": Stage.choices,
        "totals": totals,
        "tables": data["tables"],
        "triage": data["triage"],
        "servicedesk": data["servicedesk"],
        "charts": charts,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/dashboard.html", context)


def latest_cooperative_week() -> tuple:
    today = jdatetime.date.today()
    year = today.year if (today.month, today.day) >= (6, 11) else today.year - 1
    return to_gregorian(year, 6, 11), to_gregorian(year, 6, 17)


def press_params(request) -> tuple:
    """(province, start, end, as_of, error) from the press page's query: the home province and the latest
    Cooperative Week unless asked otherwise."""
    error = None
    start, end = latest_cooperative_week()
    province = Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first()
    as_of = None
    try:
        if request.GET.get("province"):
            province = province_lookup(request.GET["province"])
        if "opening_from" in request.GET or "opening_to" in request.GET:
            start = date_param(request.GET.get("opening_from"), _("From date"))
            end = date_param(request.GET.get("opening_to"), _("To date"))
        as_of = as_of_param(request.GET.get("as_of"), _("As of"))
    except ParamError as exc:
        error = str(exc)
    return province, start, end, as_of, error


@staff_required
def press(request):
    province, start, end, as_of, error = press_params(request)
    paragraph = None
    totals = None
    if error is None and province is not None:
        summary = selectors.press_summary(province=province, start=start, end=end, as_of=as_of)
        paragraph, totals = summary["paragraph"], summary["totals"]
    context = {
        "error": error,
        "paragraph": paragraph,
        "totals": totals,
        "province": province,
        "start": start,
        "end": end,
        "as_of": as_of,
        "as_of_text": as_of_text(as_of) if as_of else "",
        "as_of_value": as_of_display(as_of) if as_of else request.GET.get("as_of", ""),
        "as_of_param": as_of_query(as_of) if as_of else "",
        # dates in links: Jalali ISO (1404-06-11), read back the same whatever the reader's language
        "start_param": format_jalali(start, "iso") if start else "",
        "end_param": format_jalali(end, "iso") if end else "",
        "provinces": Province.objects.order_by("name_en") if english() else Province.objects.all(),
        "weeks": [
            (y, format_jalali(to_gregorian(y, 6, 11), "iso"), format_jalali(to_gregorian(y, 6, 17), "iso"))
            for y in range(jdatetime.date.today().year, 1400, -1)
        ],
        "json_totals": json.dumps({k: v for k, v in (totals or {}).items() if isinstance(v, int)}),
        "can_publish": province is not None and can_publish_for_province(request.user, province.pk),
        "publications": recent_publications(province=province),
    }
    return render(request, "reports/press.html", context)
