"""The public site's pages (no login): the home page for anonymous visitors, the register's search, a cooperative's
public profile, the statistics. Every row comes from public.selectors (public fields of public records only), every
figure from public.figures (aggregates only)."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from taavon.accounts.views import home as staff_home
from taavon.core.collation import PersianOrder
from taavon.core.formatting import digits
from taavon.core.models import english
from taavon.core.paging import CappedPaginator, wants_exact
from taavon.persian import to_ascii_digits
from taavon.places.models import County, Province
from taavon.projects.models import Stage
from taavon.public import figures, page_cache
from taavon.public.selectors import (
    FilterError,
    RegisterFilters,
    StandingRule,
    cooperative_projects,
    cooperative_public,
    public_awards,
    public_row,
    register_counter,
    register_filters,
    register_search,
)
from taavon.registry.models import CooperativeType, Sector, Status
from taavon.reports.params import ParamError, as_of_display, as_of_param, as_of_text

PAGE_SIZE = 25


def _api_docs_url() -> str:
    try:
        return reverse("api-docs")
    except NoReverseMatch:
        return "/api/v1/docs/"


@page_cache.anonymous_page
def home(request):
    """Anonymous visitors: the public site's home page (from the page cache); a signed-in user: their own home
    (accounts.views.home)."""
    if request.user.is_authenticated:
        return staff_home(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = {
        "figures": figures.headline(),
        "api_docs_url": _api_docs_url(),
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }
    return render(request, "public/home.html", context)


# --- the register ----------------------------------------------------------------------------------------------------


def _provinces():
    if english():
        return Province.objects.order_by("name_en")
    return Province.objects.order_by(PersianOrder("name_fa"))


def _register_choices(filters: RegisterFilters) -> dict:
    """The filters' choices: provinces, the counties of the chosen province (the home province's when none is),
    sectors, types, statuses."""
    code = filters.province or settings.TAAVON_HOME_PROVINCE
    counties = County.objects.filter(province__code=code)
    counties = counties.order_by("name_en") if english() else counties.order_by(PersianOrder("name_fa"))
    return {
        "provinces": list(_provinces()),
        "counties": list(counties),
        "sectors": list(Sector.objects.filter(is_active=True)),
        "types": list(CooperativeType.objects.filter(is_active=True)),
        "statuses": Status.choices,
    }


@require_safe
def register(request):
    """The register's search: the staff's normalised search over public rows, filters, 25 a page."""
    error = None
    try:
        filters = register_filters(request.GET)
    except FilterError as exc:
        error = str(exc)
        filters = RegisterFilters(q=(request.GET.get("q") or "")[:200])
    rule = StandingRule.now()
    page = None
    if error is None:
        qs = register_search(filters, rule=rule)
        # counts at most 10,001 rows unless asked for the exact count (?exact=1)
        counter = register_counter(filters)
        page = CappedPaginator(qs, PAGE_SIZE, exact=wants_exact(request.GET), counter=counter).get_page(
            request.GET.get("page")
        )
        page.object_list = [public_row(r, rule) for r in page.object_list]
    context = {
        "error": error,
        "page": page,
        "filters": filters,
        "choices": _register_choices(filters),
        "htmx": bool(request.headers.get("HX-Request")),
    }
    template = "public/_register_results.html" if context["htmx"] else "public/register.html"
    return render(request, template, context, status=400 if error else 200)


# --- a cooperative's profile -----------------------------------------------------------------------------------------


@require_safe
@page_cache.anonymous_page
def profile(request, shenasnameh: str):
    """A cooperative's public profile (any digits in the address); an unknown number: 404 with a message. An
    anonymous visitor's page comes from a cache that is never stale (public.page_cache): it is rendered with a
    placeholder for the CSRF token."""
    row = cooperative_public(shenasnameh)
    if row is None:
        context = {"message": _("No cooperative with this shenasnameh number is in the register.")}
        return render(request, "public/not_found.html", context, status=404)
    coop_id = row.pop("id")  # internal: links the projects and awards, never shown
    projects = cooperative_projects(coop_id)
    context = {
        "coop": row,
        "opened": [p for p in projects if p["stage"] == Stage.OPENED],
        "others": [p for p in projects if p["stage"] != Stage.OPENED],
        "awards": public_awards([coop_id]),
        "csrf_token": page_cache.CSRF_PLACEHOLDER,  # the visitor's own token replaces it in every response
    }
    return render(request, "public/profile.html", context)


# --- statistics ------------------------------------------------------------------------------------------------------


def _series(chart_id: str, rows: list[dict], axis: str) -> dict:
    return {
        "id": chart_id,
        "labels": [r["name"] for r in rows],
        "values": [r["count"] for r in rows],
        "axis": axis,
    }


def _week_param(value: str, weeks: list[int]) -> int | None:
    """The Cooperative Week chosen (a Jalali year, any digits); none: the latest with openings."""
    text = to_ascii_digits(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) not in weeks:
        raise FilterError(_("There is no Cooperative Week “%(value)s” to show.") % {"value": value[:10]})
    return int(text)


@require_safe
@page_cache.anonymous_page
def statistics(request):
    """Cooperatives by county, sector, status and registration year, and the latest Cooperative Week's openings;
    a province (ISO code) narrows them. The whole country's page (no query string) comes from the page cache."""
    weeks = figures.week_years()
    try:
        chosen = request.GET.get("province", "")
        chosen = "" if chosen.strip().lower() == "all" else chosen  # the whole country, as the map's «all»
        province = register_filters({"province": chosen}).province
        as_of = as_of_param(request.GET.get("as_of"), _("As of"))
        # as of a day, the weeks (and the latest one) are those begun by that day
        today = timezone.localdate(as_of) if as_of else None
        weeks = figures.week_years(today)
        week_year = _week_param(request.GET.get("week", ""), weeks)
    except (FilterError, ParamError) as exc:
        context = {"error": str(exc), "provinces": list(_provinces()), "province": "", "weeks": weeks}
        return render(request, "public/statistics.html", context, status=400)
    years = [
        {"name": digits(r["year"]) if r["year"] else _("Unknown"), "count": r["count"]}
        for r in figures.by_year(province, as_of)
    ]
    tables = {
        "county": figures.by_county(province, as_of),
        "sector": figures.by_sector(province, as_of),
        "status": figures.by_status(province, as_of),
        "year": years,
    }
    week = figures.week_openings(province, today=today, year=week_year, as_of=as_of)
    cooperatives = _("Number of cooperatives")
    charts = {
        "ui": {"rtl": get_language_bidi(), "digits": "latn" if english() else "fa"},
        "charts": [
            _series("chart-county", tables["county"], cooperatives),
            _series("chart-sector", tables["sector"], cooperatives),
            _series("chart-status", tables["status"], cooperatives),
            _series("chart-year", tables["year"], cooperatives),
            {
                "id": "chart-week",
                "labels": [c["name"] for c in week["by_county"]],
                "values": [round(c["investment_rial"] / 10_000_000_000, 1) for c in week["by_county"]],
                "axis": _("Billion toman"),
            },
        ],
    }
    context = {
        "error": None,
        "province": province,
        "provinces": list(_provinces()),
        "tables": tables,
        "total": sum(r["count"] for r in tables["status"]),
        "week": week,
        "weeks": weeks,
        "week_year": week_year,
        "as_of": as_of,
        "as_of_text": as_of_text(as_of) if as_of else "",
        "as_of_value": as_of_display(as_of) if as_of else "",
        "charts": charts,
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }
    return render(request, "public/statistics.html", context)
