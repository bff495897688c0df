"""The portal of a cooperative's representative: their own cooperative only, and proposals for changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taavon.accounts.access import representative_required
from taavon.accounts.jurisdiction import represented_cooperative_id
from taavon.core.contributions import PORTAL_SECTIONS
from taavon.core.views import add_service_errors, form_status
from taavon.members import proposals, selectors
from taavon.members.forms import AssemblyForm, ContactForm, MemberJoinForm, PortalMemberLeaveForm, ReturnForm
from taavon.members.models import ProposalKind
from taavon.registry.models import Cooperative

FORMS = {
    ProposalKind.CONTACT: (ContactForm, None),
    ProposalKind.MEMBER_JOIN: (MemberJoinForm, None),
    ProposalKind.MEMBER_LEAVE: (PortalMemberLeaveForm, None),
    ProposalKind.ASSEMBLY: (AssemblyForm, "minutes"),
    ProposalKind.RETURN: (ReturnForm, "statements"),
}


def _own(request) -> Cooperative:
    """The representative's own cooperative (the decorator has checked the role; the gate gives the scope)."""
    return (
        Cooperative.objects.for_user(request.user)
        .select_related("county__province", "sector", "type", "activity")
        .get(pk=represented_cooperative_id(request.user))
    )


@representative_required
def portal_home(request):
    coop = _own(request)
    return render(
        request,
        "members/portal.html",
        {
            "coop": coop,
            "proposals": coop.proposals.select_related("reviewed_by")[:20],
            "kinds": ProposalKind.choices,
            # each capability's part of the portal (members and governance, projects...), from AppConfig.ready
            "sections": PORTAL_SECTIONS.render(request, coop, {"coop": coop}),
        },
    )


@representative_required
@require_http_methods(["GET", "POST"])
def portal_propose(request, kind: str):
    coop = _own(request)
    if kind not in FORMS:
        raise Http404
    form_class, file_field = FORMS[kind]
    kwargs = (
        {"memberships": selectors.member_list(cooperative=coop)} if kind == ProposalKind.MEMBER_LEAVE else {}
    )
    if kind == ProposalKind.CONTACT and request.method == "GET":
        kwargs["initial"] = {"address": coop.address, "phone": coop.phone, "postal_code": coop.postal_code}
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.proposal_submit(
                acting_user=request.user,
                kind=kind,
                payload=form.payload(),
                document=form.cleaned_data.get(file_field) if file_field else None,
                document_field=file_field or "document",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your proposal was sent to the county cooperative office for review.")
            )
            return redirect("members:portal")
    return render(
        request,
        "members/form_page.html",
        {
            "form": form,
            "title": _("Proposal: %(kind)s") % {"kind": ProposalKind(kind).label},
            "coop": coop,
            "portal": True,
        },
        status=form_status(request, form),
    )
