"""Stage-1-like data for the jury's, the results' and the appeals' tests (ComputedScore rows written directly, so
these tests do not depend on festival.stage1)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from taavon.festival.models import Candidate, CandidateStatus, Channel, ComputedScore, Criterion, Weight
from taavon.festival.services import edition_create
from tests.factories import UserFactory, make_cooperative


def make_edition(*, acting_user, province, number=20, locks_in_days=10):
    today = timezone.localdate()
    return edition_create(
        acting_user=acting_user,
        number=number,
        year=1404,
        province=province,
        applications_open=today - dt.timedelta(days=30),
        applications_close=today - dt.timedelta(days=1),
        jury_locks_at=timezone.now() + dt.timedelta(days=locks_in_days),
        results_on=today + dt.timedelta(days=locks_in_days + 1),
        appeals_close=today + dt.timedelta(days=locks_in_days + 15),
        record_updated_since=today - dt.timedelta(days=365),
    )


def lock(edition, *, days_ago=1):
    """Moves the edition's jury lock into the past."""
    type(edition).objects.filter(pk=edition.pk).update(
        jury_locks_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    edition.refresh_from_db()


def make_candidate(*, edition, cooperative, applied_by, minutes=0, status=CandidateStatus.ELIGIBLE):
    when = timezone.now() - dt.timedelta(days=20) + dt.timedelta(minutes=minutes)
    return Candidate.objects.create(
        edition=edition,
        cooperative=cooperative,
        category=cooperative.sector,
        channel=Channel.NOMINATED,
        applied_by=applied_by,
        applied_at=when,
        status=status,
        checked_at=when,
    )


def set_computed(candidate, code, normalised):
    criterion = Criterion.objects.get(edition=candidate.edition, code=code)
    ComputedScore.objects.update_or_create(
        candidate=candidate, criterion=criterion, defaults={"normalised": Decimal(normalised), "raw": None}
    )


def set_weights(edition, category, percents: dict):
    """Writes the category's weights directly ({code: percent}; the rest 0)."""
    for w in Weight.objects.filter(edition=edition, category=category).select_related("criterion"):
        w.percent = Decimal(percents.get(w.criterion.code, 0))
        w.save()


def make_juror(username="juror-1", **fields):
    return UserFactory(role="juror", username=username, **fields)


def coops(acting_user, county, names):
    return [make_cooperative(acting_user=acting_user, county=county, name=n) for n in names]
