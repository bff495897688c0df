"""The candidates helper's test data: an edition of 1404 made through the service."""

import datetime

from taavon.persian import to_gregorian


def make_edition(*, acting_user, province, number=20, year=1404, **overrides):
    """An edition of year 1404 whose applications close on 10 Tir 1404 (2025-07-01) unless told otherwise."""
    from taavon.festival.services import edition_create

    data = {
        "number": number,
        "year": year,
        "province": province,
        "applications_open": to_gregorian(year, 3, 1),
        "applications_close": to_gregorian(year, 4, 10),
        "jury_locks_at": datetime.datetime(2025, 7, 10, 12, tzinfo=datetime.UTC),
        "results_on": to_gregorian(year, 4, 25),
        "appeals_close": to_gregorian(year, 5, 10),
        "record_updated_since": to_gregorian(year - 1, 1, 1),
        "min_record_health": 50,
    }
    data.update(overrides)
    return edition_create(acting_user=acting_user, **data)


def open_edition(*, acting_user, province, number=21, **overrides):
    """An edition taking applications today (of today's Jalali year)."""
    from django.utils import timezone

    from taavon.persian import jalali_year

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    data = {
        "year": jalali_year(today),
        "applications_open": today - 10 * day,
        "applications_close": today + 10 * day,
        "jury_locks_at": timezone.now() + 20 * day,
        "results_on": today + 30 * day,
        "appeals_close": today + 40 * day,
        "record_updated_since": today - 365 * day,
    }
    data.update(overrides)
    return make_edition(acting_user=acting_user, province=province, number=number, **data)


def good_cooperative(*, acting_user, **fields):
    """A cooperative that passes every eligibility check today: active, its record complete and fresh, the last due
    annual return filed."""
    from django.utils import timezone

    from taavon.members.services import return_file
    from taavon.triage.rules import last_due_fiscal_year
    from tests.factories import make_cooperative

    data = {
        "address": "خرم‌آباد، خیابان امام",
        "postal_code": "6813733333",
        "phone": "06633333333",
        "board_term_end": datetime.date(2099, 1, 1),
        "last_general_assembly": timezone.localdate() - datetime.timedelta(days=60),
    }
    data.update(fields)
    coop = make_cooperative(acting_user=acting_user, **data)
    today = timezone.localdate()
    return_file(
        acting_user=acting_user,
        cooperative=coop,
        fiscal_year=last_due_fiscal_year(today),
        filed_on=today - datetime.timedelta(days=30),
        revenue_rial=1000,
    )
    coop.refresh_from_db()
    return coop
