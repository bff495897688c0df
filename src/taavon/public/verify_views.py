"""The public verify pages (no login): an identity card's QR code opens /verify/<shenasnameh>/<token>/, which says
«valid», «superseded» (and what changed, in public terms) or «not authentic»; the form at /verify/ takes a card's
address or token, or a festival certificate's token, pasted (`?t=`). Bad input is a message, never an error page;
nothing but the card's public fields and a certificate's public facts is shown."""

import re
from urllib.parse import parse_qs, unquote, urlsplit

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from taavon.festival.certificates import certificate_check, rank_label, verdict
from taavon.festival.models import Edition, Ranking
from taavon.festival.scoring import TOP
from taavon.registry.cards import NOT_AUTHENTIC, card_verdict, token_payload, verify_path

MAX_INPUT = 2000
CARD_ADDRESS = re.compile(r"/verify/([^/?#\s]{1,40})/([^/?#\s]{1,500})/?")


def _certificate(token: str) -> dict | None:
    """A festival certificate's public facts and whether it is still current, or None when the token is not one."""
    content = certificate_check(token)
    if content is None:
        return None
    # jurisdiction: published festival results are public (the winners list shows the same)
    edition = Edition.objects.filter(number=content["e"], results_published_at__isnull=False).first()
    if edition is None:
        return None
    # jurisdiction: the first three of each category of a published edition are public (the winners list)
    rankings = list(
        Ranking.objects.filter(candidate__edition=edition, rank__lte=TOP).select_related(
            "candidate__category", "candidate__cooperative__county", "candidate__edition"
        )
    )
    found = verdict(token, rankings)
    current = found.ranking if found.state == "valid" else None
    issued = next(
        (
            r
            for r in rankings
            if r.candidate.cooperative_id == content["k"] and r.candidate.category.code == content["c"]
        ),
        None,
    )
    # the facts the certificate states (its signed content), named from the published results
    source = current or issued
    category = source.candidate.category.name if source else _category_name(content["c"])
    if source:
        coop = source.candidate.cooperative
        cooperative = {"name": coop.name, "shenasnameh": coop.shenasnameh, "county": coop.county.name}
    else:
        cooperative = _cooperative(content["k"]) or {"name": "", "shenasnameh": "", "county": ""}
    return {
        "state": found.state,
        "edition_title": edition.title,
        "edition_number": edition.number,
        "category": category,
        "rank": rank_label(content["r"]),
        "cooperative": cooperative["name"],
        "shenasnameh": cooperative["shenasnameh"],
        "county": cooperative["county"],
        "now_rank": rank_label(issued.rank) if issued and not current else "",
    }


def _category_name(code: str) -> str:
    from taavon.registry.models import Sector

    # jurisdiction: the festival's categories (the registry's sectors) are a public list
    sector = Sector.objects.filter(code=code).first()
    return sector.name if sector else code


def _cooperative(pk: int):
    """The certificate's cooperative when an appeal took it out of the first three: its public row's names."""
    from taavon.public.selectors import StandingRule, cooperative_rows, public_row
    from taavon.registry.models import Cooperative

    rule = StandingRule.now()
    # jurisdiction: the public register — one record's public fields (public.selectors.cooperative_rows)
    row = cooperative_rows(Cooperative.objects.filter(pk=pk), rule=rule).first()
    if row is None:
        return None
    row = public_row(row, rule)
    return {"name": row["name"], "shenasnameh": row["shenasnameh"], "county": row["county"]}


def _pasted(text: str) -> tuple[str | None, str | None, str]:
    """What was pasted: (shenasnameh, token) of a card's address, or (None, token) of a bare token or a
    certificate's address (`?t=`); the third value is an error message."""
    text = (text or "").strip()
    if not text:
        return None, None, ""
    if len(text) > MAX_INPUT or "\x00" in text:
        return None, None, _("What you pasted is too long or not valid.")
    match = CARD_ADDRESS.search(unquote(text))
    if match:
        return match.group(1), match.group(2), ""
    if "t=" in text:
        token = (parse_qs(urlsplit(text).query).get("t") or [""])[0].strip()
        if token:
            return None, token, ""
    if re.fullmatch(r"[A-Za-z0-9_\-:.]{10,500}", text):
        return None, text, ""
    return None, None, _("This is neither a card's address nor a code of a card or a certificate.")


@require_GET
def verify_form(request):
    """Anyone: paste a card's address or token, or a festival certificate's token (`?t=`)."""
    pasted = request.GET.get("t", "")
    shenasnameh, token, error = _pasted(pasted)
    certificate = None
    card_invalid = False
    if token and not error:
        payload = token_payload(token)
        if shenasnameh is None and payload is not None:
            shenasnameh = payload["s"]
        if shenasnameh is not None:
            try:
                return redirect(verify_path(shenasnameh, token))
            except NoReverseMatch:
                card_invalid = True
        else:
            certificate = _certificate(token)
            if certificate is None:
                error = _(
                    "This code is not authentic: it was not issued by us for a card or a certificate, or it was "
                    "altered or cut short."
                )
    context = {
        "pasted": pasted[:MAX_INPUT],
        "error": error,
        "certificate": certificate,
        "card_invalid": card_invalid,
    }
    return render(request, "public/verify_form.html", context, status=400 if error else 200)


@require_GET
def verify(request, shenasnameh: str, token: str):
    """Anyone: the verdict on an identity card (its QR code opens this page)."""
    found = card_verdict(shenasnameh, token)
    context = {"verdict": found, "authentic": found.state != NOT_AUTHENTIC}
    # not authentic (forged, tampered, truncated, another card's, an unknown number): the page says so, with 404 —
    # no card of that content exists; the answer is the same whatever was wrong, so it tells nothing of the register
    return render(request, "public/verify.html", context, status=200 if context["authentic"] else 404)
