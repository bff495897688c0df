"""Appeals: after the results are published and until the edition's `appeals_close`, a candidate (its
representative, through the portal, or the county office) appeals one criterion's score with a reason and, if it
has one, a document; one pending appeal per criterion. A festival admin decides: accepted with a corrected score
(0–100) — the category is re-ranked and the Ranking's history keeps the earlier place — or rejected with the
decision's text."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import can_change_in, represented_cooperative_id
from taavon.accounts.models import User
from taavon.core.files import validate_document
from taavon.core.formatting import date as show_date
from taavon.festival.models import Appeal, AppealStatus, Candidate, CandidateStatus, Criterion
from taavon.festival.results import rerank
from taavon.festival.services import ensure_festival_admin, save


def may_file(user: User, candidate: Candidate) -> bool:
    if represented_cooperative_id(user) == candidate.cooperative_id:
        return True
    return can_change_in(user, candidate.cooperative.county)


def appeal_window_error(edition, today=None) -> str:
    """Why an appeal cannot be filed now ("" when it can)."""
    today = today or timezone.localdate()
    if edition.results_published_at is None:
        return _("Appeals are filed after the results are published.")
    if today > edition.appeals_close:
        return _("Appeals closed on %(date)s.") % {"date": show_date(edition.appeals_close)}
    return ""


def appeal_file(
    *,
    acting_user: User,
    candidate: Candidate,
    criterion: Criterion,
    reason: str,
    evidence=None,
    now: datetime.datetime | None = None,
) -> Appeal:
    """`now`: the moment of filing (the clock unless given: the demo's past edition)."""
    now = now or timezone.now()
    if not may_file(acting_user, candidate):
        raise PermissionDenied(_("Only the cooperative's representative or its county office can appeal."))
    edition = candidate.edition
    closed = appeal_window_error(edition, timezone.localdate(now))
    if closed:
        raise ValidationError(closed)
    if candidate.status != CandidateStatus.ELIGIBLE:
        raise ValidationError(_("Only a ranked candidate can appeal."))
    errors = {}
    if criterion.edition_id != edition.pk:
        errors["criterion"] = [_("Choose a criterion of this edition.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the score is wrong.")]
    if errors:
        raise ValidationError(errors)
    validate_document(evidence, field="evidence")
    with transaction.atomic():
        if Appeal.objects.filter(  # jurisdiction: the caller may file for this candidate (checked above)
            candidate=candidate, criterion=criterion, status=AppealStatus.PENDING
        ).exists():
            raise ValidationError(
                {"criterion": [_("An appeal of this criterion is waiting for a decision already.")]}
            )
        appeal = Appeal(
            candidate=candidate,
            criterion=criterion,
            reason=reason,
            filed_by=acting_user,
            filed_at=now,
        )
        if evidence is not None:
            appeal.evidence = evidence
        save(appeal, acting_user)
    return appeal


def appeal_decide(
    *,
    acting_user: User,
    appeal: Appeal,
    accept: bool,
    decision: str = "",
    corrected=None,
    now: datetime.datetime | None = None,
) -> Appeal:
    """Accepted: `corrected` (0–100) replaces the criterion's score and the category is re-ranked. Rejected: the
    decision's text is required."""
    edition = appeal.candidate.edition
    ensure_festival_admin(acting_user, edition.province)
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError(_("This appeal is decided already."))
    decision = (decision or "").strip()
    value = None
    if accept:
        try:
            value = Decimal(str(corrected).strip()) if corrected not in (None, "") else None
            if value is not None and not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
        if value is None or not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({"corrected": [_("Give the corrected score, from 0 to 100.")]})
    elif not decision:
        raise ValidationError({"decision": [_("Say why the appeal is rejected.")]})
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(
            pk=appeal.pk
        )  # jurisdiction: a festival admin's decision
        if appeal.status != AppealStatus.PENDING:
            raise ValidationError(_("This appeal is decided already."))
        appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
        appeal.corrected = value
        appeal.decision = decision
        appeal.decided_by = acting_user
        appeal.decided_at = now or timezone.now()
        appeal.version += 1
        save(appeal, acting_user)
        if accept:
            rerank(
                acting_user=acting_user,
                edition=edition,
                category=appeal.candidate.category,
                reason=_("Re-ranked after the appeal of %(criterion)s")
                % {"criterion": appeal.criterion.name},
            )
    return appeal
