"""What the registry contributes to pages and commands of its own layer and below: the cooperatives' export kind,
the status evidence documents, the home page's registry panel. Registered from RegistryConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import is_staff
from taavon.core.contributions import DOCUMENTS, EXPORT_KINDS, HOME_PANELS, DocumentKind, ExportKind, Section


def _export_rows(*, province=None, status=None):
    from taavon.registry import exports
    from taavon.registry.models import Cooperative, Status

    if status and status not in Status.values:
        raise ValueError(f"unknown status {status!r}; one of {', '.join(Status.values)}")
    # jurisdiction: `taavon export cooperatives`, an operator's command on the server
    qs = Cooperative.objects.order_by("shenasnameh")
    if province:
        qs = qs.filter(county__province__code=province.upper())
    if status:
        qs = qs.filter(status=status)
    return exports.export_objects(qs), qs.count()


def _evidence_visible(user):
    from taavon.registry.models import StatusChange

    return StatusChange.objects.for_user(user) if is_staff(user) else StatusChange.objects.none()


def _home_context(request, obj) -> dict:
    from taavon.registry.models import Status
    from taavon.registry.selectors import status_counts

    counts = status_counts(user=request.user)
    return {"counts": [(code, label, counts[code]) for code, label in Status.choices]}


def register() -> None:
    from taavon.registry import exports

    EXPORT_KINDS.register(
        ExportKind(
            code="cooperatives",
            label=_("Cooperatives"),
            columns=exports.COLUMNS,
            rows=_export_rows,
            sheet=_("Cooperatives"),
            filters=("province", "status"),
        )
    )
    DOCUMENTS.register(DocumentKind(code="status-evidence", visible=_evidence_visible, field="evidence"))
    HOME_PANELS.register(
        Section(
            key="registry",
            title=_("Cooperatives in your jurisdiction"),
            template="registry/_home_panel.html",
            context=_home_context,
            order=10,
            visible=lambda user, obj: is_staff(user),
        )
    )
