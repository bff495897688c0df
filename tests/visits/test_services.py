"""The visits' services: planning within the jurisdiction, the report (duplicate-safe by the device's id, conflicts
kept and marked, bad input refused with nothing saved), the finding's closure rules, the action's states and the
action → service-desk request link."""

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from taavon.registry.services import cooperative_update
from taavon.servicedesk.models import Category, Channel
from taavon.visits.models import (
    Action,
    ActionStatus,
    Finding,
    FindingStatus,
    Photo,
    Purpose,
    UnitState,
    Visit,
    VisitStatus,
)
from taavon.visits.services import (
    action_add,
    action_set_status,
    action_to_request,
    finding_close,
    finding_reopen,
    visit_cancel,
    visit_plan,
    visit_replan,
    visit_report,
)
from tests.factories import UserFactory, make_cooperative, make_inspector, make_report, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def jpeg(size=(800, 600), color=(200, 80, 40)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")


def finding(**over):
    f = {
        "category": "financing",
        "severity": "high",
        "description": "نبود سرمایه در گردش",
        "actions": [
            {"what": "معرفی به بانک", "owner": "agency", "agency": "بانک توسعه تعاون", "due_on": TODAY}
        ],
    }
    f.update(over)
    return f


@pytest.fixture
def inspector(khorramabad):
    return make_inspector(county=khorramabad, username="insp-kh")


@pytest.fixture
def coop(county_officer, khorramabad):
    return make_cooperative(acting_user=county_officer, county=khorramabad)


@pytest.fixture
def other_coop(borujerd, provincial):
    return make_cooperative(acting_user=provincial, county=borujerd)


# --- the plan ------------------------------------------------------------------------------------------------------


def test_plan_a_visit_with_inspectors_of_the_county(county_officer, inspector, coop):
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    assert visit.status == VisitStatus.PLANNED
    assert visit.county == coop.county
    assert list(visit.inspectors.all()) == [inspector]
    assert visit.history.first().history_user == county_officer


def test_an_inspector_of_another_county_is_refused(county_officer, borujerd, coop):
    stranger = make_inspector(county=borujerd)
    plain = UserFactory(role="county", county=coop.county, province=coop.county.province)  # not an inspector
    for who in (stranger, plain):
        with pytest.raises(ValidationError) as err:
            make_visit(acting_user=county_officer, cooperative=coop, inspectors=[who])
        assert "inspectors" in err.value.message_dict
    assert not Visit.objects.exists()


def test_a_visit_outside_ones_county_is_refused(county_officer, borujerd, other_coop):
    with pytest.raises(PermissionDenied):
        make_visit(
            acting_user=county_officer, cooperative=other_coop, inspectors=[make_inspector(county=borujerd)]
        )
    with pytest.raises(PermissionDenied):
        make_report(acting_user=county_officer, cooperative=other_coop)
    assert not Visit.objects.exists()


def test_viewer_cannot_plan(viewer, inspector, coop):
    with pytest.raises(PermissionDenied):
        make_visit(acting_user=viewer, cooperative=coop, inspectors=[inspector])


def test_replan_and_cancel(county_officer, inspector, khorramabad, coop):
    other = make_inspector(county=khorramabad)
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    moved = visit_replan(
        acting_user=county_officer, visit=visit, planned_on=TODAY + dt.timedelta(days=3), inspectors=[other]
    )
    assert moved.version == visit.version + 1 and list(moved.inspectors.all()) == [other]
    with pytest.raises(ValidationError):
        visit_cancel(acting_user=county_officer, visit=moved, reason=" ")
    cancelled = visit_cancel(acting_user=county_officer, visit=moved, reason="برف و بسته بودن راه")
    assert cancelled.status == VisitStatus.CANCELLED
    with pytest.raises(ValidationError):
        visit_replan(acting_user=county_officer, visit=cancelled, planned_on=TODAY, inspectors=[other])


# --- the report ----------------------------------------------------------------------------------------------------


def test_report_fills_the_planned_visit(inspector, county_officer, coop):
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    result = visit_report(
        acting_user=inspector,
        cooperative=coop,
        visit=visit,
        visited_on=TODAY,
        unit_state=UnitState.OPERATING,
        workers_women="۴",
        workers_men=3,
        latitude="33.4878",
        longitude="48.3558",
        findings=[finding()],
        photos=[jpeg()],
        client_id=str(uuid.uuid4()),
        seen_cooperative_version=coop.version,
        seen_visit_version=visit.version,
    )
    assert result.created and not result.conflict
    v = result.visit
    assert v.pk == visit.pk and v.status == VisitStatus.REPORTED
    assert v.workers == 7 and v.reported_by == inspector
    f = v.findings.get()
    assert f.status == FindingStatus.OPEN and f.opened_on == TODAY
    assert f.actions.get().agency == "بانک توسعه تعاون"
    assert v.photos.count() == 1


def test_the_same_report_sent_three_times_makes_one_visit(inspector, coop):
    client_id = str(uuid.uuid4())
    photo = jpeg()
    results = []
    for _ in range(3):
        photo.seek(0)
        results.append(
            visit_report(
                acting_user=inspector,
                cooperative=coop,
                visited_on=TODAY,
                unit_state="operating",
                findings=[finding()],
                photos=[photo],
                client_id=client_id,
            )
        )
    assert [r.created for r in results] == [True, False, False]
    assert Visit.objects.count() == 1 and Finding.objects.count() == 1 and Action.objects.count() == 1
    assert Photo.objects.count() == 1
    assert len({r.visit.pk for r in results}) == 1


def test_the_same_id_with_other_content_is_refused(inspector, coop):
    client_id = str(uuid.uuid4())
    visit_report(
        acting_user=inspector, cooperative=coop, visited_on=TODAY, unit_state="operating", client_id=client_id
    )
    with pytest.raises(ValidationError) as err:
        visit_report(
            acting_user=inspector,
            cooperative=coop,
            visited_on=TODAY,
            unit_state="closed",
            client_id=client_id,
        )
    assert "client_id" in err.value.message_dict
    assert Visit.objects.get().unit_state == "operating"


def test_a_reassigned_visit_keeps_the_report_as_a_visit_of_its_own(
    county_officer, inspector, khorramabad, coop
):
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    seen = visit.version
    other = make_inspector(county=khorramabad, first_name="رضا", last_name="کرمی")
    visit_replan(acting_user=county_officer, visit=visit, planned_on=visit.planned_on, inspectors=[other])
    result = visit_report(
        acting_user=inspector,
        cooperative=coop,
        visit=visit,
        visited_on=TODAY,
        unit_state="operating",
        findings=[finding()],
        client_id=str(uuid.uuid4()),
        seen_visit_version=seen,
    )
    assert result.created and "رضا کرمی" in result.conflict
    assert result.visit.pk != visit.pk and result.visit.status == VisitStatus.REPORTED
    assert result.visit.conflict == result.conflict
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED  # still the other inspector's to do
    assert result.visit.findings.count() == 1  # nothing lost


def test_a_cancelled_visit_keeps_the_report_too(county_officer, inspector, coop):
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    visit_cancel(acting_user=county_officer, visit=visit, reason="لغو")
    result = visit_report(
        acting_user=inspector, cooperative=coop, visit=visit, visited_on=TODAY, unit_state="closed"
    )
    assert result.visit.pk != visit.pk and result.conflict


def test_the_cooperatives_record_changed_meanwhile_is_named(county_officer, inspector, coop):
    seen = coop.version
    cooperative_update(acting_user=county_officer, cooperative=coop, address="خیابان انقلاب")
    coop.refresh_from_db()
    result = visit_report(
        acting_user=inspector,
        cooperative=coop,
        visited_on=TODAY,
        unit_state="operating",
        seen_cooperative_version=seen,
    )
    assert result.created
    assert "address" in result.conflict or "نشانی" in result.conflict


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"unit_state": "maybe"}, "unit_state"),
        ({"visited_on": TODAY + dt.timedelta(days=2)}, "visited_on"),
        ({"workers_men": "بسیار"}, "workers_men"),
        ({"latitude": "95"}, "latitude"),
        ({"findings": [finding(category="weather")]}, "findings.0.category"),
        ({"findings": [finding(description="  ")]}, "findings.0.description"),
        (
            {
                "findings": [
                    finding(
                        actions=[
                            {"what": "x", "owner": "cooperative", "due_on": YESTERDAY - dt.timedelta(days=3)}
                        ]
                    )
                ]
            },
            "findings.0.actions.0.due_on",
        ),
        (
            {"findings": [finding(actions=[{"what": "x", "owner": "agency", "due_on": TODAY}])]},
            "findings.0.actions.0.agency",
        ),
        ({"photos": [SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")]}, "photos.0"),
        ({"client_id": "not-a-uuid"}, "client_id"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(inspector, coop, bad, field):
    data = {"visited_on": YESTERDAY, "unit_state": "operating"} | bad
    with pytest.raises(ValidationError) as err:
        visit_report(acting_user=inspector, cooperative=coop, **data)
    assert field in err.value.message_dict
    assert not Visit.objects.exists() and not Finding.objects.exists()


def test_a_photo_too_large_is_refused(settings, inspector, coop):
    settings.TAAVON_VISIT_PHOTO_MAX_BYTES = 10_000
    big = jpeg(size=(1200, 1200))
    big_bytes = Image.effect_noise((1200, 1200), 80).convert("RGB")
    buf = io.BytesIO()
    big_bytes.save(buf, "JPEG", quality=95)
    big = SimpleUploadedFile("big.jpg", buf.getvalue())
    with pytest.raises(ValidationError) as err:
        visit_report(
            acting_user=inspector, cooperative=coop, visited_on=TODAY, unit_state="operating", photos=[big]
        )
    assert "photos.0" in err.value.message_dict
    assert not Visit.objects.exists()


def test_a_large_photo_is_resized(inspector, coop):
    v = make_report(acting_user=inspector, cooperative=coop, photos=[jpeg(size=(4000, 3000))])
    p = v.photos.get()
    assert max(p.width, p.height) == 1600


# --- findings and actions ------------------------------------------------------------------------------------------


@pytest.fixture
def reported(inspector, coop):
    return make_report(acting_user=inspector, cooperative=coop, visited_on=YESTERDAY, findings=[finding()])


def test_a_finding_closes_only_when_its_actions_are_done(county_officer, reported):
    f = reported.findings.get()
    action = f.actions.get()
    with pytest.raises(ValidationError) as err:
        finding_close(acting_user=county_officer, finding=f, result="حل شد")
    assert "result" in err.value.message_dict
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN
    with pytest.raises(ValidationError):  # done wants a note
        action_set_status(acting_user=county_officer, action=action, status=ActionStatus.DONE)
    action_set_status(
        acting_user=county_officer, action=action, status=ActionStatus.DONE, note="وام پرداخت شد"
    )
    with pytest.raises(ValidationError):  # a result is required
        finding_close(acting_user=county_officer, finding=f, result="")
    closed = finding_close(acting_user=county_officer, finding=f, result="سرمایه در گردش تأمین شد")
    assert (
        closed.status == FindingStatus.CLOSED
        and closed.closed_by == county_officer
        and closed.closed_on == TODAY
    )
    with pytest.raises(ValidationError):  # a closed finding takes no new action
        action_add(acting_user=county_officer, finding=closed, what="x", owner="cooperative", due_on=TODAY)
    reopened = finding_reopen(acting_user=county_officer, finding=closed, reason="مشکل دوباره دیده شد")
    assert reopened.status == FindingStatus.OPEN and reopened.result == ""


def test_a_cancelled_action_lets_the_finding_close(county_officer, reported):
    f = reported.findings.get()
    action_set_status(acting_user=county_officer, action=f.actions.get(), status=ActionStatus.CANCELLED)
    assert finding_close(acting_user=county_officer, finding=f, result="دیگر لازم نیست").status == "closed"


def test_action_rules(county_officer, inspector, reported, borujerd):
    f = reported.findings.get()
    with pytest.raises(ValidationError) as err:
        action_add(
            acting_user=county_officer,
            finding=f,
            what="x",
            owner="cooperative",
            due_on=YESTERDAY - dt.timedelta(days=1),
        )
    assert "due_on" in err.value.message_dict
    stranger = UserFactory(role="county", county=borujerd, province=borujerd.province)
    with pytest.raises(ValidationError) as err:
        action_add(
            acting_user=county_officer, finding=f, what="x", owner="officer", officer=stranger, due_on=TODAY
        )
    assert "officer" in err.value.message_dict
    a = action_add(
        acting_user=county_officer,
        finding=f,
        what="پیگیری بیمه",
        owner="officer",
        officer=inspector,
        due_on=TODAY,
    )
    assert a.status == ActionStatus.OPEN and a.officer == inspector
    with pytest.raises(ValidationError):
        action_set_status(acting_user=county_officer, action=a, status=ActionStatus.OPEN)
    with pytest.raises(PermissionDenied):
        action_add(
            acting_user=UserFactory(role="county", county=borujerd, province=borujerd.province),
            finding=f,
            what="x",
            owner="cooperative",
            due_on=TODAY,
        )


def test_an_action_becomes_a_service_desk_request(county_officer, reported):
    a = reported.findings.get().actions.get()
    category = Category.objects.get(code="financing")
    with pytest.raises(ValidationError):
        action_to_request(acting_user=county_officer, action=a, category=category, mobile="123")
    a.refresh_from_db()
    assert a.request is None
    done = action_to_request(acting_user=county_officer, action=a, category=category, mobile="۰۹۱۶۱۲۳۴۵۶۷")
    assert done.status == ActionStatus.IN_PROGRESS
    r = done.request
    assert r.cooperative == reported.cooperative and r.channel == Channel.VISIT
    assert a.what in r.subject and a.what in r.description
    assert r.visit_action == done
    with pytest.raises(ValidationError):  # only once
        action_to_request(acting_user=county_officer, action=done, category=category, mobile="09161234567")


def test_purposes_are_seeded():
    assert set(Purpose.objects.values_list("code", flat=True)) >= {
        "routine",
        "follow_up",
        "dormancy_case",
        "complaint",
        "festival",
    }


def test_an_officer_owns_an_action_from_the_report(inspector, coop, county_officer):
    v = make_report(
        acting_user=inspector,
        cooperative=coop,
        findings=[
            finding(
                actions=[
                    {
                        "what": "پیگیری مجوز",
                        "owner": "officer",
                        "officer": str(county_officer.pk),
                        "due_on": TODAY.isoformat(),
                    }
                ]
            )
        ],
    )
    assert v.findings.get().actions.get().officer == county_officer


def test_who_may_own_an_action_is_who_may_change_the_county(khorramabad, borujerd, lorestan):
    """accounts.jurisdiction.changers_q (a query) says what can_change_in (a user) says."""
    from taavon.accounts.jurisdiction import can_change_in, changers_q
    from taavon.accounts.models import User

    people = [
        UserFactory(role="county", county=khorramabad, province=lorestan),
        UserFactory(role="county", county=borujerd, province=lorestan),
        UserFactory(role="provincial", province=lorestan),
        UserFactory(role="provincial"),  # the whole country
        UserFactory(role="provincial", province=lorestan, county=borujerd),
        UserFactory(role="viewer", province=lorestan),
        UserFactory(role="admin"),
        UserFactory(role="county", county=khorramabad, province=lorestan, is_active=False),
    ]
    for county in (khorramabad, borujerd):
        by_query = set(
            User.objects.filter(changers_q(county), pk__in=[u.pk for u in people]).values_list(
                "pk", flat=True
            )
        )
        assert by_query == {u.pk for u in people if can_change_in(u, county)}


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_visit_is_planned_from_today_to_a_year_ahead_once_a_day(county_officer, inspector, coop, english):
    for day, message in [
        (TODAY - dt.timedelta(days=1), "today or a later day"),
        (TODAY + dt.timedelta(days=400), "a year ahead"),
    ]:
        with pytest.raises(ValidationError) as err:
            visit_plan(
                acting_user=county_officer,
                cooperative=coop,
                inspectors=[inspector],
                planned_on=day,
                purpose=Purpose.objects.get(code="routine"),
            )
        assert message in " ".join(err.value.message_dict["planned_on"])
    make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=TODAY)
    with pytest.raises(ValidationError) as err:
        make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=TODAY)
    assert "already planned" in " ".join(err.value.message_dict["planned_on"])
    assert Visit.objects.count() == 1


def test_one_planned_visit_a_day_is_a_database_constraint(county_officer, inspector, coop):
    from django.db import IntegrityError, transaction

    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            cooperative=coop, county=coop.county, purpose=visit.purpose, planned_on=TODAY, status="planned"
        )


def test_an_action_is_not_done_in_the_future(county_officer, reported):
    action = reported.findings.get().actions.get()
    with pytest.raises(ValidationError) as err:
        action_set_status(
            acting_user=county_officer,
            action=action,
            status=ActionStatus.DONE,
            note="انجام شد",
            done_on=TODAY + dt.timedelta(days=30),
        )
    assert "done_on" in err.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_cooperative_never_reads_the_finding_through_its_request(county_officer, reported):
    """The request's subject and text are what the cooperative reads in its portal: the action, not the inspector's
    finding — which the desk keeps as an internal note."""
    from taavon.servicedesk.models import MessageKind

    a = reported.findings.get().actions.get()
    done = action_to_request(
        acting_user=county_officer,
        action=a,
        category=Category.objects.get(code="financing"),
        mobile="09161234567",
    )
    r = done.request
    assert "نبود سرمایه" not in r.subject + r.description
    assert a.what in r.description
    notes = list(r.messages.all())
    assert [m.kind for m in notes] == [MessageKind.NOTE]
    assert "نبود سرمایه" in notes[0].body
    assert not r.messages.shown_to_cooperator().exists()
