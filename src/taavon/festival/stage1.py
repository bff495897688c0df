"""Stage 1: for every eligible candidate of an edition and every computed criterion, the raw value and its evidence
(festival.indicators), normalised within the candidate's category by festival.scoring.normalise (min–max to 0–100;
no value → 0; all equal → 100). Stored as ComputedScore rows, updated in place (their history keeps the earlier
values). Flagged, ineligible and withdrawn candidates are left out: they are not compared with the others."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taavon.accounts.models import User
from taavon.festival.indicators import INDICATORS
from taavon.festival.models import Candidate, CandidateStatus, ComputedScore, CriterionKind, Edition
from taavon.festival.scoring import normalise
from taavon.festival.services import ensure_festival_admin, save


def stage1_compute(*, acting_user: User, edition: Edition) -> int:
    """Compute (again) every eligible candidate's computed scores; returns how many rows were written."""
    ensure_festival_admin(acting_user, edition.province)
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: stage 1 is no longer computed."))
    criteria = list(edition.criteria.filter(kind=CriterionKind.COMPUTED))
    candidates = list(
        Candidate.objects.filter(edition=edition, status=CandidateStatus.ELIGIBLE).select_related(
            "cooperative"
        )
    )
    by_category = defaultdict(list)
    for c in candidates:
        by_category[c.category_id].append(c)
    written = 0
    with transaction.atomic():
        existing = {
            (s.candidate_id, s.criterion_id): s
            for s in ComputedScore.objects.select_for_update().filter(candidate__edition=edition)
        }
        for criterion in criteria:
            indicator = INDICATORS.get(criterion.indicator)
            if indicator is None:
                raise ValidationError(
                    _("Criterion %(code)s names no known indicator.") % {"code": criterion.code}
                )
            for members in by_category.values():
                raw, evidence = {}, {}
                for c in members:
                    raw[c.pk], evidence[c.pk] = indicator.compute(c.cooperative, edition)
                normalised = normalise(raw)
                for c in members:
                    score = existing.get((c.pk, criterion.pk)) or ComputedScore(
                        candidate=c, criterion=criterion
                    )
                    if (
                        score.pk
                        and score.raw == raw[c.pk]
                        and score.normalised == normalised[c.pk]
                        and score.evidence == evidence[c.pk]
                    ):
                        continue
                    score.raw, score.normalised, score.evidence = raw[c.pk], normalised[c.pk], evidence[c.pk]
                    save(score, acting_user, "stage 1")
                    written += 1
    return written
