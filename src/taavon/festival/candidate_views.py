"""The festival's staff pages of an edition and its candidates (stage 1), and the representative's portal pages:
thin views over festival.candidates, festival.stage1 and festival.services. The score sheet explains every point:
each criterion's value, its formula, its evidence (links to the source records), normalised value, weight and
contribution, and the rank once published."""

import datetime
from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import (
    change_required,
    province_staff_required,
    representative_required,
    staff_required,
)
from taavon.accounts.jurisdiction import can_change, represented_cooperative_id
from taavon.core import formatting
from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits, number, rial
from taavon.core.views import REFUSED, add_service_errors
from taavon.festival import candidates as candidate_services
from taavon.festival.candidate_forms import NominateForm, WeightsForm
from taavon.festival.eligibility import Check, failed
from taavon.festival.indicators import INDICATORS
from taavon.festival.models import (
    Appeal,
    AppealStatus,
    Candidate,
    CandidateStatus,
    ComputedScore,
    CriterionKind,
    Edition,
    JuryScore,
    Ranking,
    Weight,
)
from taavon.festival.scoring import HUNDRED, jury_normalise, q3
from taavon.festival.services import ensure_festival_admin, weights_set
from taavon.festival.stage1 import stage1_compute
from taavon.registry.models import Cooperative, Sector


def _edition(number: int) -> Edition:
    found = Edition.objects.select_related("province").filter(number=number).first()
    if found is None:
        raise Http404(_("Edition not found."))
    return found


def _is_festival_admin(user, edition: Edition) -> bool:
    try:
        ensure_festival_admin(user, edition.province)
    except PermissionDenied:
        return False
    return True


def phase(edition: Edition, today: datetime.date | None = None) -> str:
    """Where the edition stands today, named in the reader's language."""
    today = today or timezone.localdate()
    if today < edition.applications_open:
        return _("Applications open on %(date)s") % {"date": show_date(edition.applications_open)}
    if today <= edition.applications_close:
        return _("Taking applications until %(date)s") % {"date": show_date(edition.applications_close)}
    if timezone.now() < edition.jury_locks_at:
        return _("Stage 1 and the jury (scores lock on %(date)s)") % {
            "date": show_date(edition.jury_locks_at)
        }
    if edition.results_published_at is None:
        return _("Waiting for the results (announced on %(date)s)") % {"date": show_date(edition.results_on)}
    if today <= edition.appeals_close:
        return _("Results published; appeals until %(date)s") % {"date": show_date(edition.appeals_close)}
    return _("Closed")


def decimal_text(value) -> str:
    """A decimal as the reader writes it: no trailing zeros, no exponent, the language's digits and separator."""
    return formatting.decimal(value)


def _reasons(candidate: Candidate) -> list[str]:
    return [c.message for c in failed(candidate.eligibility)]


# --- staff: editions ------------------------------------------------------------------------------------------


@staff_required
def editions(request):
    rows = list(Edition.objects.select_related("province"))
    for e in rows:
        e.phase_text = phase(e)
    return render(request, "festival/edition_list.html", {"editions": rows})


@staff_required
def edition(request, number: int):
    e = _edition(number)
    counts = Counter()
    for category_id, status in (
        Candidate.objects.for_user(request.user).filter(edition=e).values_list("category_id", "status")
    ):
        counts[(category_id, status)] += 1
    categories = []
    for sector in Sector.objects.filter(is_active=True).order_by("order", "pk"):
        row = {s: counts[(sector.pk, s)] for s in CandidateStatus.values}
        categories.append({"sector": sector, "total": sum(row.values()), **row})
    return render(
        request,
        "festival/edition.html",
        {
            "edition": e,
            "phase": phase(e),
            "categories": categories,
            "total": sum(c["total"] for c in categories),
            "festival_admin": _is_festival_admin(request.user, e),
        },
    )


# --- staff: candidates ----------------------------------------------------------------------------------------


def _candidate_list(request, e: Edition, form=None, status=200):
    rows = list(
        Candidate.objects.for_user(request.user)
        .filter(edition=e)
        .select_related("cooperative", "cooperative__county", "category")
        .order_by("category__order", "category_id", "status", "cooperative__name")
    )
    for c in rows:
        c.reasons = _reasons(c)
    return render(
        request,
        "festival/candidate_list.html",
        {
            "edition": e,
            "candidates": rows,
            "form": form or NominateForm(),
            "may_nominate": can_change(request.user),
            "festival_admin": _is_festival_admin(request.user, e),
        },
        status=status,
    )


@staff_required
def candidates(request, number: int):
    return _candidate_list(request, _edition(number))


@change_required
@require_POST
def nominate(request, number: int):
    e = _edition(number)
    form = NominateForm(request.POST)
    if form.is_valid():
        coop = (
            Cooperative.objects.for_user(request.user)
            .select_related("county")
            .filter(shenasnameh=form.cleaned_data["shenasnameh"])
            .first()
        )
        if coop is None:
            form.add_error(
                "shenasnameh", _("No cooperative of your jurisdiction has this shenasnameh number.")
            )
        else:
            try:
                candidate = candidate_services.candidate_nominate(
                    acting_user=request.user, edition=e, cooperative=coop
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if candidate.status == CandidateStatus.ELIGIBLE:
                    messages.success(request, _("%(name)s was nominated.") % {"name": coop.name})
                else:
                    messages.warning(
                        request,
                        _("%(name)s was nominated but is not eligible: %(reasons)s")
                        % {"name": coop.name, "reasons": " ".join(_reasons(candidate))},
                    )
                return redirect("festival:candidates", number=e.number)
    return _candidate_list(request, e, form=form, status=REFUSED)


@province_staff_required
@require_POST
def recheck(request, number: int):
    e = _edition(number)
    try:
        flagged = candidate_services.candidates_recheck(acting_user=request.user, edition=e)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Eligibility checked again: %(n)s flagged.") % {"n": formatting.number(flagged)}
        )
    return redirect("festival:candidates", number=e.number)


@province_staff_required
@require_POST
def stage1(request, number: int):
    e = _edition(number)
    try:
        written = stage1_compute(acting_user=request.user, edition=e)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Stage 1 computed: %(n)s scores changed.") % {"n": formatting.number(written)}
        )
    return redirect("festival:candidates", number=e.number)


# --- staff: criteria and weights ------------------------------------------------------------------------------


def _criteria_page(request, e: Edition, forms_by_category=None, status=200):
    criteria = list(e.criteria.all())
    weights = {}
    for category_id, criterion_id, percent in Weight.objects.filter(edition=e).values_list(
        "category_id", "criterion_id", "percent"
    ):
        weights[(category_id, criterion_id)] = percent
    admin = _is_festival_admin(request.user, e)
    forms_by_category = forms_by_category or {}
    categories = []
    for sector in Sector.objects.filter(is_active=True).order_by("order", "pk"):
        current = {c.code: weights.get((sector.pk, c.pk)) for c in criteria}
        form = forms_by_category.get(sector.pk)
        if form is None and admin:
            form = WeightsForm(
                criteria=criteria,
                initial_weights={k: decimal_text(v) for k, v in current.items()},
                prefix=sector.code,
            )
        categories.append(
            {
                "sector": sector,
                "weights": [decimal_text(current[c.code]) for c in criteria],
                "total": decimal_text(sum((v for v in current.values() if v is not None), Decimal(0))),
                "form": form,
            }
        )
    for c in criteria:
        c.formula = INDICATORS[c.indicator].formula if c.indicator in INDICATORS else ""
        c.low_text, c.high_text = decimal_text(c.low), decimal_text(c.high)
    return render(
        request,
        "festival/edition_criteria.html",
        {"edition": e, "criteria": criteria, "categories": categories, "festival_admin": admin},
        status=status,
    )


@staff_required
def criteria(request, number: int):
    return _criteria_page(request, _edition(number))


@province_staff_required
@require_POST
def weights(request, number: int, category: str):
    e = _edition(number)
    ensure_festival_admin(request.user, e.province)
    sector = Sector.objects.filter(code=category).first()
    if sector is None:
        raise Http404(_("Category not found."))
    form = WeightsForm(request.POST, criteria=list(e.criteria.all()), prefix=sector.code)
    if form.is_valid():
        try:
            weights_set(acting_user=request.user, edition=e, category=sector, percents=form.percents())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The weights of %(category)s were saved.") % {"category": sector.name}
            )
            return redirect("festival:criteria", number=e.number)
    return _criteria_page(request, e, {sector.pk: form}, status=REFUSED)


# --- the score sheet ------------------------------------------------------------------------------------------


def _evidence_text(e: dict, code: str) -> str:
    kind, label, value = e.get("kind"), e.get("label", ""), e.get("value", "")
    day = None
    try:
        day = datetime.date.fromisoformat(label)
    except (TypeError, ValueError):
        pass
    if kind == "cooperative":
        return _("Registered on %(date)s") % {"date": show_date(day)}
    if kind == "membership-count":
        if label == "women":
            return _("Women members: %(n)s") % {"n": number(value)}
        if label == "all":
            return _("All members: %(n)s") % {"n": number(value)}
        return _("Members on %(date)s: %(n)s") % {"date": show_date(day), "n": number(value)}
    if kind == "project":
        if code == "jobs_created":
            return _("%(title)s: %(n)s jobs") % {"title": label, "n": number(value)}
        return _("%(title)s, opened on %(date)s") % {
            "title": label,
            "date": show_date(datetime.date.fromisoformat(value)),
        }
    if kind == "return":
        if code == "revenue_growth":
            return _("Annual return %(year)s: sales %(amount)s") % {
                "year": digits(label),
                "amount": rial(value),
            }
        if e.get("id") is None:
            return _("Annual return %(year)s: not filed") % {"year": digits(label)}
        if value == "1":
            return _("Annual return %(year)s: filed on time") % {"year": digits(label)}
        return _("Annual return %(year)s: filed late") % {"year": digits(label)}
    if kind == "assembly":
        if value == "1":
            return _("Ordinary general assembly of %(date)s: on time") % {"date": show_date(day)}
        return _("Ordinary general assembly of %(date)s: late") % {"date": show_date(day)}
    if kind == "booth":
        return _("%(exhibition)s, booth %(booth)s") % {"exhibition": label, "booth": digits(value)}
    return f"{label}: {value}"


def _link(e: dict) -> str | None:
    if not e.get("url"):
        return None
    try:
        return reverse(e["url"], args=e.get("args") or [])
    except NoReverseMatch:
        return None


def score_sheet(candidate: Candidate, *, links: bool) -> dict:
    """Every criterion of the edition for a candidate: value, formula, evidence, normalised value (0–100), weight,
    contribution; the total and its parts; the published rank. Six queries, whatever the number of criteria."""
    e = candidate.edition
    criteria = list(e.criteria.all())
    weights = dict(
        Weight.objects.filter(edition=e, category_id=candidate.category_id).values_list(
            "criterion_id", "percent"
        )
    )
    # jurisdiction: the scores of a candidate the caller read through Candidate.objects.for_user (or the
    # representative's own)
    computed = {s.criterion_id: s for s in ComputedScore.objects.filter(candidate=candidate)}
    jury: dict[int, list[Decimal]] = {}
    # jurisdiction: the same candidate's jury scores (their means only are shown, never the jurors)
    for criterion_id, score in JuryScore.objects.filter(candidate=candidate).values_list(
        "criterion_id", "score"
    ):
        jury.setdefault(criterion_id, []).append(score)
    corrected = dict(
        # jurisdiction: the same candidate's accepted appeals
        Appeal.objects.filter(candidate=candidate, status=AppealStatus.ACCEPTED)
        .order_by("decided_at")
        .values_list("criterion_id", "corrected")
    )
    rows, total, computed_part, jury_part = [], Decimal(0), Decimal(0), Decimal(0)
    for c in criteria:
        weight = weights.get(c.pk, Decimal(0))
        row = {"criterion": c, "weight": weight, "kind": c.kind, "evidence": [], "corrected": False}
        if c.kind == CriterionKind.COMPUTED:
            s = computed.get(c.pk)
            row["formula"] = INDICATORS[c.indicator].formula if c.indicator in INDICATORS else ""
            row["computed"] = s is not None
            row["value"] = s.raw if s else None
            row["normalised"] = s.normalised if s else None
            row["evidence"] = [
                {"text": _evidence_text(ev, c.indicator), "url": _link(ev) if links else None}
                for ev in (s.evidence if s else [])
            ]
        else:
            scores = jury.get(c.pk, [])
            row["formula"] = _(
                "The jurors' mean score on %(low)s–%(high)s, as 0–100: 100 × (mean − %(low)s) ÷ (%(high)s − %(low)s)"
            ) % {"low": decimal_text(c.low), "high": decimal_text(c.high)}
            row["jurors"] = len(scores)
            row["value"] = q3(sum(scores) / len(scores)) if scores else None
            row["normalised"] = jury_normalise(scores, c.low, c.high)
        if c.pk in corrected:
            row["normalised"], row["corrected"] = corrected[c.pk], True
        norm = row["normalised"] or Decimal(0)
        row["contribution"] = q3(weight * norm / HUNDRED)
        total += row["contribution"]
        if c.kind == CriterionKind.COMPUTED:
            computed_part += row["contribution"]
        else:
            jury_part += row["contribution"]
        for key in ("value", "normalised", "weight", "contribution"):
            row[f"{key}_text"] = decimal_text(row[key])
        rows.append(row)
    ranking = None
    if e.results_published_at is not None:
        # jurisdiction: the same candidate's published rank
        ranking = Ranking.objects.filter(candidate=candidate).first()
    return {
        "rows": rows,
        "total": decimal_text(q3(total)),
        "computed_part": decimal_text(q3(computed_part)),
        "jury_part": decimal_text(q3(jury_part)),
        "ranking": ranking,
        "ranking_total": decimal_text(ranking.total_score) if ranking else "",
        "checks": [Check.from_json(r) for r in candidate.eligibility],
    }


@staff_required
def candidate(request, number: int, pk: int):
    found = (
        Candidate.objects.for_user(request.user)
        .select_related("edition", "edition__province", "cooperative", "cooperative__county", "category")
        .filter(edition__number=number, pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("Candidate not found."))
    return render(
        request,
        "festival/scoresheet.html",
        {"candidate": found, "edition": found.edition, "portal": False, **score_sheet(found, links=True)},
    )


# --- the representative's portal ------------------------------------------------------------------------------


def open_editions(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Edition.objects.filter(applications_open__lte=today, applications_close__gte=today)


def own_candidacies(user):
    return (
        Candidate.objects.for_user(user)
        .filter(cooperative_id=represented_cooperative_id(user))
        .select_related("edition", "category")
        .order_by("-edition__number")
    )


@representative_required
def portal(request):
    mine = list(own_candidacies(request.user))
    for c in mine:
        c.reasons = _reasons(c)
    applied = {c.edition_id for c in mine}
    return render(
        request,
        "festival/candidate_portal.html",
        {"candidacies": mine, "open": [e for e in open_editions() if e.pk not in applied]},
    )


@representative_required
@require_http_methods(["POST"])
def portal_apply(request, number: int):
    e = _edition(number)
    try:
        candidate = candidate_services.candidate_apply(acting_user=request.user, edition=e)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if candidate.status == CandidateStatus.ELIGIBLE:
            messages.success(request, _("Your application was received; your cooperative is eligible."))
        else:
            messages.warning(
                request,
                _("Your application was received, but your cooperative is not eligible: %(reasons)s")
                % {"reasons": " ".join(_reasons(candidate))},
            )
    return redirect("festival:portal")


@representative_required
def portal_sheet(request, number: int):
    found = own_candidacies(request.user).filter(edition__number=number).select_related("cooperative").first()
    if found is None:
        raise Http404(_("Candidate not found."))
    published = found.edition.results_published_at is not None
    context = {"candidate": found, "edition": found.edition, "portal": True, "published": published}
    if published:
        context.update(score_sheet(found, links=False))
    else:
        context["checks"] = [Check.from_json(r) for r in found.eligibility]
    return render(request, "festival/scoresheet.html", context)
