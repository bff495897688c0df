"""The service desk's services: filing, the status machine and its clock, replies and notes, assignment and
transfer, the cooperator's rating, jurisdiction, and the SMS sent after the commit."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taavon.servicedesk.models import (
    Category,
    Channel,
    DeadlinePolicy,
    Message,
    MessageKind,
    Priority,
    Request,
    RequestStatus,
    Transfer,
)
from taavon.servicedesk.services import (
    TRANSITIONS,
    policy_hours,
    request_assign,
    request_change_status,
    request_cooperator_message,
    request_file,
    request_rate,
    request_reply,
    request_transfer,
)
from tests.factories import UserFactory, make_cooperative

S = RequestStatus
TEHRAN = ZoneInfo("Asia/Tehran")
MOBILE = "09161234567"
# Saturday 7 Azar 1405, 08:00 in Tehran; no holiday in the fortnight after it
SATURDAY = dt.datetime(2026, 11, 28, 8, 0, tzinfo=TEHRAN)


def at(day_offset: int, hh: int, mm: int = 0) -> dt.datetime:
    return (SATURDAY + dt.timedelta(days=day_offset)).replace(hour=hh, minute=mm)


@pytest.fixture
def coop(county_officer, khorramabad):
    return make_cooperative(acting_user=county_officer, county=khorramabad)


@pytest.fixture
def category(db):
    return Category.objects.get(code="financing")


@pytest.fixture
def other_officer(borujerd):
    return UserFactory(role="county", county=borujerd, province=borujerd.province, username="bj-t")


@pytest.fixture
def representative(coop):
    return UserFactory(role="representative", cooperative=coop, username="rep-t")


@pytest.fixture
def file(county_officer, coop, category):
    def filing(**fields):
        data = {
            "acting_user": county_officer,
            "channel": Channel.DESK,
            "category": category,
            "subject": "وام سرمایه در گردش",
            "mobile": MOBILE,
            "cooperative": coop,
            "opened_at": SATURDAY,
        }
        data.update(fields)
        return request_file(**data)

    return filing


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# -- filing -----------------------------------------------------------------------------------------------------


def test_filing_for_a_cooperative(file, coop, county_officer, khorramabad):
    first = file()
    second = file()
    assert first.county == khorramabad == coop.county
    assert (first.code, second.code) == ("MK-1405-0001", "MK-1405-0002")
    assert first.status == S.NEW and first.assignee is None
    assert first.filed_by == county_officer
    # 2 and 10 working days: Saturday 08:00 + 14 office hours → Monday 08:00; + 70 → the next Monday 08:00 (two
    # weeks of five days, no holiday)
    assert first.first_answer_due == at(2, 8)
    assert first.resolution_due == at(14, 8)
    row = first.history.get()
    assert row.history_user == county_officer and row.history_type == "+"


def test_the_tracking_number_restarts_each_jalali_year(file):
    assert file(opened_at=dt.datetime(2026, 3, 18, 9, 0, tzinfo=TEHRAN)).code == "MK-1404-0001"
    assert file(opened_at=dt.datetime(2026, 3, 25, 9, 0, tzinfo=TEHRAN)).code == "MK-1405-0001"
    assert file().code == "MK-1405-0002"


def test_deadlines_follow_the_category_and_priority_policy(file, category):
    DeadlinePolicy.objects.create(priority=Priority.URGENT, first_answer_hours=3, resolution_hours=14)
    assert policy_hours(category, Priority.URGENT) == (3, 14)
    DeadlinePolicy.objects.create(
        category=category, priority=Priority.URGENT, first_answer_hours=1, resolution_hours=7
    )
    assert policy_hours(category, Priority.URGENT) == (1, 7)
    assert policy_hours(Category.objects.get(code="tax"), Priority.URGENT) == (3, 14)
    assert policy_hours(category, Priority.LOW) == (14, 70)
    request = file(priority=Priority.URGENT)
    assert request.first_answer_due == at(0, 9)
    assert request.resolution_due == at(1, 8)  # Saturday's 6.5 hours, half an hour on Sunday


def test_filing_with_an_assignee(file, county_officer):
    request = file(assignee=county_officer)
    assert request.status == S.ASSIGNED and request.assignee == county_officer


def test_filing_for_a_person(file, county_officer, khorramabad):
    request = file(
        cooperative=None, county=khorramabad, requester_name=" مریم احمدی ", national_code="۰۰۱۳۵۴۲۴۱۹"
    )
    assert request.cooperative is None
    assert request.requester_name == "مریم احمدی"
    assert request.requester_national_code == "0013542419"
    assert request.county == khorramabad


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"requester_name": "مریم احمدی", "national_code": "0013542418"}, "requester_national_code"),
        ({"requester_name": "  "}, "requester_name"),
        ({"county": None, "requester_name": "مریم احمدی"}, "cooperative"),
        ({"requester_name": "مریم احمدی", "mobile": "12"}, "requester_mobile"),
    ],
)
def test_filing_for_a_person_refuses_bad_input(file, khorramabad, fields, field):
    with pytest.raises(ValidationError) as exc:
        file(**{"cooperative": None, "county": khorramabad, **fields})
    assert field in errors_of(exc)
    assert not Request.objects.exists()


def test_filing_refuses_an_inactive_category_and_an_assignee_of_another_county(file, category, other_officer):
    category.is_active = False
    category.save()
    with pytest.raises(ValidationError) as exc:
        file(assignee=other_officer)
    assert set(errors_of(exc)) == {"category", "assignee"}
    assert not Request.objects.exists()


def test_filing_outside_ones_county_is_denied(file, other_officer, viewer, khorramabad, coop):
    for user in (other_officer, viewer):
        with pytest.raises(PermissionDenied) as exc:
            file(acting_user=user)
        assert coop.name not in str(exc.value)
        with pytest.raises(PermissionDenied):
            file(acting_user=user, cooperative=None, county=khorramabad, requester_name="مریم احمدی")
    assert not Request.objects.exists()


def test_a_representative_files_for_their_own_cooperative_only(file, representative, khorramabad):
    request = file(acting_user=representative, channel=Channel.PORTAL)
    assert request.cooperative == representative.cooperative
    other = make_cooperative(county=khorramabad)
    with pytest.raises(PermissionDenied):
        file(acting_user=representative, cooperative=other)
    with pytest.raises(PermissionDenied):
        file(acting_user=representative, cooperative=None, county=khorramabad, requester_name="مریم احمدی")
    assert Request.objects.count() == 1


# -- the status machine -----------------------------------------------------------------------------------------

EDGES = sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)
ALL = [s for s in S.values]


def _bring_to(request, status, user, now):
    if status != S.NEW:
        return request_change_status(acting_user=user, request=request, to_status=status, now=now)
    return request


def test_the_table_has_the_issues_machine():
    assert (S.NEW, S.ASSIGNED) in EDGES and (S.ASSIGNED, S.IN_PROGRESS) in EDGES
    assert (S.IN_PROGRESS, S.WAITING) in EDGES and (S.WAITING, S.ANSWERED) in EDGES
    assert (S.ANSWERED, S.CLOSED) in EDGES and (S.CLOSED, S.IN_PROGRESS) in EDGES
    assert set(TRANSITIONS) == set(ALL)


@pytest.mark.parametrize(("source", "target"), EDGES)
def test_every_allowed_step(file, county_officer, source, target):
    request = _bring_to(file(), source, county_officer, at(0, 9))
    before = request.history.count()
    moved = request_change_status(
        acting_user=county_officer, request=request, to_status=target, reason="آزمون", now=at(0, 10)
    )
    moved.refresh_from_db()
    assert moved.status == target
    assert moved.history.count() == before + 1
    latest = moved.history.first()
    assert latest.history_user == county_officer and latest.history_change_reason == "آزمون"
    assert (moved.closed_at is not None) == (target == S.CLOSED)
    assert (moved.paused_since is not None) == (target == S.WAITING)
    if target == S.ANSWERED:
        assert moved.answered_at == at(0, 10)


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in ALL for t in ALL if t not in TRANSITIONS[s]],
)
def test_every_refused_step(file, county_officer, source, target):
    request = _bring_to(file(), source, county_officer, at(0, 9))
    version = Request.objects.get(pk=request.pk).version
    with pytest.raises(ValidationError) as exc:
        request_change_status(acting_user=county_officer, request=request, to_status=target, now=at(0, 10))
    assert "status" in errors_of(exc)
    request.refresh_from_db()
    assert request.status == source and request.version == version


def test_an_unknown_status_is_refused(file, county_officer):
    with pytest.raises(ValidationError):
        request_change_status(acting_user=county_officer, request=file(), to_status="lost", now=at(0, 10))


def test_reopening_within_the_days_and_not_after(file, county_officer, settings):
    settings.TAAVON_REOPEN_DAYS = 7
    request = _bring_to(file(), S.CLOSED, county_officer, at(0, 9))
    reopened = request_change_status(
        acting_user=county_officer, request=request, to_status=S.IN_PROGRESS, now=at(7, 8)
    )
    assert reopened.status == S.IN_PROGRESS and reopened.closed_at is None
    request_change_status(acting_user=county_officer, request=reopened, to_status=S.CLOSED, now=at(7, 9))
    with pytest.raises(ValidationError) as exc:
        request_change_status(
            acting_user=county_officer, request=reopened, to_status=S.IN_PROGRESS, now=at(14, 10)
        )
    assert "7" in errors_of(exc)["status"][0] or "۷" in errors_of(exc)["status"][0]
    assert Request.objects.get(pk=request.pk).status == S.CLOSED


def test_a_stale_version_is_refused(file, county_officer):
    from taavon.core.concurrency import ConflictError

    request = file()
    request_change_status(acting_user=county_officer, request=request, to_status=S.IN_PROGRESS, now=at(0, 9))
    with pytest.raises(ConflictError):
        request_change_status(
            acting_user=county_officer,
            request=request,
            to_status=S.CLOSED,
            expected_version=request.version,
            now=at(0, 10),
        )


# -- the clock ---------------------------------------------------------------------------------------------------


def test_waiting_pauses_the_clock_and_pushes_both_deadlines(file, county_officer):
    request = file()
    assert (request.first_answer_due, request.resolution_due) == (at(2, 8), at(14, 8))
    request_change_status(acting_user=county_officer, request=request, to_status=S.WAITING, now=at(0, 10))
    # resumed on Sunday 10:00: Saturday 10:00–14:30 and Sunday 07:30–10:00 = 420 working minutes paused
    resumed = request_change_status(
        acting_user=county_officer, request=request, to_status=S.IN_PROGRESS, now=at(1, 10)
    )
    assert resumed.paused_since is None
    assert resumed.paused_minutes == 420
    assert resumed.first_answer_due == at(3, 8)
    assert resumed.resolution_due == at(15, 8)
    # a second wait over the weekend: Wednesday 14:00 → Saturday 08:00 = 30 + 30 minutes
    request_change_status(acting_user=county_officer, request=request, to_status=S.WAITING, now=at(4, 14))
    answered = request_change_status(
        acting_user=county_officer, request=request, to_status=S.ANSWERED, now=at(7, 8)
    )
    assert answered.paused_minutes == 480
    assert answered.first_answer_due == at(3, 9)
    assert answered.resolution_due == at(15, 9)


def test_waiting_outside_office_hours_does_not_move_the_deadlines(file, county_officer):
    request = file()
    request_change_status(acting_user=county_officer, request=request, to_status=S.WAITING, now=at(0, 15))
    resumed = request_change_status(
        acting_user=county_officer, request=request, to_status=S.IN_PROGRESS, now=at(1, 7)
    )
    assert resumed.paused_minutes == 0
    assert (resumed.first_answer_due, resumed.resolution_due) == (at(2, 8), at(14, 8))


def test_the_cooperators_message_resumes_a_waiting_request(file, county_officer, representative):
    request = file()
    request_reply(acting_user=county_officer, request=request, body="مدارک را بفرستید.", then=S.WAITING)
    message = request_cooperator_message(acting_user=representative, request=request, body="فرستادم.")
    assert message.kind == MessageKind.COOPERATOR
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS and request.paused_since is None


# -- replies and notes ------------------------------------------------------------------------------------------


def test_the_first_reply_stamps_the_first_answer_and_a_note_does_not(file, county_officer):
    request = file()
    note = request_reply(
        acting_user=county_officer,
        request=request,
        body="به کارشناس بانک زنگ زدم.",
        internal=True,
        now=at(0, 9),
    )
    request.refresh_from_db()
    assert note.kind == MessageKind.NOTE
    assert request.first_answer_at is None and request.status == S.NEW
    reply = request_reply(
        acting_user=county_officer, request=request, body="پرونده بررسی می‌شود.", now=at(0, 10)
    )
    request.refresh_from_db()
    assert reply.kind == MessageKind.REPLY
    assert request.first_answer_at == at(0, 10)
    assert request.status == S.IN_PROGRESS
    request_reply(
        acting_user=county_officer, request=request, body="وام تصویب شد.", then=S.ANSWERED, now=at(1, 10)
    )
    request.refresh_from_db()
    assert request.first_answer_at == at(0, 10)  # the first one only
    assert request.status == S.ANSWERED and request.answered_at == at(1, 10)
    assert list(
        Message.objects.shown_to_cooperator().filter(request=request).values_list("kind", flat=True)
    ) == [
        MessageKind.REPLY,
        MessageKind.REPLY,
    ]


def test_a_reply_to_a_closed_request_is_refused(file, county_officer):
    request = _bring_to(file(), S.CLOSED, county_officer, at(0, 9))
    for internal in (False, True):
        with pytest.raises(ValidationError) as exc:
            request_reply(acting_user=county_officer, request=request, body="پاسخ", internal=internal)
        assert "body" in errors_of(exc)
    with pytest.raises(ValidationError):
        request_reply(acting_user=county_officer, request=file(), body="   ")
    assert not Message.objects.exists()


def test_a_reply_goes_by_sms_after_the_commit(
    file, county_officer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    settings.TAAVON_SMS_BACKEND = "taavon.servicedesk.sms.FileBackend"
    request = file()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = request_reply(acting_user=county_officer, request=request, body="پرونده بررسی می‌شود.")
        request_reply(acting_user=county_officer, request=request, body="یادداشت داخلی", internal=True)
    log = tmp_path / "sms.log"
    assert not log.exists()  # nothing before the commit
    assert len(callbacks) == 1  # the note sends nothing
    callbacks[0]()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert MOBILE in lines[0] and request.code in lines[0] and "پرونده بررسی می‌شود." in lines[0]
    assert "یادداشت داخلی" not in lines[0]
    reply.refresh_from_db()
    assert reply.sms_sent_at is not None


def test_a_failing_sms_provider_does_not_undo_the_reply(
    file, county_officer, settings, django_capture_on_commit_callbacks
):
    settings.TAAVON_SMS_BACKEND = "tests.servicedesk.test_services.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        reply = request_reply(acting_user=county_officer, request=file(), body="پاسخ")
    reply.refresh_from_db()
    assert reply.sms_sent_at is None
    assert Message.objects.filter(pk=reply.pk).exists()


class BrokenBackend:
    def send(self, mobile, text):
        raise ConnectionError("provider down")


# -- assignment and transfer ------------------------------------------------------------------------------------


def test_assignment_only_to_staff_of_the_requests_county(
    file, county_officer, other_officer, viewer, khorramabad
):
    request = file()
    colleague = UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="kh-2")
    assigned = request_assign(acting_user=county_officer, request=request, assignee=colleague)
    assert assigned.assignee == colleague and assigned.status == S.ASSIGNED
    for outsider in (
        other_officer,
        viewer,
        UserFactory(role="representative", cooperative=request.cooperative),
    ):
        with pytest.raises(ValidationError) as exc:
            request_assign(acting_user=county_officer, request=request, assignee=outsider)
        assert "assignee" in errors_of(exc)
    assert Request.objects.get(pk=request.pk).assignee == colleague
    back = request_assign(acting_user=county_officer, request=request, assignee=None)
    assert back.assignee is None and back.status == S.NEW


def test_transfer_with_a_reason(file, county_officer, other_officer, borujerd):
    request = file(assignee=county_officer)
    moved = request_transfer(
        acting_user=county_officer,
        request=request,
        to_county=borujerd,
        reason="تعاونی در بروجرد فعالیت دارد.",
    )
    assert moved.county == borujerd and moved.assignee is None and moved.status == S.NEW
    transfer = Transfer.objects.get(request=request)
    assert (transfer.from_county.name_en, transfer.to_county, transfer.by) == (
        "Khorramabad",
        borujerd,
        county_officer,
    )
    assert transfer.reason == "تعاونی در بروجرد فعالیت دارد."
    assert moved.history.first().history_change_reason.startswith("تعاونی در بروجرد")
    # now Borujerd's: its officer sees and answers it; Khorramabad's no longer does
    assert Request.objects.for_user(other_officer).filter(pk=request.pk).exists()
    assert not Request.objects.for_user(county_officer).filter(pk=request.pk).exists()
    request_assign(acting_user=other_officer, request=request, assignee=other_officer)
    with pytest.raises(PermissionDenied):
        request_reply(acting_user=county_officer, request=request, body="پاسخ")


def test_transfer_refusals(file, county_officer, borujerd, khorramabad):
    request = file()
    with pytest.raises(ValidationError) as exc:
        request_transfer(acting_user=county_officer, request=request, to_county=borujerd, reason="  ")
    assert "reason" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        request_transfer(acting_user=county_officer, request=request, to_county=khorramabad, reason="دلیل")
    assert "to_county" in errors_of(exc)
    closed = _bring_to(file(), S.CLOSED, county_officer, at(0, 9))
    with pytest.raises(ValidationError) as exc:
        request_transfer(acting_user=county_officer, request=closed, to_county=borujerd, reason="دلیل")
    assert "to_county" in errors_of(exc)
    assert not Transfer.objects.exists()
    assert set(Request.objects.values_list("county", flat=True)) == {khorramabad.pk}


# -- rating -----------------------------------------------------------------------------------------------------


def test_rating_by_the_representative_once_closed(file, county_officer, representative):
    request = file()
    with pytest.raises(ValidationError) as exc:
        request_rate(acting_user=representative, request=request, rating=5)
    assert "rating" in errors_of(exc)
    _bring_to(request, S.CLOSED, county_officer, at(0, 9))
    for bad in (0, 6, -1):
        with pytest.raises(ValidationError):
            request_rate(acting_user=representative, request=request, rating=bad)
    rated = request_rate(acting_user=representative, request=request, rating=4, comment=" پاسخ روشن بود ")
    assert (rated.rating, rated.rating_comment) == (4, "پاسخ روشن بود")
    assert rated.history.first().history_user == representative
    with pytest.raises(ValidationError) as exc:
        request_rate(acting_user=representative, request=request, rating=5)
    assert "rating" in errors_of(exc)
    assert Request.objects.get(pk=request.pk).rating == 4


def test_only_the_cooperatives_representative_rates(file, county_officer, khorramabad, admin_user):
    request = _bring_to(file(), S.CLOSED, county_officer, at(0, 9))
    stranger = UserFactory(role="representative", cooperative=make_cooperative(county=khorramabad))
    for user in (county_officer, admin_user, stranger):
        with pytest.raises(PermissionDenied):
            request_rate(acting_user=user, request=request, rating=5)
    person = _bring_to(
        file(cooperative=None, county=khorramabad, requester_name="مریم احمدی"),
        S.CLOSED,
        county_officer,
        at(0, 9),
    )
    with pytest.raises(PermissionDenied):
        request_rate(acting_user=stranger, request=person, rating=5)
    assert not Request.objects.filter(rating__isnull=False).exists()


def test_another_representative_cannot_write_on_the_request(file, khorramabad):
    request = file()
    stranger = UserFactory(role="representative", cooperative=make_cooperative(county=khorramabad))
    with pytest.raises(PermissionDenied):
        request_cooperator_message(acting_user=stranger, request=request, body="سلام")
    assert not Message.objects.exists()


# -- jurisdiction ------------------------------------------------------------------------------------------------


def test_another_countys_officer_neither_sees_nor_changes(file, other_officer, viewer, coop, borujerd):
    request = file()
    assert not Request.objects.for_user(other_officer).filter(pk=request.pk).exists()
    assert not Message.objects.for_user(other_officer).exists()
    calls = [
        lambda u: request_change_status(acting_user=u, request=request, to_status=S.IN_PROGRESS),
        lambda u: request_reply(acting_user=u, request=request, body="پاسخ"),
        lambda u: request_reply(acting_user=u, request=request, body="یادداشت", internal=True),
        lambda u: request_assign(acting_user=u, request=request, assignee=u),
        lambda u: request_transfer(acting_user=u, request=request, to_county=borujerd, reason="دلیل"),
    ]
    for user in (other_officer, viewer):
        for call in calls:
            with pytest.raises(PermissionDenied) as exc:
                call(user)
            assert coop.name not in str(exc.value) and request.code not in str(exc.value)
    # the viewer of the province reads it, never changes it
    assert Request.objects.for_user(viewer).filter(pk=request.pk).exists()
    request.refresh_from_db()
    assert request.status == S.NEW and request.version == 1
    assert not Message.objects.exists() and not Transfer.objects.exists()


def test_the_representative_sees_only_their_cooperatives_requests(file, representative, khorramabad):
    own = file()
    other = file(cooperative=make_cooperative(county=khorramabad))
    seen = set(Request.objects.for_user(representative).values_list("pk", flat=True))
    assert own.pk in seen and other.pk not in seen
