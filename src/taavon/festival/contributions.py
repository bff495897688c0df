"""What festival contributes to the pages below it. Registered from the AppConfig's ready()."""

from taavon.core.contributions import DOCUMENTS, DocumentKind


def register() -> None:
    from taavon.festival.output_contributions import register_outputs
    from taavon.festival.portal_contributions import register_portal

    register_portal()  # the representative's portal: apply, the candidacy's status and reasons
    register_outputs()  # the export kinds festival-results and festival-national
    DOCUMENTS.register(DocumentKind(code="festival-appeal", visible=_appeals, field="evidence"))


def _appeals(user):
    """An appeal's evidence: staff of the candidate's county (and the province's), its cooperative's representative."""
    from taavon.festival.models import Appeal

    return Appeal.objects.for_user(user)
