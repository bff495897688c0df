"""The cooperators' pages: the representative's portal (their cooperative's requests: file, follow, write, rate), the
public status lookup by tracking code and mobile (rate-limited, nothing but the status shown), and the staff's
figures page. Thin: the forms parse, servicedesk.services decides, servicedesk.stats counts."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import representative_required, staff_required
from taavon.accounts.jurisdiction import counties_for, represented_cooperative_id
from taavon.core.views import add_service_errors, form_page, form_status
from taavon.registry.models import Cooperative
from taavon.servicedesk import services
from taavon.servicedesk.models import Category, Channel, Message, Request, RequestStatus
from taavon.servicedesk.portal_forms import (
    LookupForm,
    PortalMessageForm,
    PortalRequestForm,
    RateForm,
    normalize_mobile,
)
from taavon.servicedesk.stats import desk_figures, figure_cards, figure_tables

TOO_MANY = 429


def own_requests(user):
    """The representative's cooperative's requests (the gate's scope, narrowed to their own cooperative)."""
    return Request.objects.for_user(user).filter(cooperative_id=represented_cooperative_id(user))


def _own_request(request, code: str) -> Request:
    try:
        return own_requests(request.user).select_related("category", "county").get(code=code)
    except Request.DoesNotExist:
        raise Http404 from None


def _coop(request) -> Cooperative:
    return Cooperative.objects.for_user(request.user).get(pk=represented_cooperative_id(request.user))


@representative_required
def portal_list(request):
    return render(
        request,
        "servicedesk/portal_list.html",
        {
            "coop": _coop(request),
            "requests": own_requests(request.user).select_related("category").order_by("-opened_at", "-pk"),
        },
    )


@representative_required
@require_http_methods(["GET", "POST"])
def portal_new(request):
    coop = _coop(request)
    phone = coop.phone or ""
    initial = {"mobile": phone if phone.startswith("09") else ""}
    form = PortalRequestForm(request.POST or None, initial=initial)

    def call(data):
        return services.request_file(
            acting_user=request.user,
            channel=Channel.PORTAL,
            cooperative=coop,
            category=data["category"],
            subject=data["subject"],
            description=data["description"],
            mobile=data["mobile"],
        )

    return form_page(
        request,
        form,
        call=call,
        success=lambda r: (
            _("Your request was filed. Its tracking code is %(code)s.") % {"code": _code(r.code)}
        ),
        next_url=lambda r: reverse("servicedesk:portal_detail", args=[r.code]),
        template="servicedesk/portal_new.html",
        context={"coop": coop},
    )


def _code(code: str) -> str:
    from taavon.core.formatting import digits

    return digits(code)


def _detail(request, req: Request, *, message_form=None, rate_form=None, status: int = 200):
    thread = (
        Message.objects.for_user(request.user)
        .filter(request=req)
        .shown_to_cooperator()
        .select_related("author")
    )
    is_open = req.status != RequestStatus.CLOSED
    return render(
        request,
        "servicedesk/portal_detail.html",
        {
            "req": req,
            "thread": thread,
            "message_form": message_form or (PortalMessageForm() if is_open else None),
            "rate_form": rate_form
            or (RateForm() if req.status == RequestStatus.CLOSED and req.rating is None else None),
        },
        status=status,
    )


@representative_required
@require_http_methods(["GET", "POST"])
def portal_detail(request, code: str):
    """Follow a request: its replies and the cooperative's own messages (never the office's internal notes), and
    write on it while it is open."""
    req = _own_request(request, code)
    if request.method == "GET":
        return _detail(request, req)
    form = PortalMessageForm(request.POST or None)
    if form.is_valid():
        try:
            services.request_cooperator_message(
                acting_user=request.user, request=req, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message was sent to the office."))
            return redirect("servicedesk:portal_detail", code=req.code)
    return _detail(request, req, message_form=form, status=form_status(request, form))


@representative_required
@require_POST
def portal_rate(request, code: str):
    req = _own_request(request, code)
    form = RateForm(request.POST or None)
    if form.is_valid():
        try:
            services.request_rate(
                acting_user=request.user,
                request=req,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("servicedesk:portal_detail", code=req.code)
    req.refresh_from_db()
    return _detail(request, req, rate_form=form, status=form_status(request, form))


# the public status lookup


def _throttled(request) -> bool:
    """One more try from this address; True when it is over the limit (TAAVON_LOOKUP_TRIES in
    TAAVON_LOOKUP_WINDOW seconds: 10 in 10 minutes by default)."""
    limit = getattr(settings, "TAAVON_LOOKUP_TRIES", 10)
    window = getattr(settings, "TAAVON_LOOKUP_WINDOW", 600)
    key = "servicedesk:lookup:" + (request.META.get("REMOTE_ADDR") or "-")
    if cache.add(key, 1, window):
        return False
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, window)
        return False
    return tries > limit


def find_for_lookup(code: str, mobile: str) -> Request | None:
    """The request with this tracking code filed with this mobile; None for a wrong mobile exactly as for an
    unknown code."""
    # jurisdiction: the public lookup; the tracking code and its mobile together are the key, and the page shows only
    # the status and the dates
    found = Request.objects.select_related("category").filter(code=code).first()
    kept = normalize_mobile(found.requester_mobile) if found else ""
    if found is not None and hmac.compare_digest(kept.encode(), mobile.encode()):
        return found
    return None


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Anyone: a request's status by its tracking code and the mobile it was filed with."""
    form = LookupForm(request.POST or None)
    context = {"form": form, "searched": False, "found": None}
    if request.method == "POST":
        if _throttled(request):
            context["throttled"] = True
            return render(request, "servicedesk/lookup.html", context, status=TOO_MANY)
        if form.is_valid():
            context["searched"] = True
            context["found"] = find_for_lookup(form.cleaned_data["code"], form.cleaned_data["mobile"])
    return render(request, "servicedesk/lookup.html", context, status=form_status(request, form))


# the figures


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required
def stats(request):
    counties = list(counties_for(request.user))
    county = _int(request.GET.get("county"))
    if county is not None and county not in {c.pk for c in counties}:
        county = None
    categories = list(Category.objects.all())
    category = _int(request.GET.get("category"))
    figures = desk_figures(user=request.user, county=county, category=category)
    return render(
        request,
        "servicedesk/stats.html",
        {
            "f": figures,
            "cards": figure_cards(figures),
            "tables": figure_tables(figures),
            "counties": counties,
            "categories": categories,
            "county": county,
            "category": category,
        },
    )
