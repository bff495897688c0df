"""Publishing the press paragraph (the province's staff) and its public permalink, with what changed since."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taavon.accounts.access import province_staff_required
from taavon.accounts.jurisdiction import is_staff, sees_whole_province
from taavon.reports import publications
from taavon.reports.models import Publication
from taavon.reports.params import as_of_text


@province_staff_required
@require_POST
def publish(request):
    """Publish the paragraph the press page shows (its province, period and "as of")."""
    from taavon.reports.views import press_params

    province, start, end, as_of, error = press_params(request)
    if not error and not all(request.GET.get(k) for k in ("province", "opening_from", "opening_to")):
        # what is published is the paragraph the page showed: its province and window are always named
        error = _("Write the summary first, then publish it.")
    if error or province is None:
        messages.error(request, error or _("Choose a province."))
        return redirect(reverse("reports:press"))
    try:
        pub = publications.publication_publish_press(
            acting_user=request.user, province=province, start=start, end=end, as_of=as_of
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("reports:press"))
    messages.success(
        request, _("Published. Its permanent address is below; it shows the figures as published.")
    )
    return redirect(reverse("publications:detail", kwargs={"token": pub.token}))


def _get(token: str) -> Publication:
    try:
        return publications.publication_get(token)
    except Publication.DoesNotExist:
        raise Http404 from None


def _direction(pub: Publication) -> str:
    """The published text's direction (a Persian paragraph in the English page stays right to left)."""
    from django.utils.translation import get_language_info

    try:
        return "rtl" if get_language_info(pub.language)["bidi"] else "ltr"
    except KeyError:
        return "auto"


def _figures(pub: Publication) -> list[dict]:
    return [
        {"label": label, "text": publications.figure_text(key, pub.figures.get(key))}
        for key, label in publications.FIGURES.items()
    ]


@require_GET
def detail(request, token: str):
    """A publication, as published: anyone with the address."""
    pub = _get(token)
    province, start, end = publications.press_filters(pub)
    context = {
        "pub": pub,
        "as_of_text": as_of_text(pub.as_of),
        "figures": _figures(pub),
        "start": start,
        "end": end,
        # checked against the history on request: it reads every record behind the figures again, too much work
        # for every visit of a shared address
        "verified": publications.verify(pub) if request.GET.get("verify") else None,
        "direction": _direction(pub),
        "staff": is_staff(request.user),
    }
    return render(request, "reports/publication.html", context)


@require_GET
def changes(request, token: str):
    """What changed since the publication: each figure then and now, and the projects whose later changes move
    them (public terms: a project no longer public is counted, not named)."""
    pub = _get(token)
    # the staff's view (names of projects no longer public, the per-project fields the register does not show) for
    # those whose jurisdiction holds the whole province; everyone else sees the public's
    data = publications.changes_since(pub, public=not sees_whole_province(request.user, pub.province_id))
    return render(
        request,
        "reports/publication_changes.html",
        {"pub": pub, "as_of_text": as_of_text(pub.as_of), "direction": _direction(pub), **data},
    )
