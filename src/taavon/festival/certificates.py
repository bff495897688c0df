"""The winners' certificates: an A4 landscape Persian PDF (right to left, Vazirmatn) per winner of a published
ranking — the edition, the category, the rank («رتبهٔ اول»), the cooperative and its shenasnameh, the date — with a QR
code whose URL carries a signed token over the certificate's content (edition, category, rank, cooperative, total
score; django.core.signing, salt "festival-certificate").

The token is checked by the public winners list (`?t=<token>`), which highlights the certificate's line or says the
token is not valid — the public verify page of a later issue will check the same token. A certificate re-ranked by
an appeal no longer matches: its token still verifies (it was issued), but the list says it is no longer current.

Like the summons letter (triage.letters), a certificate is always Persian, and WeasyPrint reads nothing but our own
font files (no network)."""

import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import segno
from django.core import signing
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from taavon.core import formatting
from taavon.core.formatting import digits
from taavon.festival.models import Ranking
from taavon.triage.letters import FONTS, _fetcher

SALT = "festival-certificate"
LANGUAGE = "fa"


def rank_label(rank: int) -> str:
    """«رتبهٔ اول» / "First place"."""
    labels = {1: _("First place"), 2: _("Second place"), 3: _("Third place")}
    return labels.get(rank) or _("Place %(rank)s") % {"rank": digits(rank)}


def score_text(value) -> str:
    """A 0–100 score with two decimals, in the language's digits and decimal separator («۸۳٫۳۷» / "83.37")."""
    return formatting.decimal(value, 2)


def certificate_content(ranking: Ranking) -> dict:
    """What the token signs: edition, category, rank, cooperative id, total score."""
    candidate = ranking.candidate
    return {
        "e": candidate.edition.number,
        "c": candidate.category.code,
        "r": ranking.rank,
        "k": candidate.cooperative_id,
        "s": str(Decimal(ranking.total_score).quantize(Decimal("0.001"))),
    }


def certificate_token(ranking: Ranking) -> str:
    return signing.dumps(certificate_content(ranking), salt=SALT, compress=True)


def certificate_check(token: str | None) -> dict | None:
    """The content a token signs, or None when it is not a valid token (forged, tampered, truncated)."""
    if not token:
        return None
    try:
        content = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(content, dict) or set(content) != {"e", "c", "r", "k", "s"}:
        return None
    return content


def matches(ranking: Ranking, content: dict | None) -> bool:
    """Does a verified token's content still describe this published ranking?"""
    return content is not None and certificate_content(ranking) == content


@dataclass(frozen=True)
class Verdict:
    """What the winners list says of a token: `state` valid (its line is highlighted: `ranking`), stale (signed by
    us, but the published ranking changed since — an accepted appeal), or invalid."""

    state: str
    ranking: Ranking | None = None


def verdict(token: str | None, rankings) -> Verdict | None:
    """The token's verdict against the edition's published rankings (None when no token was given)."""
    if token is None:
        return None
    content = certificate_check(token)
    if content is None:
        return Verdict("invalid")
    for ranking in rankings:
        if matches(ranking, content):
            return Verdict("valid", ranking)
    return Verdict("stale")


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=3, border=1, xmldecl=False, svgns=True, dark="#1b3a5c")
    return buffer.getvalue().decode()


def certificate_context(ranking: Ranking, *, verify_url: str) -> dict:
    """`verify_url`: the absolute URL of the public winners list; the QR opens it with the token."""
    candidate = ranking.candidate
    edition = candidate.edition
    url = f"{verify_url}?{urlencode({'t': certificate_token(ranking)})}"
    return {
        "ranking": ranking,
        "edition": edition,
        "coop": candidate.cooperative,
        "category": candidate.category,
        "rank_label": rank_label(ranking.rank),
        "score": score_text(ranking.total_score),
        "province": edition.province,
        "issued_on": edition.results_on,
        "url": url,
        "qr_svg": qr_svg(url),
        "font_regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
        "font_bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
    }


def certificate_html(ranking: Ranking, *, verify_url: str) -> str:
    with translation.override(LANGUAGE):
        return render_to_string(
            "festival/certificate.html", certificate_context(ranking, verify_url=verify_url)
        )


def certificate_pdf(ranking: Ranking, *, verify_url: str) -> bytes:
    """The certificate as PDF bytes (A4 landscape, one page)."""
    from weasyprint import HTML

    html = certificate_html(ranking, verify_url=verify_url)
    return HTML(string=html, base_url=str(FONTS), url_fetcher=_fetcher()).write_pdf()


def certificate_filename(ranking: Ranking) -> str:
    candidate = ranking.candidate
    return f"certificate-{candidate.edition.number}-{candidate.category.code}-{ranking.rank}.pdf"
