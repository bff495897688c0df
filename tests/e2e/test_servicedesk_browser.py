"""The service desk in a real browser: a desk officer files a cooperative's request in the fast form, a county
officer answers and closes it, the cooperative's representative rates the answer in the portal, and the desk's
satisfaction figure moves on the figures page and the dashboard."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory, ensure_reference_data, make_cooperative

pytestmark = pytest.mark.e2e

NAME = "تعاونی صنایع دستی گلیم کوهدشت"
SUBJECT = "پیگیری تسهیلات اشتغال روستایی"


@pytest.fixture
def scenario(transactional_db):
    ensure_reference_data()
    from taavon.places.models import County
    from taavon.servicedesk.models import Category

    if not Category.objects.filter(code="financing").exists():  # a transactional test flushed the seeded list
        Category.objects.create(
            code="financing", name_fa="تسهیلات و تأمین مالی", name_en="Financing", order=1
        )
    khorramabad = County.objects.get(province__code="IR-15", name_en="Khorramabad")
    admin = UserFactory(role="admin", username="e2e-admin")
    desk = UserFactory(
        role="county",
        county=khorramabad,
        province=khorramabad.province,
        username="e2e-desk",
        first_name="سارا",
        last_name="ملکی",
    )
    officer = UserFactory(
        role="county",
        county=khorramabad,
        province=khorramabad.province,
        username="e2e-officer",
        first_name="علی",
        last_name="رضایی",
    )
    coop = make_cooperative(acting_user=admin, county=khorramabad, name=NAME)
    rep = UserFactory(role="representative", cooperative=coop, username="e2e-rep")
    return desk, officer, rep


def _login(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_a_request_is_filed_answered_rated_and_counted(page, scenario, screenshot):
    desk, officer, rep = scenario

    # the figures before: nothing rated yet
    _login(page, officer)
    page.goto("/servicedesk/stats/")
    expect(page.get_by_test_id("desk-satisfaction")).to_contain_text("—")

    # the desk officer files it in the fast form, the cooperative found by its name
    _login(page, desk)
    page.goto("/servicedesk/new/")
    form = page.get_by_test_id("request-form")
    form.locator("#coop-q").fill("گلیم کوهدشت")
    expect(page.get_by_test_id("cooperative-results")).to_contain_text(NAME)
    form.locator("[name=cooperative]").first.check()
    form.locator("[name=requester_mobile]").fill("۰۹۱۶۱۲۳۴۵۶۷")
    form.locator("[name=category]").select_option(label="تسهیلات و تأمین مالی")
    form.locator("[name=subject]").fill(SUBJECT)
    form.locator("[name=assign_to_me]").uncheck()
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("request-code")).to_be_visible()
    code_text = page.get_by_test_id("request-code").inner_text()
    request_url = page.url

    # a county officer answers it and closes it
    _login(page, officer)
    page.goto(request_url)
    reply = page.get_by_test_id("reply-form")
    reply.locator("[name=body]").fill("نامهٔ معرفی به بانک صادر شد؛ با اصل مدارک مراجعه کنید.")
    reply.locator("[name=then]").select_option("answered")
    reply.locator("button[type=submit]").click()
    expect(page.get_by_test_id("request-status")).to_have_text("پاسخ داده شده")
    status = page.get_by_test_id("status-form")
    status.locator("[name=to_status]").select_option("closed")
    status.locator("button[type=submit]").click()
    expect(page.get_by_test_id("request-status")).to_have_text("بسته‌شده")

    # the representative follows it in the portal and rates the answer
    _login(page, rep)
    page.goto("/servicedesk/portal/")
    page.get_by_test_id("portal-requests").get_by_role("link", name=code_text).click()
    expect(page.get_by_test_id("portal-thread")).to_contain_text("نامهٔ معرفی به بانک")
    rate = page.get_by_test_id("portal-rate-form")
    rate.locator("[name=rating][value='5']").check()
    rate.locator("[name=comment]").fill("سریع و روشن بود.")
    rate.locator("button[type=submit]").click()
    expect(page.get_by_test_id("portal-rating")).to_contain_text("۵")
    screenshot(page, "servicedesk-portal-rated")

    # the figures move: one rating, five of five; the dashboard shows the desk's block
    _login(page, officer)
    page.goto("/servicedesk/stats/")
    expect(page.get_by_test_id("desk-satisfaction")).to_contain_text("۵٫۰ از ۵ (۱ امتیاز)")
    expect(page.get_by_test_id("desk-total")).to_contain_text("۱")
    screenshot(page, "servicedesk-stats")
    page.goto("/dashboard/")
    expect(page.get_by_test_id("servicedesk-figures")).to_be_visible()
    expect(page.locator("[data-testid=desk-satisfaction]")).to_contain_text("۵٫۰ از ۵ (۱ امتیاز)")
    expect(page.get_by_test_id("table-desk_county")).to_contain_text("خرم‌آباد")
