"""The results' pages: per category the ranking (published, or provisional for the festival's admins) with the
sensitivity of its top three to each weight, the publish button; the appeals (the list, the decision, filing for a
candidate of one's county) and the representative's appeal form in the portal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import (
    change_required,
    province_staff_required,
    representative_required,
    staff_required,
)
from taavon.accounts.jurisdiction import represented_cooperative_id
from taavon.core.formatting import number as show_number
from taavon.core.views import form_page
from taavon.festival import appeals, jury, results
from taavon.festival.models import Appeal, AppealStatus, Candidate, CandidateStatus, Edition
from taavon.festival.result_forms import AppealForm, DecideForm
from taavon.festival.services import ensure_festival_admin


def _edition(number: int) -> Edition:
    return get_object_or_404(Edition, number=number)


def _is_festival_admin(user, edition) -> bool:
    try:
        ensure_festival_admin(user, edition.province)
    except PermissionDenied:
        return False
    return True


@staff_required
def results_page(request, number: int):
    """Published results: every staff member sees every category (they are public anyway). Before publication the
    provisional ranking is for the festival's admins only; others are told it is not published yet."""
    edition = _edition(number)
    admin = _is_festival_admin(request.user, edition)
    published = edition.results_published_at is not None
    categories = []
    if published or admin:
        categories = [
            results.category_result(edition=edition, category=c, published=published)
            for c in results.categories_of(edition)
        ]
    context = {
        "edition": edition,
        "published": published,
        "admin": admin,
        "categories": categories,
        "can_publish": admin and not published and jury.is_locked(edition),
        "locked": jury.is_locked(edition),
        "step": 10,
        # the candidates whose score sheet (and certificate) the user may open: those of their jurisdiction
        "mine": set(
            Candidate.objects.for_user(request.user).filter(edition=edition).values_list("pk", flat=True)
        ),
    }
    return render(request, "festival/results.html", context)


@province_staff_required
@require_POST
def results_publish(request, number: int):
    edition = _edition(number)
    ensure_festival_admin(request.user, edition.province)
    try:
        count = results.results_publish(acting_user=request.user, edition=edition)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The results were published: %(n)s candidates ranked.") % {"n": show_number(count)}
        )
    return redirect("festival:results", number=edition.number)


@staff_required
def appeals_page(request, number: int):
    """The appeals of the edition within the user's jurisdiction; the festival's admins decide them."""
    edition = _edition(number)
    admin = _is_festival_admin(request.user, edition)
    items = list(
        Appeal.objects.for_user(request.user)
        .filter(candidate__edition=edition)
        .select_related("candidate__cooperative__county", "candidate__category", "criterion", "filed_by")
        .order_by("status", "-filed_at")
    )
    return render(
        request,
        "festival/appeals.html",
        {
            "edition": edition,
            "appeals": items,
            "admin": admin,
            "decide_form": DecideForm(),
            "pending": AppealStatus.PENDING,
            "window": appeals.appeal_window_error(edition),
        },
    )


@province_staff_required
@require_POST
def appeal_decide(request, pk: int):
    appeal = (
        Appeal.objects.for_user(request.user)
        .select_related("candidate__edition", "candidate__category", "criterion")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404(_("Appeal not found."))
    edition = appeal.candidate.edition
    ensure_festival_admin(request.user, edition.province)
    form = DecideForm(request.POST)
    return form_page(
        request,
        form,
        call=lambda d: appeals.appeal_decide(
            acting_user=request.user,
            appeal=appeal,
            accept=d["outcome"] == "accept",
            decision=d.get("decision") or "",
            corrected=d.get("corrected"),
        ),
        success=lambda a: (
            _("The appeal was accepted and the category re-ranked.")
            if a.status == AppealStatus.ACCEPTED
            else _("The appeal was rejected.")
        ),
        next_url=reverse("festival:appeals", args=[edition.number]),
        template="festival/appeal_decide.html",
        context={"appeal": appeal, "edition": edition},
    )


@change_required
@require_http_methods(["GET", "POST"])
def appeal_new(request, number: int):
    """The county office files an appeal for a candidate of its jurisdiction."""
    edition = _edition(number)
    candidates = (
        Candidate.objects.for_user(request.user)
        .filter(edition=edition, status=CandidateStatus.ELIGIBLE)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )
    form = AppealForm(request.POST or None, request.FILES or None, edition=edition, candidates=candidates)
    return form_page(
        request,
        form,
        call=lambda d: appeals.appeal_file(
            acting_user=request.user,
            candidate=d["candidate"],
            criterion=d["criterion"],
            reason=d["reason"],
            evidence=d.get("evidence"),
        ),
        success=_("The appeal was filed."),
        next_url=reverse("festival:appeals", args=[edition.number]),
        template="festival/appeal_form.html",
        context={"edition": edition, "window": appeals.appeal_window_error(edition), "portal": False},
    )


@representative_required
@require_http_methods(["GET", "POST"])
def portal_appeal(request, number: int):
    """The representative's appeal of their cooperative's score, with its rank and earlier appeals."""
    edition = _edition(number)
    candidate = (
        Candidate.objects.for_user(request.user)
        .filter(edition=edition, cooperative_id=represented_cooperative_id(request.user))
        .select_related("cooperative", "category", "edition")
        .first()
    )
    if candidate is None:
        raise Http404(_("Your cooperative is not a candidate of this edition."))
    form = AppealForm(request.POST or None, request.FILES or None, edition=edition)
    ranking = getattr(candidate, "ranking", None) if edition.results_published_at else None
    earlier = list(
        Appeal.objects.for_user(request.user).filter(candidate=candidate).select_related("criterion")
    )
    return form_page(
        request,
        form,
        call=lambda d: appeals.appeal_file(
            acting_user=request.user,
            candidate=candidate,
            criterion=d["criterion"],
            reason=d["reason"],
            evidence=d.get("evidence"),
        ),
        success=_("Your appeal was filed; the festival's committee will decide."),
        next_url=reverse("festival:portal_appeal", args=[edition.number]),
        template="festival/appeal_form.html",
        context={
            "edition": edition,
            "candidate": candidate,
            "ranking": ranking,
            "earlier": earlier,
            "window": appeals.appeal_window_error(edition),
            "portal": True,
        },
    )
