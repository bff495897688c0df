"""Staff pages: members, organs, assemblies, returns, a person's page, the returns report and the review queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change_in, ensure_can_change, sees_personal_data
from taavon.core.exports import download
from taavon.core.views import form_page
from taavon.members import exports, proposals, selectors, services
from taavon.members.forms import (
    AssemblyForm,
    ContributionForm,
    MemberJoinForm,
    MemberLeaveForm,
    OfficerForm,
    RefuseForm,
    ReturnForm,
)
from taavon.members.models import Membership, Person, Proposal
from taavon.persian import jalali_today, to_ascii_digits
from taavon.registry.models import Cooperative
from taavon.registry.selectors import cooperative_get, filter_choices

PERSON_FIELDS = ("national_code", "first_name", "last_name", "gender", "birth_year", "mobile")


def _coop(request, shenasnameh: str, *, change: bool = False) -> Cooperative:
    try:
        coop = cooperative_get(user=request.user, shenasnameh=shenasnameh)
    except Cooperative.DoesNotExist as exc:
        raise Http404 from exc
    if change:
        ensure_can_change(request.user, coop.county)
    return coop


def _form_page(request, form, *, title, coop, call, success: str):
    return form_page(
        request,
        form,
        call=call,
        success=success,
        next_url=reverse("registry:detail", args=[coop.shenasnameh]),
        template="members/form_page.html",
        context={"title": title, "coop": coop},
    )


def _person(request, d: dict):
    return services.person_register(acting_user=request.user, **{k: d[k] for k in PERSON_FIELDS})


@staff_required
def members_page(request, shenasnameh: str):
    coop = _coop(request, shenasnameh)
    rows = [
        (m, selectors.masked(m.person)) for m in selectors.member_list(cooperative=coop, include_former=True)
    ]
    return render(
        request,
        "members/members.html",
        {
            "coop": coop,
            "rows": rows,
            "can_change": can_change_in(request.user, coop.county),
        },
    )


@change_required
@require_http_methods(["GET", "POST"])
def member_add(request, shenasnameh: str):
    coop = _coop(request, shenasnameh, change=True)

    def call(d):
        person = _person(request, d)
        services.membership_add(
            acting_user=request.user,
            cooperative=coop,
            person=person,
            join_date=d["join_date"],
            shares=d.get("shares") or 0,
            contribution_rial=d.get("contribution_rial") or 0,
        )

    return _form_page(
        request,
        MemberJoinForm(request.POST or None),
        title=_("New member of “%(name)s”") % {"name": coop.name},
        coop=coop,
        call=call,
        success=_("Member registered."),
    )


def _membership(coop: Cooperative, pk: int) -> Membership:
    try:
        return coop.memberships.select_related("person").get(pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


@change_required
@require_http_methods(["GET", "POST"])
def member_leave(request, shenasnameh: str, pk: int):
    coop = _coop(request, shenasnameh, change=True)
    membership = _membership(coop, pk)
    return _form_page(
        request,
        MemberLeaveForm(request.POST or None),
        title=_("%(person)s leaving “%(name)s”") % {"person": membership.person, "name": coop.name},
        coop=coop,
        call=lambda d: services.membership_end(
            acting_user=request.user, membership=membership, leave_date=d["leave_date"], reason=d["reason"]
        ),
        success=_("The member's leaving was registered."),
    )


@change_required
@require_http_methods(["GET", "POST"])
def contribution_add(request, shenasnameh: str, pk: int):
    coop = _coop(request, shenasnameh, change=True)
    membership = _membership(coop, pk)
    return _form_page(
        request,
        ContributionForm(request.POST or None),
        title=_("Contribution of %(person)s") % {"person": membership.person},
        coop=coop,
        call=lambda d: services.contribution_add(
            acting_user=request.user,
            membership=membership,
            date=d["date"],
            amount_rial=d["amount_rial"],
            note=d.get("note", ""),
        ),
        success=_("Contribution registered."),
    )


@change_required
@require_http_methods(["GET", "POST"])
def officer_add(request, shenasnameh: str):
    coop = _coop(request, shenasnameh, change=True)

    def call(d):
        person = _person(request, d)
        services.officer_appoint(
            acting_user=request.user,
            cooperative=coop,
            person=person,
            role=d["role"],
            start=d["start"],
            end=d["end"],
        )

    return _form_page(
        request,
        OfficerForm(request.POST or None),
        title=_("Officers of “%(name)s”") % {"name": coop.name},
        coop=coop,
        call=call,
        success=_("Appointment registered."),
    )


@change_required
@require_http_methods(["GET", "POST"])
def assembly_add(request, shenasnameh: str):
    coop = _coop(request, shenasnameh, change=True)
    return _form_page(
        request,
        AssemblyForm(request.POST or None, request.FILES or None),
        title=_("General assembly of “%(name)s”") % {"name": coop.name},
        coop=coop,
        success=_("Assembly registered."),
        call=lambda d: services.assembly_record(
            acting_user=request.user,
            cooperative=coop,
            date=d["date"],
            kind=d["kind"],
            quorum_present=d["quorum_present"],
            attendees=d.get("attendees"),
            decisions=d.get("decisions", ""),
            minutes=d.get("minutes"),
        ),
    )


@change_required
@require_http_methods(["GET", "POST"])
def return_add(request, shenasnameh: str):
    coop = _coop(request, shenasnameh, change=True)
    return _form_page(
        request,
        ReturnForm(request.POST or None, request.FILES or None),
        title=_("Annual return of “%(name)s”") % {"name": coop.name},
        coop=coop,
        success=_("Return registered."),
        call=lambda d: services.return_file(acting_user=request.user, cooperative=coop, **d),
    )


@staff_required
def person_detail(request, pk: int):
    try:
        person = selectors.person_get(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    memberships = list(
        person.memberships.for_user(request.user).select_related("cooperative__county").order_by("-join_date")
    )
    offices = list(
        person.offices.for_user(request.user).select_related("cooperative__county").order_by("-start")
    )
    whole = any(sees_personal_data(request.user, r.cooperative.county) for r in [*memberships, *offices])
    return render(
        request,
        "members/person.html",
        {
            "person": person,
            # whole code and mobile for staff who may change one of the person's cooperatives; masked otherwise
            "shown": {"national_code": person.national_code, "mobile": person.mobile}
            if whole
            else selectors.masked(person),
            "memberships": memberships,
            "offices": offices,
        },
    )


@staff_required
def returns_report(request):
    today = jalali_today()
    year = _year(request)
    county = request.GET.get("county")
    data = selectors.returns_status(user=request.user, fiscal_year=year, county=_record_id(county))
    return render(
        request,
        "members/returns_report.html",
        {
            "year": year,
            "years": range(today.year - 1, 1395, -1),
            "data": data,
            "choices": filter_choices(user=request.user),
            "county": county,
        },
    )


@change_required
def review_queue(request):
    items = list(selectors.review_queue(user=request.user))
    selectors.proposal_rows(items)
    return render(request, "members/reviews.html", {"items": items, "refuse_form": RefuseForm()})


def _proposal(request, pk: int) -> Proposal:
    try:
        return selectors.review_queue(user=request.user).get(pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


@change_required
@require_POST
def review_accept(request, pk: int):
    proposal = _proposal(request, pk)
    try:
        proposals.proposal_accept(acting_user=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, _("Could not accept: %(errors)s") % {"errors": " ".join(exc.messages)})
    else:
        messages.success(
            request,
            _("The proposal “%(kind)s” was accepted and entered in the records.")
            % {"kind": proposal.get_kind_display()},
        )
    return redirect("members:reviews")


@change_required
@require_POST
def review_refuse(request, pk: int):
    proposal = _proposal(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            proposals.proposal_refuse(
                acting_user=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proposal refused."))
    else:
        messages.error(request, _("Write the reason for refusing the proposal."))
    return redirect("members:reviews")


@staff_required
def members_export(request, shenasnameh: str, fmt: str):
    """The members as a file: whole codes and mobiles for staff who may change them (and their download is in the
    audit), masked for the others."""
    coop = _coop(request, shenasnameh)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    memberships = list(
        coop.memberships.filter(leave_date__isnull=True)
        .select_related("person", "cooperative")
        .prefetch_related("contributions")
    )
    whole = sees_personal_data(request.user, coop.county)
    if whole:
        services.personal_data_download_record(
            acting_user=request.user, cooperative=coop, rows=len(memberships), fmt=fmt
        )
    return download(
        exports.MEMBER_COLUMNS if whole else exports.masked_columns(),
        exports.member_rows(memberships),
        fmt,
        f"members-{coop.shenasnameh}",
        sheet=_("Members"),
    )


@staff_required
def returns_export(request, fmt: str):
    year = _year(request)
    qs = selectors.returns_filed(user=request.user, fiscal_year=year)
    return download(exports.RETURN_COLUMNS, qs, fmt, f"returns-{year}", sheet=_("Returns"))


def _record_id(text: str | None) -> int | None:
    """A record id from a query string (any digits); anything else — or beyond a database id — is no filter."""
    digits = to_ascii_digits(text or "").strip()
    if digits.isdigit() and 0 < int(digits) < 2**63:
        return int(digits)
    return None


def _year(request) -> int:
    """The fiscal year asked for (any digits), last year by default, within the years a return can have."""
    today = jalali_today()
    try:
        year = int(to_ascii_digits(request.GET.get("year") or "") or today.year - 1)
    except ValueError:
        year = today.year - 1
    return min(max(year, 1370), today.year)
