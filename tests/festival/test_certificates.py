"""The winners' certificates: a Persian A4 landscape PDF (WeasyPrint, Vazirmatn) with the edition, the category, the
rank, the cooperative, the date and a QR code whose URL carries a signed token over the certificate's content. Only
the first three of a published ranking; staff of the candidate's jurisdiction, or the winner's representative.

The PDF is rendered to PNG (pdftoppm) for a person to look at — into $TAAVON_SCREENSHOTS_DIR when set."""

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from taavon.festival.certificates import (
    SALT,
    certificate_check,
    certificate_content,
    certificate_context,
    certificate_html,
    certificate_pdf,
    certificate_token,
    matches,
)
from taavon.persian import to_persian_digits
from tests.factories import UserFactory
from tests.festival.outputs_setup import NAMES, published_edition

pytestmark = pytest.mark.django_db
VERIFY = "https://taavon.example/festival/20/winners/"


@pytest.fixture
def published(admin_user, lorestan, khorramabad, borujerd):
    return published_edition(acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd])


@pytest.fixture
def first(published):
    return published[1][0]


def _url(ranking):
    return reverse("festival:certificate", args=[20, ranking.candidate_id])


def test_the_certificate_says_edition_category_rank_cooperative_and_date_in_persian(first):
    html = certificate_html(first, verify_url=VERIFY)
    assert 'lang="fa" dir="rtl"' in html
    assert "بیستمین جشنواره تعاونی‌های برتر" in html
    assert "رتبهٔ اول" in html
    assert NAMES[0] in html and first.candidate.category.name_fa in html
    shenasnameh = first.candidate.cooperative.shenasnameh
    body = html.split("<body>")[1]
    assert shenasnameh not in body and to_persian_digits(shenasnameh) in body  # Persian digits only
    assert "۸۳٫۳۷" in html or "۸۳.۳۷" in html  # the total score, 83.37
    assert "<svg" in html and 'class="segno"' in html  # the QR code
    assert "Vazirmatn-Regular.ttf" in html


def test_the_certificate_is_persian_even_for_an_english_reader(first):
    from django.utils import translation

    with translation.override("en"):
        html = certificate_html(first, verify_url=VERIFY)
    body = html.split("<body>")[1]
    assert "First place" not in body and "رتبهٔ اول" in body


def test_the_token_verifies_and_a_tampered_one_does_not(first, published):
    token = certificate_token(first)
    content = certificate_check(token)
    assert content == {
        "e": 20,
        "c": first.candidate.category.code,
        "r": 1,
        "k": first.candidate.cooperative_id,
        "s": "83.370",
    }
    assert matches(first, content)
    assert not matches(published[1][1], content)
    # one character changed, the signature cut off, another salt, forged content: none verifies
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert certificate_check(tampered) is None
    assert certificate_check(token.rsplit(":", 1)[0]) is None
    assert certificate_check(signing.dumps(certificate_content(first), salt="another")) is None
    forged = dict(content, r=1, k=published[1][2].candidate.cooperative_id)
    assert certificate_check(signing.dumps(forged, salt="another")) is None
    assert certificate_check("") is None and certificate_check("nonsense") is None
    # a signed token whose content the ranking no longer has (re-ranked) verifies but does not match
    stale = signing.dumps(dict(content, s="90.000"), salt=SALT, compress=True)
    assert certificate_check(stale) is not None and not matches(first, certificate_check(stale))


@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdffonts) is not installed"
)
def test_the_pdf_is_a4_landscape_one_page_with_vazirmatn_only(first, tmp_path):
    pdf = certificate_pdf(first, verify_url=VERIFY)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert names and all(name.startswith("Vazirmatn") for name in names), fonts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_the_certificate_rendered_to_png_for_a_person_to_look_at(first, tmp_path):
    (tmp_path / "certificate.pdf").write_bytes(certificate_pdf(first, verify_url=VERIFY))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-singlefile",
            str(tmp_path / "certificate.pdf"),
            str(tmp_path / "cert"),
        ],
        check=True,
    )
    png = tmp_path / "cert.png"
    assert png.exists() and png.stat().st_size > 10_000
    if os.environ.get("TAAVON_SCREENSHOTS_DIR"):
        target = Path(os.environ["TAAVON_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, target / "festival-certificate.png")
        shutil.copy(tmp_path / "certificate.pdf", target / "festival-certificate.pdf")


# --- the pages -----------------------------------------------------------------------------------------------------


def test_staff_of_the_candidates_county_download_it(client, county_officer, first):
    client.force_login(county_officer)
    response = client.get(_url(first))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "certificate-20-" in response["Content-Disposition"]


def test_outside_the_jurisdiction_before_publication_or_below_the_third_it_is_404(
    client, county_officer, published
):
    edition, rankings = published
    client.force_login(county_officer)  # Khorramabad: the first and the third are its
    assert client.get(_url(rankings[1])).status_code == 404  # Borujerd's
    assert client.get(reverse("festival:certificate", args=[21, rankings[0].candidate_id])).status_code == 404
    rankings[3].candidate.cooperative.county = rankings[0].candidate.cooperative.county
    assert client.get(_url(rankings[3])).status_code == 404  # the fourth: no certificate
    edition.results_published_at = None
    edition.save()
    assert client.get(_url(rankings[0])).status_code == 404


def test_a_representative_or_a_juror_is_refused_the_staff_url(client, first):
    rep = UserFactory(role="representative", cooperative=first.candidate.cooperative, username="rep-cert")
    client.force_login(rep)
    assert client.get(_url(first)).status_code == 403
    client.force_login(UserFactory(role="juror", username="juror-cert"))
    assert client.get(_url(first)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, first):
    response = client.get(_url(first))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_winners_representative_downloads_their_own_from_the_portal(client, published, county_officer):
    _edition, rankings = published
    url = reverse("festival:portal_certificate", args=[20])
    client.force_login(UserFactory(role="representative", cooperative=rankings[0].candidate.cooperative))
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # the fourth's representative has no certificate; staff use the staff URL
    client.force_login(UserFactory(role="representative", cooperative=rankings[3].candidate.cooperative))
    assert client.get(url).status_code == 404
    client.force_login(county_officer)
    assert client.get(url).status_code == 403


def test_the_qr_opens_the_winners_list_with_the_token(first):
    url = certificate_context(first, verify_url=VERIFY)["url"]
    assert url.startswith(VERIFY + "?t=")
    token = parse_qs(urlsplit(url).query)["t"][0]
    assert certificate_check(token)["s"] == str(Decimal("83.370"))
