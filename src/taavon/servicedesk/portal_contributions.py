"""The portal's and the figures' contributions: the representative's portal lists their open requests, the
`requests` export kind, and a request as a cooperative's activity for triage's `inactive` rule."""

from django.utils.translation import gettext_lazy as _

from taavon.core.contributions import EXPORT_KINDS, FACTS, PORTAL_SECTIONS, ExportKind, Fact, Section


def _portal_requests(request, coop) -> dict:
    from taavon.servicedesk.portal_views import own_requests

    return {"requests": own_requests(request.user).open().select_related("category")[:10]}


def _export_rows(*, province=None):
    from taavon.places.models import Province
    from taavon.servicedesk.exports import request_export_list

    if province and not Province.objects.filter(code=province.upper()).exists():
        raise ValueError(f"unknown province {province!r}")
    qs = request_export_list(province_code=province)
    return qs.iterator(chunk_size=2000), qs.count()


def _activity_rows(cooperative_ids):
    """The date of a cooperative's latest request at the service desk."""
    from django.db.models import Max

    from taavon.servicedesk.models import Request

    rows = (
        # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
        Request.objects.filter(cooperative_id__in=cooperative_ids)
        .order_by()
        .values("cooperative_id")
        .annotate(last=Max("opened_at"))
        .values_list("cooperative_id", "last")
    )
    from django.utils import timezone

    return ((c, timezone.localtime(last).date() if last else None) for c, last in rows)


def register() -> None:
    from taavon.servicedesk import exports

    PORTAL_SECTIONS.register(
        Section(
            key="servicedesk",
            title=_("My requests at the service desk"),
            template="servicedesk/_portal_section.html",
            context=_portal_requests,
            order=40,
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="requests",
            label=_("Service desk requests"),
            columns=exports.COLUMNS,
            rows=_export_rows,
            sheet=_("Service desk requests"),
        )
    )
    FACTS.register(
        Fact("servicedesk-activity", "activity", _("requests at the service desk"), _activity_rows)
    )
