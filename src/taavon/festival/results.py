"""The ranking of a category (festival.scoring's rules on the edition's rows), publishing it, re-ranking a category
after an appeal (the Ranking's history keeps every earlier place), and the sensitivity of its top three to each
weight.

A candidate's score on a criterion (0–100): a computed criterion's normalised value (stage 1, ComputedScore); a jury
criterion's jurors' mean on its range (scoring.jury_normalise) — the jurors assigned to the category now, minus any
who declared a conflict; nobody scored → 0. An accepted appeal's `corrected` replaces that criterion's score."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.models import User
from taavon.core.formatting import date as show_date
from taavon.festival import scoring
from taavon.festival.models import (
    Appeal,
    AppealStatus,
    Candidate,
    CandidateStatus,
    ComputedScore,
    Conflict,
    CriterionKind,
    Edition,
    JurorAssignment,
    JuryScore,
    Ranking,
)
from taavon.festival.services import ensure_festival_admin, save, weights_of
from taavon.registry.models import Sector


def _candidates(edition: Edition, category: Sector) -> list[Candidate]:
    return list(
        # jurisdiction: the festival's own arithmetic over a whole category (the pages decide who sees the result)
        Candidate.objects.filter(edition=edition, category=category, status=CandidateStatus.ELIGIBLE)
        .select_related("cooperative", "cooperative__county", "category")
        .order_by("applied_at", "pk")
    )


def entries(
    edition: Edition, category: Sector, candidates: list[Candidate] | None = None
) -> list[scoring.Entry]:
    """Every eligible candidate of the category as a scoring.Entry: {criterion code: 0–100}."""
    candidates = _candidates(edition, category) if candidates is None else candidates
    ids = [c.pk for c in candidates]
    scores: dict[int, dict[str, object]] = {pk: {} for pk in ids}
    for cand, code, value in ComputedScore.objects.filter(  # jurisdiction: see _candidates
        candidate__in=ids, criterion__kind=CriterionKind.COMPUTED
    ).values_list("candidate_id", "criterion__code", "normalised"):
        scores[cand][code] = value
    jurors = set(
        JurorAssignment.objects.filter(edition=edition, category=category).values_list("juror_id", flat=True)
    )
    conflicts = set(Conflict.objects.filter(edition=edition).values_list("juror_id", "cooperative_id"))
    coop_of = {c.pk: c.cooperative_id for c in candidates}
    ranges = {c.code: (c.low, c.high) for c in edition.criteria.filter(kind=CriterionKind.JURY)}
    given: dict[tuple[int, str], list] = {}
    for cand, code, juror, score in JuryScore.objects.filter(
        candidate__in=ids
    ).values_list(  # jurisdiction: above
        "candidate_id", "criterion__code", "juror_id", "score"
    ):
        if juror in jurors and (juror, coop_of[cand]) not in conflicts:
            given.setdefault((cand, code), []).append(score)
    for (cand, code), values in given.items():
        low, high = ranges[code]
        scores[cand][code] = scoring.jury_normalise(values, low, high)
    for cand, code, corrected in (
        Appeal.objects.filter(candidate__in=ids, status=AppealStatus.ACCEPTED)  # jurisdiction: above
        .order_by("decided_at", "pk")
        .values_list("candidate_id", "criterion__code", "corrected")
    ):
        scores[cand][code] = corrected  # the latest accepted appeal wins
    return [
        scoring.Entry(
            key=c.pk,
            scores={k: v for k, v in scores[c.pk].items() if v is not None},
            applied=c.applied_at.isoformat(),
            number=c.pk,
        )
        for c in candidates
    ]


def jury_codes(edition: Edition) -> set[str]:
    return set(edition.criteria.filter(kind=CriterionKind.JURY).values_list("code", flat=True))


def category_ranking(*, edition: Edition, category: Sector) -> list[scoring.Row]:
    """The category's ranking now (provisional until published), by scoring.rank's tie rule."""
    return scoring.rank(entries(edition, category), weights_of(edition, category), jury_codes(edition))


def category_sensitivity(*, edition: Edition, category: Sector) -> list[scoring.Sensitivity]:
    """For each weighted criterion: the top three as ranked, and with its weight ±10% of itself."""
    return scoring.sensitivity(entries(edition, category), weights_of(edition, category), jury_codes(edition))


def categories_of(edition: Edition) -> list[Sector]:
    """The categories that have eligible candidates."""
    ids = Candidate.objects.filter(  # jurisdiction: the edition's categories, no cooperative named
        edition=edition, status=CandidateStatus.ELIGIBLE
    ).values_list("category_id", flat=True)
    return list(Sector.objects.filter(pk__in=set(ids)).order_by("order", "name_fa"))


def _write(acting_user: User, edition: Edition, category: Sector, reason: str) -> int:
    rows = category_ranking(edition=edition, category=category)
    kept = set()
    for row in rows:
        kept.add(row.key)
        ranking = Ranking.objects.select_for_update().filter(candidate_id=row.key).first()
        if ranking is None:
            ranking = Ranking(candidate_id=row.key)
        elif (ranking.rank, ranking.computed_score, ranking.jury_score, ranking.total_score) == (
            row.rank,
            row.computed,
            row.jury,
            row.total,
        ):
            continue
        ranking.rank = row.rank
        ranking.computed_score = row.computed
        ranking.jury_score = row.jury
        ranking.total_score = row.total
        save(ranking, acting_user, reason)
    # a candidate no longer eligible leaves the ranking (its history keeps where it stood)
    for stale in Ranking.objects.filter(  # jurisdiction: see _candidates
        candidate__edition=edition, candidate__category=category
    ).exclude(candidate_id__in=kept):
        stale._history_user = acting_user
        stale._change_reason = reason
        stale.delete()
    return len(rows)


def results_publish(*, acting_user: User, edition: Edition, now: datetime.datetime | None = None) -> int:
    """After the jury's lock: Ranking rows for every eligible candidate of every category; the edition's
    results_published_at set (`now`, the clock unless given: the demo's past edition). Returns how many candidates
    were ranked."""
    ensure_festival_admin(acting_user, edition.province)
    now = now or timezone.now()
    if now < edition.jury_locks_at:
        raise ValidationError(
            _("The results are published after the jury's scores lock (%(date)s).")
            % {"date": show_date(edition.jury_locks_at)}
        )
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published already."))
    count = 0
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.results_published_at is not None:
            raise ValidationError(_("The results are published already."))
        for category in categories_of(locked):
            count += _write(acting_user, locked, category, _("Results published"))
        locked.results_published_at = now
        locked.version += 1
        save(locked, acting_user, _("Results published"))
    edition.results_published_at, edition.version = locked.results_published_at, locked.version
    return count


def rerank(*, acting_user: User, edition: Edition, category: Sector, reason: str = "") -> int:
    """Rewrites the published Ranking rows of one category (after an accepted appeal); the history keeps the
    earlier ranks, with the reason."""
    ensure_festival_admin(acting_user, edition.province)
    if edition.results_published_at is None:
        raise ValidationError(_("The results are not published yet."))
    with transaction.atomic():
        return _write(acting_user, edition, category, reason or _("Re-ranked"))


# --- for the pages -------------------------------------------------------------------------------------------------


@dataclass
class Line:
    rank: int
    candidate: Candidate
    computed: object
    jury: object
    total: object


@dataclass
class Fragility:
    criterion: object  # a Criterion
    fragile: bool
    top: list  # [Candidate]
    up: list
    down: list


@dataclass
class CategoryResult:
    category: Sector
    lines: list[Line]
    sensitivity: list[Fragility]


def category_result(*, edition: Edition, category: Sector, published: bool) -> CategoryResult:
    """A category's lines (the published Ranking rows, or the provisional ranking) and its sensitivity."""
    candidates = _candidates(edition, category)
    by_pk = {c.pk: c for c in candidates}
    found = entries(edition, category, candidates)
    weights = weights_of(edition, category)
    jury = jury_codes(edition)
    if published:
        lines = [
            Line(r.rank, r.candidate, r.computed_score, r.jury_score, r.total_score)
            for r in Ranking.objects.filter(  # jurisdiction: published results
                candidate__edition=edition, candidate__category=category
            )
            .select_related("candidate__cooperative__county", "candidate__category")
            .order_by("rank")
        ]
    else:
        lines = [
            Line(r.rank, by_pk[r.key], r.computed, r.jury, r.total)
            for r in scoring.rank(found, weights, jury)
        ]
    criteria = {c.code: c for c in edition.criteria.all()}
    sens = scoring.sensitivity(found, weights, jury)
    fragility = [
        Fragility(
            criteria[s.criterion],
            s.fragile,
            [by_pk[k] for k in s.top],
            [by_pk[k] for k in s.up],
            [by_pk[k] for k in s.down],
        )
        for s in sens
        if s.criterion in criteria
    ]
    return CategoryResult(category, lines, fragility)
