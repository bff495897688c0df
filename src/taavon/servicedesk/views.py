"""The staff's desk: thin views over servicedesk.selectors and the services in servicedesk.services — the queues, the
fast form, the request's page and its forms (reply or internal note, status, assignment, transfer)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, ensure_can_change, sees_personal_data
from taavon.core.formatting import digits
from taavon.core.views import form_page
from taavon.persian import mask_national_code
from taavon.servicedesk import selectors, services
from taavon.servicedesk.forms import AssignForm, FastForm, QueueForm, ReplyForm, StatusForm, TransferForm
from taavon.servicedesk.models import Category, Request, RequestStatus

PAGE_SIZE = 25
S = RequestStatus


def _get(request, code: str) -> Request:
    try:
        return selectors.request_get(user=request.user, code=code)
    except Request.DoesNotExist as exc:
        raise Http404(_("Request not found.")) from exc


def _url(r: Request) -> str:
    return reverse("servicedesk:detail", args=[r.code])


def attach(*, acting_user, request: Request, files, message=None) -> list:
    """The files of a form, kept through the service (inside the page's transaction)."""
    return services.request_attach(acting_user=acting_user, request=request, files=files, message=message)


@staff_required
def queue(request):
    form = QueueForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    qs = selectors.queue(user=request.user, filters=filters, now=now)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.time_left(page.object_list, now)
    counts = selectors.queue_counts(user=request.user, filters=filters, now=now)
    labels = {
        "mine": _("Mine"),
        "county": _("My county's") if request.user.county_id else _("All open"),
        "unassigned": _("Unassigned"),
        "overdue": _("Overdue"),
        "breaching": _("Due soon"),
        "all": _("All, closed ones too"),
    }
    context = {
        "page": page,
        "filters": filters,
        "counts": counts,
        "queues": [(key, labels[key], counts[key]) for key in selectors.QUEUES],
        "categories": list(Category.objects.filter(is_active=True)),
        "counties": selectors.filter_counties(user=request.user),
        "can_change": can_change(request.user),
    }
    return render(request, "servicedesk/queue.html", context)


@change_required
@require_http_methods(["GET", "POST"])
def new(request):
    form = FastForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_bound:
        form.is_valid()  # the chosen cooperative is shown again beside the errors
    q = (request.POST.get("q") if form.is_bound else request.GET.get("q")) or ""

    def call(d):
        coop = d.get("cooperative")
        filed = services.request_file(
            acting_user=request.user,
            channel=d["channel"],
            category=d["category"],
            subject=d["subject"],
            mobile=d["requester_mobile"],
            cooperative=coop,
            county=None if coop else d.get("county"),
            requester_name=d.get("requester_name") or "",
            national_code=d.get("requester_national_code") or "",
            description=d.get("description") or "",
            priority=d["priority"],
            assignee=request.user if d.get("assign_to_me") else None,
        )
        attach(acting_user=request.user, request=filed, files=d.get("attachments"))
        return filed

    return form_page(
        request,
        form,
        call=call,
        success=lambda r: (
            _("The request was filed; its tracking code is %(code)s.") % {"code": digits(r.code)}
        ),
        next_url=_url,
        template="servicedesk/new.html",
        context={
            "title": _("File a request"),
            "chosen": form.chosen,
            "q": q,
            # after a refused form the chosen cooperative again; from a cooperative's record, the one it names
            "found": [form.chosen]
            if form.chosen
            else selectors.search_cooperatives(user=request.user, text=q),
        },
    )


@change_required
def cooperative_search(request):
    """htmx: the cooperatives matching what is typed (the user's jurisdiction, where they may file)."""
    text = request.GET.get("q", "")
    if request.headers.get("HX-Request") != "true":
        # without htmx: the fast form, with what was typed looked up
        query = "?" + urlencode({"q": text[:100]}) if text.strip() else ""
        return redirect(reverse("servicedesk:new") + query)
    found = selectors.search_cooperatives(user=request.user, text=text)
    return render(request, "servicedesk/_cooperative_results.html", {"found": found, "q": text.strip()})


@staff_required
def detail(request, code: str):
    r = _get(request, code)
    selectors.time_left([r])
    can = can_change_in(request.user, r.county)
    personal = sees_personal_data(request.user, r.county)
    mobile, code = r.requester_mobile, r.requester_national_code
    context = {
        "r": r,
        "can_change": can,
        # a viewer reads the mobile and the national code masked
        "mobile_shown": digits(mobile if personal else mobile[:4] + "****" + mobile[-3:]) if mobile else "",
        "national_code_shown": digits(code if personal else mask_national_code(code)) if code else "",
        **selectors.request_page(request=r),
    }
    if can:
        context.update(
            reply_form=ReplyForm() if r.status != S.CLOSED else None,
            note_form=ReplyForm(internal=True, auto_id="note_%s") if r.status != S.CLOSED else None,
            status_form=StatusForm(request=r),
            assign_form=AssignForm(user=request.user, request=r),
            transfer_form=TransferForm(request=r) if r.status != S.CLOSED else None,
        )
    return render(request, "servicedesk/detail.html", context)


def _changing(request, code: str) -> Request:
    r = _get(request, code)
    ensure_can_change(request.user, r.county)
    return r


def _form_context(r: Request, title: str) -> dict:
    return {"title": title, "r": r, "cancel_url": _url(r)}


@change_required
@require_POST
def reply(request, code: str):
    r = _changing(request, code)
    internal = request.POST.get("internal") in ("1", "on", "true", "True")
    form = ReplyForm(request.POST or None, request.FILES or None, internal=internal)

    def call(d):
        message = services.request_reply(
            acting_user=request.user, request=r, body=d["body"], internal=internal, then=d.get("then") or None
        )
        attach(acting_user=request.user, request=r, files=d.get("attachments"), message=message)
        return message

    return form_page(
        request,
        form,
        call=call,
        success=_("The internal note was saved.") if internal else _("The reply was saved and sent."),
        next_url=_url(r),
        template="servicedesk/form.html",
        context=_form_context(r, _("Internal note") if internal else _("Reply")),
    )


@change_required
@require_POST
def status(request, code: str):
    r = _changing(request, code)
    return form_page(
        request,
        StatusForm(request.POST or None, request=r),
        call=lambda d: services.request_change_status(
            acting_user=request.user,
            request=r,
            to_status=d["to_status"],
            reason=d.get("reason") or "",
            expected_version=d.get("version"),
        ),
        success=lambda x: _("The request is now «%(status)s».") % {"status": x.get_status_display()},
        next_url=_url(r),
        template="servicedesk/form.html",
        context=_form_context(r, _("Change the status")),
    )


@change_required
@require_POST
def assign(request, code: str):
    r = _changing(request, code)
    return form_page(
        request,
        AssignForm(request.POST or None, user=request.user, request=r),
        call=lambda d: services.request_assign(
            acting_user=request.user, request=r, assignee=d.get("assignee"), expected_version=d.get("version")
        ),
        success=_("The request's assignee was saved."),
        next_url=_url(r),
        template="servicedesk/form.html",
        context=_form_context(r, _("Assign the request")),
    )


@change_required
@require_POST
def transfer(request, code: str):
    r = _changing(request, code)

    def next_url(moved):
        # the request may have left the user's jurisdiction: back to the queue then
        return _url(moved) if can_change_in(request.user, moved.county) else reverse("servicedesk:queue")

    return form_page(
        request,
        TransferForm(request.POST or None, request=r),
        call=lambda d: services.request_transfer(
            acting_user=request.user, request=r, to_county=d["to_county"], reason=d["reason"]
        ),
        success=lambda moved: (
            _("The request was transferred to the office of %(county)s.") % {"county": moved.county.name}
        ),
        next_url=next_url,
        template="servicedesk/form.html",
        context=_form_context(r, _("Transfer to another county office")),
    )
