"""A published edition for the outputs' tests (certificates, the public winners list, the exports): Ranking rows
written directly, so these tests do not depend on the jury's and the results' services."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from taavon.festival.models import Candidate, CandidateStatus, Channel, Ranking
from taavon.festival.services import edition_create
from tests.factories import make_cooperative

NAMES = (
    "شرکت تعاونی تولیدی پوشاک بانوان زاگرس",
    "تعاونی فرش دستباف لرستان",
    "تعاونی خیاطی الوند",
    "تعاونی تولیدی پوشاک کوهدشت",
)
SCORES = (  # (computed, jury) → total; the fourth is not a winner
    (Decimal("51.250"), Decimal("32.120")),
    (Decimal("48.100"), Decimal("30.005")),
    (Decimal("40.000"), Decimal("29.500")),
    (Decimal("30.000"), Decimal("20.000")),
)


def published_edition(*, acting_user, province, counties, publish=True):
    """Edition 20 with four ranked candidates of one category (clothing): counties[i % len(counties)]."""
    today = timezone.localdate()
    edition = edition_create(
        acting_user=acting_user,
        number=20,
        year=1404,
        province=province,
        title="بیستمین جشنواره تعاونی‌های برتر",
        applications_open=today - dt.timedelta(days=90),
        applications_close=today - dt.timedelta(days=60),
        jury_locks_at=timezone.now() - dt.timedelta(days=30),
        results_on=today - dt.timedelta(days=20),
        appeals_close=today - dt.timedelta(days=5),
        record_updated_since=today - dt.timedelta(days=365),
    )
    rankings = []
    for i, (name, (computed, jury)) in enumerate(zip(NAMES, SCORES, strict=True)):
        coop = make_cooperative(
            acting_user=acting_user, county=counties[i % len(counties)], name=name, phone="06633221100"
        )
        candidate = Candidate.objects.create(
            edition=edition,
            cooperative=coop,
            category=coop.sector,
            channel=Channel.NOMINATED,
            applied_by=acting_user,
            applied_at=timezone.now() - dt.timedelta(days=80, minutes=-i),
            status=CandidateStatus.ELIGIBLE,
            checked_at=timezone.now() - dt.timedelta(days=80),
        )
        rankings.append(
            Ranking.objects.create(
                candidate=candidate,
                rank=i + 1,
                computed_score=computed,
                jury_score=jury,
                total_score=computed + jury,
            )
        )
    if publish:
        edition.results_published_at = timezone.now() - dt.timedelta(days=20)
        edition.save()
    return edition, rankings
