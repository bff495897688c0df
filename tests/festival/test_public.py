"""The public winners list: anyone, the first three of each category of a published edition with public fields only
(name, county, category, rank, total score) — never a national ID, a phone, a shenasnameh or a member; 404 before the
results are published. A certificate's token (`?t=`) highlights its line, or the page says it is not valid."""

import os
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

from taavon.festival.certificates import SALT, certificate_content, certificate_token
from taavon.members import services as members
from taavon.persian import national_code_check_digit, to_persian_digits
from tests.festival.outputs_setup import NAMES, published_edition

pytestmark = pytest.mark.django_db
URL = reverse("festival:winners", args=[20])


@pytest.fixture
def published(admin_user, lorestan, khorramabad, borujerd):
    return published_edition(acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd])


def _member(admin_user, coop):
    code = "004012345" + national_code_check_digit("004012345")
    person = members.person_register(
        acting_user=admin_user,
        national_code=code,
        first_name="فرشته",
        last_name="ملکشاهی",
        gender="female",
        mobile="09161234567",
    )
    members.membership_add(
        acting_user=admin_user, cooperative=coop, person=person, join_date=coop.registration_date
    )
    return code


def test_anyone_sees_the_first_three_with_public_fields_only(client, published, admin_user):
    _edition, rankings = published
    coop = rankings[0].candidate.cooperative
    code = _member(admin_user, coop)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # what must be there: the edition, the category, ranks, names, counties, total scores
    assert "بیستمین جشنواره تعاونی‌های برتر" in page
    assert rankings[0].candidate.category.name_fa in page
    for name in NAMES[:3]:
        assert name in page
    assert "خرم‌آباد" in page and "بروجرد" in page
    assert "۸۳٫۳۷" in page and "۷۸٫۱۱" in page
    # what must not: the fourth, any identifier, phone, member or person
    assert NAMES[3] not in page
    for ranking in rankings:
        c = ranking.candidate.cooperative
        for value in (c.legal_id, c.shenasnameh, c.registration_number, c.phone):
            assert value not in page and to_persian_digits(value) not in page
    for value in (code, "09161234567", "ملکشاهی", "فرشته"):
        assert value not in page and to_persian_digits(value) not in page
    assert "computed" not in page.lower() and "امتیاز داوران" not in page


def test_signed_in_staff_see_the_same_page(client, published, county_officer):
    client.force_login(county_officer)
    assert client.get(URL).status_code == 200


def test_before_publication_or_for_an_unknown_edition_it_is_404(client, published):
    edition, _rankings = published
    assert client.get(reverse("festival:winners", args=[21])).status_code == 404
    edition.results_published_at = None
    edition.save()
    assert client.get(URL).status_code == 404


def test_a_valid_token_highlights_the_certificates_line(client, published):
    _edition, rankings = published
    response = client.get(URL, {"t": certificate_token(rankings[1])})
    page = response.content.decode()
    assert 'data-testid="token-valid"' in page
    assert page.count('data-testid="highlighted"') == 1
    line = page.split('data-testid="highlighted"')[1].split("</tr>")[0]
    assert NAMES[1] in line and NAMES[0] not in line


def test_a_tampered_token_is_said_not_valid_and_highlights_nothing(client, published):
    _edition, rankings = published
    token = certificate_token(rankings[0])
    forged = signing.dumps(dict(certificate_content(rankings[3]), r=1), salt="not-ours")
    for bad in (token[:-2] + "xy", forged, "garbage"):
        page = client.get(URL, {"t": bad}).content.decode()
        assert 'data-testid="token-invalid"' in page and 'data-testid="highlighted"' not in page


def test_a_certificate_the_ranking_no_longer_matches_is_said_stale(client, published):
    _edition, rankings = published
    token = certificate_token(rankings[0])
    rankings[0].total_score = rankings[0].total_score - 1  # re-ranked after an appeal
    rankings[0].save()
    page = client.get(URL, {"t": token}).content.decode()
    assert 'data-testid="token-stale"' in page and 'data-testid="highlighted"' not in page
    stale = signing.dumps(dict(certificate_content(rankings[0]), r=9), salt=SALT, compress=True)
    assert 'data-testid="token-stale"' in client.get(URL, {"t": stale}).content.decode()


def test_the_list_is_read_in_a_fixed_number_of_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(URL, {"t": certificate_token(published[1][0])})


def test_the_page_in_english(client, published, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL).content.decode()
    assert "The festival's winners" in page or "برگزیدگان جشنواره" in page


def test_a_screenshot_for_a_person_to_look_at(client, published):
    """The page's HTML, for the browser screenshot taken by hand (TAAVON_SCREENSHOTS_DIR)."""
    _edition, rankings = published
    page = client.get(URL, {"t": certificate_token(rankings[0])}).content.decode()
    if os.environ.get("TAAVON_SCREENSHOTS_DIR"):
        target = Path(os.environ["TAAVON_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        (target / "festival-winners.html").write_text(page, encoding="utf-8")
    assert 'data-testid="token-valid"' in page
