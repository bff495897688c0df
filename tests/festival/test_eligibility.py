"""Each eligibility check, failing and passing, with the exact message the candidate is told."""

import datetime

import pytest
from django.utils import timezone, translation

from taavon.festival.eligibility import check_message, eligibility_check
from taavon.members.services import return_file
from taavon.persian import to_gregorian
from taavon.triage.cases import case_open
from tests.factories import make_cooperative
from tests.festival.candidates_setup import make_edition

pytestmark = pytest.mark.django_db

TODAY = to_gregorian(1404, 3, 15)  # the last due fiscal year: 1402 (1403's return is due by 31 Tir 1404)


@pytest.fixture
def edition(admin_user, lorestan):
    return make_edition(acting_user=admin_user, province=lorestan, min_record_health=50)


def _good(admin_user, **fields):
    data = {
        "address": "خرم‌آباد، خیابان امام",
        "postal_code": "6813733333",
        "phone": "06633333333",
        "board_term_end": datetime.date(2099, 1, 1),
        "last_general_assembly": datetime.date(2025, 1, 1),
    }
    data.update(fields)
    coop = make_cooperative(acting_user=admin_user, **data)
    return_file(
        acting_user=admin_user, cooperative=coop, fiscal_year=1402, filed_on=datetime.date(2024, 6, 1)
    )
    coop.refresh_from_db()
    return coop


def _checks(edition, coop, today=TODAY):
    return {c.code: c for c in eligibility_check(edition=edition, cooperative=coop, today=today)}


def test_an_eligible_cooperative_passes_every_check(admin_user, edition):
    checks = _checks(edition, _good(admin_user))
    assert [c.code for c in checks.values()] == [
        "active",
        "no_open_case",
        "last_return",
        "record_health",
        "record_updated",
    ]
    assert all(c.ok for c in checks.values()), [c.message for c in checks.values()]


def test_not_active(admin_user, edition):
    coop = make_cooperative(acting_user=admin_user, status="dormant")
    check = _checks(edition, coop)["active"]
    assert not check.ok
    with translation.override("en"):
        assert check.message == "The cooperative is not active (its status: Dormant)."
    with translation.override("fa"):
        assert check.message != "The cooperative is not active (its status: Dormant)."


def test_an_open_dormancy_case(admin_user, edition):
    coop = _good(admin_user)
    case_open(
        acting_user=admin_user,
        cooperative=coop,
        assigned_to=admin_user,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        reason="بررسی رکود",
        opened_on=datetime.date(2025, 4, 1),
    )
    check = _checks(edition, coop)["no_open_case"]
    assert not check.ok
    with translation.override("en"):
        assert check.message == "A dormancy case about the cooperative is open (since 1 April 2025)."


def test_the_last_return_missing(admin_user, edition):
    coop = make_cooperative(acting_user=admin_user)
    check = _checks(edition, coop)["last_return"]
    assert not check.ok and check.params == {"year": 1402}
    with translation.override("en"):
        assert check.message == "The annual return of fiscal year 1402 is not filed."
    with translation.override("fa"):
        assert "۱۴۰۲" in check.message


def test_a_cooperative_registered_after_the_fiscal_year_began_owes_no_return(admin_user, edition):
    coop = make_cooperative(acting_user=admin_user, registration_date=to_gregorian(1403, 2, 1))
    check = _checks(edition, coop)["last_return"]
    assert check.ok
    with translation.override("en"):
        assert check.message == "No annual return is due yet (registered after fiscal year 1402 began)."


def test_record_health_below_the_minimum(admin_user, lorestan):
    edition = make_edition(acting_user=admin_user, province=lorestan, min_record_health=95)
    coop = make_cooperative(acting_user=admin_user)  # no address, postal code, phone, board, assembly, return
    check = _checks(edition, coop)["record_health"]
    assert not check.ok and check.params["minimum"] == 95 and check.params["score"] < 95
    with translation.override("en"):
        assert check.message == (f"The record's health is {check.params['score']}%, below the 95% required.")


def test_record_not_updated_since_the_edition_date(admin_user, lorestan):
    edition = make_edition(
        acting_user=admin_user, province=lorestan, record_updated_since=datetime.date(2099, 1, 1)
    )
    coop = _good(admin_user)
    check = _checks(edition, coop)["record_updated"]
    assert not check.ok
    with translation.override("en"):
        assert check.message.startswith("The record was last updated on ")
        assert check.message.endswith(", before 1 January 2099.")


def test_messages_are_built_when_shown_from_the_stored_figures():
    with translation.override("en"):
        assert check_message("record_health", True, {"score": 80, "minimum": 70}) == (
            "The record's health is 80%, at least the 70% required."
        )
    with translation.override("fa"):
        assert "۸۰" in check_message("record_health", True, {"score": 80, "minimum": 70})


def test_dates_are_judged_as_of_the_edition_not_later(admin_user, edition):
    """Checked again two years after the edition, a cooperative is not held to returns that fell due after the
    edition's applications closed."""
    coop = _good(admin_user)
    later = _checks(edition, coop, today=TODAY.replace(year=TODAY.year + 2))["last_return"]
    then = _checks(edition, coop)["last_return"]
    assert later.ok and later.params == then.params
