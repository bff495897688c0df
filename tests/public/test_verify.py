"""The public verify pages: a card's token says valid, superseded (and what changed, in public terms) or not
authentic — tampered, truncated, another shenasnameh's — never an error page; a change of a field the card does not
show (a phone) keeps it valid. The form takes a card's address or token, or a festival certificate's token."""

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from taavon.festival.certificates import certificate_token
from taavon.registry.cards import (
    NOT_AUTHENTIC,
    SALT,
    SUPERSEDED,
    VALID,
    card_content,
    card_token,
    card_verdict,
    content_hash,
    token_payload,
)
from taavon.registry.services import cooperative_change_status, cooperative_update
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2026, 11, 1)
PHONE = "06633221144"


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک زاگرس")


@pytest.fixture
def token(coop):
    coop.refresh_from_db()
    return card_token(coop, issued_on=ISSUED)


def _page(client, coop, token):
    """The verify page's HTML: 200 for a card that was issued (valid or superseded), 404 for one that was not."""
    response = client.get(reverse("public:verify", args=[coop.shenasnameh, token]))
    html = response.content.decode()
    authentic = 'data-testid="card-not-authentic"' not in html
    assert response.status_code == (200 if authentic else 404)
    return html


def test_the_token_is_short_and_signs_shenasnameh_version_date_and_hash(coop, token):
    payload = token_payload(token)
    assert payload["s"] == coop.shenasnameh and payload["v"] == coop.version and payload["d"] == "2026-11-01"
    assert payload["h"] == content_hash(card_content(coop)) and len(payload["h"]) == 12
    assert len(token) < 130  # the QR code stays small
    assert signing.Signer(salt=SALT).unsign_object(token)["s"] == coop.shenasnameh


def test_a_fresh_card_is_valid_and_the_page_shows_the_register_now(client, coop, token):
    assert card_verdict(coop.shenasnameh, token).state == VALID
    html = _page(client, coop, token)
    assert 'data-testid="card-valid"' in html
    assert "تعاونی پوشاک زاگرس" in html and "خرم" in html
    assert "۱۴۰۵" in html  # issued on 1 November 2026 = 10 Aban 1405, in Persian digits
    assert 'data-testid="card-superseded"' not in html and 'data-testid="card-not-authentic"' not in html


def test_a_name_change_supersedes_the_card_and_the_page_lists_it(client, admin_user, coop, token):
    cooperative_update(
        acting_user=admin_user, cooperative=coop, name="تعاونی پوشاک زاگرس نو", reason="تغییر نام"
    )
    found = card_verdict(coop.shenasnameh, token)
    assert found.state == SUPERSEDED
    assert [(c["key"], c["then"], c["now"]) for c in found.changes] == [
        ("name", "تعاونی پوشاک زاگرس", "تعاونی پوشاک زاگرس نو")
    ]
    html = _page(client, coop, token)
    assert 'data-testid="card-superseded"' in html and 'data-testid="change-name"' in html
    assert "تعاونی پوشاک زاگرس نو" in html


def test_a_status_change_supersedes_the_card(client, admin_user, coop, token):
    cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status="liquidating", reason="تصمیم مجمع"
    )
    coop.refresh_from_db()
    cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status="dissolved", reason="پایان تصفیه"
    )
    found = card_verdict(coop.shenasnameh, token)
    assert found.state == SUPERSEDED
    (change,) = found.changes
    assert change["key"] == "status" and change["then"] == "فعال" and change["now"] == "منحل\u200cشده"
    html = _page(client, coop, token)
    assert 'data-testid="change-status"' in html and "منحل\u200cشده" in html


def test_a_phone_change_keeps_the_card_valid_and_the_phone_is_never_shown(client, admin_user, coop, token):
    cooperative_update(acting_user=admin_user, cooperative=coop, phone=PHONE, reason="تلفن تازه")
    coop.refresh_from_db()
    assert coop.version > token_payload(token)["v"]
    assert card_verdict(coop.shenasnameh, token).state == VALID
    html = _page(client, coop, token)
    assert 'data-testid="card-valid"' in html
    assert PHONE not in html and "۰۶۶۳۳۲۲۱۱۴۴" not in html


def test_a_tampered_token_is_not_authentic(client, coop, token):
    i = len(token) // 2
    tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    assert card_verdict(coop.shenasnameh, tampered).state == NOT_AUTHENTIC
    html = _page(client, coop, tampered)
    assert 'data-testid="card-not-authentic"' in html
    assert "تعاونی پوشاک زاگرس" not in html  # nothing of the record is shown


def test_a_truncated_token_is_not_authentic(client, coop, token):
    for cut in (token[:-1], token[: len(token) // 2], token.split(":")[0], "x"):
        assert card_verdict(coop.shenasnameh, cut).state == NOT_AUTHENTIC
        assert 'data-testid="card-not-authentic"' in _page(client, coop, cut)


def test_a_token_of_another_shenasnameh_is_not_authentic(client, admin_user, khorramabad, coop, token):
    other = make_cooperative(acting_user=admin_user, county=khorramabad)
    assert card_verdict(other.shenasnameh, token).state == NOT_AUTHENTIC
    html = _page(client, other, token)
    assert 'data-testid="card-not-authentic"' in html and other.name not in html


def test_a_forged_token_with_our_payload_but_another_key_is_not_authentic(client, coop):
    payload = {
        "s": coop.shenasnameh,
        "v": coop.version,
        "d": "2026-11-01",
        "h": content_hash(card_content(coop)),
    }
    forged = signing.Signer(key="not-our-secret-key-at-all", salt=SALT).sign_object(payload, compress=True)
    assert card_verdict(coop.shenasnameh, forged).state == NOT_AUTHENTIC
    other_salt = signing.Signer(salt="festival-certificate").sign_object(payload, compress=True)
    assert card_verdict(coop.shenasnameh, other_salt).state == NOT_AUTHENTIC


@pytest.mark.parametrize(
    "shenasnameh,token",
    [
        ("00-0000-00000", "abc"),
        ("<script>alert(1)</script>", "x:y:z"),
        ("' OR 1=1 --", "%00"),
        ("1" * 30, "." * 400),
    ],
)
def test_garbage_is_not_authentic_never_an_error(client, db, shenasnameh, token):
    response = client.get(reverse("public:verify", args=[quote(shenasnameh, safe=""), quote(token, safe="")]))
    assert response.status_code in (200, 404)
    assert "<script>alert(1)" not in response.content.decode()


def test_the_verify_page_is_english_for_an_english_reader(client, admin_user, coop, token):
    cooperative_update(
        acting_user=admin_user, cooperative=coop, name="Zagros Clothing Co-op", reason="rename"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("public:verify", args=[coop.shenasnameh, token])).content.decode()
    assert 'lang="en"' in html and "superseded" in html.lower() and "Zagros Clothing Co-op" in html
    assert "Khorramabad" in html and "Lorestan" in html  # the names in English


# --- the form ------------------------------------------------------------------------------------------------------


def test_the_form_takes_a_cards_address_or_its_bare_token(client, coop, token):
    url = reverse("public:verify", args=[coop.shenasnameh, token])
    for pasted in (f"https://taavon.example{url}", url, token):
        response = client.get(reverse("public:verify_form"), {"t": pasted})
        assert response.status_code == 302 and response["Location"] == url


def test_the_form_says_garbage_is_neither(client, db):
    for pasted in (
        "hello world",
        "<script>alert(1)</script>",
        "x" * 3000,
        "abc\x00def",
        "https://example.com/?t=",
    ):
        response = client.get(reverse("public:verify_form"), {"t": pasted})
        assert response.status_code in (200, 400)
        html = response.content.decode()
        assert "<script>alert(1)" not in html


def test_the_form_says_a_random_token_is_not_authentic(client, db):
    response = client.get(
        reverse("public:verify_form"), {"t": "eyJzIjoiMTUtMTQwNC0wMDAwMSJ9:1abcde:XYZxyz0123"}
    )
    assert response.status_code == 400
    assert 'data-testid="verify-error"' in response.content.decode()


def test_the_empty_form(client, db):
    response = client.get(reverse("public:verify_form"))
    assert response.status_code == 200 and 'data-testid="verify-form"' in response.content.decode()


@pytest.fixture
def published(admin_user, lorestan, khorramabad, borujerd):
    from tests.festival.outputs_setup import published_edition

    return published_edition(acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd])


def test_a_festival_certificates_token_is_checked(client, published):
    first = published[1][0]
    token = certificate_token(first)
    response = client.get(reverse("public:verify_form"), {"t": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="certificate-valid"' in html
    assert "بیستمین جشنواره تعاونی‌های برتر" in html and "رتبهٔ اول" in html
    assert first.candidate.cooperative.name in html and first.candidate.category.name_fa in html
    # the winners list's address with ?t= works too
    winners = f"https://taavon.example{reverse('festival:winners', args=[20])}?t={token}"
    assert (
        'data-testid="certificate-valid"'
        in client.get(reverse("public:verify_form"), {"t": winners}).content.decode()
    )


def test_a_certificate_no_longer_current_says_so(client, published):
    from taavon.festival.models import Ranking

    first = published[1][0]
    token = certificate_token(first)
    Ranking.objects.filter(pk=first.pk).update(total_score=first.total_score - 1)  # as after an appeal
    html = client.get(reverse("public:verify_form"), {"t": token}).content.decode()
    assert 'data-testid="certificate-stale"' in html and first.candidate.cooperative.name in html


def test_a_tampered_certificate_token_is_not_authentic(client, published):
    token = certificate_token(published[1][0])
    response = client.get(reverse("public:verify_form"), {"t": token[:-3] + "AAA"})
    assert response.status_code == 400 and 'data-testid="verify-error"' in response.content.decode()


def test_superseded_without_the_versions_history_says_the_details_are_missing(
    client, admin_user, coop, token
):
    cooperative_update(
        acting_user=admin_user, cooperative=coop, name="تعاونی پوشاک زاگرس نو", reason="تغییر نام"
    )
    coop.history.filter(version=token_payload(token)["v"]).delete()
    found = card_verdict(coop.shenasnameh, token)
    assert found.state == SUPERSEDED and found.history_missing and not found.changes
    assert 'data-testid="card-superseded"' in _page(client, coop, token)


def test_persian_digits_in_the_address_verify_too(client, coop, token):
    from taavon.persian import to_persian_digits

    assert card_verdict(to_persian_digits(coop.shenasnameh), token).state == VALID
