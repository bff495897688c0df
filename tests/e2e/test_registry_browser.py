"""A county officer finds a cooperative however its name is typed, and marks it dormant, in a real browser."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import PASSWORD, UserFactory, ensure_reference_data, make_cooperative

pytestmark = pytest.mark.e2e

# Stored with ZWNJ (U+200C) and Persian yeh/kaf; searched below with Arabic yeh (U+064A) and a plain space.
OURS_NAME = "تعاونی سرمایه\u200cگذاری کیمیای خرم\u200cآباد"
THEIRS_NAME = "تعاونی سرمایه\u200cگذاری کیمیای بروجرد"
OTHER_NAME = "تعاونی فرش دستباف زاگرس"
QUERY = "سرما\u064aه گذار\u064a"  # "سرمايه گذاري"
REASON = "عدم تشکیل مجمع عمومی در دو سال گذشته"


@dataclass
class Scenario:
    officer: object
    ours: object
    theirs: object
    other: object


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
    return Scenario(
        officer=officer,
        ours=make_cooperative(acting_user=registrar, county=khorramabad, name=OURS_NAME),
        theirs=make_cooperative(acting_user=registrar, county=borujerd, name=THEIRS_NAME),
        other=make_cooperative(acting_user=registrar, county=khorramabad, name=OTHER_NAME),
    )


def _is_search_response(response, text: str) -> bool:
    query = parse_qs(urlsplit(response.url).query)
    return (
        response.request.method == "GET"
        and response.request.headers.get("hx-request") == "true"
        and query.get("q") == [text]
    )


def test_county_officer_finds_cooperative_by_variant_spelling_and_marks_it_dormant(
    page, scenario, screenshot
):
    from playwright.sync_api import expect

    from taavon.registry.models import Status, StatusChange

    assert QUERY == "سرمايه گذاري" and "\u064a" in QUERY and "\u200c" not in QUERY

    # Log in as the Khorramabad county officer.
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(scenario.officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    # The home page: the panels of what is waiting in the officer's county; the registry is one click away.
    expect(page.get_by_test_id("home-registry")).to_contain_text("فعال")
    expect(page.get_by_test_id("whoami")).to_contain_text(str(scenario.officer))
    page.get_by_test_id("home-registry").get_by_role("link", name="فهرست تعاونی‌ها").click()
    expect(page).to_have_url(re.compile(r"/cooperatives/$"))

    # The officer's county only: two cooperatives before searching.
    table = page.get_by_test_id("coop-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("result-count")).to_have_text("۲ تعاونی")

    # Type the name the way it is often typed (Arabic yeh, a space for the half-space); htmx swaps #results.
    with page.expect_response(lambda r: _is_search_response(r, QUERY)) as search:
        page.locator("#q").press_sequentially(QUERY)
    assert search.value.ok
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(page.get_by_test_id("result-count")).to_have_text("۱ تعاونی")
    expect(rows).to_have_count(1)
    expect(table).to_contain_text(OURS_NAME)
    expect(table).not_to_contain_text(THEIRS_NAME)
    expect(table).not_to_contain_text("بروجرد")
    expect(table).not_to_contain_text(OTHER_NAME)
    screenshot(page, "registry-list-search")

    # Open the record.
    table.get_by_role("link", name=OURS_NAME).click()
    expect(page).to_have_url(re.compile(rf"/cooperatives/{re.escape(scenario.ours.shenasnameh)}/$"))
    expect(page.get_by_test_id("coop-name")).to_have_text(OURS_NAME)
    expect(page.get_by_test_id("coop-status")).to_have_text("فعال")

    # Mark it dormant with a reason.
    form = page.get_by_test_id("status-form")
    form.locator("select[name=to_status]").select_option(label="راکد")
    form.locator("textarea[name=reason]").fill(REASON)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/cooperatives/{re.escape(scenario.ours.shenasnameh)}/$"))
    expect(page.get_by_test_id("coop-status")).to_have_text("راکد")
    entry = page.get_by_test_id("status-history").locator("li").filter(has_text=REASON)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("فعال ← راکد")
    expect(entry).to_contain_text(str(scenario.officer))
    screenshot(page, "registry-record-dormant")

    # The database agrees, and names the officer.
    scenario.ours.refresh_from_db()
    assert scenario.ours.status == Status.DORMANT
    change = StatusChange.objects.get(cooperative=scenario.ours, to_status=Status.DORMANT)
    assert change.from_status == Status.ACTIVE
    assert change.changed_by == scenario.officer
    assert change.reason == REASON
    scenario.theirs.refresh_from_db()
    assert scenario.theirs.status == Status.ACTIVE
