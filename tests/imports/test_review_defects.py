"""Defects a review found in the imports and the search (issue 9), each with a test that failed on the code
before: number runs joined across separators, misplaced group separators, counties by their other names, rows of
totals, and searching with «شرکت تعاونی»."""

import pytest
from django.urls import reverse

from taavon.imports.services import import_commit, import_preview
from taavon.registry.models import Cooperative
from tests.factories import make_cooperative
from tests.imports.test_import import HEADER, xlsx

pytestmark = pytest.mark.django_db


def _row(name, county="خرم آباد", capital="۱۲۰٬۰۰۰٬۰۰۰", n="1"):
    return [n, name, county, "۱۴۰۲/۰۷/۰۵", "", capital, "فعال", "صنعتی", "تولیدی"]


def _preview(user, rows):
    return import_preview(
        acting_user=user, kind="cooperatives", data=xlsx(rows), filename="c.xlsx", unit="toman"
    )


def test_numbers_separated_in_a_name_are_another_cooperative(admin_user, khorramabad):
    existing = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی مرغداری شماره ۱۲")
    batch, outcome = _preview(admin_user, [HEADER, _row("تعاونی مرغداری شماره ۱ ۲")])
    assert outcome.counts["create"] == 1 and outcome.counts.get("update", 0) == 0
    assert outcome.rows[0].match is None
    import_commit(acting_user=admin_user, batch=batch)
    existing.refresh_from_db()
    assert existing.name == "تعاونی مرغداری شماره ۱۲"
    assert Cooperative.objects.filter(county=khorramabad).count() == 2


@pytest.mark.parametrize("typed", ["1,2345", "۱۲۳,۴", "12,34,567"])
def test_misplaced_group_separators_are_refused(admin_user, khorramabad, typed):
    _, outcome = _preview(admin_user, [HEADER, _row("تعاونی آرمان", capital=typed)])
    problems = outcome.problems()
    assert outcome.counts["error"] == 1
    assert any("جداکنندهٔ هزارگان" in p["message"] for p in problems), problems


def test_well_placed_separators_still_read(admin_user, khorramabad):
    _, outcome = _preview(admin_user, [HEADER, _row("تعاونی آرمان", capital="1,234,567")])
    assert not outcome.problems()
    assert outcome.rows[0].data["capital_paid_rial"] == 12_345_670


@pytest.mark.parametrize(
    "typed,county",
    [("الشتر", "Selseleh"), ("نورآباد", "Delfan"), ("دوره", "Chegeni"), ("سراب دوره", "Chegeni")],
)
def test_counties_are_known_by_their_former_names_and_capitals(admin_user, reference_data, typed, county):
    _, outcome = _preview(admin_user, [HEADER, _row("تعاونی آرمان", county=typed)])
    assert not outcome.problems(), outcome.problems()
    assert outcome.rows[0].data["county"].name_en == county


def test_an_administrator_teaches_a_new_alias(admin_user, reference_data):
    from taavon.places.models import County
    from taavon.places.services import county_alias_add

    tehran = County.objects.get(province__code="IR-23", name_en="Tehran")
    county_alias_add(acting_user=admin_user, county=tehran, name="طهران", kind="former")
    from taavon.places.selectors import county_find

    assert county_find(name="طهران").pk == tehran.pk
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        county_alias_add(acting_user=UserFactory(role="provincial"), county=tehran, name="تهران قدیم")


def test_a_row_of_totals_at_the_bottom_is_left_out(admin_user, khorramabad):
    rows = [HEADER, _row("تعاونی آرمان", n="1"), _row("تعاونی پویا", n="2", capital="۸۰٬۰۰۰٬۰۰۰")]
    labelled = [*rows, ["", "جمع کل", "", "", "", "۲۰۰٬۰۰۰٬۰۰۰", "", "", ""]]
    _, outcome = _preview(admin_user, labelled)
    assert not outcome.problems(), outcome.problems()
    assert outcome.counts["rows"] == 2 and outcome.counts["create"] == 2
    sums_only = [*rows, ["", "", "", "", "", 200_000_000, "", "", ""]]
    _, outcome = _preview(admin_user, sums_only)
    assert not outcome.problems() and outcome.counts["rows"] == 2
    # a last row of numbers that are not the sums is a row like any other, reported
    not_sums = [*rows, ["", "", "", "", "", 5, "", "", ""]]
    _, outcome = _preview(admin_user, not_sums)
    assert outcome.counts["rows"] == 3 and outcome.problems()


def test_search_is_not_decided_by_the_words_company_and_cooperative(
    client, admin_user, county_officer, khorramabad
):
    make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی همت زاگرس")
    client.force_login(county_officer)
    for typed in ("شرکت تعاونی همت زاگرس", "شركت تعاوني همت زاگرس", "ھمت", "تعاونی همت"):
        body = client.get(reverse("registry:list"), {"q": typed}).content.decode()
        assert "تعاونی همت زاگرس" in body, typed


def test_search_by_a_countys_other_name(client, admin_user, provincial, lorestan):
    from taavon.places.selectors import county_find

    selseleh = county_find(name="سلسله", province=lorestan)
    make_cooperative(acting_user=admin_user, county=selseleh, name="تعاونی فرش دستباف کوهپایه")
    client.force_login(provincial)
    body = client.get(reverse("registry:list"), {"q": "الشتر"}).content.decode()
    assert "تعاونی فرش دستباف کوهپایه" in body
    body = client.get(reverse("registry:list"), {"q": "فرش الشتر"}).content.decode()
    assert "تعاونی فرش دستباف کوهپایه" in body


def test_stored_keys_are_recomputed_when_the_key_function_changes(admin_user, khorramabad):
    from taavon.core.keys import recompute

    coop = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی فاز ۱/۲ ھمت")
    Cooperative.objects.filter(pk=coop.pk).update(name_key="تعاونیفاز12ھمت")  # as the old function stored it
    assert recompute(Cooperative, "name_key", "name") == 1
    coop.refresh_from_db()
    assert coop.name_key == "تعاونیفاز1.2همت"
    assert recompute(Cooperative, "name_key", "name") == 0
