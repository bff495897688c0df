"""Candidates: a representative applies for their own cooperative through the portal, or a county office nominates
one of its county's cooperatives; both within the edition's application window, one candidacy a cooperative. The
eligibility checks (festival.eligibility) are run and stored with the candidate: an ineligible one is kept, with the
reasons it is told. `candidates_recheck` flags an eligible candidate who no longer is, with the reason (history)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import can_change_in, ensure_can_propose
from taavon.accounts.models import User
from taavon.core.formatting import date as show_date
from taavon.festival.eligibility import Check, eligibility_check, is_eligible
from taavon.festival.models import Candidate, CandidateStatus, Channel, Edition
from taavon.festival.services import ensure_festival_admin, save
from taavon.registry.models import Cooperative

__all__ = ["candidate_apply", "candidate_nominate", "candidates_recheck", "eligibility_check"]


def _window(edition: Edition, today: datetime.date) -> None:
    if not edition.applications_open <= today <= edition.applications_close:
        raise ValidationError(
            _("Applications for this edition are taken from %(open)s to %(close)s.")
            % {"open": show_date(edition.applications_open), "close": show_date(edition.applications_close)}
        )


def _create(
    *,
    acting_user: User,
    edition: Edition,
    cooperative: Cooperative,
    channel: str,
    today: datetime.date | None = None,
) -> Candidate:
    """`today`: the day of the application (today; a day of the demo's past edition)."""
    now = timezone.now()
    if today is not None:
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10)))
    today = today or timezone.localdate()
    _window(edition, today)
    with transaction.atomic():
        # one candidacy a cooperative (the database's constraint too); the lock keeps two clicks from racing
        # jurisdiction: the service checks the cooperative against the acting user before it gets here
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
        if Candidate.objects.filter(edition=edition, cooperative=cooperative).exists():
            raise ValidationError(
                _("%(name)s is already a candidate of this edition.") % {"name": cooperative.name}
            )
        checks = eligibility_check(edition=edition, cooperative=cooperative, today=today)
        candidate = Candidate(
            edition=edition,
            cooperative=cooperative,
            category_id=cooperative.sector_id,
            channel=channel,
            applied_by=acting_user,
            applied_at=now,
            status=CandidateStatus.ELIGIBLE if is_eligible(checks) else CandidateStatus.INELIGIBLE,
            eligibility=[c.as_json() for c in checks],
            checked_at=now,
        )
        save(candidate, acting_user)
    return candidate


def candidate_apply(
    *,
    acting_user: User,
    edition: Edition,
    cooperative: Cooperative | None = None,
    today: datetime.date | None = None,
) -> Candidate:
    """A representative applies for their own cooperative (channel: the portal)."""
    own = ensure_can_propose(acting_user)
    if cooperative is not None and cooperative.pk != own:
        raise PermissionDenied(_("A representative applies for their own cooperative only."))
    # jurisdiction: the representative's own cooperative
    cooperative = cooperative or Cooperative.objects.get(pk=own)
    return _create(
        acting_user=acting_user, edition=edition, cooperative=cooperative, channel=Channel.PORTAL, today=today
    )


def candidate_nominate(
    *, acting_user: User, edition: Edition, cooperative: Cooperative, today: datetime.date | None = None
) -> Candidate:
    """A county office (staff who may change its county's records) nominates a cooperative of its county."""
    if not can_change_in(acting_user, cooperative.county):
        raise PermissionDenied(_("You may nominate only the cooperatives of your county."))
    return _create(
        acting_user=acting_user,
        edition=edition,
        cooperative=cooperative,
        channel=Channel.NOMINATED,
        today=today,
    )


def candidates_recheck(*, acting_user: User, edition: Edition, today: datetime.date | None = None) -> int:
    """Check the eligible candidates again: one who no longer is becomes `flagged`, with the failed checks as the
    reason (a history row names the acting user). Returns how many were flagged."""
    ensure_festival_admin(acting_user, edition.province)
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: eligibility is no longer checked again."))
    today = today or timezone.localdate()
    flagged = 0
    with transaction.atomic():
        candidates = (
            Candidate.objects.select_for_update()
            .filter(edition=edition, status=CandidateStatus.ELIGIBLE)
            .select_related("cooperative")
        )
        for candidate in candidates:
            checks = eligibility_check(edition=edition, cooperative=candidate.cooperative, today=today)
            candidate.eligibility = [c.as_json() for c in checks]
            candidate.checked_at = timezone.now()
            if is_eligible(checks):
                save(candidate, acting_user, "recheck")
                continue
            candidate.status = CandidateStatus.FLAGGED
            save(candidate, acting_user, reasons_text(checks)[:100])
            flagged += 1
    return flagged


def reasons_text(checks: list[Check]) -> str:
    """The failed checks' messages, in the current language."""
    return " ".join(c.message for c in checks if not c.ok)
