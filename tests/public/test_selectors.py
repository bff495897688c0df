"""The public reader: public fields only, good standing (its three conditions and their reasons), the register's
checked filters."""

import datetime

import pytest
from django.utils import timezone

from taavon.members.services import return_file
from taavon.public.selectors import (
    ANNOTATED,
    COOPERATIVE_VALUES,
    FilterError,
    RegisterFilters,
    StandingRule,
    cooperative_public,
    cooperative_rows,
    public_row,
    register_filters,
    register_search,
)
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db

PRIVATE = {
    "phone",
    "address",
    "postal_code",
    "notes",
    "capital_paid_rial",
    "founding_members",
    "board_term_end",
}


def _admin():
    return UserFactory(role="admin", username="pub-admin")


def test_rows_carry_public_fields_only():
    make_cooperative(phone="09121234567", address="نشانی محرمانه", notes="یادداشت محرمانه")
    row = cooperative_rows().get()
    assert not PRIVATE & set(row)
    assert "09121234567" not in repr(row) and "محرمانه" not in repr(row)
    assert set(row) == set(COOPERATIVE_VALUES) | set(ANNOTATED)


def test_good_standing_needs_active_assembly_and_return():
    today = timezone.localdate()
    rule = StandingRule.now(today)
    admin = _admin()
    recent = today - datetime.timedelta(days=30)
    good = make_cooperative(acting_user=admin, name="تعاونی خوش‌حساب", last_general_assembly=recent)
    return_file(
        acting_user=admin,
        cooperative=good,
        fiscal_year=rule.return_year,
        filed_on=today,
    )
    no_return = make_cooperative(acting_user=admin, name="تعاونی بی‌اظهارنامه", last_general_assembly=recent)
    old_assembly = make_cooperative(
        acting_user=admin, name="تعاونی مجمع‌قدیمی", last_general_assembly=datetime.date(2019, 1, 1)
    )
    dissolved = make_cooperative(
        acting_user=admin, name="تعاونی منحل", status="dissolved", last_general_assembly=recent
    )
    young = make_cooperative(
        acting_user=admin, name="تعاونی نوپا", registration_date=today - datetime.timedelta(days=10)
    )

    rows = {r["id"]: public_row(r, rule) for r in cooperative_rows(rule=rule)}
    assert rows[good.pk]["standing"].good and rows[good.pk]["standing"].reasons == []
    assert rows[no_return.pk]["standing"].reasons == ["return_missing"]
    assert rows[old_assembly.pk]["standing"].reasons == ["assembly_overdue", "return_missing"]
    assert rows[dissolved.pk]["standing"].reasons == ["not_active"]  # the status says it all
    assert rows[young.pk]["standing"].good  # registered ten days ago: nothing is due yet
    assert all(rows[pk]["standing"].messages for pk in (no_return.pk, old_assembly.pk, dissolved.pk))

    # the filter is the same rule as the mark
    good_ids = {r["id"] for r in register_search(RegisterFilters(good_standing=True), rule=rule)}
    assert good_ids == {pk for pk, r in rows.items() if r["standing"].good} == {good.pk, young.pk}
    bad_ids = {r["id"] for r in register_search(RegisterFilters(good_standing=False), rule=rule)}
    assert bad_ids == set(rows) - good_ids


def test_search_as_staff_search_does():
    coop = make_cooperative(name="شرکت تعاونی فرش دستباف زاگرس")
    make_cooperative(name="تعاونی دیگر")
    for q in ("فرش زاگرس", "فرش زاگرس".replace("ی", "ي"), coop.shenasnameh, coop.legal_id):
        assert [r["id"] for r in register_search(register_filters({"q": q}))] == [coop.pk], q
    persian = coop.shenasnameh.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert cooperative_public(persian)["id"] == coop.pk
    assert cooperative_public("99-9999-99999") is None
    assert cooperative_public("\x00") is None


@pytest.mark.parametrize(
    "params",
    [
        {"province": "IR-99"},
        {"county": "abc"},
        {"county": "999999999999"},
        {"sector": "<script>"},
        {"type": "x' OR 1=1 --"},
        {"status": "deleted"},
        {"good_standing": "maybe"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
    ],
)
def test_unknown_filter_values_are_refused_with_a_message(params):
    with pytest.raises(FilterError) as err:
        register_filters(params)
    assert str(err.value)


def test_status_since_is_the_last_real_change_else_the_registration():
    from taavon.registry.services import cooperative_change_status

    admin = _admin()
    entered = make_cooperative(
        acting_user=admin, name="تعاونی از قدیم فعال", registration_date=datetime.date(2015, 5, 1)
    )
    changed = make_cooperative(acting_user=admin, name="تعاونی راکدشده")
    cooperative_change_status(
        acting_user=admin,
        cooperative=changed,
        to_status="dormant",
        reason="بدون فعالیت",
        effective_date=datetime.date(2024, 3, 1),
    )
    recorded = make_cooperative(acting_user=admin, name="تعاونی راکد بی‌تاریخ", status="dormant")
    rows = {r["id"]: public_row(r, StandingRule.now()) for r in cooperative_rows()}
    # entered into the system today, active since its registration in 2015 (not «since today»)
    assert rows[entered.pk]["status_since"] == datetime.date(2015, 5, 1)
    assert rows[changed.pk]["status_since"] == datetime.date(2024, 3, 1)  # the change's effective date
    assert (
        rows[recorded.pk]["status_since"] == timezone.localdate()
    )  # no effective date: the day it was recorded
