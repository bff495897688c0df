"""Triage's figures (dashboard, press summary) come from the records: flagged, in a case, settled by outcome and by
county, the median time from first flag to decision; a county officer's figures stop at their county."""

import datetime

import pytest
from django.utils import translation

from taavon.reports.press import triage_sentence
from taavon.triage.evaluation import triage_run
from taavon.triage.figures import settled_between, triage_figures
from taavon.triage.models import Case, Flag
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)
YEAR_START = datetime.date(2026, 3, 21)  # 1 Farvardin 1405


def _case(coop, user, *, opened, decided=None, outcome=""):
    return Case.objects.create(
        cooperative=coop,
        opened_on=opened,
        opened_by=user,
        reason="آزمون",
        assigned_to=user,
        deadline=opened + datetime.timedelta(days=60),
        status="decided" if decided else "open",
        outcome=outcome,
        decided_on=decided,
    )


@pytest.fixture
def picture(admin_user, khorramabad, borujerd):
    small = {"members_women": 1, "members_men": 1}
    a = make_cooperative(acting_user=admin_user, county=khorramabad, **small)
    b = make_cooperative(acting_user=admin_user, county=khorramabad, **small)
    c = make_cooperative(acting_user=admin_user, county=borujerd, **small)
    d = make_cooperative(acting_user=admin_user, county=borujerd)
    triage_run(acting_user=admin_user, today=datetime.date(2026, 4, 1))  # a, b, c flagged on 1 April
    _case(a, admin_user, opened=datetime.date(2026, 4, 10))  # open, deadline 9 June: overdue
    _case(
        b, admin_user, opened=datetime.date(2026, 4, 5), decided=datetime.date(2026, 5, 1), outcome="revived"
    )
    _case(
        c,
        admin_user,
        opened=datetime.date(2026, 4, 5),
        decided=datetime.date(2026, 7, 1),
        outcome="liquidation",
    )
    _case(
        d,
        admin_user,
        opened=datetime.date(2025, 1, 5),
        decided=datetime.date(2025, 2, 1),
        outcome="dissolved",
    )
    return a, b, c, d


def test_the_figures_add_up(admin_user, picture):
    f = triage_figures(user=admin_user, start=YEAR_START, end=TODAY, today=TODAY)
    assert f.flagged == Flag.objects.raised().values("cooperative").distinct().count() == 4
    assert (f.in_case, f.overdue, f.settled) == (1, 1, 2)  # last year's dissolution is not this year's
    assert (
        f.by_outcome["revived"] == 1 and f.by_outcome["liquidation"] == 1 and f.by_outcome["dissolved"] == 0
    )
    assert f.median_days == (30 + 91) / 2  # 1 Apr → 1 May, 1 Apr → 1 Jul
    by_county = {r["county__name_en"]: r for r in f.by_county}
    assert by_county["Khorramabad"]["flagged"] == 2 and by_county["Khorramabad"]["in_case"] == 1
    assert by_county["Borujerd"]["o_liquidation"] == 1


def test_a_county_officer_sees_only_their_county(picture, khorramabad):
    officer = UserFactory(role="county", county=khorramabad, province=khorramabad.province)
    f = triage_figures(user=officer, start=YEAR_START, end=TODAY, today=TODAY)
    assert (f.flagged, f.in_case, f.settled) == (2, 1, 1)
    assert {r["county__name_en"] for r in f.by_county} == {"Khorramabad"}


def test_the_press_sentence(picture, lorestan):
    by = settled_between(province_id=lorestan.pk, start=YEAR_START, end=TODAY)
    with translation.override("fa"):
        assert triage_sentence(by) == "۲ تعاونی راکد تعیین تکلیف شد (۱ احیا؛ ۱ ارجاع به تصفیه)."
    with translation.override("en"):
        assert triage_sentence(by) == (
            "The fate of 2 dormant cooperatives was settled (1 revived; 1 referred to liquidation)."
        )
    assert triage_sentence({o: 0 for o in by}) == ""


def test_the_figures_as_of_a_moment_keep_each_cooperative_where_it_was(
    picture, admin_user, khorramabad, borujerd
):
    """Issue 18: triage's figures as of a moment count each flag and case under its cooperative's county of that
    moment — a cooperative moved since still counts where it was, for the county filter and the county rows."""
    from django.utils import timezone

    from taavon.registry.services import cooperative_update

    officer = UserFactory(role="county", county=khorramabad, username="triage-as-of-officer")
    moment = timezone.now()
    args = {"start": YEAR_START, "end": TODAY, "today": TODAY}
    then = {
        "officer": triage_figures(user=officer, **args),
        "admin": triage_figures(user=admin_user, **args),
        "filtered": triage_figures(user=admin_user, county=khorramabad.pk, **args),
        "press": settled_between(
            province_id=khorramabad.province_id, **{k: args[k] for k in ("start", "end")}
        ),
    }
    assert then["officer"].flagged and then["filtered"].in_case == 1
    assert triage_figures(user=officer, as_of=moment, **args) == then["officer"]
    a = Case.objects.get(status="open").cooperative
    cooperative_update(acting_user=admin_user, cooperative=a, county=borujerd)  # moved after the moment
    assert triage_figures(user=officer, **args) != then["officer"]  # today's have moved
    assert triage_figures(user=officer, as_of=moment, **args) == then["officer"]
    assert triage_figures(user=admin_user, as_of=moment, **args) == then["admin"]
    assert triage_figures(user=admin_user, county=khorramabad.pk, as_of=moment, **args) == then["filtered"]
    assert (
        settled_between(province_id=khorramabad.province_id, start=YEAR_START, end=TODAY, as_of=moment)
        == then["press"]
    )
