"""The inspector's offline app in a real browser, phone-sized (390×844): the inspector opens the app with a network,
the service worker takes it; the network is cut (every request aborted, the service worker's own too); the page is
opened again from the device; a report with a finding, an action and a photo is saved and waits; the network comes
back, the report is sent and arrives once; its finding shows on the cooperative's record."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from taavon.persian import format_jalali, to_persian_digits
from tests.factories import (
    PASSWORD,
    UserFactory,
    ensure_reference_data,
    make_cooperative,
    make_inspector,
    make_visit,
)

pytestmark = pytest.mark.e2e

NAME = "تعاونی فرش دستباف زاغه"
SHOTS = Path(os.environ.get("TAAVON_FIELD_SHOTS", "/tmp/helpers/shots"))


@pytest.fixture
def scenario(transactional_db):
    ensure_reference_data()
    from taavon.places.models import County

    khorramabad = County.objects.get(province__code="IR-15", name_en="Khorramabad")
    borujerd = County.objects.get(province__code="IR-15", name_en="Borujerd")
    admin = UserFactory(role="admin", username="e2e-admin")
    officer = UserFactory(
        role="county",
        county=khorramabad,
        province=khorramabad.province,
        username="e2e-officer",
        first_name="علی",
        last_name="رضایی",
    )
    inspector = make_inspector(
        county=khorramabad, username="e2e-inspector", first_name="مریم", last_name="کریمی"
    )
    coop = make_cooperative(acting_user=admin, county=khorramabad, name=NAME)
    make_cooperative(acting_user=admin, county=khorramabad, name="تعاونی مرغداری چغلوندی")
    make_cooperative(acting_user=admin, county=borujerd, name="تعاونی لبنیات بروجرد")
    visit = make_visit(
        acting_user=officer,
        cooperative=coop,
        inspectors=[inspector],
        planned_on=timezone.localdate() + dt.timedelta(days=2),
        plan_note="پیگیری تأمین نخ",
    )
    return inspector, officer, coop, visit


def _jpeg() -> bytes:
    buf = io.BytesIO()
    image = Image.new("RGB", (2400, 1800), (180, 120, 60))
    for x in range(0, 2400, 200):
        image.paste((30, 90, 160), (x, 0, x + 100, 1800))
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _shot(page, screenshot, name):
    screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _quiet(page):
    """Wait until the app no longer talks to the server: the live server and this test share one SQLite database,
    which a request in flight would find locked by the test's own reads."""
    expect(page.locator("#field-app[data-busy]")).to_have_count(0)


def test_a_report_saved_offline_arrives_once_when_the_network_returns(page, scenario, screenshot):
    from taavon.visits.models import Action, Finding, Photo, Visit, VisitStatus

    inspector, officer, coop, planned = scenario
    page.set_viewport_size({"width": 390, "height": 844})
    context = page.context

    page.goto("/accounts/login/")
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_attached()

    # with a network: the app, its data and the service worker
    page.goto("/visits/field/")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => !!r.active)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.get_by_test_id("data-state")).to_have_class("badge text-bg-success")
    expect(page.get_by_test_id("plan-visit")).to_have_count(1)
    expect(page.get_by_test_id("plan-visit")).to_contain_text(NAME)
    expect(page.get_by_test_id("plan-visit")).to_contain_text(
        to_persian_digits(format_jalali(planned.planned_on, "short"))
    )
    expect(page.get_by_test_id("waiting-count")).to_have_text("۰")
    assert "بروجرد" not in page.content()
    _shot(page, screenshot, "field-1-plan")

    # the network is cut: every request aborted (the service worker's own too)
    context.route("**/*", lambda route: route.abort())
    page.reload()
    expect(page.get_by_test_id("data-state")).to_have_class("badge text-bg-warning")
    expect(page.get_by_test_id("plan-visit")).to_have_count(1)

    # the planned visit is reported from the device
    page.get_by_test_id("plan-visit").get_by_role("button").click()
    form = page.get_by_test_id("report-form")
    expect(form.get_by_test_id("coop")).to_have_value(str(coop.pk))
    expect(form.get_by_test_id("visit")).to_have_value(str(planned.pk))
    today = timezone.localdate()
    expect(form.get_by_test_id("visited-on")).to_have_value(to_persian_digits(format_jalali(today, "short")))
    form.get_by_test_id("unit-state").select_option("operating")
    form.get_by_test_id("workers-women").fill("۵")
    form.get_by_test_id("workers-men").fill("2")
    form.get_by_test_id("photos").set_input_files(
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    expect(form.get_by_test_id("photo-thumb")).to_have_count(1)
    form.get_by_test_id("summary").fill("کارگاه با هشت دستگاه فعال است.")
    form.get_by_test_id("add-finding").click()
    finding = form.locator(".finding")
    finding.locator("[data-f=category]").select_option("raw_materials")
    finding.locator("[data-f=severity]").select_option("high")
    finding.locator("[data-f=description]").fill("کمبود نخ پشمی؛ سفارش‌ها عقب افتاده است")
    finding.locator("[data-add-action]").click()
    action = finding.locator(".action")
    action.locator("[data-a=what]").fill("معرفی به اتحادیه فرش برای تأمین نخ")
    action.locator("[data-a=owner]").select_option("officer")
    action.locator("[data-a=officer]").select_option(str(officer.pk))
    due = today + dt.timedelta(days=14)
    action.locator("[data-a=due_on]").fill(to_persian_digits(format_jalali(due, "short")))
    _shot(page, screenshot, "field-2-form")
    form.get_by_test_id("save-report").click()

    expect(page.get_by_test_id("waiting-count")).to_have_text("۱")
    expect(page.get_by_test_id("outbox-report")).to_have_attribute("data-state", "waiting")
    _shot(page, screenshot, "field-3-waiting")
    _quiet(page)
    assert not Visit.objects.filter(status=VisitStatus.REPORTED).exists()

    # the network returns: sent once
    context.unroute("**/*")
    page.get_by_test_id("send-now").click()
    expect(page.get_by_test_id("outbox-report")).to_have_attribute("data-state", "sent")
    expect(page.get_by_test_id("waiting-count")).to_have_text("۰")
    _shot(page, screenshot, "field-4-sent")
    page.get_by_test_id("send-now").click()  # nothing waits: nothing more is sent
    _quiet(page)

    visit = Visit.objects.get(status=VisitStatus.REPORTED)
    assert visit.pk == planned.pk and visit.client_id is not None
    assert (visit.workers_women, visit.workers_men, visit.unit_state) == (5, 2, "operating")
    f = Finding.objects.get(visit=visit)
    assert (f.category, f.severity) == ("raw_materials", "high")
    a = Action.objects.get(finding=f)
    assert (a.owner, a.officer_id, a.due_on) == ("officer", officer.pk, due)
    photo = Photo.objects.get(visit=visit)
    assert max(photo.width, photo.height) == 1600  # made smaller in the browser
    assert Visit.objects.count() == 1

    # the finding shows on the cooperative's record
    page.goto(f"/cooperatives/{coop.shenasnameh}/")
    expect(page.get_by_test_id("coop-open-findings")).to_be_visible()
    expect(page.locator(f"[data-finding='{f.pk}']")).to_be_visible()
    _shot(page, screenshot, "field-5-record")


def test_a_conflict_is_shown_and_kept_until_dismissed(page, scenario, screenshot):
    """The planned visit was cancelled while the report waited on the device: the server keeps the report as a visit
    of its own, and the page shows the conflict in the server's words until the user removes it."""
    from taavon.visits.models import Visit, VisitStatus
    from taavon.visits.services import visit_cancel

    inspector, officer, coop, planned = scenario
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_attached()
    page.goto("/visits/field/")
    expect(page.get_by_test_id("plan-visit")).to_have_count(1)
    _quiet(page)

    visit_cancel(acting_user=officer, visit=planned, reason="جابه‌جایی برنامه")  # the device does not know
    _quiet(page)

    page.get_by_test_id("plan-visit").get_by_role("button").click()
    form = page.get_by_test_id("report-form")
    form.get_by_test_id("unit-state").select_option("closed")
    form.get_by_test_id("save-report").click()

    report = page.get_by_test_id("outbox-report")
    expect(report).to_have_attribute("data-state", "conflict")
    expect(report.get_by_test_id("report-messages")).to_contain_text(
        to_persian_digits(format_jalali(planned.planned_on))
    )
    expect(page.get_by_test_id("waiting-count")).to_have_text("۰")
    _shot(page, screenshot, "field-6-conflict")
    _quiet(page)
    reported = Visit.objects.get(status=VisitStatus.REPORTED)
    assert reported.pk != planned.pk and reported.conflict

    page.reload()  # kept on the device
    page.get_by_test_id("tab-outbox").click()
    expect(page.get_by_test_id("outbox-report")).to_have_attribute("data-state", "conflict")
    page.get_by_test_id("dismiss").click()
    expect(page.get_by_test_id("outbox-report")).to_have_count(0)
