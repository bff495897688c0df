"""The map of the counties (public; the same map on the staff dashboard, reports.views): a province's counties
shaded by the chosen figure (reports.map_figures, aggregates only), with the same numbers as a table; with
?province=all, the country's provinces."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from taavon.core.collation import PersianOrder
from taavon.core.models import english
from taavon.places.maps import MapError
from taavon.places.models import Province
from taavon.reports.map_figures import DEFAULT_FIGURE, FIGURES, country_map
from taavon.reports.map_figures import county_map as build_county_map
from taavon.reports.params import ParamError, province_lookup

COUNTRY = "all"


def _provinces() -> list[Province]:
    if english():
        return list(Province.objects.order_by("name_en"))
    return list(Province.objects.order_by(PersianOrder("name_fa")))


def _register_link(province: Province):
    def link(ids: list[int]) -> str:
        params = {"province": province.code}
        if len(ids) == 1:
            params["county"] = ids[0]
        return reverse("public:register") + "?" + urlencode(params)

    return link


def _province_link(provinces: list[Province], figure: str):
    codes = {p.pk: p.code for p in provinces}

    def link(ids: list[int]) -> str:
        return "?" + urlencode({"province": codes[ids[0]], "figure": figure}) if ids[0] in codes else ""

    return link


@require_safe
def county_map(request):
    """?province=IR-15 (an ISO code, a name, or «all» for the country's provinces)
    &figure=cooperatives|active|members|opened|investment|jobs; unknown ones: 400 with a message."""
    error = None
    figure = request.GET.get("figure") or DEFAULT_FIGURE
    wanted = (request.GET.get("province") or settings.TAAVON_HOME_PROVINCE).strip()
    province = None
    if wanted != COUNTRY:
        try:
            province = province_lookup(wanted)
        except ParamError as exc:
            error = str(exc)
    if error is None and figure not in FIGURES:
        error = _("The figure “%(value)s” is not known.") % {"value": figure[:80]}
    provinces = _provinces()
    context = {
        "error": error,
        "provinces": provinces,
        "figures": list(FIGURES.values()),
        "figure": figure if figure in FIGURES else DEFAULT_FIGURE,
        "province": province,
        "country": wanted == COUNTRY,
        "map": None,
    }
    if error is None:
        try:
            if province is None:
                context["map"] = country_map(figure=figure, link=_province_link(provinces, figure))
            else:
                link = _register_link(province)
                context["map"] = build_county_map(user=None, province=province, figure=figure, link=link)
        except MapError as exc:
            context["error"] = str(exc)
    return render(request, "public/map.html", context, status=400 if context["error"] else 200)
