"""A representative proposes a general assembly in the portal, the county officer accepts it, the record shows it."""

import datetime
import re
from dataclasses import dataclass

import pytest

from tests.factories import PASSWORD, UserFactory, ensure_reference_data, make_cooperative

pytestmark = pytest.mark.e2e

OURS_NAME = "تعاونی تولیدی پوشاک بانوان خرم\u200cآباد"
THEIRS_NAME = "تعاونی تولیدی پوشاک بروجرد"
DECISIONS = "تصویب صورت\u200cهای مالی سال ۱۴۰۳"
ATTENDEES = "۲۳"  # typed with Persian digits, as on a Persian keyboard
MINUTES_PDF = b"%PDF-1.4\n%%EOF\n"
NO_ASSEMBLY_WARNING = "در ۱۲ ماه گذشته مجمع عمومی عادی برگزار نشده است."


@dataclass
class Scenario:
    officer: object
    representative: object
    ours: object
    theirs: object


@pytest.fixture
def scenario(transactional_db):
    """The test's own data; live_server tests flush the tables, so the reference lists are reloaded first."""
    ensure_reference_data()
    from taavon.places.models import Province
    from taavon.places.selectors import county_find

    lorestan = Province.objects.get(code="IR-15")
    khorramabad = county_find(name="خرم‌آباد", province=lorestan)
    borujerd = county_find(name="بروجرد", province=lorestan)
    assert khorramabad and borujerd
    registrar = UserFactory(role="admin", username="e2e-registrar")
    officer = UserFactory(
        role="county",
        county=khorramabad,
        province=lorestan,
        username="e2e-kh-officer",
        first_name="مریم",
        last_name="کرمی",
    )
    ours = make_cooperative(
        acting_user=registrar,
        county=khorramabad,
        name=OURS_NAME,
        registration_date=datetime.date(2015, 5, 1),
    )
    theirs = make_cooperative(acting_user=registrar, county=borujerd, name=THEIRS_NAME)
    representative = UserFactory(
        role="representative",
        cooperative=ours,
        county=khorramabad,
        province=lorestan,
        username="e2e-representative",
        first_name="زهرا",
        last_name="رضایی",
    )
    return Scenario(officer=officer, representative=representative, ours=ours, theirs=theirs)


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def _status_of(page, url: str) -> int:
    """The HTTP status of a page opened in a second tab of the same session (same cookies). The `page` fixture
    fails the test on any 4xx it sees; these refusals are expected, so they are fetched outside it."""
    probe = page.context.new_page()
    try:
        response = probe.goto(url)
        assert response is not None
        return response.status
    finally:
        probe.close()


def test_representative_proposes_assembly_and_county_officer_accepts_it(page, scenario, screenshot, tmp_path):
    import jdatetime
    from django.utils import timezone
    from playwright.sync_api import expect

    from taavon.members.models import GeneralAssembly, Proposal, ProposalKind, ProposalStatus
    from taavon.persian import format_jalali, to_persian_digits

    # An ordinary assembly about six weeks ago (inside the last twelve months), typed as ۱۴۰۴/۰۵/۰۳.
    held_on = timezone.localdate() - datetime.timedelta(days=45)
    jheld = jdatetime.date.fromgregorian(date=held_on)
    typed_date = to_persian_digits(f"{jheld.year:04d}/{jheld.month:02d}/{jheld.day:02d}")
    assert typed_date == format_jalali(held_on, "short")
    assert not re.search(r"[0-9]", typed_date)
    long_date = format_jalali(held_on)  # e.g. "۱۱ شهریور ۱۴۰۴"
    minutes = tmp_path / "soorat-jalase.pdf"
    minutes.write_bytes(MINUTES_PDF)
    ours_url = f"/cooperatives/{scenario.ours.shenasnameh}/"
    theirs_url = f"/cooperatives/{scenario.theirs.shenasnameh}/"

    # --- The representative lands in their cooperative's portal.
    _log_in(page, scenario.representative)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_test_id("portal-name")).to_have_text(OURS_NAME)
    expect(page.get_by_test_id("whoami")).to_contain_text(str(scenario.representative))
    my_proposals = page.get_by_test_id("my-proposals")
    expect(my_proposals).to_contain_text("پیشنهادی نفرستاده‌اید.")
    expect(page.get_by_test_id("warnings")).to_contain_text(NO_ASSEMBLY_WARNING)

    # --- Propose the assembly.
    page.get_by_role("link", name="مجمع عمومی", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal/propose/assembly/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("پیشنهاد: مجمع عمومی")
    form = page.locator("main form")
    form.locator("input[name=date]").fill(typed_date)
    form.locator("select[name=kind]").select_option("ordinary")
    expect(form.locator("select[name=kind] option:checked")).to_have_text("عادی")
    expect(form.locator("input[name=quorum_present]")).to_be_checked()
    form.locator("input[name=attendees]").fill(ATTENDEES)
    form.locator("textarea[name=decisions]").fill(DECISIONS)
    form.locator("input[name=minutes]").set_input_files(str(minutes))
    form.get_by_role("button", name="فرستادن برای بررسی").click()

    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.locator(".alert-success")).to_contain_text("پیشنهاد شما برای بررسی")
    entry = my_proposals.locator("li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("مجمع عمومی")
    expect(entry).to_contain_text("در انتظار بررسی")
    # Nothing reaches the record before a reviewer accepts it.
    expect(page.get_by_test_id("assemblies")).to_contain_text("مجمعی ثبت نشده است.")
    screenshot(page, "portal-proposal-pending")

    proposal = Proposal.objects.get(cooperative=scenario.ours)
    assert proposal.kind == ProposalKind.ASSEMBLY and proposal.status == ProposalStatus.PENDING
    assert proposal.submitted_by == scenario.representative
    assert proposal.payload["date"] == held_on.isoformat()
    assert proposal.payload["attendees"] == 23
    assert proposal.document
    assert not GeneralAssembly.objects.filter(cooperative=scenario.ours).exists()

    # --- What a representative may not see: staff record pages (even their own: a clear refusal that names the
    # portal) and others' proposals.
    assert _status_of(page, theirs_url) == 403
    assert _status_of(page, ours_url) == 403
    assert _status_of(page, "/reviews/") == 403  # the review queue is for staff

    # --- Log out; the county officer reviews.
    page.get_by_role("button", name="خروج").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _log_in(page, scenario.officer)
    expect(page.get_by_test_id("whoami")).to_contain_text(str(scenario.officer))
    page.goto("/reviews/")
    card = page.get_by_test_id(f"proposal-{proposal.pk}")
    expect(card).to_contain_text("مجمع عمومی")
    expect(card).to_contain_text(OURS_NAME)
    expect(card).to_contain_text(DECISIONS)
    expect(card).to_contain_text(long_date)
    expect(card).to_contain_text(str(scenario.representative))
    expect(card.get_by_role("link", name="پیوست")).to_have_count(1)
    card.get_by_test_id("accept").click()

    expect(page).to_have_url(re.compile(r"/reviews/$"))
    expect(page.locator(".alert-success")).to_contain_text("پذیرفته و در سوابق ثبت شد")
    expect(card).to_have_count(0)
    expect(page.locator("main")).to_contain_text("پیشنهادی در انتظار بررسی نیست.")

    # --- The record shows the assembly, and the audit names the officer.
    page.goto(ours_url)
    expect(page.get_by_test_id("coop-name")).to_have_text(OURS_NAME)
    row = page.get_by_test_id("assemblies").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(long_date)
    expect(row).to_contain_text("عادی")
    expect(row).to_contain_text(DECISIONS)
    expect(row).to_contain_text("۲۳ نفر")
    expect(row.get_by_role("link", name="صورت‌جلسه")).to_have_count(1)
    expect(page.locator(".record")).to_contain_text(long_date)  # last general assembly, derived from records
    audit = (
        page.get_by_test_id("change-history")
        .locator("li.list-group-item")
        .filter(has_text=str(scenario.officer))
    )
    expect(audit).to_have_count(1)
    expect(audit).to_contain_text("تاریخ آخرین مجمع عمومی")
    expect(audit).to_contain_text(long_date)
    expect(page.locator("main")).not_to_contain_text(NO_ASSEMBLY_WARNING)
    screenshot(page, "record-after-accepted-assembly")

    # --- The database agrees.
    assembly = GeneralAssembly.objects.get(cooperative=scenario.ours)
    assert assembly.date == held_on
    assert assembly.kind == "ordinary" and assembly.quorum_present and assembly.attendees == 23
    assert assembly.decisions == DECISIONS
    with assembly.minutes.open("rb") as stored:
        assert stored.read() == MINUTES_PDF
    assert assembly.history.latest().history_user == scenario.officer
    assert assembly.history.earliest().history_user == scenario.officer
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.reviewed_by == scenario.officer
    assert proposal.reviewed_at is not None
    scenario.ours.refresh_from_db()
    assert scenario.ours.last_general_assembly == held_on
    assert scenario.ours.history.latest().history_user == scenario.officer
    assert not GeneralAssembly.objects.filter(cooperative=scenario.theirs).exists()
