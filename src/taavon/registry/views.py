"""Staff pages of the registry: thin views that parse input, call a selector or a service, and render."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, ensure_can_change
from taavon.core.audit import before_param
from taavon.core.contributions import RECORD_SECTIONS
from taavon.core.exports import download
from taavon.core.paging import CappedPaginator, wants_exact
from taavon.core.views import form_page
from taavon.registry import cards, exports, selectors, services
from taavon.registry.forms import CooperativeFilterForm, CooperativeForm, StatusChangeForm
from taavon.registry.models import Cooperative

PAGE_SIZE = 25
HISTORY_PAGE = 50


def _get(request, shenasnameh: str) -> Cooperative:
    try:
        return selectors.cooperative_get(user=request.user, shenasnameh=shenasnameh)
    except Cooperative.DoesNotExist as exc:
        raise Http404(_("Cooperative not found.")) from exc


@staff_required
def cooperative_list(request):
    form = CooperativeFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.cooperative_list(user=request.user, filters=filters)
    # counts at most 10,001 rows unless asked for the exact count (?exact=1)
    counter = selectors.cooperative_list_counter(user=request.user, filters=filters)
    paginator = CappedPaginator(qs, PAGE_SIZE, exact=wants_exact(request.GET), counter=counter)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "choices": selectors.filter_choices(user=request.user),
        "can_change": can_change(request.user),
        "sorts": selectors.SORTS,
    }
    template = "registry/_list_results.html" if request.headers.get("HX-Request") else "registry/list.html"
    return render(request, template, context)


@staff_required
def cooperative_export(request, fmt: str):
    filters = CooperativeFilterForm(request.GET).filters()
    qs = selectors.cooperative_list(user=request.user, filters=filters).select_related("county__province")
    return download(
        exports.COLUMNS, qs.iterator(chunk_size=2000), fmt, "cooperatives", sheet=_("Cooperatives")
    )


@staff_required
def cooperative_detail(request, shenasnameh: str):
    coop = _get(request, shenasnameh)
    context = {
        "coop": coop,
        "status_history": selectors.cooperative_status_history(cooperative=coop),
        "change_history": selectors.cooperative_change_history(cooperative=coop),
        "history_url": reverse("registry:history", args=[coop.shenasnameh]),
        "can_change": can_change_in(request.user, coop.county),
        "status_form": StatusChangeForm(cooperative=coop)
        if services.allowed_transitions(coop.status)
        else None,
    }
    # each capability's part of the record (members, organs, projects...), contributed from its AppConfig.ready
    context["sections"] = RECORD_SECTIONS.render(
        request, coop, {"coop": coop, "can_change": context["can_change"]}
    )
    return render(request, "registry/detail.html", context)


@staff_required
def cooperative_history(request, shenasnameh: str):
    """The record's whole audit trail, a page of versions at a time (older ones with `before=`)."""
    coop = _get(request, shenasnameh)
    rows = selectors.cooperative_change_history(
        cooperative=coop, limit=HISTORY_PAGE, before=before_param(request.GET.get("before"))
    )
    context = {
        "record": coop,
        "record_url": reverse("registry:detail", args=[coop.shenasnameh]),
        "list_url": reverse("registry:list"),
        "list_label": _("Cooperatives"),
        "change_history": rows,
        "history_url": reverse("registry:history", args=[coop.shenasnameh]),
    }
    return render(request, "history.html", context)


@staff_required
def cooperative_print(request, shenasnameh: str):
    """The identity card to print from the browser; its QR code opens the public verify page (a signed token over
    the card's content), not the staff's record."""
    coop = _get(request, shenasnameh)
    card = cards.card_context(coop, base_url=request.build_absolute_uri("/"))
    context = {"coop": coop, "qr_svg": card["qr_svg"], "url": card["url"], "issued_on": card["issued_on"]}
    return render(request, "registry/print.html", context)


@change_required
@require_http_methods(["GET", "POST"])
def cooperative_create(request):
    form = CooperativeForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        call=lambda d: services.cooperative_register(acting_user=request.user, **form.service_fields()),
        success=lambda coop: _("The cooperative “%(name)s” has been registered.") % {"name": coop.name},
        next_url=_detail_url,
        template="registry/form.html",
        context={"title": _("Register a new cooperative")},
    )


def _detail_url(coop: Cooperative) -> str:
    return reverse("registry:detail", args=[coop.shenasnameh])


@change_required
@require_http_methods(["GET", "POST"])
def cooperative_edit(request, shenasnameh: str):
    coop = _get(request, shenasnameh)
    ensure_can_change(request.user, coop.county)
    form = CooperativeForm(
        request.POST or None, instance=coop, user=request.user, derived=services.derived_from_records(coop)
    )
    return form_page(
        request,
        form,
        call=lambda d: services.cooperative_update(
            acting_user=request.user,
            cooperative=coop,
            expected_version=d.get("version"),
            **form.service_fields(),
        ),
        success=_("Changes saved."),
        next_url=_detail_url(coop),
        template="registry/form.html",
        context={"coop": coop, "title": _("Edit “%(name)s”") % {"name": coop.name}},
    )


@change_required
@require_http_methods(["GET", "POST"])
def cooperative_change_status(request, shenasnameh: str):
    coop = _get(request, shenasnameh)
    ensure_can_change(request.user, coop.county)
    return form_page(
        request,
        StatusChangeForm(request.POST or None, request.FILES or None, cooperative=coop),
        call=lambda d: services.cooperative_change_status(
            acting_user=request.user,
            cooperative=coop,
            to_status=d["to_status"],
            reason=d["reason"],
            evidence=d.get("evidence"),
            effective_date=d.get("effective_date"),
            expected_version=d.get("version"),
        ),
        success=_("The cooperative's status has been changed."),
        next_url=_detail_url(coop),
        template="registry/status_form.html",
        context={"coop": coop},
    )
