"""A cooperative's identity card: what it says, the signed token its QR code carries, the verdict on a token, and
the card as PDF (A5 or wallet size; one card or many in one document).

The card's content is the record's public identity: shenasnameh, legal ID, registration number, name, type, sector,
county, province, status and registration date (`CARD_FIELDS`). The token (django.core.signing, salt
"taavon.card"; a Signer, no timestamp) signs a compact payload — {"s": shenasnameh, "v": the record's version, "d": the issue date (ISO),
"h": the first 12 hex digits of the sha256 of the content's canonical JSON} — short, so the QR code stays small.

Verifying a token: a bad signature, a truncated token or a token of another shenasnameh is «not authentic»; a good
one whose `h` is today's content's is «valid»; otherwise the card is «superseded», and what changed is rebuilt from
the record's history (the row of the token's version). A change of a field the card does not show (a phone, an
address) leaves the card valid.

The content names related rows by id (type, sector, county, province): a renamed sector does not supersede a card.
Issuing a card writes nothing (it is logged on the "taavon.cards" logger). Like the festival's certificates,
WeasyPrint reads nothing but our own font files (no network)."""

import datetime
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import segno
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taavon.core import formatting
from taavon.places.models import County
from taavon.registry.models import Cooperative, CooperativeType, Sector, Status

SALT = "taavon.card"
HASH_CHARS = 12
FONTS = Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "fonts"
SIZES = {"a5": ("148mm", "210mm"), "wallet": ("85.6mm", "54mm")}
DEFAULT_SIZE = "a5"
log = logging.getLogger("taavon.cards")

# what the card shows, in order: (key, label)
CARD_FIELDS = [
    ("name", _("Cooperative name")),
    ("shenasnameh", _("Shenasnameh number")),
    ("legal_id", _("National ID")),
    ("registration_number", _("Registration number")),
    ("registration_date", _("Registration date")),
    ("type", _("Type")),
    ("sector", _("Sector")),
    ("county", _("County")),
    ("province", _("Province")),
    ("status", _("Status")),
]
# the record's fields the content is made of (a Cooperative or one of its history rows)
SOURCE_FIELDS = [
    "shenasnameh",
    "legal_id",
    "registration_number",
    "registration_date",
    "name",
    "type_id",
    "sector_id",
    "county_id",
    "status",
]


# --- content and token -----------------------------------------------------------------------------------------------


def card_content(record, *, provinces: dict[int, int] | None = None) -> dict:
    """The card's content (plain values; related rows by id) of a Cooperative or of one of its history rows.
    `provinces`: county id → province id, when the caller has them (a batch); else read."""
    county_id = record.county_id
    if provinces is not None and county_id in provinces:
        province_id = provinces[county_id]
    else:
        # jurisdiction: the province of the record's county (the caller holds the record)
        province_id = County.objects.filter(pk=county_id).values_list("province_id", flat=True).first()
    registered = record.registration_date
    return {
        "shenasnameh": record.shenasnameh,
        "legal_id": record.legal_id or "",
        "registration_number": record.registration_number or "",
        "registration_date": registered.isoformat() if registered else "",
        "name": record.name,
        "type": record.type_id,
        "sector": record.sector_id,
        "county": county_id,
        "province": province_id,
        "status": record.status,
    }


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:HASH_CHARS]


def _signer() -> signing.Signer:
    """No timestamp (a card's issue date is in its payload): seven characters fewer in the QR code."""
    return signing.Signer(salt=SALT)


def card_token(coop: Cooperative, *, issued_on: datetime.date, content: dict | None = None) -> str:
    content = content or card_content(coop)
    payload = {
        "s": coop.shenasnameh,
        "v": coop.version,
        "d": issued_on.isoformat(),
        "h": content_hash(content),
    }
    return _signer().sign_object(payload, compress=True)


def token_payload(token: str | None) -> dict | None:
    """The payload a card's token signs, or None (forged, tampered, truncated, not a card's token)."""
    if not token or len(token) > 500:
        return None
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(payload, dict) or set(payload) != {"s", "v", "d", "h"}:
        return None
    try:
        payload["issued_on"] = datetime.date.fromisoformat(payload["d"])
    except (TypeError, ValueError):
        return None
    if not isinstance(payload["v"], int) or not isinstance(payload["s"], str):
        return None
    return payload


# --- what a card shows -----------------------------------------------------------------------------------------------


def _names(model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    # jurisdiction: reference lists (types, sectors, counties, provinces) are public
    return {row.pk: row.name for row in model.objects.filter(pk__in=ids)} if ids else {}


def shown_values(contents: list[dict]) -> list[dict]:
    """The contents' values as the reader sees them (names in the interface's language, digits, Jalali dates)."""
    from taavon.places.models import Province

    types = _names(CooperativeType, (c["type"] for c in contents))
    sectors = _names(Sector, (c["sector"] for c in contents))
    counties = _names(County, (c["county"] for c in contents))
    provinces = _names(Province, (c["province"] for c in contents))
    statuses = dict(Status.choices)
    out = []
    for c in contents:
        registered = c["registration_date"]
        out.append(
            {
                "name": c["name"],
                "shenasnameh": formatting.digits(c["shenasnameh"]),
                "legal_id": formatting.digits(c["legal_id"]) if c["legal_id"] else "—",
                "registration_number": formatting.digits(c["registration_number"])
                if c["registration_number"]
                else "—",
                "registration_date": formatting.legal_date(datetime.date.fromisoformat(registered))
                if registered
                else "—",
                "type": types.get(c["type"], "—"),
                "sector": sectors.get(c["sector"], "—"),
                "county": counties.get(c["county"], "—"),
                "province": provinces.get(c["province"], "—"),
                "status": str(statuses.get(c["status"], c["status"])),
            }
        )
    return out


def card_rows(shown: dict) -> list[dict]:
    """(label, value) rows of a card, in the card's order."""
    return [{"key": key, "label": label, "value": shown[key]} for key, label in CARD_FIELDS]


def content_changes(then: dict, now: dict) -> list[dict]:
    """What changed between two contents, in public terms: the field's label, the value then and now."""
    keys = [key for key, _label in CARD_FIELDS if then.get(key) != now.get(key)]
    if not keys:
        return []
    shown_then, shown_now = shown_values([then, now])
    labels = dict(CARD_FIELDS)
    return [{"key": k, "label": labels[k], "then": shown_then[k], "now": shown_now[k]} for k in keys]


# --- the verdict -----------------------------------------------------------------------------------------------------

VALID, SUPERSEDED, NOT_AUTHENTIC = "valid", "superseded", "not_authentic"


@dataclass
class CardVerdict:
    """`state`: valid, superseded or not_authentic. For a good signature: the issue date, the card's fields as the
    register has them now (`rows`), and for a superseded card the changes (`changes`; `history_missing` when the
    version's row is not in the history)."""

    state: str
    issued_on: datetime.date | None = None
    rows: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    history_missing: bool = False


def _content_then(coop: Cooperative, version: int, token_hash: str) -> dict | None:
    # jurisdiction: the history of the record whose card is verified (only the card's fields are read)
    rows = list(
        Cooperative.history.filter(id=coop.pk, version=version)
        .only(*SOURCE_FIELDS, "id", "version")
        .order_by("-history_date", "-history_id")
    )
    contents = [card_content(r) for r in rows]
    for content in contents:  # a save that kept the version: the row the card was printed from
        if content_hash(content) == token_hash:
            return content
    return contents[0] if contents else None


def card_verdict(shenasnameh: str, token: str) -> CardVerdict:
    """The verdict on the card `token` for the record `shenasnameh` (any digits). Never raises on bad input."""
    from taavon.persian import to_ascii_digits

    payload = token_payload(token)
    number = to_ascii_digits(shenasnameh or "").strip()
    if payload is None or not number or payload["s"] != number:
        return CardVerdict(NOT_AUTHENTIC)
    # jurisdiction: a card's verification is public — the card's fields only leave (card_rows, content_changes)
    coop = Cooperative.objects.filter(shenasnameh=number).first()
    if coop is None:
        return CardVerdict(NOT_AUTHENTIC)
    now = card_content(coop)
    rows = card_rows(shown_values([now])[0])
    if content_hash(now) == payload["h"]:
        return CardVerdict(VALID, payload["issued_on"], rows)
    then = _content_then(coop, payload["v"], payload["h"])
    if then is None:
        return CardVerdict(SUPERSEDED, payload["issued_on"], rows, history_missing=True)
    return CardVerdict(SUPERSEDED, payload["issued_on"], rows, content_changes(then, now))


# --- the PDF ---------------------------------------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=3, border=1, xmldecl=False, svgns=True, dark="#1b3a5c")
    return buffer.getvalue().decode()


def verify_path(shenasnameh: str, token: str) -> str:
    from django.urls import reverse

    return reverse("public:verify", args=[shenasnameh, token])


def card_context(
    coop: Cooperative,
    *,
    base_url: str,
    issued_on: datetime.date | None = None,
    provinces: dict[int, int] | None = None,
) -> dict:
    """One card: its rows, the token's absolute verify URL (`base_url`: scheme and host) and its QR code."""
    issued_on = issued_on or timezone.localdate()
    content = card_content(coop, provinces=provinces)
    token = card_token(coop, issued_on=issued_on, content=content)
    url = base_url.rstrip("/") + verify_path(coop.shenasnameh, token)
    return {"content": content, "issued_on": issued_on, "url": url, "qr_svg": qr_svg(url), "token": token}


def _fetcher():
    """WeasyPrint's fetcher limited to our font files (a name with a URL in it stays text)."""
    from weasyprint.urls import URLFetcher

    class LocalFonts(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not url.startswith("file://") or not path.is_relative_to(FONTS.resolve()):
                raise ValueError(f"refused: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFonts(allowed_protocols={"file"})


def cards_html(cards: list[dict], *, size: str = DEFAULT_SIZE, province_name: str = "") -> str:
    """The HTML of a document of cards (one a page), in the interface's language."""
    shown = shown_values([c["content"] for c in cards])
    for card, values in zip(cards, shown, strict=True):
        card["rows"] = card_rows(values)
        card["province"] = values["province"]
    width, height = SIZES[size]
    return render_to_string(
        "registry/card.html",
        {
            "cards": cards,
            "size": size,
            "page_width": width,
            "page_height": height,
            "font_regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
            "font_bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
        },
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(FONTS), url_fetcher=_fetcher()).write_pdf()


def cards_pdf(
    coops,
    *,
    base_url: str,
    size: str = DEFAULT_SIZE,
    issued_on: datetime.date | None = None,
    progress=None,
) -> bytes:
    """One PDF document, one card a page, for the cooperatives given (one WeasyPrint document however many).
    `progress(done, total)` is called as the cards are prepared and once more when the PDF is written."""
    if size not in SIZES:
        size = DEFAULT_SIZE
    coops = list(coops)
    total = len(coops)
    # jurisdiction: the provinces of the given records' counties (reference data)
    provinces = dict(
        County.objects.filter(pk__in={c.county_id for c in coops}).values_list("pk", "province_id")
    )
    cards = []
    for i, coop in enumerate(coops, 1):
        cards.append(card_context(coop, base_url=base_url, issued_on=issued_on, provinces=provinces))
        if progress and (i % 20 == 0 or i == total):
            progress(i - 1 if i == total else i, total)  # the last step is the PDF itself
    pdf = html_to_pdf(cards_html(cards, size=size))
    if progress:
        progress(total, total)
    return pdf


def card_pdf(coop: Cooperative, *, base_url: str, size: str = DEFAULT_SIZE, user=None) -> bytes:
    """One cooperative's card (issuing writes nothing; it is logged)."""
    pdf = cards_pdf([coop], base_url=base_url, size=size)
    log.info("card issued: %s (version %s, size %s) by user %s", coop.shenasnameh, coop.version, size, user)
    return pdf
