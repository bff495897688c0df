"""The festival's outputs: the public winners list (public fields only: name, county, category, rank, total score —
never a national code, a phone or a member), and the winners' certificates (staff of the candidate's jurisdiction; the
representative of the winning cooperative, from the portal). Nothing before the results are published (404)."""

from itertools import groupby

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from taavon.accounts.access import representative_required, staff_required
from taavon.festival.certificates import certificate_filename, certificate_pdf, score_text, verdict
from taavon.festival.models import Edition, Ranking
from taavon.festival.scoring import TOP


def _published(number: int) -> Edition:
    return get_object_or_404(Edition, number=number, results_published_at__isnull=False)


def _winners(edition: Edition):
    return list(
        # jurisdiction: the public winners list — the first three of each category of published results, read for
        # anyone; the page shows only public fields (see `_public_row`)
        Ranking.objects.filter(candidate__edition=edition, rank__lte=TOP)
        .select_related("candidate__edition", "candidate__category", "candidate__cooperative__county")
        .order_by("candidate__category__order", "candidate__category__name_fa", "rank")
    )


def _public_row(ranking: Ranking, highlighted: Ranking | None) -> dict:
    """The public fields of a winner, and nothing else: the template never sees the cooperative's record."""
    coop = ranking.candidate.cooperative
    return {
        "rank": ranking.rank,
        "name": coop.name,
        "county": coop.county.name,
        "total_score": score_text(ranking.total_score),
        "highlighted": highlighted is not None and highlighted.pk == ranking.pk,
    }


@require_GET
def winners(request, number: int):
    """Anyone: the winners of a published edition, per category; `?t=<token>` (a certificate's QR code) highlights
    the certificate's line, or says the token is not valid."""
    edition = _published(number)
    rankings = _winners(edition)
    found = verdict(request.GET.get("t"), rankings)
    highlighted = found.ranking if found and found.state == "valid" else None
    categories = [
        {"category": category, "rows": [_public_row(r, highlighted) for r in rows]}
        for category, rows in groupby(rankings, key=lambda r: r.candidate.category)
    ]
    context = {"edition": edition, "categories": categories, "verdict": found}
    return render(request, "festival/public_winners.html", context)


def _pdf(request, ranking: Ranking) -> HttpResponse:
    verify_url = request.build_absolute_uri(
        reverse("festival:winners", args=[ranking.candidate.edition.number])
    )
    response = HttpResponse(certificate_pdf(ranking, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate_filename(ranking)}"'
    return response


def _certificate_rankings(user, number: int):
    return (
        Ranking.objects.for_user(user)
        .select_related(
            "candidate__edition__province", "candidate__category", "candidate__cooperative__county"
        )
        .filter(
            candidate__edition__number=number,
            candidate__edition__results_published_at__isnull=False,
            rank__lte=TOP,
        )
    )


@staff_required
@require_GET
def certificate(request, number: int, pk: int):
    """Staff of the candidate's jurisdiction: a winner's certificate (404 outside it, before the results, or for a
    candidate who is not among the first three)."""
    ranking = get_object_or_404(_certificate_rankings(request.user, number), candidate_id=pk)
    return _pdf(request, ranking)


@representative_required
def portal_certificate(request, number: int):
    """The representative of a winning cooperative: its own certificate of the edition (404 when it has none)."""
    ranking = _certificate_rankings(request.user, number).first()
    if ranking is None:
        raise Http404
    return _pdf(request, ranking)
