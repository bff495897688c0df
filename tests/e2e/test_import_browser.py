"""In the browser: a provincial officer brings a messy spreadsheet in, reads the preview, imports the valid rows
and undoes the import."""

import pytest
from playwright.sync_api import expect

from taavon.imports.models import ImportBatch
from taavon.registry.models import Cooperative
from tests.factories import PASSWORD, UserFactory, ensure_reference_data
from tests.imports.test_import import GOOD, xlsx

pytestmark = pytest.mark.e2e


@pytest.fixture
def officer(transactional_db):
    from taavon.places.models import Province

    ensure_reference_data()
    return UserFactory(role="provincial", province=Province.objects.get(code="IR-15"), username="ostan-e2e")


def test_officer_previews_imports_valid_rows_and_undoes(page, officer, screenshot, tmp_path):
    rows = [*GOOD, [4, "تعاونی بد", "آتلانتیس", "۱۴۰۴/۱۲/۳۰", "", "", "فعال", "صنعتی", "تولیدی"]]
    upload = tmp_path / "تعاونی‌ها.xlsx"
    upload.write_bytes(xlsx(rows))

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/imports/")
    page.select_option("select[name=unit]", "toman")
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="بارگذاری و پیش‌نمایش").click()

    counts = page.get_by_test_id("counts")
    expect(counts).to_contain_text("۳")  # three new records
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("شهرستان «آتلانتیس»")
    expect(problems).to_contain_text("وجود ندارد")
    assert Cooperative.objects.count() == 0  # the preview wrote nothing
    screenshot(page, "import-preview")

    page.get_by_test_id("commit-valid").click()
    expect(page.get_by_test_id("undo")).to_be_visible()
    expect(page.get_by_test_id("batch-status")).to_have_text("واردشده")
    assert Cooperative.objects.count() == 3
    assert ImportBatch.objects.get().records.count() == 3
    screenshot(page, "import-done")

    touched = page.get_by_test_id("touched")
    expect(touched).to_have_count(3)
    expect(touched.first).to_contain_text("ساخته شد")

    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("بازگردانده‌شده")
    assert Cooperative.objects.count() == 0
    screenshot(page, "import-undone")
