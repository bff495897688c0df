"""Staff: a cooperative's identity card (PDF), and cards in batch for a filter (a background task renders one PDF;
the page polls its progress; only the user who asked may download it)."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taavon.accounts.access import staff_required
from taavon.public import cards_tasks
from taavon.registry import selectors
from taavon.registry.cards import DEFAULT_SIZE, SIZES
from taavon.registry.cards import card_pdf as render_card
from taavon.registry.forms import CooperativeFilterForm
from taavon.registry.models import Cooperative


def _size(request) -> str:
    size = (request.GET.get("size") or request.POST.get("size") or DEFAULT_SIZE).strip().lower()
    return size if size in SIZES else DEFAULT_SIZE


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@staff_required
@require_GET
def card_pdf(request, shenasnameh: str):
    """Staff of the record's jurisdiction: the card as PDF (`?size=a5` default, or `wallet`); 404 outside it."""
    try:
        coop = selectors.cooperative_get(user=request.user, shenasnameh=shenasnameh)
    except Cooperative.DoesNotExist as exc:
        raise Http404 from exc
    size = _size(request)
    pdf = render_card(coop, base_url=_base_url(request), size=size, user=request.user.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{coop.shenasnameh}-{size}.pdf"'
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def batch(request):
    """The registry's filters (county, sector, type, status, q) and a size; POST queues the batch and shows its
    progress."""
    params = request.POST if request.method == "POST" else request.GET
    form = CooperativeFilterForm(params)
    filters = form.filters()
    labels = {
        "q": _("Search"),
        "county": _("County"),
        "sector": _("Sector"),
        "type": _("Type"),
        "status": _("Status"),
    }
    errors = [f"{labels.get(name, name)}: {' '.join(errs)}" for name, errs in form.errors.items()]
    size = (params.get("size") or "").strip().lower()
    if size and size not in SIZES:
        errors.append(_("The card size “%(value)s” is not known.") % {"value": size[:20]})
    count = selectors.cooperative_list(user=request.user, filters=filters).count()
    # a filter that is not understood never widens the batch to the whole jurisdiction: nothing starts
    if request.method == "POST" and not errors and 0 < count <= cards_tasks.MAX_CARDS:
        job = cards_tasks.batch_start(
            user=request.user, filters=filters, size=_size(request), base_url=_base_url(request)
        )
        return redirect("public:card_batch_status", job=job)
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=request.user),
        "count": count,
        "size": _size(request),
        "sizes": cards_tasks.size_choices(),
        "max_cards": cards_tasks.MAX_CARDS,
        "errors": errors,
    }
    return render(request, "public/card_batch.html", context, status=400 if errors else 200)


def _job(request, job: str) -> dict:
    state = cards_tasks.job_get(job)
    if state is None or state.get("user") != request.user.pk:  # another user's batch is not found
        raise Http404
    return state


@staff_required
@require_GET
def batch_status(request, job: str):
    """The batch's page (its progress; the download when done); htmx polls the progress fragment."""
    state = _job(request, job)
    context = {"job": job, "state": state, "percent": cards_tasks.percent(state)}
    if request.headers.get("HX-Request"):
        response = render(request, "public/card_batch_progress.html", context)
        if state["state"] in (cards_tasks.DONE, cards_tasks.FAILED):
            response["HX-Refresh"] = "true"
        return response
    return render(request, "public/card_batch_status.html", context)


@staff_required
@require_GET
def batch_download(request, job: str):
    """The batch's one PDF, for the user who asked for it only (404 for anyone else)."""
    state = _job(request, job)
    path = cards_tasks.job_file(job)
    if state["state"] != cards_tasks.DONE or not path.is_file():
        return redirect(reverse("public:card_batch_status", args=[job]))
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=f"cards-{job[:8]}.pdf")
