"""Issue 18 in a real browser: the province's press officer picks a past day with the Jalali date picker, writes the
week's paragraph as of that day and publishes it; a month's correction is recorded; the public permalink still shows
the published text, verified, and "what changed since" names the correction, in public terms."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from taavon.core.history import recorded_at
from taavon.persian import format_jalali, to_persian_digits
from tests.factories import (
    PASSWORD,
    UserFactory,
    ensure_reference_data,
    make_cooperative,
    make_facility,
    make_project,
)

pytestmark = pytest.mark.e2e

WEEK = (datetime.date(2025, 9, 2), datetime.date(2025, 9, 8))  # 11–17 Shahrivar 1404


@pytest.fixture
def scenario(transactional_db):
    ensure_reference_data()
    from taavon.places.models import County, Province

    lorestan = Province.objects.get(code="IR-15")
    khorramabad = County.objects.get(province=lorestan, name_en="Khorramabad")
    admin = UserFactory(role="admin", username="e2e-pub-admin")
    officer = UserFactory(
        role="provincial", province=lorestan, username="e2e-press", first_name="زهرا", last_name="کرمی"
    )
    with recorded_at(timezone.now() - datetime.timedelta(days=20)):
        coop = make_cooperative(acting_user=admin, county=khorramabad, name="تعاونی پوشاک زاگرس")
        workshop = make_project(
            acting_user=admin,
            cooperative=coop,
            title="کارگاه پوشاک بانوان",
            stage="opened",
            stage_date=WEEK[0],
            investment_rial=120 * 10**10,
        )
        make_project(
            acting_user=admin,
            cooperative=coop,
            title="فروشگاه صنایع دستی",
            stage="opened",
            stage_date=WEEK[1],
            investment_rial=75 * 10**10,
        )
        make_facility(
            acting_user=admin,
            project=workshop,
            requested_rial=10**10,
            approved_rial=10**10,
            paid_rial=6 * 10**9,
            paid_date=datetime.date(2025, 8, 1),
        )
    return admin, officer, workshop


def _login(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_publish_a_past_days_paragraph_and_see_what_changed_since(
    page, scenario, screenshot, e2e_browser, live_server
):
    admin, officer, workshop = scenario
    _login(page, officer)
    page.goto("/dashboard/press/?province=IR-15&opening_from=1404-06-11&opening_to=1404-06-17")
    expect(page.get_by_test_id("press-paragraph")).to_contain_text("۱۹۵ میلیارد تومان")

    # the picker's calendar is the server's: 17 Shahrivar 1404 is 8 September 2025
    assert page.evaluate("taavonJalali.text(taavonJalali.g2d(2025, 9, 8))") == "۱۴۰۴/۰۶/۱۷"
    # pick the day before yesterday on the Jalali calendar (the month before, when it lies there)
    day = timezone.localdate() - datetime.timedelta(days=2)
    page.click("#as_of")
    picker = page.locator(".jpicker")
    expect(picker).to_be_visible()
    expect(picker.locator(".jpicker-dow").first).to_have_text("ش")  # Saturday first
    shown = format_jalali(day, "short")
    wanted = picker.get_by_role("button", name=to_persian_digits(shown), exact=True)
    if not wanted.count():
        picker.get_by_role("button", name="ماه پیش").click()
    picker.get_by_role("button", name=to_persian_digits(shown), exact=True).click()
    expect(page.locator("#as_of")).to_have_value(to_persian_digits(shown))
    expect(picker).to_be_hidden()
    page.get_by_role("button", name="نوشتن خلاصه").click()
    expect(page.get_by_test_id("as-of")).to_contain_text("ارقام به تاریخ " + format_jalali(day, "long"))
    paragraph = page.get_by_test_id("press-paragraph").inner_text()
    assert "۱۹۵ میلیارد تومان" in paragraph
    screenshot(page, "press-as-of")

    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("publication-text")).to_have_text(paragraph)
    page.get_by_test_id("verify-link").click()
    expect(page.get_by_test_id("verified")).to_be_visible()
    permalink = page.url.split("?")[0]

    # a month later (here: now) the workshop's investment is corrected and its facility paid in full
    from taavon.projects.services import facility_update, project_update

    project_update(acting_user=admin, project=workshop, investment_rial=150 * 10**10)
    facility_update(
        acting_user=admin,
        facility=workshop.facilities.get(),
        paid_rial=10**10,
        paid_date=datetime.date(2025, 9, 1),
    )

    # the public, signed out: the permalink still shows what was published, and what changed since
    public = e2e_browser.new_context(base_url=live_server.url, locale="fa-IR", timezone_id="Asia/Tehran")
    try:
        anon = public.new_page()
        anon.goto(permalink)
        expect(anon.get_by_test_id("publication-text")).to_have_text(paragraph)
        expect(anon.get_by_test_id("publication-as-of")).to_contain_text(format_jalali(day, "long"))
        anon.get_by_test_id("verify-link").click()
        expect(anon.get_by_test_id("verified")).to_be_visible()
        screenshot(anon, "publication-permalink")
        anon.get_by_test_id("changes-link").click()
        figures = anon.get_by_test_id("figures-then-now")
        expect(figures.locator('[data-moved="investment_rial"]')).to_contain_text("۱۹۵ میلیارد تومان")
        expect(figures.locator('[data-moved="investment_rial"]')).to_contain_text("۲۲۵ میلیارد تومان")
        expect(figures.locator('[data-moved="facilities_paid_rial"]')).to_be_visible()
        expect(figures.locator('[data-moved="count"]')).to_have_count(0)
        changed = anon.get_by_test_id("changed-records")
        expect(changed).to_contain_text("کارگاه پوشاک بانوان")
        expect(changed).not_to_contain_text("فروشگاه صنایع دستی")  # unchanged: not listed
        # the public sees the investment project by project; the facilities paid as a total only
        expect(changed.get_by_test_id("change-row")).to_have_count(1)
        expect(anon.get_by_test_id("totals-only")).to_contain_text("تسهیلات پرداخت‌شده")
        expect(anon.get_by_test_id("paragraph-now")).to_contain_text("۲۲۵ میلیارد تومان")
        screenshot(anon, "publication-changes")
    finally:
        public.close()
