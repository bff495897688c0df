"""A county officer settles a dormant cooperative's fate in a real browser: from the flagged list they open a case,
record a failed contact attempt and a meeting, decide «referred to liquidation» on the meeting's evidence, and see
the record's status history and the dashboard's figures change."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from taavon.persian import format_jalali
from tests.factories import PASSWORD, UserFactory, ensure_reference_data, make_cooperative

pytestmark = pytest.mark.e2e

NAME = "تعاونی فرآورده‌های لبنی سیمره"


@pytest.fixture
def scenario(transactional_db):
    ensure_reference_data()
    from taavon.places.models import County
    from taavon.triage.evaluation import triage_run

    khorramabad = County.objects.get(province__code="IR-15", name_en="Khorramabad")
    admin = UserFactory(role="admin", username="e2e-admin")
    officer = UserFactory(
        role="county",
        county=khorramabad,
        province=khorramabad.province,
        username="e2e-officer",
        first_name="مریم",
        last_name="کرمی",
    )
    coop = make_cooperative(
        acting_user=admin,
        county=khorramabad,
        name=NAME,
        status="dormant",
        last_general_assembly=datetime.date(2021, 5, 1),
        members_women=2,
        members_men=3,
    )
    triage_run(acting_user=admin)
    return officer, coop


def _login(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_an_officer_takes_a_flagged_cooperative_to_liquidation(page, scenario, screenshot):
    officer, coop = scenario
    today = timezone.localdate()
    jtoday = format_jalali(today, "short")
    _login(page, officer)

    # the flagged list: the cooperative, its flags explained, and «open a case»
    page.goto("/triage/")
    row = page.locator("tr", has_text=NAME)
    expect(row).to_contain_text("آخرین مجمع عمومی عادی")
    expect(row).to_contain_text("کمتر از حداقل قانونی")
    row.get_by_role("link", name="تشکیل پرونده").click()

    # open the case
    form = page.get_by_test_id("case-form")
    form.locator("[name=deadline]").fill(format_jalali(today + datetime.timedelta(days=30), "short"))
    form.locator("[name=reason]").fill("هشدار سامانه: مجمع برگزار نشده و اعضا کمتر از حداقل")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("case-title")).to_contain_text(NAME)
    expect(page.get_by_test_id("case-status")).to_have_text("باز")

    # a failed call, then a meeting
    steps = page.get_by_test_id("step-form")
    steps.locator("[name=kind]").select_option("contact")
    steps.locator("[name=date]").fill(jtoday)
    steps.locator("[name=channel]").select_option("phone")
    steps.locator("[name=reached]").select_option("no")
    steps.locator("[name=note]").fill("تلفن ثبت‌شده پاسخ نمی‌دهد.")
    steps.locator("button[type=submit]").click()
    expect(page.get_by_test_id("case-steps")).to_contain_text("تلفن ثبت‌شده پاسخ نمی‌دهد.")
    steps = page.get_by_test_id("step-form")
    steps.locator("[name=kind]").select_option("meeting")
    steps.locator("[name=date]").fill(jtoday)
    steps.locator("[name=note]").fill("هیئت‌مدیره در جلسه گفت فعالیتی ندارد و ادامه نمی‌دهد.")
    steps.locator("button[type=submit]").click()
    expect(page.get_by_test_id("case-steps")).to_contain_text("ادامه نمی‌دهد")

    # the decision, resting on the meeting
    decide = page.get_by_test_id("decide-form")
    decide.locator("[name=outcome]").select_option("liquidation")
    decide.locator("[name=decided_on]").fill(jtoday)
    decide.locator("[name=note]").fill("شرایط قانونی ادامهٔ فعالیت را ندارد.")
    decide.locator("[name=evidence_step]").select_option(index=2)
    decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("case-status")).to_have_text("ارجاع به تصفیه")
    screenshot(page, "triage-case-decided")

    # the record: in liquidation, with the case as the status change's reason
    page.goto(f"/cooperatives/{coop.shenasnameh}/")
    expect(page.get_by_test_id("coop-status")).to_contain_text("در حال تصفیه")
    expect(page.get_by_test_id("status-history")).to_contain_text("تصفیه")

    # the dashboard counts it as settled this year
    page.goto("/dashboard/")
    figures = page.get_by_test_id("table-triage_county")
    expect(figures).to_contain_text("خرم‌آباد")
    kpi = page.locator(".card", has_text="تعیین تکلیف‌شده در امسال")
    expect(kpi).to_contain_text("۱")
    assert re.search(r"ارجاع به تصفیه", figures.inner_text())
