"""The staff pages' contributions: the cooperative's requests on its record, the home page's panels (the officer's own
open requests with their due times; the county's overdue and breaching requests), and the requests' attachments as
protected documents (served through core.views.document)."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import can_change, can_change_in, is_staff, represented_cooperative_id
from taavon.accounts.models import Role
from taavon.core.contributions import DOCUMENTS, HOME_PANELS, RECORD_SECTIONS, DocumentKind, Section


def _record_context(request, coop, present) -> dict:
    from taavon.servicedesk.selectors import cooperative_requests

    return {
        "requests": cooperative_requests(user=request.user, cooperative=coop) if present["requests"] else [],
        "may_file": can_change_in(request.user, coop.county),
    }


def _mine_context(request, obj) -> dict:
    from taavon.servicedesk.selectors import home_mine

    return home_mine(user=request.user)


def _county_context(request, obj) -> dict:
    from taavon.servicedesk.selectors import home_county

    return home_county(user=request.user)


def _is_desk_agent(user, obj) -> bool:
    """The officer's panel: county officers, and any other staff member who carries an open request."""
    from taavon.servicedesk.models import Request, RequestStatus

    if not can_change(user):
        return False
    return (
        user.role == Role.COUNTY
        # jurisdiction: whether the user carries a request of their own (a yes or no, nothing shown)
        or Request.objects.filter(assignee=user).exclude(status=RequestStatus.CLOSED).exists()
    )


def _attachments(user):
    """Staff: the attachments of the requests in their jurisdiction; a representative: those of their cooperative's
    requests, never one given with an internal note."""
    from taavon.servicedesk.models import Attachment, MessageKind

    if is_staff(user):
        return Attachment.objects.for_user(user)
    if represented_cooperative_id(user) is not None:
        return Attachment.objects.for_user(user).exclude(message__kind=MessageKind.NOTE)
    return Attachment.objects.none()


def register() -> None:
    RECORD_SECTIONS.register(
        Section(
            key="servicedesk-requests",
            title=_("Requests at the service desk"),
            template="servicedesk/_record_requests.html",
            context=_record_context,
            order=85,
            visible=lambda user, obj: is_staff(user),
            exists={"requests": ("servicedesk.Request", "cooperative")},
        )
    )
    HOME_PANELS.register(
        Section(
            key="servicedesk-mine",
            title=_("My service desk requests"),
            template="servicedesk/_home_mine.html",
            context=_mine_context,
            order=35,
            visible=_is_desk_agent,
        )
    )
    HOME_PANELS.register(
        Section(
            key="servicedesk-due",
            title=_("Service desk: overdue and due soon"),
            template="servicedesk/_home_due.html",
            context=_county_context,
            order=36,
            visible=lambda user, obj: is_staff(user),
        )
    )
    DOCUMENTS.register(DocumentKind(code="servicedesk-attachment", visible=_attachments, field="file"))
