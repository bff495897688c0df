"""What events contributes to the pages below it: a project's openings on its page, a cooperative's booths on its
record, the press summary's sentence naming the openings' events. Registered from the AppConfig's ready()."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import is_staff
from taavon.core.contributions import PRESS_LINES, PROJECT_SECTIONS, RECORD_SECTIONS, PressLine, Section


def _openings(request, project) -> dict:
    from taavon.events.selectors import project_openings

    return {"openings": project_openings(user=request.user, project=project)}


def _booths(request, coop, present) -> dict:
    from taavon.events.selectors import cooperative_booths

    if not present["booths"]:
        return {"booths": []}
    return {"booths": cooperative_booths(user=request.user, cooperative=coop)}


def _press(province_id, start, end, as_of=None) -> str:
    from taavon.events.press import openings_sentence

    return openings_sentence(province_id=province_id, start=start, end=end, as_of=as_of)


def register() -> None:
    PROJECT_SECTIONS.register(
        Section(
            key="events-openings",
            title=_("Opening events"),
            template="events/_project_openings.html",
            context=_openings,
            order=5,
            # a project opened or ready to open: where it opens (or will)
            visible=lambda user, obj: is_staff(user) and obj.stage in ("ready", "opened"),
        )
    )
    RECORD_SECTIONS.register(
        Section(
            key="events-booths",
            title=_("Cooperative Week exhibitions"),
            template="events/_record_booths.html",
            context=_booths,
            order=85,
            visible=lambda user, obj: is_staff(user),
            exists={"booths": ("events.Booth", "cooperative")},
        )
    )
    PRESS_LINES.register(PressLine(code="events-openings", text=_press, order=10))
