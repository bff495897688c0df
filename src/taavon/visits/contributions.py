"""What visits contribute below them (the cooperative's record section, home panels, the `findings` export kind, the
photos as protected documents, triage's `visit_closed` rule and the `inactive` rule's activity). Registered from
VisitsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import is_inspector, is_staff
from taavon.accounts.models import Role
from taavon.core.contributions import (
    DOCUMENTS,
    EXPORT_KINDS,
    FACTS,
    HOME_PANELS,
    RECORD_SECTIONS,
    TRIAGE_RULES,
    DocumentKind,
    ExportKind,
    Fact,
    Section,
)


def _record(request, coop, present) -> dict:
    from taavon.visits.panels import record_context

    return record_context(user=request.user, cooperative=coop, visited=present["visits"])


def _inspector(request, obj) -> dict:
    from taavon.visits.panels import inspector_panel

    return inspector_panel(user=request.user)


def _overdue(request, obj) -> dict:
    from taavon.visits.panels import overdue_panel

    return overdue_panel(user=request.user)


def _photos(user):
    """Staff: the photos of the visits in their jurisdiction; a representative: none (inspectors' material)."""
    from taavon.visits.models import Photo

    if is_staff(user):
        return Photo.objects.for_user(user)
    return Photo.objects.none()


def _export_rows(*, province=None):
    from taavon.places.models import Province
    from taavon.visits.exports import finding_export_list

    if province and not Province.objects.filter(code=province.upper()).exists():
        raise ValueError(f"unknown province {province!r}")
    qs = finding_export_list(province_code=province)
    return qs.iterator(chunk_size=2000), qs.count()


def _activity_rows(cooperative_ids):
    from taavon.visits.rules import activity_rows

    return activity_rows(cooperative_ids)


def register() -> None:
    from taavon.visits import exports
    from taavon.visits.rules import VISIT_CLOSED

    RECORD_SECTIONS.register(
        Section(
            key="visits-record",
            title=_("Field visits"),
            template="visits/_record_visits.html",
            context=_record,
            order=80,
            visible=lambda user, obj: is_staff(user),  # never a representative: the inspectors' findings
            exists={"visits": ("visits.Visit", "cooperative")},  # no visit: no finding either
        )
    )
    HOME_PANELS.register(
        Section(
            key="visits-inspector",
            title=_("My field visits this week"),
            template="visits/_home_inspector.html",
            context=_inspector,
            order=37,
            visible=lambda user, obj: is_inspector(user),
        )
    )
    HOME_PANELS.register(
        Section(
            key="visits-overdue",
            title=_("Field visits: overdue action items"),
            template="visits/_home_overdue.html",
            context=_overdue,
            order=38,
            visible=lambda user, obj: is_staff(user) and user.role in (Role.COUNTY, Role.PROVINCIAL),
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="findings",
            label=_("Field visits' findings"),
            columns=exports.COLUMNS,
            rows=_export_rows,
            sheet=_("Findings"),
        )
    )
    DOCUMENTS.register(DocumentKind(code="visit-photo", visible=_photos, field="file"))
    FACTS.register(Fact("visits-activity", "activity", _("field visits"), _activity_rows))
    TRIAGE_RULES.register(VISIT_CLOSED)
