"""The office's visit pages: thin views over visits.selectors and the services in visits.services — the plan of a
Jalali week (printable), planning a visit, a visit's page with its report, findings and their action items (and
their forms for those who may change), the open findings to follow and the action items."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, counties_for, ensure_can_change
from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits
from taavon.core.views import form_page
from taavon.servicedesk.selectors import search_cooperatives
from taavon.visits import selectors, services
from taavon.visits.forms import (
    AGES,
    ActionForm,
    ActionRequestForm,
    ActionStatusForm,
    CancelForm,
    FindingCloseForm,
    FindingForm,
    FindingReopenForm,
    FindingsFilterForm,
    PlanFilterForm,
    PlanForm,
    ReplanForm,
    ReviewedForm,
    action_officers,
    request_categories,
)
from taavon.visits.models import (
    Action,
    Finding,
    FindingCategory,
    FindingStatus,
    Severity,
    Visit,
    VisitStatus,
)

PAGE_SIZE = 25
EARLIEST, LATEST = datetime.date(1922, 1, 1), datetime.date(2120, 1, 1)  # Jalali 1300..1500, with room


def _url(v: Visit) -> str:
    return reverse("visits:visit", args=[v.pk])


def _visit(request, pk: int) -> Visit:
    try:
        return selectors.visit_get(user=request.user, pk=pk)
    except Visit.DoesNotExist as exc:
        raise Http404(_("Visit not found.")) from exc


def _changing_visit(request, pk: int) -> Visit:
    v = _visit(request, pk)
    ensure_can_change(request.user, v.county)
    return v


def _finding(request, pk: int) -> Finding:
    found = (
        Finding.objects.for_user(request.user)
        .select_related("visit", "visit__county", "visit__cooperative")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("Finding not found."))
    ensure_can_change(request.user, found.visit.county)
    return found


def _action(request, pk: int) -> Action:
    found = (
        Action.objects.for_user(request.user)
        .select_related("finding", "finding__visit", "finding__visit__county", "finding__visit__cooperative")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("Action item not found."))
    ensure_can_change(request.user, found.finding.visit.county)
    return found


def _form_context(v: Visit, title: str, **more) -> dict:
    return {"title": title, "visit": v, "cancel_url": _url(v), **more}


# --- the plan ------------------------------------------------------------------------------------------------------


@staff_required
def plan(request):
    form = PlanFilterForm(request.GET)
    form.is_valid()
    day = form.cleaned_data.get("week") or timezone.localdate()
    if not EARLIEST <= day <= LATEST:
        day = timezone.localdate()
    start = selectors.week_start(day)
    counties = list(counties_for(request.user).order_by("name_fa"))
    county_id = form.cleaned_data.get("county")
    if county_id not in {c.pk for c in counties}:
        county_id = None
    if len(counties) == 1:
        county_id = counties[0].pk
    visits = list(selectors.week_plan(user=request.user, start=start, county_id=county_id))
    week = datetime.timedelta(days=7)
    context = {
        "start": start,
        "end": start + datetime.timedelta(days=6),
        "prev_week": (start - week).isoformat(),
        "next_week": (start + week).isoformat(),
        "this_week": selectors.week_start(timezone.localdate()).isoformat(),
        "today": timezone.localdate(),
        "days": selectors.plan_days(start=start, visits=visits),
        "count": len(visits),
        "counties": counties,
        "county": next((c for c in counties if c.pk == county_id), None),
        "can_plan": can_change(request.user),
    }
    return render(request, "visits/plan.html", context)


@change_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    prefill = selectors.plan_cooperative(user=request.user, shenasnameh=request.GET.get("cooperative", ""))
    form = PlanForm(request.POST or None, user=request.user, cooperative=prefill)
    if form.is_bound:
        form.is_valid()  # the chosen cooperative is shown again beside the errors
    q = (request.POST.get("q") if form.is_bound else request.GET.get("q")) or ""
    return form_page(
        request,
        form,
        call=lambda d: services.visit_plan(
            acting_user=request.user,
            cooperative=d["cooperative"],
            planned_on=d["planned_on"],
            purpose=d["purpose"],
            inspectors=list(d["inspectors"]),
            plan_note=d.get("plan_note") or "",
        ),
        success=lambda v: (
            _("The visit was put in the plan for %(date)s.") % {"date": show_date(v.planned_on)}
        ),
        next_url=_url,
        template="visits/plan_new.html",
        context={
            "title": _("Plan a visit"),
            "chosen": form.chosen,
            "q": q,
            "found": [form.chosen] if form.chosen else search_cooperatives(user=request.user, text=q),
        },
    )


@change_required
@require_POST
def visit_replan(request, pk: int):
    v = _changing_visit(request, pk)
    return form_page(
        request,
        ReplanForm(request.POST, visit=v),
        call=lambda d: services.visit_replan(
            acting_user=request.user,
            visit=v,
            planned_on=d["planned_on"],
            inspectors=list(d["inspectors"]),
            plan_note=d.get("plan_note") or "",
            version=d.get("version"),
        ),
        success=_("The visit was moved."),
        next_url=_url(v),
        template="visits/form.html",
        context=_form_context(v, _("Move or reassign the visit")),
    )


@change_required
@require_POST
def visit_cancel(request, pk: int):
    v = _changing_visit(request, pk)
    return form_page(
        request,
        CancelForm(request.POST, visit=v),
        call=lambda d: services.visit_cancel(
            acting_user=request.user, visit=v, reason=d["reason"], version=d.get("version")
        ),
        success=_("The visit was cancelled."),
        next_url=_url(v),
        template="visits/form.html",
        context=_form_context(v, _("Cancel the visit")),
    )


@change_required
@require_POST
def visit_reviewed(request, pk: int):
    v = _changing_visit(request, pk)
    return form_page(
        request,
        ReviewedForm(request.POST, visit=v),
        call=lambda d: services.visit_conflict_reviewed(
            acting_user=request.user, visit=v, version=d.get("version")
        ),
        success=_("The conflict is marked as reviewed."),
        next_url=_url(v),
        template="visits/form.html",
        context=_form_context(v, _("Conflict reviewed")),
    )


# --- a visit's page ------------------------------------------------------------------------------------------------


@staff_required
def visit(request, pk: int):
    v = _visit(request, pk)
    can = can_change_in(request.user, v.county)
    findings = selectors.visit_findings(visit=v)
    today = timezone.localdate()
    for f in findings:
        f.action_list = list(f.actions.all())
        for a in f.action_list:
            a.overdue = a.is_overdue(today)
    context = {
        "visit": v,
        "can_change": can,
        "findings": findings,
        "earlier": selectors.open_findings_before(
            user=request.user, cooperative_id=v.cooperative_id, visit=v
        ),
        "photos": selectors.visit_photos(user=request.user, visit=v),
        "inspectors": list(v.inspectors.all()),
        "today": today,
    }
    if can:
        _attach_forms(request.user, v, findings)
        context.update(
            replan_form=ReplanForm(visit=v) if v.status == VisitStatus.PLANNED else None,
            cancel_form=CancelForm(visit=v) if v.status == VisitStatus.PLANNED else None,
            reviewed_form=ReviewedForm(visit=v) if v.conflict else None,
            finding_form=FindingForm() if v.status == VisitStatus.REPORTED else None,
        )
    return render(request, "visits/visit.html", context)


def _attach_forms(user, v: Visit, findings: list[Finding]) -> None:
    """Each finding's and action's forms, for a user who may change (the choices read once for the page)."""
    if not findings:
        return
    officers = action_officers(user=user, finding=findings[0])
    categories = request_categories()
    for f in findings:
        p = f"f{f.pk}"
        if f.status == FindingStatus.OPEN:
            f.action_form = ActionForm(officers=officers, auto_id=p + "a_%s")
            f.close_form = FindingCloseForm(finding=f, auto_id=p + "c_%s")
            for a in f.action_list:
                a.status_form = ActionStatusForm(action=a, auto_id=f"a{a.pk}s_%s")
                if a.request_id is None and a.status in ("open", "in_progress"):
                    a.finding, f.visit = f, v  # read already: no query for the request's text
                    a.request_form = ActionRequestForm(
                        cooperative=v.cooperative, categories=categories, action=a, auto_id=f"a{a.pk}r_%s"
                    )
        else:
            f.reopen_form = FindingReopenForm(finding=f, auto_id=p + "r_%s")


@change_required
@require_POST
def finding_add(request, pk: int):
    v = _changing_visit(request, pk)
    return form_page(
        request,
        FindingForm(request.POST),
        call=lambda d: services.finding_add(
            acting_user=request.user,
            visit=v,
            category=d["category"],
            severity=d["severity"],
            description=d["description"],
        ),
        success=_("The finding was added."),
        next_url=_url(v),
        template="visits/form.html",
        context=_form_context(v, _("Add a finding")),
    )


@change_required
@require_POST
def action_add(request, pk: int):
    f = _finding(request, pk)
    return form_page(
        request,
        ActionForm(request.POST, officers=action_officers(user=request.user, finding=f)),
        call=lambda d: services.action_add(
            acting_user=request.user,
            finding=f,
            what=d["what"],
            owner=d["owner"],
            due_on=d["due_on"],
            officer=d.get("officer"),
            agency=d.get("agency") or "",
        ),
        success=_("The action item was added."),
        next_url=_url(f.visit),
        template="visits/form.html",
        context=_form_context(f.visit, _("Add an action item"), finding=f),
    )


@change_required
@require_POST
def action_status(request, pk: int):
    a = _action(request, pk)
    return form_page(
        request,
        ActionStatusForm(request.POST, action=a),
        call=lambda d: services.action_set_status(
            acting_user=request.user,
            action=a,
            status=d["status"],
            note=d.get("note") or "",
            done_on=d.get("done_on"),
            version=d.get("version"),
        ),
        success=lambda x: _("The action item is now «%(status)s».") % {"status": x.get_status_display()},
        next_url=_url(a.finding.visit),
        template="visits/form.html",
        context=_form_context(a.finding.visit, _("Change the action's status"), finding=a.finding, action=a),
    )


@change_required
@require_POST
def action_request(request, pk: int):
    a = _action(request, pk)
    form = ActionRequestForm(
        request.POST, cooperative=a.finding.visit.cooperative, categories=request_categories(), action=a
    )
    return form_page(
        request,
        form,
        call=lambda d: services.action_to_request(
            acting_user=request.user,
            action=a,
            category=d["category"],
            mobile=d["mobile"],
            priority=d["priority"],
            subject=d.get("subject") or "",
            description=d.get("description") or "",
        ),
        success=lambda x: (
            _("The action was sent to the service desk as %(code)s.") % {"code": digits(x.request.code)}
        ),
        next_url=_url(a.finding.visit),
        template="visits/form.html",
        context=_form_context(
            a.finding.visit, _("Make it a service desk request"), finding=a.finding, action=a
        ),
    )


@change_required
@require_POST
def finding_close(request, pk: int):
    f = _finding(request, pk)
    return form_page(
        request,
        FindingCloseForm(request.POST, finding=f),
        call=lambda d: services.finding_close(
            acting_user=request.user,
            finding=f,
            result=d["result"],
            closed_on=d.get("closed_on"),
            version=d.get("version"),
        ),
        success=_("The finding was closed."),
        next_url=_url(f.visit),
        template="visits/form.html",
        context=_form_context(f.visit, _("Close the finding"), finding=f),
    )


@change_required
@require_POST
def finding_reopen(request, pk: int):
    f = _finding(request, pk)
    return form_page(
        request,
        FindingReopenForm(request.POST, finding=f),
        call=lambda d: services.finding_reopen(
            acting_user=request.user, finding=f, reason=d["reason"], version=d.get("version")
        ),
        success=_("The finding is open again."),
        next_url=_url(f.visit),
        template="visits/form.html",
        context=_form_context(f.visit, _("Open the finding again"), finding=f),
    )


# --- the follow-up lists -------------------------------------------------------------------------------------------


@staff_required
def findings(request):
    form = FindingsFilterForm(request.GET)
    filters = form.filters()
    today = timezone.localdate()
    counties = list(counties_for(request.user).order_by("name_fa"))
    qs = selectors.findings_open(user=request.user, filters=filters, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for f in page.object_list:
        f.age = (today - f.opened_on).days
    context = {
        "page": page,
        "filters": filters,
        "counties": counties if len(counties) > 1 else [],
        "categories": FindingCategory.choices,
        "severities": Severity.choices,
        "ages": AGES,
    }
    return render(request, "visits/findings.html", context)


@staff_required
def actions(request):
    today = timezone.localdate()
    which = request.GET.get("which")
    overdue = request.GET.get("overdue") in ("1", "on", "true")
    if which not in ("mine", "all"):
        # the overdue ones: of the whole jurisdiction (what the home panel and the figures count)
        which = "mine" if request.user.role == "county" and not overdue else "all"
    qs = selectors.actions_list(user=request.user, mine=which == "mine", overdue=overdue, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.overdue = a.is_overdue(today)
    context = {"page": page, "which": which, "overdue": overdue, "today": today}
    return render(request, "visits/actions.html", context)
