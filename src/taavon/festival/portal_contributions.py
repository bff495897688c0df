"""The representative's portal shows the festival: the edition taking applications (with the button to apply) and
their cooperative's candidacies, each with its status and, when not eligible, the reasons. Called from
festival.contributions.register()."""

from django.utils.translation import gettext_lazy as _

from taavon.core.contributions import PORTAL_SECTIONS, Section


def _portal(request, coop) -> dict:
    from taavon.festival.candidate_views import _reasons, open_editions, own_candidacies

    mine = list(own_candidacies(request.user)[:5])
    for c in mine:
        c.reasons = _reasons(c)
    applied = {c.edition_id for c in mine}
    return {"candidacies": mine, "open": [e for e in open_editions() if e.pk not in applied]}


def register_portal() -> None:
    PORTAL_SECTIONS.register(
        Section(
            key="festival",
            title=_("Festival of top cooperatives"),
            template="festival/candidate_portal_section.html",
            context=_portal,
            order=60,
        )
    )
