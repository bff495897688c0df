"""The early-warning rules: each fires on its condition and not otherwise (boundary dates), its explanation names
the figures, in either language; the evaluation is idempotent, clears what no longer holds, never opens a case."""

import datetime

import pytest
from django.utils import translation

from taavon.registry.models import Cooperative
from taavon.triage.evaluation import triage_run
from taavon.triage.models import Case, CaseStep, Flag
from taavon.triage.rules import explain, last_due_fiscal_year, months_before, return_deadline
from taavon.triage.settings import rule_setting_change
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)  # 8 Azar 1405


def raised(coop) -> set[str]:
    return set(Flag.objects.raised().filter(cooperative=coop).values_list("rule", flat=True))


def run(user, **kw):
    return triage_run(acting_user=user, today=kw.pop("today", TODAY), **kw)


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(TODAY, 15) == datetime.date(2025, 8, 29)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)


def test_assembly_overdue_fires_one_day_past_15_months(admin_user):
    on_time = make_cooperative(acting_user=admin_user, last_general_assembly=datetime.date(2025, 8, 29))
    late = make_cooperative(acting_user=admin_user, last_general_assembly=datetime.date(2025, 8, 28))
    never = make_cooperative(acting_user=admin_user, registration_date=datetime.date(2020, 1, 1))
    new = make_cooperative(acting_user=admin_user, registration_date=datetime.date(2026, 1, 1))
    run(admin_user)
    assert "assembly_overdue" not in raised(on_time)
    assert "assembly_overdue" in raised(late)
    assert "assembly_overdue" in raised(never)
    assert "assembly_overdue" not in raised(new)  # registered 11 months ago: not yet due

    flag = Flag.objects.get(cooperative=late, rule="assembly_overdue")
    with translation.override("fa"):
        assert explain(flag.rule, flag.params, TODAY) == "آخرین مجمع عمومی عادی ۶ شهریور ۱۴۰۴ — ۱۵ ماه پیش"
    with translation.override("en"):
        assert (
            explain(flag.rule, flag.params, TODAY)
            == "Last ordinary general assembly 28 August 2025 — 15 months ago"
        )
        flag = Flag.objects.get(cooperative=never, rule="assembly_overdue")
        assert "since registration on 1 January 2020 — 82 months" in explain(flag.rule, flag.params, TODAY)


def test_board_expired_fires_three_months_after_the_term(admin_user):
    recent = make_cooperative(acting_user=admin_user, board_term_end=datetime.date(2026, 8, 29))
    expired = make_cooperative(acting_user=admin_user, board_term_end=datetime.date(2026, 8, 28))
    unknown = make_cooperative(acting_user=admin_user, board_term_end=None)
    run(admin_user)
    assert "board_expired" not in raised(recent)
    assert "board_expired" in raised(expired)
    assert "board_expired" not in raised(unknown)  # an unknown term is record health's concern, not a flag
    flag = Flag.objects.get(cooperative=expired, rule="board_expired")
    with translation.override("en"):
        assert (
            explain(flag.rule, flag.params, TODAY)
            == "The board's term ended on 28 August 2026 — 3 months ago"
        )


def test_below_minimum_members(admin_user):
    six = make_cooperative(acting_user=admin_user, members_women=3, members_men=3)
    seven = make_cooperative(acting_user=admin_user, members_women=3, members_men=4)
    run(admin_user)
    assert "below_min_members" in raised(six)
    assert "below_min_members" not in raised(seven)
    flag = Flag.objects.get(cooperative=six, rule="below_min_members")
    with translation.override("fa"):
        assert explain(flag.rule, flag.params, TODAY) == "۶ عضو — کمتر از حداقل قانونی ۷ عضو"


def test_returns_missing_after_the_deadline_only(admin_user):
    from taavon.members.services import return_file

    assert return_deadline(1404) == datetime.date(2026, 7, 22)  # 31 Tir 1405
    assert last_due_fiscal_year(datetime.date(2026, 7, 22)) == 1403  # the deadline day: 1404 not yet due
    assert last_due_fiscal_year(datetime.date(2026, 7, 23)) == 1404
    missing = make_cooperative(acting_user=admin_user)
    filed = make_cooperative(acting_user=admin_user)
    young = make_cooperative(acting_user=admin_user, registration_date=datetime.date(2025, 6, 1))  # 1404
    return_file(
        acting_user=admin_user, cooperative=filed, fiscal_year=1404, filed_on=datetime.date(2026, 6, 1)
    )
    run(admin_user)
    assert "returns_missing" in raised(missing)
    assert "returns_missing" not in raised(filed)
    assert "returns_missing" not in raised(
        young
    )  # registered during 1404: its first return is not missing yet
    flag = Flag.objects.get(cooperative=missing, rule="returns_missing")
    with translation.override("fa"):
        assert explain(flag.rule, flag.params, TODAY) == (
            "اظهارنامهٔ سالانهٔ سال مالی ۱۴۰۴ ثبت نشده است (مهلت: ۳۱ تیر ۱۴۰۵)"
        )
    # on the deadline day itself nothing is missing yet
    Flag.objects.all().delete()
    run(admin_user, today=datetime.date(2026, 7, 22))
    assert raised(missing) >= {"returns_missing"}  # 1403's return is missing as well (never filed)
    assert Flag.objects.get(cooperative=missing, rule="returns_missing").params["years"] == [1403]


def test_inactive_after_24_months_without_any_recorded_activity(admin_user):
    from taavon.members.services import membership_add, person_register

    idle = make_cooperative(acting_user=admin_user)  # registered 2015, nothing since
    busy = make_cooperative(acting_user=admin_user)
    make_project(acting_user=admin_user, cooperative=busy)  # a project registered today
    edge = make_cooperative(acting_user=admin_user)
    person = person_register(
        acting_user=admin_user,
        national_code="0076229645",
        first_name="مینا",
        last_name="کرمی",
        gender="female",
    )
    membership_add(
        acting_user=admin_user, cooperative=edge, person=person, join_date=datetime.date(2024, 11, 29)
    )
    run(admin_user)
    assert "inactive" in raised(idle)
    assert "inactive" not in raised(busy)
    assert "inactive" not in raised(edge)  # joined exactly 24 months ago
    with translation.override("en"):
        flag = Flag.objects.get(cooperative=idle, rule="inactive")
        assert explain(flag.rule, flag.params, TODAY) == (
            "No recorded activity since registration on 1 May 2015 — 138 months"
        )
    run(
        admin_user, today=datetime.date(2026, 11, 30)
    )  # a day later, the membership is 24 months and a day old
    assert "inactive" in raised(edge)
    flag = Flag.objects.get(cooperative=edge, rule="inactive")
    with translation.override("en"):
        assert "since 29 November 2024 (membership changes, assemblies, returns, proposals)" in explain(
            flag.rule, flag.params, datetime.date(2026, 11, 30)
        )


def test_contact_failed_needs_the_last_attempts_all_failed(admin_user):
    coop = make_cooperative(acting_user=admin_user)
    case = Case.objects.create(
        cooperative=coop,
        opened_on=datetime.date(2026, 10, 1),
        opened_by=admin_user,
        reason="آزمون",
        assigned_to=admin_user,
        deadline=datetime.date(2026, 12, 30),
    )

    def attempt(day, reached):
        CaseStep.objects.create(
            case=case, kind="contact", date=day, channel="phone", reached=reached, recorded_by=admin_user
        )

    attempt(datetime.date(2026, 10, 2), False)
    run(admin_user)
    assert "contact_failed" not in raised(coop)  # one failure of the two
    attempt(datetime.date(2026, 10, 9), False)
    run(admin_user)
    assert "contact_failed" in raised(coop)
    attempt(datetime.date(2026, 10, 16), True)
    run(admin_user)
    assert "contact_failed" not in raised(coop)  # reached at last: cleared


def test_runs_are_idempotent_and_clear_what_no_longer_holds(admin_user):
    from taavon.members.services import assembly_record

    coop = make_cooperative(acting_user=admin_user, last_general_assembly=datetime.date(2023, 1, 1))
    first = run(admin_user)
    assert first.raised >= 1 and "assembly_overdue" in raised(coop)
    flag = Flag.objects.get(cooperative=coop, rule="assembly_overdue")
    versions = Flag.history.count()

    again = run(admin_user, today=TODAY + datetime.timedelta(days=3))
    assert (again.raised, again.cleared) == (0, 0) and again.kept == first.raised
    assert Flag.history.count() == versions  # nothing rewritten
    flag.refresh_from_db()
    assert flag.raised_on == TODAY  # its first date kept

    assembly_record(acting_user=admin_user, cooperative=coop, date=datetime.date(2026, 11, 1))
    cleared = run(admin_user, today=TODAY + datetime.timedelta(days=4))
    assert cleared.cleared >= 1
    flag.refresh_from_db()
    assert flag.cleared_on == TODAY + datetime.timedelta(days=4)
    assert "assembly_overdue" not in raised(coop)
    assert flag.history.filter(cleared_on__isnull=False).exists()  # the clearing is in the history
    assert not Case.objects.exists()  # the evaluation never opens a case

    # raised again later: a new flag, the cleared one stays as it was
    Cooperative.objects.filter(pk=coop.pk).update(last_general_assembly=datetime.date(2020, 1, 1))
    run(admin_user, today=TODAY + datetime.timedelta(days=5))
    assert Flag.objects.filter(cooperative=coop, rule="assembly_overdue").count() == 2


def test_only_active_dormant_and_unknown_are_evaluated(admin_user):
    liquidating = make_cooperative(
        acting_user=admin_user, status="liquidating", members_women=1, members_men=1
    )
    dormant = make_cooperative(acting_user=admin_user, status="dormant", members_women=1, members_men=1)
    run(admin_user)
    assert not raised(liquidating)
    assert "below_min_members" in raised(dormant)


def test_a_flag_is_cleared_when_its_cooperative_goes_to_liquidation(admin_user):
    from taavon.registry.services import cooperative_change_status

    coop = make_cooperative(acting_user=admin_user, members_women=1, members_men=1)
    run(admin_user)
    assert raised(coop)
    cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status="liquidating", reason="آزمون"
    )
    run(admin_user)
    assert not raised(coop)


def test_settings_change_thresholds_weights_and_switch_rules_off(admin_user):
    coop = make_cooperative(acting_user=admin_user, members_women=3, members_men=3)
    rule_setting_change(acting_user=admin_user, code="below_min_members", enabled=True, threshold=5, weight=9)
    run(admin_user)
    assert "below_min_members" not in raised(coop)  # 6 ≥ 5
    rule_setting_change(
        acting_user=admin_user, code="below_min_members", enabled=True, threshold=10, weight=9
    )
    run(admin_user)
    assert Flag.objects.get(cooperative=coop, rule="below_min_members").weight == 9
    rule_setting_change(
        acting_user=admin_user, code="below_min_members", enabled=False, threshold=10, weight=9
    )
    run(admin_user)
    assert "below_min_members" not in raised(coop)


@pytest.mark.parametrize(
    ("threshold", "weight"), [(-1, 1), (0, 1), (10**6, 1), (12, -3), (12, 10**4), (None, 1)]
)
def test_absurd_settings_are_refused_and_nothing_saved(admin_user, threshold, weight):
    from django.core.exceptions import ValidationError

    from taavon.triage.models import RuleSetting

    with pytest.raises(ValidationError):
        rule_setting_change(
            acting_user=admin_user, code="assembly_overdue", enabled=True, threshold=threshold, weight=weight
        )
    assert not RuleSetting.objects.exists()


def test_only_an_administrator_changes_the_rules(admin_user, provincial):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rule_setting_change(
            acting_user=provincial, code="assembly_overdue", enabled=True, threshold=12, weight=1
        )


def test_a_province_run_touches_only_that_province(admin_user, reference_data):
    from taavon.places.models import County

    tehran = County.objects.get(province__code="IR-23", name_en="Tehran")
    here = make_cooperative(acting_user=admin_user, members_women=1, members_men=1)
    there = make_cooperative(acting_user=admin_user, county=tehran, members_women=1, members_men=1)
    run(admin_user, province_code="IR-15")
    assert raised(here) and not raised(there)
