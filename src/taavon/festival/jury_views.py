"""The jury's pages: the juror's candidates with their progress, a candidate's facts and the score form, the
conflicts of interest; the staff's page of an edition's jurors per category. A juror reads only through
festival.jury (their assignments minus their conflicts): anything else is a 404 that names nothing."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import juror_required, province_staff_required
from taavon.core.formatting import date as show_date
from taavon.core.views import add_service_errors, form_page, form_status
from taavon.festival import jury
from taavon.festival.jury_forms import AssignForm, ConflictForm, ScoreForm
from taavon.festival.models import ComputedScore, Conflict, CriterionKind, Edition, JurorAssignment
from taavon.festival.services import ensure_festival_admin
from taavon.registry.models import Sector


def _years_active(cooperative, today: date | None = None) -> int | None:
    start = cooperative.registration_date
    if not start:
        return None
    today = today or date.today()
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


@juror_required
def jury_home(request):
    criteria_count: dict[int, int] = {}
    groups: dict[int, dict] = {}
    for item in jury.juror_candidates(juror=request.user):
        c = item.candidate
        if c.edition_id not in criteria_count:
            criteria_count[c.edition_id] = len(jury.jury_criteria(c.edition))
        needed = criteria_count[c.edition_id]
        edition = groups.setdefault(
            c.edition_id, {"edition": c.edition, "categories": {}, "done": 0, "total": 0}
        )
        category = edition["categories"].setdefault(c.category_id, {"category": c.category, "items": []})
        item.needed = needed
        item.complete = needed and item.scored >= needed
        category["items"].append(item)
        edition["total"] += 1
        edition["done"] += 1 if item.complete else 0
    editions = list(groups.values())
    for e in editions:
        e["categories"] = list(e["categories"].values())
        e["locked"] = jury.is_locked(e["edition"])
    assigned = jury.juror_editions(request.user)
    return render(request, "festival/jury.html", {"editions": editions, "assigned": assigned})


@juror_required
@require_http_methods(["GET", "POST"])
def jury_candidate(request, pk: int):
    try:
        candidate = jury.juror_candidate(juror=request.user, pk=pk)
    except jury.NotYours as exc:
        raise Http404(_("Candidate not found.")) from exc
    edition = candidate.edition
    criteria = jury.jury_criteria(edition)
    scores = jury.juror_scores(juror=request.user, candidate=candidate)
    locked = jury.is_locked(edition)
    form = ScoreForm(request.POST or None, criteria=criteria, scores=scores, locked=locked)

    def call(data):
        if locked:
            raise ValidationError(
                _("The jury's scores locked on %(date)s; they no longer change.")
                % {"date": show_date(edition.jury_locks_at)}
            )
        saved = 0
        for c in criteria:
            score = data.get(f"score_{c.code}")
            comment = data.get(f"comment_{c.code}") or ""
            if score is None:
                continue
            try:
                jury.jury_score_set(
                    acting_user=request.user, candidate=candidate, criterion=c, score=score, comment=comment
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                raise ValidationError(
                    {
                        (f"{field}_{c.code}" if field in ("score", "comment") else field): errors
                        for field, errors in exc.error_dict.items()
                    }
                ) from None
            saved += 1
        if not saved:
            raise ValidationError(_("Give at least one score."))
        return saved

    facts = {
        "years_active": _years_active(candidate.cooperative),
        "members": candidate.cooperative.members_total,
    }
    computed = list(
        # jurisdiction: the juror's own candidate (festival.jury decided above); the stage-1 values only
        ComputedScore.objects.filter(candidate=candidate, criterion__kind=CriterionKind.COMPUTED)
        .select_related("criterion")
        .order_by("criterion__order")
    )
    return form_page(
        request,
        form,
        call=call,
        success=_("Your scores were saved."),
        next_url=reverse("festival:jury_candidate", args=[candidate.pk]),
        template="festival/jury_candidate.html",
        context={"candidate": candidate, "facts": facts, "computed": computed, "locked": locked},
    )


@juror_required
@require_http_methods(["GET", "POST"])
def jury_conflicts(request):
    candidates = [i.candidate for i in jury.juror_candidates(juror=request.user)]
    form = ConflictForm(request.POST or None, candidates=candidates)

    def call(data):
        chosen = form.candidates.get(data["cooperative"])
        if chosen is None:
            raise ValidationError({"cooperative": [_("Choose a cooperative among your candidates.")]})
        return jury.conflict_declare(
            acting_user=request.user,
            edition=chosen.edition,
            cooperative=chosen.cooperative,
            reason=data.get("reason") or "",
        )

    declared = list(
        Conflict.objects.filter(juror=request.user)
        .select_related("cooperative", "edition")
        .order_by("-created_at")
    )
    return form_page(
        request,
        form,
        call=call,
        success=_("Your conflict of interest is on record: you will no longer see this cooperative."),
        next_url=reverse("festival:jury_conflicts"),
        template="festival/jury_conflicts.html",
        context={"declared": declared},
    )


# --- the staff's page of the jurors --------------------------------------------------------------------------------


def _edition(number: int) -> Edition:
    return get_object_or_404(Edition, number=number)


@province_staff_required
@require_http_methods(["GET", "POST"])
def jurors(request, number: int):
    edition = _edition(number)
    ensure_festival_admin(request.user, edition.province)
    categories = Sector.objects.filter(is_active=True).order_by("order", "name_fa")
    form = AssignForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = jury.juror_assign(
                    acting_user=request.user,
                    edition=edition,
                    juror=form.cleaned_data["juror"],
                    category=form.cleaned_data["category"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The juror was assigned."))
            if result.warning:
                messages.warning(request, result.warning)
            return redirect("festival:jurors", number=edition.number)
    per_category = jury.jurors_per_category(edition)
    rows = [
        {
            "category": s,
            "assignments": per_category.get(s.pk, []),
            "short": len(per_category.get(s.pk, [])) < edition.jurors_per_category,
        }
        for s in categories
    ]
    return render(
        request,
        "festival/jury_staff.html",
        {"edition": edition, "form": form, "rows": rows},
        status=form_status(request, form),
    )


@province_staff_required
@require_POST
def juror_remove(request, number: int, pk: int):
    edition = _edition(number)
    ensure_festival_admin(request.user, edition.province)
    assignment = get_object_or_404(JurorAssignment, edition=edition, pk=pk)
    try:
        warning = jury.juror_unassign(acting_user=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assignment was removed."))
        if warning:
            messages.warning(request, warning)
    return redirect("festival:jurors", number=edition.number)
