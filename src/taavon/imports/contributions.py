"""What imports contribute to pages below them: the home page's panel of the user's recent imports."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import can_change
from taavon.core.contributions import DOCUMENTS, HOME_PANELS, DocumentKind, Section


def _home(request, obj) -> dict:
    from taavon.imports.models import ImportBatch

    return {"batches": list(ImportBatch.objects.for_user(request.user).select_related("created_by")[:5])}


def _files(user):
    from taavon.imports.models import ImportBatch

    return ImportBatch.objects.for_user(user) if can_change(user) else ImportBatch.objects.none()


def register() -> None:
    HOME_PANELS.register(
        Section(
            key="imports",
            title=_("Recent imports from files"),
            template="imports/_home_panel.html",
            context=_home,
            order=40,
            visible=lambda user, obj: can_change(user),
        )
    )
    DOCUMENTS.register(DocumentKind(code="import-file", visible=_files, field="file"))
