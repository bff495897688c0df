"""The visits' figures page: a thin view over visits.figures (the user's jurisdiction, one county when chosen)."""

from django.shortcuts import render

from taavon.accounts.access import staff_required
from taavon.registry.selectors import filter_choices
from taavon.visits.figures import chart_data, visit_figures


@staff_required
def figures(request):
    counties = filter_choices(user=request.user)["counties"]
    county = request.GET.get("county") or ""
    county = int(county) if county.isdigit() and any(c.pk == int(county) for c in counties) else None
    f = visit_figures(user=request.user, county=county)
    return render(
        request,
        "visits/figures.html",
        {"f": f, "charts": chart_data(f), "counties": counties, "county": county},
    )
