"""The managers' dashboard and the press summary page."""

import json
from urllib.parse import urlencode

import jdatetime
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from taavon.accounts.access import staff_required
from taavon.core.templatetags.persian import num, toman
from taavon.persian import to_gregorian
from taavon.places.models import Province
from taavon.projects.forms import ProjectFilterForm
from taavon.projects.models import Stage
from taavon.projects.selectors import ProjectFilters, project_totals, projects_by_stage
from taavon.registry.models import Status
from taavon.registry.selectors import filter_choices
from taavon.reports import selectors
from taavon.reports.params import ParamError, date_param, province_lookup
from taavon.reports.press import press_paragraph
from taavon.reports.tables import table_xlsx

STATUS_LABELS = [label for _, label in Status.choices]


def _tables(user, filters: ProjectFilters) -> dict:
    """Every table of the dashboard: title, headers, rows (with links for each figure)."""
    by_county = selectors.cooperatives_by_county(user=user, filters=filters)
    by_sector = selectors.cooperatives_by_sector(user=user, filters=filters)
    totals = project_totals(user=user, filters=filters)
    stages = projects_by_stage(user=user, filters=filters)
    coop_url = reverse("registry:list")
    proj_url = reverse("projects:list")
    base_q = filters.as_query()

    def link(url, **params):
        from urllib.parse import urlencode

        merged = {
            **{k: v for k, v in base_q.items() if k in ("county", "sector") or url == proj_url},
            **params,
        }
        return f"{url}?{urlencode(merged)}" if merged else url

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
        rows.append({"name": "جمع", "cells": foot, "total": True})
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

    project_headers = ["تعداد طرح", "سرمایه‌گذاری", "تسهیلات پرداخت‌شده", "اشتغال مستقیم"]
    return {
        "totals": totals,
        "stages": stages,
        "tables": {
            "status_county": {
                "title": "تعاونی‌ها بر حسب شهرستان و وضعیت",
                "first": "شهرستان",
                "headers": [*STATUS_LABELS, "جمع"],
                "rows": matrix_rows(by_county, "county"),
            },
            "status_sector": {
                "title": "تعاونی‌ها بر حسب گرایش و وضعیت",
                "first": "گرایش",
                "headers": [*STATUS_LABELS, "جمع"],
                "rows": matrix_rows(by_sector, "sector"),
            },
            "stages": {
                "title": "طرح‌ها بر حسب مرحله",
                "first": "مرحله",
                "headers": ["تعداد طرح", "سرمایه‌گذاری"],
                "rows": [
                    {
                        "name": s["label"],
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
                "title": "طرح‌ها بر حسب شهرستان",
                "first": "شهرستان",
                "headers": project_headers,
                "rows": project_rows(totals["by_county"], "county"),
            },
            "projects_sector": {
                "title": "طرح‌ها بر حسب گرایش",
                "first": "گرایش",
                "headers": project_headers,
                "rows": project_rows(totals["by_sector"], "sector"),
            },
        },
        "status_totals": by_county["totals"],
    }


@staff_required
def dashboard(request):
    form = ProjectFilterForm(request.GET)
    filters = form.filters()
    data = _tables(request.user, filters)
    download = request.GET.get("download")
    if download:
        table = data["tables"].get(download)
        if table is None:
            raise Http404
        rows = [[r["name"], *[c["value"] for c in r["cells"]]] for r in table["rows"]]
        money = [bool(c.get("money")) for c in table["rows"][0]["cells"]] if table["rows"] else []
        headers = [
            h + (" (ریال)" if i < len(money) and money[i] else "") for i, h in enumerate(table["headers"])
        ]
        content = table_xlsx(title=table["title"], headers=[table["first"], *headers], rows=rows)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="taavon-{download}.xlsx"'
        return response
    totals = data["totals"]
    charts = {
        "status": {"labels": STATUS_LABELS, "values": [n for _, n in data["status_totals"]]},
        "stages": {
            "labels": [s["label"] for s in data["stages"]],
            "values": [s["count"] for s in data["stages"]],
        },
        "county_investment": {
            "labels": [c["name"] for c in totals["by_county"]],
            "values": [c["investment_rial"] // 10_000_000_000 for c in totals["by_county"]],
        },
        "sector_jobs": {
            "labels": [s["name"] for s in totals["by_sector"]],
            "values": [s["jobs"] for s in totals["by_sector"]],
        },
    }
    members = selectors.cooperative_members(user=request.user, filters=filters)
    coop_total = data["tables"]["status_county"]["rows"][-1]["cells"][-1]["value"]
    active = dict(data["status_totals"])[Status.ACTIVE]
    proj_url = reverse("projects:list") + "?" + urlencode(filters.as_query())
    coop_filters = {k: v for k, v in filters.as_query().items() if k in ("county", "sector")}
    coop_list_url = reverse("registry:list") + ("?" + urlencode(coop_filters) if coop_filters else "")
    kpis = [
        {
            "label": "تعاونی‌ها (فعال)",
            "text": f"{num(coop_total)} ({num(active)})",
            "url": coop_list_url,
        },
        {"label": "اعضا", "text": num(members["women"] + members["men"]) + " نفر", "url": coop_list_url},
        {"label": "طرح‌ها", "text": num(totals["count"]), "url": proj_url},
        {"label": "سرمایه‌گذاری طرح‌ها", "text": toman(totals["investment_rial"]), "url": proj_url},
        {"label": "آوردهٔ اعضا", "text": toman(totals["members_contribution_rial"]), "url": proj_url},
        {"label": "تسهیلات پرداخت‌شده", "text": toman(totals["facilities_paid_rial"]), "url": proj_url},
        {"label": "اشتغال مستقیم", "text": num(totals["jobs_direct"]) + " نفر", "url": proj_url},
    ]
    context = {
        "kpis": kpis,
        "form": form,
        "filters": filters,
        "choices": filter_choices(user=request.user),
        "stages": Stage.choices,
        "totals": totals,
        "tables": data["tables"],
        "charts": charts,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/dashboard.html", context)


def latest_cooperative_week() -> tuple:
    today = jdatetime.date.today()
    year = today.year if (today.month, today.day) >= (6, 11) else today.year - 1
    return to_gregorian(year, 6, 11), to_gregorian(year, 6, 17)


@staff_required
def press(request):
    error = None
    start, end = latest_cooperative_week()
    province = Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first()
    try:
        if request.GET.get("province"):
            province = province_lookup(request.GET["province"])
        if "opening_from" in request.GET or "opening_to" in request.GET:
            start = date_param(request.GET.get("opening_from"), "از تاریخ")
            end = date_param(request.GET.get("opening_to"), "تا تاریخ")
    except ParamError as exc:
        error = str(exc)
    paragraph = None
    totals = None
    if error is None and province is not None:
        filters = ProjectFilters(province=province.pk, opening_from=start, opening_to=end)
        totals = project_totals(user=None, filters=filters)
        paragraph = press_paragraph(
            totals=totals, province_name=province.name_fa, start=start, end=end, opened=totals["opened"]
        )
    context = {
        "error": error,
        "paragraph": paragraph,
        "totals": totals,
        "province": province,
        "start": start,
        "end": end,
        "provinces": Province.objects.all(),
        "weeks": [
            (y, to_gregorian(y, 6, 11), to_gregorian(y, 6, 17))
            for y in range(jdatetime.date.today().year, 1400, -1)
        ],
        "json_totals": json.dumps({k: v for k, v in (totals or {}).items() if isinstance(v, int)}),
    }
    return render(request, "reports/press.html", context)
