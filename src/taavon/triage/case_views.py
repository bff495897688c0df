"""Staff pages of cases: thin views over triage.case_selectors and the services in triage.cases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, ensure_can_change, sees_cooperative
from taavon.core.views import add_service_errors, form_page, form_status
from taavon.registry.models import Cooperative
from taavon.registry.selectors import cooperative_get, filter_choices
from taavon.triage import case_selectors as selectors
from taavon.triage import cases
from taavon.triage.case_forms import (
    CaseAssignForm,
    CaseDecideForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseStepForm,
    CaseVisitForm,
    SummonsForm,
)
from taavon.triage.models import Case, CaseStatus, Outcome

PAGE_SIZE = 25


def _get(request, pk: int) -> Case:
    try:
        return selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404(_("Case not found.")) from exc


def _case_url(case) -> str:
    return reverse("triage:case", args=[case.pk])


@staff_required
def case_list(request):
    form = CaseFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.case_list(user=request.user, filters=filters)
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "form": form,
        "counties": filter_choices(user=request.user)["counties"],
        "assignees": list(selectors.assignable_users(user=request.user)),
        "statuses": CaseStatus.choices,
        "outcomes": Outcome.choices,
        "can_change": can_change(request.user),
    }
    return render(request, "triage/case_list.html", context)


@change_required
@require_http_methods(["GET", "POST"])
def case_open(request):
    cooperative = None
    shenasnameh = request.GET.get("cooperative") or ""
    if shenasnameh:
        try:
            cooperative = cooperative_get(user=request.user, shenasnameh=shenasnameh)
        except Cooperative.DoesNotExist as exc:
            raise Http404(_("Cooperative not found.")) from exc
        ensure_can_change(request.user, cooperative.county)
    return form_page(
        request,
        CaseOpenForm(request.POST or None, user=request.user, cooperative=cooperative),
        call=lambda d: cases.case_open(
            acting_user=request.user,
            cooperative=d["cooperative"],
            assigned_to=d["assigned_to"],
            deadline=d["deadline"],
            reason=d["reason"],
        ),
        success=lambda case: _("A case was opened for “%(name)s”.") % {"name": case.cooperative.name},
        next_url=_case_url,
        template="triage/case_form.html",
        context={
            "title": _("Open a case"),
            "coop": cooperative,
            "cancel_url": reverse("registry:detail", args=[cooperative.shenasnameh])
            if cooperative
            else reverse("triage:cases"),
        },
    )


@staff_required
def case_detail(request, pk: int):
    case = _get(request, pk)
    if case.outcome == Outcome.REVIVED and can_change_in(request.user, case.cooperative.county):
        # a record that arrived since (an assembly, a return) closes its commitment before the page shows it — when
        # the reader is one who may change the case (a viewer's reading writes nothing; the nightly run closes it)
        cases.commitments_refresh(acting_user=request.user, case=case)
    can = case.status == CaseStatus.OPEN and can_change_in(request.user, case.cooperative.county)
    context = {
        "case": case,
        "coop": case.cooperative,
        "can_change": can,
        # the cooperative it merged into is named only to those who see it
        "merged_visible": case.merged_into is not None
        and sees_cooperative(
            request.user, cooperative_id=case.merged_into_id, county=case.merged_into.county
        ),
        **selectors.case_page(case=case),
    }
    if can:
        latest = cases.latest_meeting(case)
        context.update(
            step_form=CaseStepForm(),
            visit_form=CaseVisitForm(case=case),
            decide_form=CaseDecideForm(user=request.user, case=case),
            assign_form=CaseAssignForm(user=request.user, case=case),
            summons_form=SummonsForm(
                initial={"meeting_place": latest.note[:300]} if latest is not None and latest.note else None
            ),
        )
    return render(request, "triage/case_detail.html", context)


def _changing(request, pk: int) -> Case:
    case = _get(request, pk)
    ensure_can_change(request.user, case.cooperative.county)
    return case


def _form_context(case, title) -> dict:
    return {"title": title, "case": case, "coop": case.cooperative, "cancel_url": _case_url(case)}


@change_required
@require_http_methods(["GET", "POST"])
def case_step(request, pk: int):
    case = _changing(request, pk)
    return form_page(
        request,
        CaseStepForm(request.POST or None, request.FILES or None),
        call=lambda d: cases.case_step_add(
            acting_user=request.user,
            case=case,
            kind=d["kind"],
            date=d["date"],
            channel=d.get("channel") or "",
            reached=d.get("reached"),
            note=d.get("note") or "",
            document=d.get("document"),
        ),
        success=_("The step was recorded."),
        next_url=_case_url(case),
        template="triage/case_form.html",
        context=_form_context(case, _("A step of the case of “%(name)s”") % {"name": case.cooperative.name}),
    )


@change_required
@require_http_methods(["GET", "POST"])
def case_visit(request, pk: int):
    case = _changing(request, pk)
    return form_page(
        request,
        CaseVisitForm(request.POST or None, case=case),
        call=lambda d: cases.case_plan_visit(
            acting_user=request.user,
            case=case,
            planned_on=d["planned_on"],
            inspectors=list(d["inspectors"]),
            note=d.get("note") or "",
        ),
        success=_("The field visit was planned and recorded as a step of the case."),
        next_url=_case_url(case),
        template="triage/case_form.html",
        context=_form_context(case, _("Plan a field visit to “%(name)s”") % {"name": case.cooperative.name}),
    )


@change_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk: int):
    case = _changing(request, pk)
    return form_page(
        request,
        CaseAssignForm(request.POST or None, user=request.user, case=case),
        call=lambda d: cases.case_assign(
            acting_user=request.user,
            case=case,
            assigned_to=d["assigned_to"],
            deadline=d["deadline"],
            expected_version=d.get("version"),
        ),
        success=_("The case's assignment was saved."),
        next_url=_case_url(case),
        template="triage/case_form.html",
        context=_form_context(case, _("Assign the case of “%(name)s”") % {"name": case.cooperative.name}),
    )


@change_required
@require_http_methods(["GET", "POST"])
def case_decide(request, pk: int):
    case = _changing(request, pk)
    form = CaseDecideForm(request.POST or None, request.FILES or None, user=request.user, case=case)
    return form_page(
        request,
        form,
        call=lambda d: cases.case_decide(
            acting_user=request.user,
            case=case,
            outcome=d["outcome"],
            decided_on=d["decided_on"],
            note=d["note"],
            evidence=d.get("evidence"),
            evidence_step=d.get("evidence_step"),
            merged_into=d.get("merged_into"),
            plan=form.plan(),
            expected_version=d.get("version"),
        ),
        success=lambda c: _("The case was decided: %(outcome)s.") % {"outcome": c.get_outcome_display()},
        next_url=_case_url(case),
        template="triage/case_form.html",
        context=_form_context(case, _("Decide the case of “%(name)s”") % {"name": case.cooperative.name}),
    )


@change_required
@require_http_methods(["GET", "POST"])
def case_summons(request, pk: int):
    """GET: the letter as a PDF to look at before it is sent (the meeting from the query, blanks where it is
    missing). POST: the letter is issued — a "summons" step keeps the PDF, downloadable from the case's timeline."""
    from taavon.triage.letters import summons_pdf

    case = _changing(request, pk)
    if request.method == "GET":
        form = SummonsForm(request.GET)
        form.is_valid()
        d = form.cleaned_data
        meeting = cases.Meeting(
            date=d.get("meeting_date"), time=d.get("meeting_time") or "", place=d.get("meeting_place") or ""
        )
        pdf = summons_pdf(case=case, meeting=meeting, officer=request.user, issued_on=timezone.localdate())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="summons-{case.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
    form = SummonsForm(request.POST or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                cases.summons_issue(
                    acting_user=request.user,
                    case=case,
                    meeting=cases.Meeting(d["meeting_date"], d.get("meeting_time") or "", d["meeting_place"]),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The summons letter was issued and kept in the case's steps."))
            return redirect(_case_url(case))
    return render(
        request,
        "triage/case_form.html",
        {
            "form": form,
            **_form_context(case, _("Summons letter to “%(name)s”") % {"name": case.cooperative.name}),
            "submit_label": _("Issue the letter"),
        },
        status=form_status(request, form),
    )
