"""Appeals: only within the window (after the results are published, on or before appeals_close), by the
candidate's representative or county office, one pending appeal per criterion, a reason required, evidence a PDF or
an image; an accepted appeal re-ranks the category and the Ranking's history keeps the old rank; a rejection needs
its text; the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taavon.festival import appeals, results
from taavon.festival.models import Appeal, AppealStatus, Criterion, Edition, Ranking
from tests.factories import UserFactory, make_cooperative
from tests.festival.jury_setup import lock, make_candidate, make_edition, set_computed, set_weights

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def edition(provincial, lorestan):
    return make_edition(acting_user=provincial, province=lorestan)


@pytest.fixture
def cands(edition, provincial, khorramabad, borujerd):
    out = []
    for i, (name, county, jobs) in enumerate(
        [("تعاونی یکم", khorramabad, 100), ("تعاونی دوم", khorramabad, 60), ("تعاونی سوم", borujerd, 20)]
    ):
        coop = make_cooperative(acting_user=provincial, county=county, name=name)
        cand = make_candidate(edition=edition, cooperative=coop, applied_by=provincial, minutes=i)
        set_computed(cand, "jobs_created", jobs)
        out.append(cand)
    set_weights(edition, out[0].category, {"jobs_created": 50, "principles": 50})
    return out


@pytest.fixture
def published(edition, cands, provincial):
    lock(edition)
    results.results_publish(acting_user=provincial, edition=edition)
    return edition


@pytest.fixture
def rep(cands):
    return UserFactory(role="representative", username="rep-2", cooperative=cands[1].cooperative)


def principles(edition):
    return Criterion.objects.get(edition=edition, code="principles")


def test_before_publication_refused(edition, cands, rep):
    with pytest.raises(ValidationError):
        appeals.appeal_file(acting_user=rep, candidate=cands[1], criterion=principles(edition), reason="چرا؟")
    assert not Appeal.objects.exists()


def test_after_the_window_refused(published, cands, rep):
    past = timezone.localdate() - dt.timedelta(days=2)
    Edition.objects.filter(pk=published.pk).update(results_on=past, appeals_close=past)
    published.refresh_from_db()
    cands[1].edition.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_file(
            acting_user=rep, candidate=cands[1], criterion=principles(published), reason="چرا؟"
        )
    assert exc.value.messages == [appeals.appeal_window_error(published)]
    assert appeals.appeal_window_error(published)  # it names the closing day
    assert not Appeal.objects.exists()


def test_only_the_representative_or_the_county_office(published, cands, rep, county_officer):
    with pytest.raises(PermissionDenied):  # rep-2 speaks for the second, not the first
        appeals.appeal_file(acting_user=rep, candidate=cands[0], criterion=principles(published), reason="x")
    with pytest.raises(PermissionDenied):  # Borujerd is not the Khorramabad officer's county
        appeals.appeal_file(
            acting_user=county_officer, candidate=cands[2], criterion=principles(published), reason="x"
        )
    assert (
        appeals.appeal_file(
            acting_user=county_officer, candidate=cands[0], criterion=principles(published), reason="دلیل"
        ).status
        == AppealStatus.PENDING
    )


def test_reason_required_one_pending_per_criterion_evidence_checked(published, cands, rep):
    c = principles(published)
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_file(acting_user=rep, candidate=cands[1], criterion=c, reason="  ")
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_file(
            acting_user=rep,
            candidate=cands[1],
            criterion=c,
            reason="دلیل",
            evidence=SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf"),
        )
    assert "evidence" in exc.value.error_dict
    appeals.appeal_file(
        acting_user=rep,
        candidate=cands[1],
        criterion=c,
        reason="دلیل",
        evidence=SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_file(acting_user=rep, candidate=cands[1], criterion=c, reason="باز هم")
    assert "criterion" in exc.value.error_dict
    assert Appeal.objects.count() == 1


def test_an_accepted_appeal_reranks_and_the_history_keeps_the_old_rank(published, cands, rep, provincial):
    assert Ranking.objects.get(candidate=cands[1]).rank == 2
    appeal = appeals.appeal_file(
        acting_user=rep, candidate=cands[1], criterion=principles(published), reason="دلیل"
    )
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_decide(acting_user=provincial, appeal=appeal, accept=True, corrected="120")
    assert "corrected" in exc.value.error_dict
    appeals.appeal_decide(
        acting_user=provincial, appeal=appeal, accept=True, corrected="100", decision="پذیرفته شد"
    )
    # 30 + 50 = 80 against the first's 50 + 0
    ranking = Ranking.objects.get(candidate=cands[1])
    assert (ranking.rank, ranking.total_score) == (1, Decimal("80.000"))
    assert [h.rank for h in ranking.history.order_by("history_date")] == [2, 1]
    assert Ranking.objects.get(candidate=cands[0]).rank == 2
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED and appeal.decided_by == provincial
    with pytest.raises(ValidationError):
        appeals.appeal_decide(acting_user=provincial, appeal=appeal, accept=False, decision="دوباره")


def test_a_rejection_needs_its_text_and_changes_no_rank(published, cands, rep, provincial, county_officer):
    appeal = appeals.appeal_file(
        acting_user=rep, candidate=cands[1], criterion=principles(published), reason="دلیل"
    )
    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(acting_user=county_officer, appeal=appeal, accept=False, decision="نه")
    with pytest.raises(ValidationError) as exc:
        appeals.appeal_decide(acting_user=provincial, appeal=appeal, accept=False)
    assert "decision" in exc.value.error_dict
    appeals.appeal_decide(acting_user=provincial, appeal=appeal, accept=False, decision="مستندات کافی نیست")
    assert Ranking.objects.get(candidate=cands[1]).history.count() == 1


def test_the_pages(client, published, cands, rep, provincial):
    client.force_login(rep)
    url = reverse("festival:portal_appeal", args=[published.number])
    page = client.get(url).content.decode()
    assert cands[1].cooperative.name in page and cands[0].cooperative.name not in page
    bad = client.post(url, {"criterion": principles(published).pk, "reason": ""})
    assert bad.status_code == 422 and not Appeal.objects.exists()
    ok = client.post(url, {"criterion": principles(published).pk, "reason": "نمره اصول تعاون کم است"})
    assert ok.status_code == 302
    appeal = Appeal.objects.get()
    client.force_login(provincial)
    page = client.get(reverse("festival:appeals", args=[published.number])).content.decode()
    assert "نمره اصول تعاون کم است" in page and 'data-testid="decide-form"' in page
    refused = client.post(
        reverse("festival:appeal_decide", args=[appeal.pk]), {"outcome": "accept", "corrected": ""}
    )
    assert refused.status_code == 422
    done = client.post(
        reverse("festival:appeal_decide", args=[appeal.pk]), {"outcome": "accept", "corrected": "100"}
    )
    assert done.status_code == 302
    assert Ranking.objects.get(candidate=cands[1]).rank == 1


def test_another_representative_gets_404(client, published, cands):
    stranger = make_cooperative(name="تعاونی بی‌ربط")
    client.force_login(UserFactory(role="representative", username="rep-x", cooperative=stranger))
    assert client.get(reverse("festival:portal_appeal", args=[published.number])).status_code == 404
