"""Stage 2, the jury: jurors assigned to an edition's categories (three a category by default), the conflicts of
interest they declare (from then on they never see that cooperative, and their scores of it are withdrawn), their
scores — only of their assignments, only on a jury criterion, within its range, with a comment, until the lock.

A juror's reads: a juror's jurisdiction over the registry is empty (accounts.jurisdiction); what they see is decided
here, by their assignments minus their conflicts. The pages read through `juror_candidates` / `juror_candidate`,
never through the registry."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import ensure_juror
from taavon.accounts.models import Role, User
from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits, number
from taavon.festival.models import (
    Candidate,
    CandidateStatus,
    Conflict,
    Criterion,
    CriterionKind,
    Edition,
    JurorAssignment,
    JuryScore,
)
from taavon.festival.services import ensure_festival_admin, save
from taavon.registry.models import Cooperative, Sector


class NotYours(ObjectDoesNotExist):
    """A candidate outside the juror's assignment or conflicted: answered as if it did not exist (404)."""


def plain(value) -> str:
    """A decimal as people write it, in the language's digits: 10, 7.5 (never 1E+1)."""
    return digits(f"{Decimal(value).normalize():f}")


def is_locked(edition: Edition, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= edition.jury_locks_at


def _locked_error(edition: Edition) -> ValidationError:
    return ValidationError(
        _("The jury's scores locked on %(date)s; they no longer change.")
        % {"date": show_date(edition.jury_locks_at)}
    )


# --- assignments ---------------------------------------------------------------------------------------------------


@dataclass
class AssignResult:
    assignment: JurorAssignment
    warning: str = ""


def juror_assign(*, acting_user: User, edition: Edition, juror: User, category: Sector) -> AssignResult:
    """A juror to a category of the edition (festival admins). A category with fewer jurors than the edition's
    `jurors_per_category` is told (a warning, not a refusal: the committee may still be appointing)."""
    ensure_festival_admin(acting_user, edition.province)
    if juror.role != Role.JUROR or not juror.is_active:
        raise ValidationError({"juror": [_("Only a user with the role «festival juror» can be assigned.")]})
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: the jury no longer changes."))
    if JurorAssignment.objects.filter(edition=edition, juror=juror, category=category).exists():
        raise ValidationError({"juror": [_("This juror is assigned to this category already.")]})
    with transaction.atomic():
        assignment = JurorAssignment(edition=edition, juror=juror, category=category, assigned_by=acting_user)
        save(assignment, acting_user)
    return AssignResult(assignment, category_shortfall(edition, category))


def juror_unassign(*, acting_user: User, assignment: JurorAssignment) -> str:
    """Removes an assignment (festival admins); the juror's scores in that category stop counting. Returns the
    shortfall warning of the category, if any."""
    edition = assignment.edition
    ensure_festival_admin(acting_user, edition.province)
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: the jury no longer changes."))
    with transaction.atomic():
        assignment._history_user = acting_user
        assignment.delete()
    return category_shortfall(edition, assignment.category)


def category_shortfall(edition: Edition, category: Sector) -> str:
    count = JurorAssignment.objects.filter(edition=edition, category=category).count()
    if count >= edition.jurors_per_category:
        return ""
    return _("%(category)s has %(count)s of the %(needed)s jurors it should have.") % {
        "category": category.name,
        "count": number(count),
        "needed": number(edition.jurors_per_category),
    }


def jurors_per_category(edition: Edition) -> dict[int, list[JurorAssignment]]:
    """{category id: its assignments} for the staff's page."""
    out: dict[int, list[JurorAssignment]] = {}
    for a in JurorAssignment.objects.filter(edition=edition).select_related("juror", "category"):
        out.setdefault(a.category_id, []).append(a)
    return out


# --- what a juror sees ---------------------------------------------------------------------------------------------


def _conflicted(juror: User, edition_ids) -> set[tuple[int, int]]:
    return set(
        Conflict.objects.filter(juror=juror, edition_id__in=edition_ids).values_list(
            "edition_id", "cooperative_id"
        )
    )


def _visible(juror: User, edition: Edition | None = None):
    """The candidates a juror may see: eligible, in a category they are assigned to, not conflicted."""
    assigned = JurorAssignment.objects.filter(juror=juror)
    if edition is not None:
        assigned = assigned.filter(edition=edition)
    pairs = set(assigned.values_list("edition_id", "category_id"))
    if not pairs or not (juror.is_active and juror.role == Role.JUROR):
        return Candidate.objects.none()
    where = Q(pk__in=[])
    for edition_id, category_id in pairs:
        where |= Q(edition_id=edition_id, category_id=category_id)
    conflicts = _conflicted(juror, {e for e, _c in pairs})
    for edition_id, cooperative_id in conflicts:
        where &= ~Q(edition_id=edition_id, cooperative_id=cooperative_id)
    # jurisdiction: a juror's candidates are their assignments minus their conflicts (this module decides)
    return Candidate.objects.filter(where, status=CandidateStatus.ELIGIBLE)


@dataclass
class JurorCandidate:
    candidate: Candidate
    scores: dict[str, JuryScore] = field(default_factory=dict)  # {criterion code: the juror's score}

    @property
    def scored(self) -> int:
        return len(self.scores)


def juror_candidates(*, juror: User, edition: Edition | None = None) -> list[JurorCandidate]:
    """The juror's candidates (of one edition, or of all), with their own scores so far."""
    candidates = list(
        _visible(juror, edition)
        .select_related("edition", "category", "cooperative", "cooperative__county")
        .order_by("-edition__number", "category__order", "cooperative__name")
    )
    scores: dict[int, dict[str, JuryScore]] = {}
    for s in JuryScore.objects.filter(juror=juror, candidate__in=[c.pk for c in candidates]).select_related(
        "criterion"
    ):
        scores.setdefault(s.candidate_id, {})[s.criterion.code] = s
    return [JurorCandidate(c, scores.get(c.pk, {})) for c in candidates]


def juror_scores(*, juror: User, candidate: Candidate) -> dict[str, JuryScore]:
    """{criterion code: the juror's score} of one of their candidates."""
    return {
        s.criterion.code: s
        for s in JuryScore.objects.filter(juror=juror, candidate=candidate).select_related("criterion")
    }


def juror_candidate(*, juror: User, pk: int) -> Candidate:
    """One of the juror's candidates; NotYours (a 404) for any other, whether or not it exists."""
    found = (
        _visible(juror)
        .select_related("edition", "category", "cooperative", "cooperative__county")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotYours
    return found


def juror_conflict_choices(*, juror: User, edition: Edition) -> list[Cooperative]:
    """The cooperatives a juror may declare a conflict with: those of their assigned categories' candidates (not yet
    declared)."""
    return [
        c.cooperative
        for c in _visible(juror, edition).select_related("cooperative").order_by("cooperative__name")
    ]


def juror_editions(juror: User) -> list[Edition]:
    ids = JurorAssignment.objects.filter(juror=juror).values_list("edition_id", flat=True)
    return list(Edition.objects.filter(pk__in=ids).order_by("-number"))


def jury_criteria(edition: Edition) -> list[Criterion]:
    return list(edition.criteria.filter(kind=CriterionKind.JURY).order_by("order", "code"))


# --- conflicts -----------------------------------------------------------------------------------------------------


def conflict_declare(
    *, acting_user: User, edition: Edition, cooperative: Cooperative, reason: str = ""
) -> Conflict:
    """The juror (acting_user) declares a conflict of interest with a cooperative among their candidates: from now
    on they do not see it, and their scores of it are withdrawn (the history keeps them)."""
    ensure_juror(acting_user)
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: conflicts are no longer declared."))
    candidate = _visible(acting_user, edition).filter(cooperative=cooperative).first()
    if candidate is None:
        raise ValidationError({"cooperative": [_("Choose a cooperative among your candidates.")]})
    with transaction.atomic():
        conflict = Conflict(
            edition=edition, juror=acting_user, cooperative=cooperative, reason=reason.strip()
        )
        save(conflict, acting_user)
        for score in JuryScore.objects.filter(candidate=candidate, juror=acting_user):
            score._history_user = acting_user
            score._change_reason = _("Withdrawn: conflict of interest declared")
            score.delete()
    return conflict


# --- scores --------------------------------------------------------------------------------------------------------


def comment_required(criterion: Criterion, score: Decimal) -> bool:
    """A comment is required when the score is at either end of the range (a full or an empty mark is explained);
    optional otherwise."""
    return score in (criterion.low, criterion.high)


def jury_score_set(
    *,
    acting_user: User,
    candidate: Candidate,
    criterion: Criterion,
    score,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> JuryScore:
    """The juror's score of a candidate on a jury criterion: only a candidate of their assignment and not conflicted
    (else NotYours, answered as 404), within [low, high], a comment when the score is at an end of the range,
    before the lock (`now`: the moment of the scoring, for the demo's past edition; the clock otherwise). Changes
    update the score in place (the history keeps the earlier ones)."""
    ensure_juror(acting_user)
    if not _visible(acting_user, candidate.edition).filter(pk=candidate.pk).exists():
        raise NotYours
    edition = candidate.edition
    if criterion.edition_id != edition.pk or criterion.kind != CriterionKind.JURY:
        raise ValidationError({"criterion": [_("Jurors score only the jury's criteria.")]})
    if is_locked(edition, now):
        raise _locked_error(edition)
    try:
        value = Decimal(str(score).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": [_("Give a number.")]}) from None
    if not criterion.low <= value <= criterion.high:
        raise ValidationError(
            {
                "score": [
                    _("A score of %(criterion)s is from %(low)s to %(high)s.")
                    % {
                        "criterion": criterion.name,
                        "low": plain(criterion.low),
                        "high": plain(criterion.high),
                    }
                ]
            }
        )
    comment = (comment or "").strip()
    if not comment and comment_required(criterion, value):
        raise ValidationError({"comment": [_("Explain a score at either end of the range in a comment.")]})
    with transaction.atomic():
        existing = (
            JuryScore.objects.select_for_update()
            .filter(candidate=candidate, criterion=criterion, juror=acting_user)
            .first()
        )
        if existing is None:
            existing = JuryScore(candidate=candidate, criterion=criterion, juror=acting_user)
        elif existing.score == value and existing.comment == comment:
            return existing
        existing.score = value
        existing.comment = comment
        save(existing, acting_user)
    return existing
