"""Cases (triage.cases): opening, assigning, steps, the decision and its status change, the revival plan's
commitments closed by arriving records, overdue cases and broken commitments — with every refusal the issue lists
("Bad input"): refused with a clear message on the field, nothing saved."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from taavon.core.concurrency import ConflictError
from taavon.registry.models import Cooperative, StatusChange
from taavon.registry.services import cooperative_change_status
from taavon.triage import case_selectors, cases
from taavon.triage.models import Case, CaseStatus, CaseStep, Commitment, Flag
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate


def pdf(name="e.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")


@pytest.fixture
def case(coop, county_officer):
    return cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=days(30),
        reason="راکد",
    )


def backdate(case: Case, *, opened: int, deadline: int | None = None) -> Case:
    """The case as if opened `opened` days ago (tests have no clock to move)."""
    Case.objects.filter(pk=case.pk).update(
        opened_on=days(-opened), deadline=days(deadline) if deadline is not None else case.deadline
    )
    case.refresh_from_db()
    return case


def fields(exc) -> set[str]:
    return set(exc.value.error_dict)


def decide(case, user, **kwargs):
    data = {"outcome": "liquidation", "decided_on": TODAY(), "note": "صورت‌جلسه کمیسیون", "evidence": pdf()}
    data.update(kwargs)
    return cases.case_decide(acting_user=user, case=case, **data)


# --- opening ---------------------------------------------------------------------------------------------------------


def test_a_case_is_opened_with_the_raised_flags_and_a_history_row(coop, county_officer):
    Flag.objects.create(cooperative=coop, rule="inactive", raised_on=days(-10))
    Flag.objects.create(cooperative=coop, rule="assembly_overdue", raised_on=days(-10))
    Flag.objects.create(cooperative=coop, rule="board_expired", raised_on=days(-90), cleared_on=days(-5))
    case = cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=days(30),
        reason="راکد",
    )
    assert case.status == CaseStatus.OPEN and case.opened_on == TODAY() and case.opened_by == county_officer
    assert case.flags_at_opening == ["assembly_overdue", "inactive"]  # the cleared flag is not among them
    row = case.history.get()
    assert row.history_user == county_officer and row.history_change_reason == "گشایش پرونده"


def test_a_second_open_case_on_the_same_cooperative_is_refused(case, coop, county_officer):
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(9),
            reason="x",
        )
    assert fields(exc) == {"cooperative"}
    assert "open case" in str(exc.value) or "پروندهٔ باز" in str(exc.value)
    assert Case.objects.count() == 1


def test_the_databases_constraint_is_told_as_a_clear_message(case, coop, county_officer, monkeypatch):
    """Two officers opening at once: the check in Python sees nothing, the database's constraint refuses."""
    monkeypatch.setattr(cases, "CaseStatus", SimpleNamespace(OPEN="not-a-status"))
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(9),
            reason="x",
        )
    assert fields(exc) == {"cooperative"}
    assert Case.objects.count() == 1


@pytest.mark.parametrize("deadline", [-1, -400])
def test_a_deadline_in_the_past_is_refused(coop, county_officer, deadline):
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(deadline),
            reason="x",
        )
    assert fields(exc) == {"deadline"} and not Case.objects.exists()


def test_a_deadline_today_is_accepted_and_an_absurd_one_refused(coop, county_officer):
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(4000),
            reason="x",
        )
    assert fields(exc) == {"deadline"}
    cases.case_open(
        acting_user=county_officer, cooperative=coop, assigned_to=county_officer, deadline=TODAY(), reason="x"
    )


def test_the_assignee_must_be_able_to_change_the_countys_records(
    coop, county_officer, provincial, viewer, borujerd, admin_user
):
    borujerd_officer = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo")
    rep = UserFactory(role="representative", cooperative=coop, county=coop.county, username="rep")
    for wrong in (borujerd_officer, viewer, rep, None):
        with pytest.raises(ValidationError) as exc:
            cases.case_open(
                acting_user=county_officer, cooperative=coop, assigned_to=wrong, deadline=days(9), reason="x"
            )
        assert fields(exc) == {"assigned_to"}
    assert not Case.objects.exists()
    # the province's staff and an administrator may carry it
    case = cases.case_open(
        acting_user=county_officer, cooperative=coop, assigned_to=provincial, deadline=days(9), reason="x"
    )
    assert case.assigned_to == provincial
    cases.case_assign(acting_user=county_officer, case=case, assigned_to=admin_user, deadline=days(9))


@pytest.mark.parametrize("status", ["liquidating", "dissolved"])
def test_a_closed_cooperative_gets_no_case(admin_user, khorramabad, county_officer, status):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, status=status)
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(9),
            reason="x",
        )
    assert fields(exc) == {"cooperative"} and not Case.objects.exists()


def test_opening_outside_ones_county_or_as_a_viewer_is_refused(admin_user, borujerd, county_officer, viewer):
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, status="dormant")
    for user in (county_officer, viewer):
        with pytest.raises(PermissionDenied):
            cases.case_open(
                acting_user=user, cooperative=theirs, assigned_to=admin_user, deadline=days(9), reason="x"
            )
    assert not Case.objects.exists()


# --- assigning -------------------------------------------------------------------------------------------------------


def test_reassigning_and_a_new_deadline(case, county_officer, provincial):
    case = cases.case_assign(
        acting_user=provincial,
        case=case,
        assigned_to=provincial,
        deadline=days(60),
        expected_version=case.version,
    )
    assert case.assigned_to == provincial and case.deadline == days(60) and case.version == 2
    assert case.history.first().history_user == provincial
    with pytest.raises(ValidationError) as exc:
        cases.case_assign(acting_user=provincial, case=case, assigned_to=provincial, deadline=days(-1))
    assert fields(exc) == {"deadline"}


def test_a_reassignment_made_meanwhile_is_a_conflict(case, county_officer, provincial, admin_user):
    seen = case.version
    cases.case_assign(acting_user=provincial, case=case, assigned_to=provincial, deadline=case.deadline)
    with pytest.raises(ConflictError):
        cases.case_assign(
            acting_user=county_officer,
            case=case,
            assigned_to=admin_user,
            deadline=case.deadline,
            expected_version=seen,
        )
    case.refresh_from_db()
    assert case.assigned_to == provincial


def test_closing_or_changing_a_case_outside_ones_county_is_refused(admin_user, borujerd, county_officer):
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, status="dormant")
    case = cases.case_open(
        acting_user=admin_user, cooperative=theirs, assigned_to=admin_user, deadline=days(9), reason="x"
    )
    with pytest.raises(PermissionDenied):
        cases.case_assign(acting_user=county_officer, case=case, assigned_to=county_officer, deadline=days(9))
    with pytest.raises(PermissionDenied):
        cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=TODAY())
    with pytest.raises(PermissionDenied):
        decide(case, county_officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not case.steps.exists()
    assert Cooperative.objects.get(pk=theirs.pk).status == "dormant"


# --- steps -----------------------------------------------------------------------------------------------------------


def test_steps_are_recorded_with_their_dates(case, county_officer):
    case = backdate(case, opened=20)
    contact = cases.case_step_add(
        acting_user=county_officer, case=case, kind="contact", date=days(-20), channel="phone", reached=False
    )
    meeting = cases.case_step_add(
        acting_user=county_officer,
        case=case,
        kind="meeting",
        date=days(-3),
        channel="phone",
        reached=True,
        note="ok",
    )
    docs = cases.case_step_add(
        acting_user=county_officer, case=case, kind="documents", date=TODAY(), document=pdf()
    )
    assert (contact.channel, contact.reached) == ("phone", False)
    assert (meeting.channel, meeting.reached) == ("", None)  # only a contact attempt has a channel
    # stored under an unguessable name, not the uploader's ("e.pdf"): a random token may end in "e" itself
    from taavon.core.files import UNGUESSABLE_NAME

    assert UNGUESSABLE_NAME.match(docs.document.name) and docs.document.name.rsplit("/", 1)[-1] != "e.pdf"
    assert [s.kind for s in case.steps.all()] == ["contact", "meeting", "documents"]
    assert contact.history.get().history_user == county_officer


def test_a_step_dated_before_the_case_was_opened_or_in_the_future_is_refused(case, county_officer):
    case = backdate(case, opened=5)
    for day in (days(-6), days(1)):
        with pytest.raises(ValidationError) as exc:
            cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=day)
        assert fields(exc) == {"date"}
    assert not CaseStep.objects.exists()
    cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=days(-5))


def test_a_contact_attempt_needs_its_channel_and_whether_it_reached(case, county_officer):
    with pytest.raises(ValidationError) as exc:
        cases.case_step_add(acting_user=county_officer, case=case, kind="contact", date=TODAY())
    assert fields(exc) == {"channel", "reached"}
    with pytest.raises(ValidationError) as exc:
        cases.case_step_add(
            acting_user=county_officer, case=case, kind="contact", date=TODAY(), channel="fax", reached=True
        )
    assert fields(exc) == {"channel"}
    assert not CaseStep.objects.exists()


def test_a_document_that_is_not_a_pdf_or_image_is_refused(case, county_officer):
    fake = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as exc:
        cases.case_step_add(
            acting_user=county_officer, case=case, kind="documents", date=TODAY(), document=fake
        )
    assert fields(exc) == {"document"}
    with pytest.raises(ValidationError) as exc:
        cases.case_step_add(acting_user=county_officer, case=case, kind="documents", date=TODAY())
    assert fields(exc) == {"document"}  # documents received: attached or described
    assert not CaseStep.objects.exists()


def test_a_decided_case_takes_no_more_steps(case, county_officer):
    decide(case, county_officer)
    with pytest.raises(ValidationError, match="decided|تصمیم"):
        cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=TODAY())
    with pytest.raises(ValidationError):
        cases.case_assign(acting_user=county_officer, case=case, assigned_to=county_officer, deadline=days(9))
    with pytest.raises(ValidationError):
        decide(case, county_officer, outcome="dissolved")


# --- the decision ----------------------------------------------------------------------------------------------------


def test_a_decision_without_evidence_is_refused_and_nothing_is_saved(case, coop, county_officer):
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, evidence=None)
    assert fields(exc) == {"evidence"}
    assert "evidence" in str(exc.value) or "مستند" in str(exc.value)
    case.refresh_from_db()
    coop.refresh_from_db()
    assert case.status == CaseStatus.OPEN and coop.status == "dormant"
    assert not StatusChange.objects.filter(cooperative=coop, to_status="liquidating").exists()


def test_a_step_of_the_case_is_evidence_enough(case, coop, county_officer, admin_user):
    step = cases.case_step_add(
        acting_user=county_officer, case=case, kind="meeting", date=TODAY(), note="جلسه"
    )
    case = decide(case, county_officer, evidence=step)  # the evidence named as the step itself
    assert case.evidence_step == step and not case.evidence
    # a step of another case is not
    other = make_cooperative(acting_user=admin_user, county=coop.county, status="dormant")
    other_case = cases.case_open(
        acting_user=county_officer,
        cooperative=other,
        assigned_to=county_officer,
        deadline=days(9),
        reason="x",
    )
    with pytest.raises(ValidationError) as exc:
        decide(other_case, county_officer, evidence=None, evidence_step=step)
    assert fields(exc) == {"evidence_step", "evidence"}


def test_referred_to_liquidation_moves_the_status_with_the_case_as_evidence(case, coop, county_officer):
    case = decide(case, county_officer)
    coop.refresh_from_db()
    assert (
        case.status == CaseStatus.DECIDED
        and case.outcome == "liquidation"
        and case.decided_by == county_officer
    )
    assert coop.status == "liquidating"
    change = StatusChange.objects.filter(cooperative=coop).latest("changed_at")
    assert (change.from_status, change.to_status, change.changed_by) == (
        "dormant",
        "liquidating",
        county_officer,
    )
    assert f"پروندهٔ {case.pk}" in change.reason and "ارجاع به تصفیه" in change.reason
    assert change.evidence and change.effective_date == TODAY()
    assert case.evidence and case.history.first().history_change_reason == "تصمیم دربارهٔ پرونده"


def test_not_dormant_after_all_makes_a_dormant_cooperative_active(case, coop, county_officer):
    decide(case, county_officer, outcome="not_dormant")
    coop.refresh_from_db()
    assert coop.status == "active"


def test_not_dormant_leaves_an_active_cooperative_as_it_is(admin_user, khorramabad, county_officer):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, status="active")
    case = cases.case_open(
        acting_user=county_officer, cooperative=coop, assigned_to=county_officer, deadline=days(9), reason="x"
    )
    changes = StatusChange.objects.filter(cooperative=coop).count()
    decide(case, county_officer, outcome="not_dormant")
    assert StatusChange.objects.filter(cooperative=coop).count() == changes


def test_revived_needs_a_plan_with_deadlines_not_in_the_past(case, coop, county_officer):
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, outcome="revived", plan=[])
    assert fields(exc) == {"plan"}
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, outcome="revived", plan=[("assembly", days(-1)), ("return", days(90))])
    assert fields(exc) == {"plan_assembly"}
    case.refresh_from_db()
    coop.refresh_from_db()
    assert case.status == CaseStatus.OPEN and coop.status == "dormant" and not Commitment.objects.exists()
    case = decide(
        case,
        county_officer,
        outcome="revived",
        plan=[("assembly", days(60)), {"kind": "board", "deadline": days(60)}, ("return", days(90))],
    )
    coop.refresh_from_db()
    assert coop.status == "active"
    assert sorted(case.commitments.values_list("kind", flat=True)) == ["assembly", "board", "return"]


def test_merged_the_merged_one_goes_to_liquidation_naming_the_merger(case, coop, county_officer, admin_user):
    into = make_cooperative(acting_user=admin_user, county=coop.county, name="تعاونی ادغام‌پذیر نمونه")
    case = decide(case, county_officer, outcome="merged", merged_into=into)
    coop.refresh_from_db()
    into.refresh_from_db()
    assert case.merged_into == into and coop.status == "liquidating" and into.status == "active"
    change = StatusChange.objects.filter(cooperative=coop).latest("changed_at")
    assert "تعاونی ادغام‌پذیر نمونه" in change.reason and "ادغام" in change.reason


def test_merged_into_itself_nothing_or_a_closed_one_is_refused(case, coop, county_officer, admin_user):
    closed = make_cooperative(acting_user=admin_user, county=coop.county, status="dissolved")
    for target in (coop, None, closed):
        with pytest.raises(ValidationError) as exc:
            decide(case, county_officer, outcome="merged", merged_into=target)
        assert fields(exc) == {"merged_into"}
    coop.refresh_from_db()
    assert coop.status == "dormant"


def test_merged_into_one_outside_the_jurisdiction_is_not_named(
    case, coop, county_officer, admin_user, borujerd
):
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی بیرون از حوزه")
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, outcome="merged", merged_into=theirs)
    assert fields(exc) == {"merged_into"} and "بیرون از حوزه" not in str(exc.value)


def test_dissolved_only_from_liquidation(case, coop, county_officer, admin_user):
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, outcome="dissolved")
    assert fields(exc) == {"outcome"}
    coop.refresh_from_db()
    assert coop.status == "dormant"
    # the cooperative was put in liquidation meanwhile (on its record): the case may now conclude its dissolution
    cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status="liquidating", reason="رأی مجمع"
    )
    decide(case, county_officer, outcome="dissolved")
    coop.refresh_from_db()
    assert coop.status == "dissolved"


def test_an_outcome_the_lifecycle_forbids_is_refused_and_nothing_is_saved(
    case, coop, county_officer, admin_user
):
    """Dissolved meanwhile: reviving it would be dissolved → active, which the lifecycle does not allow."""
    for step in ("liquidating", "dissolved"):
        cooperative_change_status(
            acting_user=admin_user, cooperative=coop, to_status=step, reason="حکم دادگاه"
        )
    changes = StatusChange.objects.filter(cooperative=coop).count()
    for outcome, plan in (("revived", [("assembly", days(30))]), ("liquidation", None), ("merged", None)):
        into = make_cooperative(acting_user=admin_user, county=coop.county) if outcome == "merged" else None
        with pytest.raises(ValidationError) as exc:
            decide(case, county_officer, outcome=outcome, plan=plan, merged_into=into)
        assert fields(exc) == {"outcome"}, outcome
        assert "not allowed" in str(exc.value) or "مجاز نیست" in str(exc.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not case.commitments.exists()
    assert StatusChange.objects.filter(cooperative=coop).count() == changes


def test_the_registrys_refusal_rolls_the_whole_decision_back(case, coop, county_officer, monkeypatch):
    """Whatever the registry's status service refuses (here: a step it no longer allows), nothing of the decision
    stays — not the case's decision, not the plan."""
    from taavon.registry import services as registry

    monkeypatch.setitem(
        registry.TRANSITIONS, "dormant", frozenset({"liquidating"})
    )  # the pre-check lets it pass
    monkeypatch.setattr(
        cases,
        "cooperative_change_status",
        lambda **kw: (_ for _ in ()).throw(ValidationError({"to_status": ["refused by the registry"]})),
    )
    with pytest.raises(ValidationError) as exc:
        decide(case, county_officer, outcome="revived", plan=[("assembly", days(30))])
    assert fields(exc) == {"outcome"}
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not Commitment.objects.exists()


def test_a_decision_dated_before_the_case_or_in_the_future_is_refused(case, county_officer):
    case = backdate(case, opened=3)
    for day in (days(-4), days(1)):
        with pytest.raises(ValidationError) as exc:
            decide(case, county_officer, decided_on=day)
        assert fields(exc) == {"decided_on"}


def test_a_case_decided_meanwhile_is_a_conflict(case, county_officer, provincial):
    seen = case.version
    decide(case, provincial, outcome="not_dormant")
    with pytest.raises((ConflictError, ValidationError)):
        decide(case, county_officer, expected_version=seen)
    case.refresh_from_db()
    assert case.outcome == "not_dormant" and case.decided_by == provincial


def test_a_viewer_decides_nothing(case, viewer):
    with pytest.raises(PermissionDenied):
        decide(case, viewer)


# --- commitments -----------------------------------------------------------------------------------------------------


@pytest.fixture
def revived(case, county_officer):
    return decide(
        case,
        county_officer,
        outcome="revived",
        plan=[("assembly", days(60)), ("return", days(90)), ("board", days(60))],
    )


def test_commitments_are_closed_by_the_records_that_arrive(revived, coop, county_officer, admin_user):
    from taavon.members.services import assembly_record, return_file
    from taavon.persian import jalali_year

    assert not Commitment.objects.filter(fulfilled_on__isnull=False).exists()
    assembly_record(acting_user=county_officer, cooperative=coop, date=TODAY())
    return_file(
        acting_user=county_officer, cooperative=coop, fiscal_year=jalali_year(TODAY()) - 1, filed_on=TODAY()
    )
    assert cases.commitments_refresh(acting_user=admin_user, case=revived) == 2
    states = {c.kind: c.fulfilled_on for c in revived.commitments.all()}
    assert states == {"assembly": TODAY(), "return": TODAY(), "board": None}
    row = revived.commitments.get(kind="assembly").history.first()
    assert row.history_user == admin_user and row.history_change_reason == "انجام تعهد با ثبت سابقهٔ مربوط"
    assert cases.commitments_refresh(acting_user=admin_user, case=revived) == 0  # idempotent


def test_a_board_elected_closes_its_commitment_in_the_nightly_run(revived, coop, county_officer, admin_user):
    from taavon.members.services import officer_appoint, person_register

    person = person_register(
        acting_user=county_officer,
        national_code="0076229645",
        first_name="مینا",
        last_name="کرمی",
        gender="female",
    )
    officer_appoint(
        acting_user=county_officer,
        cooperative=coop,
        person=person,
        role="board",
        start=TODAY(),
        end=days(3 * 365),
    )
    assert cases.commitments_refresh_all(acting_user=admin_user) == 1
    assert revived.commitments.get(kind="board").fulfilled_on == TODAY()


def test_a_record_from_before_the_plan_does_not_close_it(case, coop, county_officer, admin_user):
    from taavon.members.services import assembly_record

    case = backdate(case, opened=10)
    assembly_record(acting_user=county_officer, cooperative=coop, date=days(-8))
    revived = decide(case, county_officer, outcome="revived", plan=[("assembly", days(30))])
    assert cases.commitments_refresh_all(acting_user=admin_user) == 0
    assert revived.commitments.get().fulfilled_on is None


# --- overdue ---------------------------------------------------------------------------------------------------------


def test_overdue_cases_and_broken_commitments(
    case, revived_other, county_officer, provincial, admin_user, borujerd
):
    case = backdate(case, opened=40, deadline=-1)
    assert list(case_selectors.overdue_cases(user=county_officer)) == [case]
    assert list(case_selectors.overdue_cases(user=county_officer, assigned_to=provincial)) == []
    Commitment.objects.filter(case=revived_other).update(deadline=days(-1))
    broken = list(case_selectors.broken_commitments(user=provincial))
    assert [c.case_id for c in broken] == [revived_other.pk]
    # fulfilled: not broken; the deadline today: not yet
    Commitment.objects.filter(case=revived_other).update(fulfilled_on=TODAY())
    assert not case_selectors.broken_commitments(user=provincial).exists()
    Commitment.objects.filter(case=revived_other).update(fulfilled_on=None, deadline=TODAY())
    assert not case_selectors.broken_commitments(user=provincial).exists()
    # a case due today is not overdue
    Case.objects.filter(pk=case.pk).update(deadline=TODAY())
    assert not case_selectors.overdue_cases(user=county_officer).exists()


def test_overdue_cases_outside_the_jurisdiction_are_not_seen(
    admin_user, borujerd, county_officer, provincial
):
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, status="dormant")
    case = cases.case_open(
        acting_user=admin_user, cooperative=theirs, assigned_to=provincial, deadline=days(9), reason="x"
    )
    backdate(case, opened=30, deadline=-3)
    assert not case_selectors.overdue_cases(user=county_officer).exists()
    assert list(case_selectors.overdue_cases(user=provincial)) == [case]


@pytest.fixture
def revived_other(admin_user, khorramabad, provincial):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
    case = cases.case_open(
        acting_user=provincial, cooperative=coop, assigned_to=provincial, deadline=days(9), reason="x"
    )
    return decide(case, provincial, outcome="revived", plan=[("assembly", days(30))])


def test_a_case_opened_on_paper_earlier_keeps_its_date_never_a_future_one(coop, county_officer):
    with pytest.raises(ValidationError) as exc:
        cases.case_open(
            acting_user=county_officer,
            cooperative=coop,
            assigned_to=county_officer,
            deadline=days(30),
            reason="x",
            opened_on=days(1),
        )
    assert fields(exc) == {"opened_on"}
    case = cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=days(30),
        reason="x",
        opened_on=days(-40),
    )
    step = cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=days(-40))
    assert case.opened_on == step.date == days(-40)
