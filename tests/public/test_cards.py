"""The identity card as PDF (A5 and wallet size, Persian and English, a QR code of the verify address): staff of the
record's jurisdiction only; cards in batch (a background task, its progress, one PDF of N pages, for the user who
asked only); the CLI; the registry's print page whose QR code now opens the verify page.

Pages are rendered to PNG (pdftoppm) for a person to look at — into $TAAVON_SCREENSHOTS_DIR when set."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from taavon.registry.cards import VALID, card_context, card_verdict, cards_html, token_payload
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db
PHONE = "06633221144"


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(
        acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک زاگرس", phone=PHONE
    )


def _pages(pdf: bytes) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def _png(pdf: bytes, tmp_path: Path, name: str) -> Path | None:
    """Page 1 as PNG (None without pdftoppm); copied to $TAAVON_SCREENSHOTS_DIR when set, for a person to look at."""
    if not shutil.which("pdftoppm"):
        return None
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(source), str(tmp_path / name)], check=True
    )
    png = next(tmp_path.glob(f"{name}-*1.png"))
    assert png.stat().st_size > 5000
    if os.environ.get("TAAVON_SCREENSHOTS_DIR"):
        target = Path(os.environ["TAAVON_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, target / f"{name}.png")
    return png


# --- the card ------------------------------------------------------------------------------------------------------


def test_the_cards_html_is_persian_rtl_with_the_fields_and_a_qr_of_the_verify_address(coop):
    card = card_context(coop, base_url="https://taavon.example/")
    assert card["url"].startswith(f"https://taavon.example/verify/{coop.shenasnameh}/")
    assert token_payload(card["token"])["s"] == coop.shenasnameh
    html = cards_html([card], size="wallet")
    assert 'lang="fa" dir="rtl"' in html and "85.6mm 54mm" in html
    assert "تعاونی پوشاک زاگرس" in html and "خرم" in html and "لرستان" in html and "فعال" in html
    assert "<svg" in html and "Vazirmatn-Regular.ttf" in html
    body = html.split("<body>")[1]
    assert coop.shenasnameh not in body  # Persian digits only
    assert PHONE not in html and "۰۶۶۳۳۲۲۱۱۴۴" not in html  # never a phone


def test_the_card_is_english_for_an_english_reader(coop):
    with translation.override("en"):
        html = cards_html([card_context(coop, base_url="https://taavon.example")], size="a5")
    assert 'lang="en" dir="ltr"' in html and "Khorramabad" in html and "Issued on" in html
    assert coop.shenasnameh in html


@pytest.mark.parametrize("size", ["a5", "wallet"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_pdf_in_both_sizes_and_languages(client, admin_user, coop, tmp_path, size, language):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("public:card", args=[coop.shenasnameh]), {"size": size})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert ("Khorramabad" in text) == (language == "en")
    _png(pdf, tmp_path, f"card-{size}-{language}")


def test_an_unknown_size_is_the_default(client, admin_user, coop):
    client.force_login(admin_user)
    response = client.get(reverse("public:card", args=[coop.shenasnameh]), {"size": "<script>"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_card_just_issued_verifies(client, admin_user, coop):
    card = card_context(coop, base_url="http://testserver")
    assert card_verdict(coop.shenasnameh, card["token"]).state == VALID
    assert 'data-testid="card-valid"' in client.get(card["url"]).content.decode()


def test_issuing_a_card_writes_nothing(client, admin_user, coop, django_assert_max_num_queries):
    coop.refresh_from_db()
    version, history = coop.version, coop.history.count()
    client.force_login(admin_user)
    assert client.get(reverse("public:card", args=[coop.shenasnameh])).status_code == 200
    coop.refresh_from_db()
    assert coop.version == version and coop.history.count() == history


def test_staff_of_another_county_get_404(client, admin_user, borujerd, coop):
    officer = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bj-t")
    client.force_login(officer)
    assert client.get(reverse("public:card", args=[coop.shenasnameh])).status_code == 404
    assert client.get(reverse("public:card", args=["15-1400-99999"])).status_code == 404


def test_staff_of_the_county_and_viewers_of_the_province_get_the_card(client, coop, county_officer, viewer):
    for user in (county_officer, viewer):
        client.force_login(user)
        assert client.get(reverse("public:card", args=[coop.shenasnameh])).status_code == 200


def test_anonymous_is_sent_to_the_login(client, coop):
    for url in (
        reverse("public:card", args=[coop.shenasnameh]),
        reverse("public:card_batch"),
        reverse("public:card_batch_status", args=["0" * 32]),
        reverse("public:card_batch_download", args=["0" * 32]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_representative_gets_no_card(client, coop):
    representative = UserFactory(role="representative", username="rep-t", cooperative=coop)
    client.force_login(representative)
    assert client.get(reverse("public:card", args=[coop.shenasnameh])).status_code in (403, 404)


# --- in batch ------------------------------------------------------------------------------------------------------


@pytest.fixture
def three(admin_user, khorramabad, borujerd, coop):
    make_cooperative(acting_user=admin_user, county=khorramabad)
    make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
    make_cooperative(acting_user=admin_user, county=borujerd)  # outside the county officer's jurisdiction
    return coop


def test_the_batch_page_counts_the_users_cooperatives(
    client, county_officer, three, django_assert_max_num_queries
):
    client.force_login(county_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("public:card_batch"))
    assert response.status_code == 200
    assert response.context["count"] == 3  # the officer's county only
    response = client.get(reverse("public:card_batch"), {"status": "active"})
    assert response.context["count"] == 2


def test_a_batch_runs_shows_its_progress_and_gives_one_pdf_to_its_user_only(
    client, county_officer, viewer, three, tmp_path
):
    client.force_login(county_officer)
    response = client.post(reverse("public:card_batch"), {"status": "", "size": "wallet"})
    assert response.status_code == 302
    status_url = response["Location"]
    job = status_url.rstrip("/").split("/")[-1]
    page = client.get(status_url)
    assert (
        page.status_code == 200 and 'data-testid="download"' in page.content.decode()
    )  # done at once in tests
    fragment = client.get(status_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and fragment.context["percent"] == 100
    download = client.get(reverse("public:card_batch_download", args=[job]))
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 3
    _png(pdf, tmp_path, "cards-batch-wallet")
    # another user: not found
    client.force_login(viewer)
    assert client.get(status_url).status_code == 404
    assert client.get(reverse("public:card_batch_download", args=[job])).status_code == 404


def test_an_unknown_or_malformed_job_is_404(client, county_officer):
    client.force_login(county_officer)
    for job in ("0" * 32, "not-a-job", "X" * 32, "0" * 33):
        assert client.get(reverse("public:card_batch_status", args=[job])).status_code == 404
        assert client.get(reverse("public:card_batch_download", args=[job])).status_code == 404


def test_a_batch_of_nothing_is_not_started(client, county_officer, three):
    client.force_login(county_officer)
    response = client.post(reverse("public:card_batch"), {"q": "هیچ‌چیزی‌با‌این‌نام‌نیست"})
    assert response.status_code == 200 and response.context["count"] == 0


def test_the_cli_writes_one_pdf(admin_user, three, tmp_path, khorramabad):
    out = tmp_path / "cards.pdf"
    call_command("cards", "--county", str(khorramabad.pk), "--size", "a5", "-o", str(out), verbosity=0)
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 3
    call_command("cards", "--status", "dormant", "--size", "wallet", "-o", str(out), verbosity=0)
    assert _pages(out.read_bytes()) == 1


# --- the registry's print page ---------------------------------------------------------------------------------------


def test_the_print_pages_qr_opens_the_verify_page_and_the_record_links_the_pdf(client, county_officer, coop):
    client.force_login(county_officer)
    response = client.get(reverse("registry:print", args=[coop.shenasnameh]))
    assert response.status_code == 200
    url = response.context["url"]
    assert url.startswith(f"http://testserver/verify/{coop.shenasnameh}/")
    assert reverse("registry:detail", args=[coop.shenasnameh]) not in url
    assert 'data-testid="card-valid"' in client.get(url).content.decode()
    detail = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert reverse("public:card", args=[coop.shenasnameh]) in detail


def test_the_progress_fragment_polls_while_the_batch_runs(client, county_officer):
    from taavon.public import cards_tasks

    job = "a" * 32
    cards_tasks._job_set(job, user=county_officer.pk, state=cards_tasks.RUNNING, done=5, total=10, size="a5")
    client.force_login(county_officer)
    response = client.get(reverse("public:card_batch_status", args=[job]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and response.context["percent"] == 50
    assert "hx-get" in html and 'data-progress="50"' in html and "HX-Refresh" not in response
    assert client.get(reverse("public:card_batch_download", args=[job])).status_code == 302  # not ready yet


def test_the_cli_refuses_an_empty_filter(admin_user, db, tmp_path):
    with pytest.raises(CommandError):
        call_command("cards", "-q", "هیچ‌چیزی‌با‌این‌نام‌نیست", "-o", str(tmp_path / "x.pdf"), verbosity=0)


def test_a_batch_with_filters_not_understood_starts_nothing(client, admin_user, monkeypatch):
    """A county typed as text or an unknown status must not widen the batch to every cooperative: refused, with the
    reasons, and no job."""
    from taavon.public import cards_tasks

    make_cooperative(acting_user=admin_user)
    client.force_login(admin_user)
    started = []
    monkeypatch.setattr(cards_tasks, "batch_start", lambda **kw: started.append(kw) or "0" * 32)
    response = client.post(reverse("public:card_batch"), {"county": "abc", "status": "zz", "size": "zz"})
    assert response.status_code == 400 and not started
    html = response.content.decode()
    assert 'data-testid="batch-errors"' in html and "zz" in html
    # the same filters understood: the batch starts
    response = client.post(reverse("public:card_batch"), {"size": "wallet"})
    assert response.status_code == 302 and len(started) == 1
