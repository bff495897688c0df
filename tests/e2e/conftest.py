"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

No browser is downloaded: the tests launch /usr/bin/chromium and are skipped when it is missing.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop in the test thread; without this, Django refuses ORM
# calls made from that thread (SynchronousOnlyOperation). The live server runs requests in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def e2e_browser():
    """One headless chromium for a test module (the Playwright driver is stopped with it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium: `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(e2e_browser, live_server):
    """A fresh browser context (no cookies) pointed at this test's live server; fails on JS errors and on any 4xx or
    5xx response but 422 (a form sent back with what is wrong in it, which tests provoke on purpose)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = e2e_browser.new_context(
        base_url=live_server.url,
        locale="fa-IR",
        timezone_id="Asia/Tehran",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"JS error: {exc}"))
    pg.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and r.status != 422 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    try:
        yield pg
    finally:
        context.close()
    assert not problems, "the browser saw errors:\n" + "\n".join(problems)


@pytest.fixture
def screenshot(tmp_path):
    """screenshot(page, "name"): a full-page PNG into tmp_path, and into $TAAVON_SCREENSHOTS_DIR when set."""
    extra = os.environ.get("TAAVON_SCREENSHOTS_DIR", "").strip()
    targets = [tmp_path / "screenshots"] + ([Path(extra)] if extra else [])

    def take(pg, name: str) -> list[Path]:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
        saved = []
        for directory in targets:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"{safe}.png"
            pg.screenshot(path=str(path), full_page=True)
            saved.append(path)
        return saved

    return take
