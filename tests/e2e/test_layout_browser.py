"""The layout on a phone and on a desktop, in a real browser: the menu folds behind a toggler at 390 px, the
cooperatives list fits the screen with its essential columns, and every bar of the dashboard charts is labelled."""

import re
from dataclasses import dataclass

import pytest

from tests.factories import PASSWORD, UserFactory, ensure_reference_data, make_cooperative, make_project

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LATIN_DIGIT = re.compile(r"[0-9]")


@dataclass
class Scenario:
    officer: object
    counties: list[str]
    sectors: list[str]


@pytest.fixture
def scenario(transactional_db):
    """A provincial officer of Lorestan, and one project in each of ten counties, spread over several sectors."""
    ensure_reference_data()
    from taavon.places.models import County, Province
    from taavon.registry.models import Activity

    lorestan = Province.objects.get(code="IR-15")
    admin = UserFactory(role="admin", username="e2e-layout-admin")
    officer = UserFactory(
        role="provincial",
        province=lorestan,
        username="e2e-layout-ostan",
        first_name="زهرا",
        last_name="کرمی",
    )
    one_activity_per_sector = {}
    for activity in Activity.objects.select_related("sector").order_by("pk"):
        one_activity_per_sector.setdefault(activity.sector_id, activity)
    activities = list(one_activity_per_sector.values())
    counties = list(County.objects.filter(province=lorestan).order_by("pk")[:10])
    assert len(counties) == 10 and len(activities) >= 4
    sectors = set()
    for i, county in enumerate(counties):
        activity = activities[i % len(activities)]
        coop = make_cooperative(acting_user=admin, county=county, activity=activity)
        make_project(acting_user=admin, cooperative=coop, investment_rial=(i + 1) * 30_000_000_000)
        sectors.add(activity.sector.name_fa)
    return Scenario(
        officer=officer,
        counties=sorted(c.name_fa for c in counties),
        sectors=sorted(sectors),
    )


def _log_in(page, user):
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("whoami")).to_have_count(1)


def test_phone_menu_collapses_and_cooperatives_list_fits(page, scenario, screenshot):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    _log_in(page, scenario.officer)
    page.goto("/cooperatives/")
    expect(page.get_by_test_id("result-count")).to_have_text("۱۰ تعاونی")

    # The menu is folded behind the toggler: its links, the user's name and the logout button are hidden.
    nav = page.locator("nav.navbar")
    toggler = nav.locator(".navbar-toggler")
    home_link = nav.get_by_role("link", name="کارتابل", exact=True)
    registry_link = nav.get_by_role("link", name="تعاونی‌ها", exact=True)
    logout = nav.get_by_role("button", name="خروج")
    whoami = page.get_by_test_id("whoami")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    for hidden in (home_link, registry_link, logout, whoami):
        expect(hidden).to_be_hidden()
    menu_height = nav.bounding_box()["height"]
    assert menu_height < 844 * 0.15, f"the folded menu takes {menu_height}px of a 844px screen"

    # The list fits the screen: no sideways scrolling, name and status shown, the other columns hidden.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    table = page.get_by_test_id("coop-table")
    first_row = table.locator("tbody tr").first
    expect(table.locator("thead th", has_text="نام تعاونی")).to_be_visible()
    expect(table.locator("thead th", has_text="وضعیت")).to_be_visible()
    expect(first_row.get_by_role("link")).to_be_visible()
    expect(first_row.locator(".status-badge")).to_be_visible()
    for column in ("نوع", "گرایش", "شمارهٔ شناسنامه", "تاریخ ثبت"):
        expect(table.locator("thead th", has_text=column)).to_be_hidden()
    headers = [h.strip() for h in table.locator("thead th").all_text_contents()]
    expect(first_row.locator("td").nth(headers.index("نوع"))).to_be_hidden()
    screenshot(page, "layout-phone-registry")

    # The toggler opens the menu: the links, the user and the logout button.
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    for shown in (home_link, registry_link, logout, whoami):
        expect(shown).to_be_visible()
    expect(whoami).to_contain_text(str(scenario.officer))
    screenshot(page, "layout-phone-menu-open")
    registry_link.click()
    expect(page.get_by_test_id("coop-table")).to_be_visible()

    # On a desktop the menu is laid out flat, without a toggler, and every column is shown.
    page.set_viewport_size(DESKTOP)
    expect(toggler).to_be_hidden()
    expect(home_link).to_be_visible()
    expect(whoami).to_be_visible()
    expect(page.get_by_test_id("coop-table").locator("thead th", has_text="نوع")).to_be_visible()


CHART_STATE = """(id) => {
  const chart = Chart.getChart(document.getElementById(id));
  const y = chart.scales.y, x = chart.scales.x;
  return {
    type: chart.config.type,
    indexAxis: chart.options.indexAxis,
    autoSkip: chart.options.scales.y.ticks.autoSkip,
    position: y.position,
    rotation: y.labelRotation,
    labels: chart.data.labels,
    shownLabels: y.ticks.map((t) => y.getLabelForValue(t.value)),
    valueTicks: x.ticks.map((t) => String(t.label)),
    height: chart.canvas.getBoundingClientRect().height,
  };
}"""


def test_dashboard_charts_are_horizontal_bars_with_every_label(page, scenario, screenshot):
    _log_in(page, scenario.officer)
    page.goto("/dashboard/")
    page.wait_for_function(
        "() => window.Chart && ['chart-status', 'chart-stages', 'chart-county', 'chart-jobs']"
        ".every((id) => Chart.getChart(document.getElementById(id)))"
    )

    county = page.evaluate(CHART_STATE, "chart-county")
    jobs = page.evaluate(CHART_STATE, "chart-jobs")
    stages = page.evaluate(CHART_STATE, "chart-stages")
    assert sorted(county["labels"]) == scenario.counties
    assert sorted(jobs["labels"]) == scenario.sectors
    for name, chart in (("county", county), ("jobs", jobs), ("stages", stages)):
        assert chart["type"] == "bar", name
        assert chart["indexAxis"] == "y", f"{name}: bars are not horizontal"
        assert chart["autoSkip"] is False, f"{name}: labels may be skipped"
        assert chart["position"] == "right", f"{name}: the names are not on the right"
        assert chart["rotation"] == 0, f"{name}: the names are rotated"
        assert chart["shownLabels"] == chart["labels"], f"{name}: not every bar is labelled"
        assert chart["valueTicks"] and not any(LATIN_DIGIT.search(t) for t in chart["valueTicks"]), chart
        assert chart["height"] >= 20 * len(chart["labels"]), f"{name}: {chart['height']}px is too short"
    assert page.evaluate("Chart.getChart(document.getElementById('chart-status')).config.type") == "doughnut"
    screenshot(page, "layout-desktop-dashboard")


@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_the_desktop_menu_fits_in_both_languages(page, scenario, screenshot, width):
    """Every link of the menu, the user's name, the sign-out button and the language switch stay on the screen, in
    Persian and in the longer English (the links wrap to a second row rather than push them off)."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, scenario.officer)
    for switch_to in (None, "English"):
        if switch_to:
            page.get_by_test_id("language-switch").get_by_role("button").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto("/visits/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        nav = page.locator("nav.navbar")
        for item in [
            *nav.locator(".navbar-nav > .nav-item > .nav-link").all(),
            page.get_by_test_id("whoami"),
            nav.locator("form button").first,
            page.get_by_test_id("language-switch").get_by_role("button"),
        ]:
            expect(item).to_be_visible()
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, item
        screenshot(page, f"menu-{width}-{'en' if switch_to else 'fa'}")
