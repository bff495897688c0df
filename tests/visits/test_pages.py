"""The office's visit pages: the plan of a Jalali week (the jurisdiction, the county filter, Persian dates, bounded
queries), planning a visit (a cooperative outside one's county refused, 422 with nothing saved), a visit's page (the
report, photos through the protected view, the conflict to review, the previous visit's open findings, the forms only
for those who may change, 404 outside the jurisdiction), the findings' and actions' forms (an action due before its
visit, a finding closed with actions open: a clear message on the field, 422, nothing saved), the follow-up lists."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from taavon.core.formatting import date as show_date
from taavon.persian import to_persian_digits
from taavon.servicedesk.models import Category
from taavon.visits.models import Action, ActionStatus, Finding, FindingStatus, Purpose, Visit, VisitStatus
from taavon.visits.selectors import week_start
from tests.factories import UserFactory, make_cooperative, make_inspector, make_report, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SATURDAY = week_start(TODAY)
LAST_WEEK = SATURDAY - dt.timedelta(days=7)


def body(response) -> str:
    return response.content.decode()


def jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buf, "JPEG")
    return SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def inspector(khorramabad):
    return make_inspector(county=khorramabad, username="insp-kh", first_name="مریم", last_name="رضایی")


@pytest.fixture
def their_inspector(borujerd):
    return make_inspector(county=borujerd, username="insp-bj", first_name="حسن", last_name="کرمی")


@pytest.fixture
def coop(county_officer, khorramabad):
    return make_cooperative(
        acting_user=county_officer, county=khorramabad, name="تعاونی قالی‌بافان سپیددشت", phone="09161234567"
    )


@pytest.fixture
def theirs(provincial, borujerd):
    return make_cooperative(acting_user=provincial, county=borujerd, name="تعاونی فرش بروجرد")


def finding(**over) -> dict:
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
def reported(inspector, county_officer, coop):
    """A reported visit of last week with one finding and its open action."""
    planned = make_visit(
        acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=LAST_WEEK
    )
    return make_report(
        acting_user=inspector,
        cooperative=coop,
        visit=planned,
        visited_on=LAST_WEEK,
        workers_women=7,
        workers_men=3,
        latitude="33.487",
        longitude="48.355",
        findings=[finding()],
        photos=[jpeg()],
    )


# --- the plan ------------------------------------------------------------------------------------------------------


def test_the_plan_shows_the_weeks_visits_of_ones_county_only(
    client,
    county_officer,
    inspector,
    their_inspector,
    coop,
    theirs,
    provincial,
    django_assert_max_num_queries,
):
    mine = make_visit(
        acting_user=county_officer,
        cooperative=coop,
        inspectors=[inspector],
        planned_on=SATURDAY,
        plan_note="انبار",
    )
    make_visit(acting_user=provincial, cooperative=theirs, inspectors=[their_inspector], planned_on=SATURDAY)
    client.force_login(county_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:plan"))
    assert response.status_code == 200
    html = body(response)
    assert coop.name in html and "انبار" in html and "مریم رضایی" in html
    assert f'data-visit="{mine.pk}"' in html
    assert theirs.name not in html and "حسن کرمی" not in html
    assert reverse("registry:detail", args=[coop.shenasnameh]) in html
    # the week's Jalali dates in Persian digits, the weekdays by name, Saturday first
    assert show_date(SATURDAY) in html and show_date(SATURDAY + dt.timedelta(days=6)) in html
    assert html.index("شنبه") < html.index("جمعه")
    assert to_persian_digits(str(SATURDAY.year)) not in html  # Jalali, not the Gregorian year
    assert f"week={(SATURDAY - dt.timedelta(days=7)).isoformat()}" in html
    assert f"week={(SATURDAY + dt.timedelta(days=7)).isoformat()}" in html
    assert "data-print" in html and "visits.css" in html


def test_the_plan_query_count_does_not_grow_with_visits(
    client, provincial, county_officer, inspector, khorramabad, django_assert_max_num_queries
):
    coops = [make_cooperative(acting_user=county_officer, county=khorramabad) for _ in range(6)]
    for i, c in enumerate(coops):
        make_visit(
            acting_user=county_officer,
            cooperative=c,
            inspectors=[inspector],
            planned_on=SATURDAY + dt.timedelta(i),
        )
    client.force_login(provincial)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:plan"))
    assert body(response).count("data-visit=") == 6


def test_a_provincial_officer_filters_the_plan_by_county(
    client, provincial, county_officer, inspector, their_inspector, coop, theirs, khorramabad, borujerd
):
    make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=SATURDAY)
    make_visit(acting_user=provincial, cooperative=theirs, inspectors=[their_inspector], planned_on=SATURDAY)
    client.force_login(provincial)
    both = body(client.get(reverse("visits:plan")))
    assert coop.name in both and theirs.name in both
    only = body(client.get(reverse("visits:plan"), {"county": borujerd.pk}))
    assert theirs.name in only and coop.name not in only


def test_the_plan_moves_by_week_and_survives_bad_input(client, county_officer, inspector, coop):
    make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=LAST_WEEK)
    client.force_login(county_officer)
    assert coop.name not in body(client.get(reverse("visits:plan")))
    # any day of last week shows last week
    shown = client.get(reverse("visits:plan"), {"week": (LAST_WEEK + dt.timedelta(days=3)).isoformat()})
    assert coop.name in body(shown)
    for bad in ("x", "0001-01-01", "9999-12-31", "2025-02-30"):
        assert client.get(reverse("visits:plan"), {"week": bad, "county": "abc"}).status_code == 200


def test_the_plan_on_a_phone_is_a_list_by_day(client, county_officer):
    client.force_login(county_officer)
    html = body(client.get(reverse("visits:plan")))
    assert html.count("data-day=") == 7  # every day, a visit or not
    assert "week-grid" in html


def test_the_navigation_links_the_plan_and_the_findings(client, viewer):
    client.force_login(viewer)
    html = body(client.get(reverse("home")))
    assert reverse("visits:plan") in html and reverse("visits:findings") in html


# --- planning ------------------------------------------------------------------------------------------------------


def test_plan_a_visit_from_the_cooperatives_link(client, county_officer, inspector, coop):
    client.force_login(county_officer)
    page = client.get(reverse("visits:plan_new"), {"cooperative": coop.shenasnameh})
    assert page.status_code == 200
    html = body(page)
    assert coop.name in html and "مریم رضایی" in html
    day = TODAY + dt.timedelta(days=2)
    response = client.post(
        reverse("visits:plan_new"),
        {
            "cooperative": coop.pk,
            "planned_on": to_persian_digits(show_date(day, "short")),
            "purpose": page.context["form"].fields["purpose"].initial,
            "inspectors": [inspector.pk],
            "plan_note": "بررسی انبار",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == reverse("visits:visit", args=[visit.pk])
    assert visit.planned_on == day and list(visit.inspectors.all()) == [inspector]
    assert visit.planned_by == county_officer


def test_plan_refuses_a_cooperative_of_another_county(
    client, county_officer, inspector, their_inspector, theirs
):
    client.force_login(county_officer)
    # the prefill does not name it
    assert theirs.name not in body(
        client.get(reverse("visits:plan_new"), {"cooperative": theirs.shenasnameh})
    )
    response = client.post(
        reverse("visits:plan_new"),
        {"cooperative": theirs.pk, "planned_on": "1404/09/01", "purpose": 1, "inspectors": [inspector.pk]},
    )
    assert response.status_code == 422
    assert "No such cooperative" in body(response) or "در حوزه" in body(response)
    assert theirs.name not in body(response)
    assert not Visit.objects.exists()


def test_plan_refuses_an_inspector_of_another_county_on_the_field(
    client, provincial, coop, their_inspector, inspector
):
    client.force_login(provincial)
    page = client.get(reverse("visits:plan_new"))
    response = client.post(
        reverse("visits:plan_new"),
        {
            "cooperative": coop.pk,
            "planned_on": show_date(TODAY, "short"),
            "purpose": page.context["form"].fields["purpose"].initial,
            "inspectors": [their_inspector.pk],
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["inspectors"]
    assert not Visit.objects.exists()


def test_a_viewer_may_not_plan(client, viewer, coop, inspector):
    client.force_login(viewer)
    assert client.get(reverse("visits:plan_new")).status_code == 403
    assert client.post(reverse("visits:plan_new"), {"cooperative": coop.pk}).status_code == 403


def test_replan_and_cancel_from_the_visits_page(client, county_officer, inspector, khorramabad, coop):
    other = make_inspector(county=khorramabad, first_name="علی", last_name="احمدی")
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=TODAY)
    client.force_login(county_officer)
    html = body(client.get(reverse("visits:visit", args=[visit.pk])))
    assert 'data-testid="replan-form"' in html and 'data-testid="cancel-form"' in html
    moved = client.post(
        reverse("visits:visit_replan", args=[visit.pk]),
        {
            "version": visit.version,
            "planned_on": show_date(TODAY + dt.timedelta(days=1), "short"),
            "inspectors": [other.pk],
        },
    )
    assert moved.status_code == 302
    visit.refresh_from_db()
    assert visit.planned_on == TODAY + dt.timedelta(days=1) and list(visit.inspectors.all()) == [other]
    refused = client.post(
        reverse("visits:visit_cancel", args=[visit.pk]), {"version": visit.version, "reason": " "}
    )
    assert refused.status_code == 422
    assert (
        client.post(
            reverse("visits:visit_cancel", args=[visit.pk]), {"version": visit.version, "reason": "برف"}
        ).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


# --- a visit's page ------------------------------------------------------------------------------------------------


def test_the_visit_page_shows_the_report_and_its_forms(
    client, county_officer, reported, django_assert_max_num_queries
):
    client.force_login(county_officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("visits:visit", args=[reported.pk]))
    html = body(response)
    assert response.status_code == 200
    assert "نبود سرمایه در گردش" in html and "معرفی به بانک" in html and "بانک توسعه تعاون" in html
    assert to_persian_digits("7") in html and to_persian_digits("3") in html  # workers
    assert "geo:33.487000,48.355000" in html
    photo = reported.photos.get()
    assert f'src="{reverse("document", args=["visit-photo", photo.pk])}"' in html
    for testid in ("action-add", "finding-close", "request-form", "finding-add"):
        assert f'data-testid="{testid}"' in html
    # the request form is prefilled with the cooperative's mobile
    assert 'value="09161234567"' in html


def test_the_visit_page_query_count_does_not_grow_with_findings(
    client, county_officer, inspector, coop, django_assert_max_num_queries
):
    visit = make_report(
        acting_user=inspector, cooperative=coop, visited_on=LAST_WEEK, findings=[finding() for _ in range(6)]
    )
    client.force_login(county_officer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("visits:visit", args=[visit.pk])).status_code == 200


def test_a_viewer_sees_the_visit_without_forms_and_may_not_post(client, viewer, reported):
    client.force_login(viewer)
    html = body(client.get(reverse("visits:visit", args=[reported.pk])))
    assert "نبود سرمایه در گردش" in html
    assert '<form method="post" action="/visits/' not in html
    f = reported.findings.get()
    a = f.actions.get()
    for url in (
        reverse("visits:finding_add", args=[reported.pk]),
        reverse("visits:visit_reviewed", args=[reported.pk]),
        reverse("visits:action_add", args=[f.pk]),
        reverse("visits:finding_close", args=[f.pk]),
        reverse("visits:finding_reopen", args=[f.pk]),
        reverse("visits:action_status", args=[a.pk]),
        reverse("visits:action_request", args=[a.pk]),
    ):
        assert client.post(url, {"result": "x"}).status_code == 403, url
    assert Finding.objects.count() == 1 and Action.objects.count() == 1


def test_a_visit_outside_the_jurisdiction_is_not_found(
    client, county_officer, provincial, their_inspector, theirs
):
    visit = make_report(
        acting_user=their_inspector, cooperative=theirs, visited_on=LAST_WEEK, findings=[finding()]
    )
    f = visit.findings.get()
    client.force_login(county_officer)
    assert client.get(reverse("visits:visit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("visits:finding_close", args=[f.pk]), {"result": "x"}).status_code == 404
    assert client.post(reverse("visits:action_status", args=[f.actions.get().pk]), {}).status_code == 404
    assert client.get(reverse("visits:visit", args=[999999])).status_code == 404


def test_a_revisit_shows_the_open_findings_of_the_last_visit(
    client, county_officer, inspector, coop, reported
):
    again = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector], planned_on=TODAY)
    client.force_login(county_officer)
    html = body(client.get(reverse("visits:visit", args=[again.pk])))
    assert 'data-testid="earlier-findings"' in html and "نبود سرمایه در گردش" in html
    assert reverse("visits:visit", args=[reported.pk]) in html


def test_the_conflict_is_shown_and_marked_reviewed(client, county_officer, inspector, coop):
    visit = make_report(acting_user=inspector, cooperative=coop, visited_on=LAST_WEEK)
    Visit.objects.filter(pk=visit.pk).update(conflict="برنامه بازدید لغو شده بود")
    client.force_login(county_officer)
    html = body(client.get(reverse("visits:visit", args=[visit.pk])))
    assert "برنامه بازدید لغو شده بود" in html and 'data-testid="reviewed-form"' in html
    response = client.post(reverse("visits:visit_reviewed", args=[visit.pk]), {"version": visit.version})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.conflict == ""
    assert 'data-testid="conflict"' not in body(client.get(reverse("visits:visit", args=[visit.pk])))


# --- findings and actions ------------------------------------------------------------------------------------------


def test_an_action_due_before_its_visit_is_refused_on_the_field(client, county_officer, reported):
    f = reported.findings.get()
    client.force_login(county_officer)
    response = client.post(
        reverse("visits:action_add", args=[f.pk]),
        {
            "what": "پیگیری بیمه",
            "owner": "cooperative",
            "due_on": show_date(LAST_WEEK - dt.timedelta(days=2), "short"),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["due_on"]
    assert 'data-field="due_on"' in body(response)
    assert f.actions.count() == 1


def test_add_an_action_for_an_officer(client, county_officer, reported):
    f = reported.findings.get()
    client.force_login(county_officer)
    response = client.post(
        reverse("visits:action_add", args=[f.pk]),
        {
            "what": "پیگیری بیمه",
            "owner": "officer",
            "officer": county_officer.pk,
            "due_on": show_date(TODAY + dt.timedelta(days=10), "short"),
        },
    )
    assert response.status_code == 302
    assert f.actions.get(what="پیگیری بیمه").officer == county_officer
    # an officer without a name: refused on its field
    refused = client.post(
        reverse("visits:action_add", args=[f.pk]),
        {"what": "x", "owner": "agency", "due_on": show_date(TODAY, "short")},
    )
    assert refused.status_code == 422 and refused.context["form"].errors["agency"]


def test_a_finding_closed_with_actions_open_is_refused(client, county_officer, reported):
    f = reported.findings.get()
    client.force_login(county_officer)
    response = client.post(
        reverse("visits:finding_close", args=[f.pk]), {"version": f.version, "result": "حل شد"}
    )
    assert response.status_code == 422
    assert "result" in response.context["form"].errors
    assert to_persian_digits("1") in " ".join(response.context["form"].errors["result"]) or "1" in body(
        response
    )
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN


def test_an_action_done_then_the_finding_closed_and_reopened(client, county_officer, reported):
    f = reported.findings.get()
    a = f.actions.get()
    client.force_login(county_officer)
    # «done» wants a note: 422 on the field
    refused = client.post(
        reverse("visits:action_status", args=[a.pk]), {"version": a.version, "status": "done"}
    )
    assert refused.status_code == 422 and refused.context["form"].errors["note"]
    done = client.post(
        reverse("visits:action_status", args=[a.pk]),
        {"version": a.version, "status": "done", "note": "وام پرداخت شد"},
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.status == ActionStatus.DONE
    f.refresh_from_db()
    closed = client.post(
        reverse("visits:finding_close", args=[f.pk]), {"version": f.version, "result": "حل شد"}
    )
    assert closed.status_code == 302
    f.refresh_from_db()
    assert f.status == FindingStatus.CLOSED
    html = body(client.get(reverse("visits:visit", args=[reported.pk])))
    assert (
        "حل شد" in html
        and 'data-testid="finding-reopen"' in html
        and 'data-testid="finding-close"' not in html
    )
    reopened = client.post(
        reverse("visits:finding_reopen", args=[f.pk]), {"version": f.version, "reason": "دوباره"}
    )
    assert reopened.status_code == 302
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN


def test_an_action_becomes_a_service_desk_request(client, county_officer, reported):
    a = reported.findings.get().actions.get()
    client.force_login(county_officer)
    category = Category.objects.get(code="financing")
    bad = client.post(
        reverse("visits:action_request", args=[a.pk]),
        {"category": category.pk, "mobile": "12", "priority": "normal"},
    )
    assert bad.status_code == 422 and bad.context["form"].errors["mobile"]
    response = client.post(
        reverse("visits:action_request", args=[a.pk]),
        {"category": category.pk, "mobile": "۰۹۱۶۱۲۳۴۵۶۷", "priority": "normal"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.request is not None and a.status == ActionStatus.IN_PROGRESS
    html = body(client.get(reverse("visits:visit", args=[reported.pk])))
    assert reverse("servicedesk:detail", args=[a.request.code]) in html
    assert to_persian_digits(a.request.code) in html
    # the cooperative's representative reads the request in the portal: the action, never the finding
    finding = a.finding.description
    rep = UserFactory(role="representative", cooperative=reported.cooperative, username="rep-visit")
    client.force_login(rep)
    portal = body(client.get(reverse("servicedesk:portal_detail", args=[a.request.code])))
    assert a.what in portal
    assert finding not in portal


def test_add_a_finding_from_the_office(client, county_officer, reported):
    client.force_login(county_officer)
    refused = client.post(
        reverse("visits:finding_add", args=[reported.pk]), {"category": "permits", "severity": "low"}
    )
    assert refused.status_code == 422 and refused.context["form"].errors["description"]
    response = client.post(
        reverse("visits:finding_add", args=[reported.pk]),
        {"category": "permits", "severity": "low", "description": "پروانه بهره‌برداری منقضی"},
    )
    assert response.status_code == 302
    assert reported.findings.count() == 2


def test_forms_with_bad_ids_never_fail(client, county_officer, reported):
    client.force_login(county_officer)
    a = reported.findings.get().actions.get()
    assert (
        client.post(
            reverse("visits:action_status", args=[a.pk]), {"status": "nope", "version": "x"}
        ).status_code
        == 422
    )
    assert client.post(reverse("visits:action_request", args=[a.pk]), {"category": "999"}).status_code == 422
    assert (
        client.post(
            reverse("visits:action_add", args=[reported.findings.get().pk]),
            {"owner": "officer", "officer": "abc"},
        ).status_code
        == 422
    )
    assert client.get(reverse("visits:visit_cancel", args=[reported.pk])).status_code == 405


# --- the follow-up lists -------------------------------------------------------------------------------------------


def test_the_findings_list_of_the_jurisdiction(
    client, county_officer, inspector, their_inspector, coop, theirs, django_assert_max_num_queries
):
    old = make_report(
        acting_user=inspector,
        cooperative=coop,
        visited_on=TODAY - dt.timedelta(days=100),
        findings=[
            finding(
                actions=[{"what": "دیر", "owner": "cooperative", "due_on": TODAY - dt.timedelta(days=50)}]
            )
        ],
    )
    make_report(
        acting_user=inspector,
        cooperative=make_cooperative(acting_user=county_officer, county=coop.county),
        visited_on=TODAY - dt.timedelta(days=5),
        findings=[finding(category="permits", description="پروانه منقضی", actions=[])],
    )
    make_report(
        acting_user=their_inspector,
        cooperative=theirs,
        visited_on=LAST_WEEK,
        findings=[finding(description="بروجرد")],
    )
    client.force_login(county_officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("visits:findings"))
    html = body(response)
    assert "نبود سرمایه در گردش" in html and "پروانه منقضی" in html
    assert "بروجرد" not in html and theirs.name not in html
    assert to_persian_digits("100") in html  # the age in days
    assert 'data-testid="overdue"' in html
    older = body(client.get(reverse("visits:findings"), {"older_than": 90}))
    assert "نبود سرمایه در گردش" in older and "پروانه منقضی" not in older
    overdue = body(client.get(reverse("visits:findings"), {"overdue": "1"}))
    assert "نبود سرمایه در گردش" in overdue and "پروانه منقضی" not in overdue
    permits = body(client.get(reverse("visits:findings"), {"category": "permits"}))
    assert "پروانه منقضی" in permits and "نبود سرمایه در گردش" not in permits
    assert reverse("visits:visit", args=[old.pk]) in html
    assert (
        client.get(reverse("visits:findings"), {"older_than": "7", "county": "x", "page": "z"}).status_code
        == 200
    )


def test_the_findings_list_query_count_does_not_grow(
    client, provincial, inspector, coop, django_assert_max_num_queries
):
    make_report(
        acting_user=inspector, cooperative=coop, visited_on=LAST_WEEK, findings=[finding() for _ in range(8)]
    )
    client.force_login(provincial)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("visits:findings"))
    assert body(response).count("data-finding=") == 8


def test_the_action_items_mine_and_overdue(
    client, county_officer, inspector, coop, django_assert_max_num_queries
):
    make_report(
        acting_user=inspector,
        cooperative=coop,
        visited_on=TODAY - dt.timedelta(days=20),
        findings=[
            finding(
                actions=[
                    {
                        "what": "کار من",
                        "owner": "officer",
                        "officer": county_officer.pk,
                        "due_on": TODAY - dt.timedelta(days=3),
                    },
                    {"what": "کار تعاونی", "owner": "cooperative", "due_on": TODAY + dt.timedelta(days=30)},
                ]
            )
        ],
    )
    client.force_login(county_officer)
    with django_assert_max_num_queries(10):
        mine = body(client.get(reverse("visits:actions")))
    assert "کار من" in mine and "کار تعاونی" not in mine
    everything = body(client.get(reverse("visits:actions"), {"which": "all"}))
    assert "کار من" in everything and "کار تعاونی" in everything
    overdue = body(client.get(reverse("visits:actions"), {"overdue": "1"}))
    assert "کار من" in overdue and "کار تعاونی" not in overdue


def test_a_representative_is_refused(client, coop, reported):
    rep = UserFactory(role="representative", cooperative=coop, username="rep-t")
    client.force_login(rep)
    for url in (
        reverse("visits:plan"),
        reverse("visits:findings"),
        reverse("visits:visit", args=[reported.pk]),
    ):
        assert client.get(url).status_code == 403


def test_a_stale_form_is_told_what_changed_not_an_internal_code(client, county_officer, reported):
    """An action's status form opened before someone else marked it done: the answer says the action is done
    already (not «done is not one of the choices»)."""
    from taavon.visits.services import action_set_status

    a = reported.findings.get().actions.get()
    seen = a.version
    action_set_status(acting_user=county_officer, action=a, status=ActionStatus.DONE, note="انجام شد")
    client.force_login(county_officer)
    response = client.post(
        reverse("visits:action_status", args=[a.pk]), {"status": "done", "note": "x", "version": seen}
    )
    assert response.status_code == 422
    html = body(response)
    assert "done" not in response.context["form"].errors.as_text()
    assert "انجام‌شده" in html


def test_an_inspector_of_another_county_is_refused_without_its_id(
    client, county_officer, coop, their_inspector
):
    client.force_login(county_officer)
    response = client.post(
        reverse("visits:plan_new"),
        {
            "cooperative": coop.pk,
            "planned_on": show_date(TODAY + dt.timedelta(days=3), "short"),
            "purpose": Purpose.objects.get(code="routine").pk,
            "inspectors": [their_inspector.pk],
        },
    )
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors["inspectors"])
    assert "بازرسان" in errors
    assert str(their_inspector.pk) not in errors and to_persian_digits(str(their_inspector.pk)) not in errors
    assert not Visit.objects.exists()
