"""The case pages: the list (filters, jurisdiction, bounded queries), opening a case from a record, the case's page
(flags explained, timeline, commitments; forms only for those who may change), a refused form (422, nothing saved),
the record's section and the home page's panels."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taavon.persian import format_jalali
from taavon.triage import cases
from taavon.triage.models import Case, CaseStatus, CaseStep, Commitment, Flag
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def jalali(day: datetime.date) -> str:
    return format_jalali(day, "short")


@pytest.fixture
def coop(admin_user, khorramabad):
    coop = make_cooperative(
        acting_user=admin_user, county=khorramabad, status="dormant", name="تعاونی کشاورزی سپیددشت"
    )
    Flag.objects.create(
        cooperative=coop,
        rule="assembly_overdue",
        raised_on=days(-30),
        params={"last": "2022-03-05", "registered": None},
    )
    return coop


@pytest.fixture
def theirs(admin_user, borujerd):
    return make_cooperative(
        acting_user=admin_user, county=borujerd, status="dormant", name="تعاونی فرش بروجرد"
    )


@pytest.fixture
def case(coop, county_officer):
    return cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=days(30),
        reason="راکد",
    )


@pytest.fixture
def their_case(theirs, admin_user, provincial):
    return cases.case_open(
        acting_user=admin_user, cooperative=theirs, assigned_to=provincial, deadline=days(20), reason="راکد"
    )


def body(response) -> str:
    return response.content.decode()


# --- the list --------------------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_cases_only(client, case, their_case, county_officer, provincial):
    client.force_login(county_officer)
    html = body(client.get(reverse("triage:cases")))
    assert "تعاونی کشاورزی سپیددشت" in html and "تعاونی فرش بروجرد" not in html
    client.force_login(provincial)
    html = body(client.get(reverse("triage:cases")))
    assert "تعاونی کشاورزی سپیددشت" in html and "تعاونی فرش بروجرد" in html
    # soonest deadline first
    assert html.index("تعاونی فرش بروجرد") < html.index("تعاونی کشاورزی سپیددشت")


def test_the_list_filters(client, case, their_case, provincial, county_officer, borujerd):
    client.force_login(provincial)
    url = reverse("triage:cases")
    html = body(client.get(url, {"county": borujerd.pk}))
    assert "تعاونی فرش بروجرد" in html and "تعاونی کشاورزی سپیددشت" not in html
    html = body(client.get(url, {"assignee": county_officer.pk}))
    assert "تعاونی فرش بروجرد" not in html and "تعاونی کشاورزی سپیددشت" in html
    Case.objects.filter(pk=case.pk).update(opened_on=days(-40), deadline=days(-2))
    html = body(client.get(url, {"overdue": "1"}))
    assert (
        "تعاونی کشاورزی سپیددشت" in html
        and "تعاونی فرش بروجرد" not in html
        and 'data-testid="overdue"' in html
    )
    html = body(client.get(url, {"status": "decided"}))
    assert "تعاونی کشاورزی سپیددشت" not in html and "تعاونی فرش بروجرد" not in html
    # garbage in the filters is left out, never an error
    assert (
        client.get(url, {"county": "x", "overdue": "maybe", "assignee": "-1", "status": "zzz"}).status_code
        == 200
    )


def test_the_lists_queries_do_not_grow_with_its_rows(
    client, admin_user, khorramabad, provincial, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            coop = make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
            case = cases.case_open(
                acting_user=admin_user, cooperative=coop, assigned_to=provincial, deadline=days(5), reason="x"
            )
            cases.case_step_add(acting_user=admin_user, case=case, kind="meeting", date=TODAY())

    client.force_login(provincial)
    add(2)
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("triage:cases")).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("triage:cases")).status_code == 200


def test_representatives_are_refused_and_anonymous_sent_to_login(client, case, coop):
    rep = UserFactory(role="representative", cooperative=coop, county=coop.county, username="rep-t")
    client.force_login(rep)
    for url in (reverse("triage:cases"), reverse("triage:case", args=[case.pk])):
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(reverse("triage:cases")).status_code == 302


# --- opening ---------------------------------------------------------------------------------------------------------


def test_opening_a_case_from_the_record(client, coop, county_officer):
    client.force_login(county_officer)
    url = reverse("triage:case_open") + f"?cooperative={coop.shenasnameh}"
    form = client.get(url)
    assert form.status_code == 200 and coop.shenasnameh in body(form)
    response = client.post(
        url,
        {
            "cooperative": coop.shenasnameh,
            "assigned_to": county_officer.pk,
            "deadline": jalali(days(45)),
            "reason": "مجمع برگزار نشده است",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("triage:case", args=[case.pk])
    assert case.deadline == days(45) and case.flags_at_opening == ["assembly_overdue"]


def test_a_refused_opening_is_422_with_the_message_on_the_field(client, coop, county_officer):
    client.force_login(county_officer)
    response = client.post(
        reverse("triage:case_open"),
        {
            "cooperative": coop.shenasnameh,
            "assigned_to": county_officer.pk,
            "deadline": jalali(days(-3)),
            "reason": "x",
        },
    )
    assert response.status_code == 422
    assert 'data-field="deadline"' in body(response) and "مهلت نمی‌تواند در گذشته باشد" in body(response)
    assert not Case.objects.exists()


def test_a_cooperative_outside_the_jurisdiction_is_not_found_nor_named(client, theirs, county_officer):
    client.force_login(county_officer)
    assert client.get(reverse("triage:case_open") + f"?cooperative={theirs.shenasnameh}").status_code == 404
    response = client.post(
        reverse("triage:case_open"),
        {
            "cooperative": theirs.shenasnameh,
            "assigned_to": county_officer.pk,
            "deadline": jalali(days(3)),
            "reason": "x",
        },
    )
    assert response.status_code == 422 and "تعاونی فرش بروجرد" not in body(response)
    assert not Case.objects.exists()


def test_a_viewer_may_not_open_a_case(client, coop, viewer):
    client.force_login(viewer)
    assert client.get(reverse("triage:case_open") + f"?cooperative={coop.shenasnameh}").status_code == 403


# --- the case's page -------------------------------------------------------------------------------------------------


def test_the_case_page_explains_the_flags_and_offers_the_forms_to_who_may_change(
    client, case, county_officer, viewer
):
    client.force_login(county_officer)
    html = body(client.get(reverse("triage:case", args=[case.pk])))
    assert "تعاونی کشاورزی سپیددشت" in html
    assert "آخرین مجمع عمومی عادی ۱۴ اسفند ۱۴۰۰" in html  # the flag's explanation names the date
    for form in ("step-form", "summons-form", "assign-form", "decide-form"):
        assert f'data-testid="{form}"' in html
    client.force_login(viewer)
    response = client.get(reverse("triage:case", args=[case.pk]))
    html = body(response)
    assert response.status_code == 200 and "آخرین مجمع عمومی عادی" in html
    for form in ("step-form", "summons-form", "assign-form", "decide-form"):
        assert f'data-testid="{form}"' not in html


def test_a_case_outside_the_jurisdiction_is_404(client, their_case, county_officer):
    client.force_login(county_officer)
    for name in (
        "triage:case",
        "triage:case_step",
        "triage:case_decide",
        "triage:case_assign",
        "triage:case_summons",
    ):
        response = client.get(reverse(name, args=[their_case.pk]))
        assert response.status_code == 404, name
        assert "تعاونی فرش بروجرد" not in body(response)


def test_steps_through_the_page_and_their_timeline(client, case, county_officer):
    client.force_login(county_officer)
    url = reverse("triage:case_step", args=[case.pk])
    refused = client.post(url, {"kind": "contact", "date": jalali(TODAY())})
    assert refused.status_code == 422 and not CaseStep.objects.exists()
    assert 'data-field="channel"' in body(refused) and 'data-field="reached"' in body(refused)
    ok = client.post(url, {"kind": "contact", "date": jalali(TODAY()), "channel": "phone", "reached": "no"})
    assert ok.status_code == 302
    client.post(
        url,
        {
            "kind": "documents",
            "date": jalali(TODAY()),
            "document": SimpleUploadedFile("d.pdf", PDF),
            "note": "ترازنامه",
        },
    )
    html = body(client.get(reverse("triage:case", args=[case.pk])))
    assert 'data-step="contact"' in html and "تماس برقرار نشد" in html and "ترازنامه" in html
    step = CaseStep.objects.get(kind="documents")
    assert reverse("document", kwargs={"kind": "case-step", "pk": step.pk}) in html


def test_deciding_through_the_page(client, case, coop, county_officer):
    client.force_login(county_officer)
    url = reverse("triage:case_decide", args=[case.pk])
    data = {
        "outcome": "liquidation",
        "decided_on": jalali(TODAY()),
        "note": "رأی کمیسیون",
        "version": case.version,
    }
    refused = client.post(url, data)
    assert refused.status_code == 422 and 'data-field="evidence"' in body(refused)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    response = client.post(url, {**data, "evidence": SimpleUploadedFile("rai.pdf", PDF)})
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.status == "liquidating"
    html = body(client.get(reverse("triage:case", args=[case.pk])))
    assert 'data-testid="case-outcome"' in html and "ارجاع به تصفیه" in html
    assert reverse("document", kwargs={"kind": "case-evidence", "pk": case.pk}) in html
    assert 'data-testid="decide-form"' not in html  # decided: nothing more to change
    # the record's status history shows the decision
    record = body(client.get(reverse("registry:detail", args=[coop.shenasnameh])))
    assert f"پروندهٔ {case.pk}" in record


def test_revival_plan_through_the_page_and_its_commitments_closed_on_the_page(
    client, case, coop, county_officer
):
    from taavon.members.services import assembly_record

    client.force_login(county_officer)
    step = cases.case_step_add(
        acting_user=county_officer, case=case, kind="meeting", date=TODAY(), note="جلسه"
    )
    response = client.post(
        reverse("triage:case_decide", args=[case.pk]),
        {
            "outcome": "revived",
            "decided_on": jalali(TODAY()),
            "note": "تعهد به برگزاری مجمع",
            "evidence_step": step.pk,
            "plan_assembly": jalali(days(60)),
            "plan_return": jalali(days(120)),
        },
    )
    assert response.status_code == 302
    assert Commitment.objects.count() == 2
    assembly_record(acting_user=county_officer, cooperative=coop, date=TODAY())
    html = body(client.get(reverse("triage:case", args=[case.pk])))  # the page closes what arrived
    assert 'data-commitment="assembly" data-state="fulfilled"' in html
    assert 'data-commitment="return" data-state="pending"' in html


def test_a_plan_with_a_past_deadline_through_the_page_is_refused(client, case, county_officer):
    client.force_login(county_officer)
    response = client.post(
        reverse("triage:case_decide", args=[case.pk]),
        {
            "outcome": "revived",
            "decided_on": jalali(TODAY()),
            "note": "x",
            "evidence": SimpleUploadedFile("e.pdf", PDF),
            "plan_assembly": jalali(days(-1)),
        },
    )
    assert response.status_code == 422 and 'data-field="plan_assembly"' in body(response)
    assert not Commitment.objects.exists()


def test_reassigning_through_the_page(client, case, county_officer, provincial):
    client.force_login(provincial)
    response = client.post(
        reverse("triage:case_assign", args=[case.pk]),
        {"assigned_to": provincial.pk, "deadline": jalali(days(90)), "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == provincial and case.deadline == days(90)


# --- the record's section and the home page --------------------------------------------------------------------------


def test_the_record_shows_its_cases_and_the_button_to_who_may_change(client, coop, county_officer, viewer):
    client.force_login(county_officer)
    html = body(client.get(reverse("registry:detail", args=[coop.shenasnameh])))
    assert 'data-testid="coop-cases"' in html and 'data-testid="coop-case-open"' in html
    client.force_login(viewer)
    html = body(client.get(reverse("registry:detail", args=[coop.shenasnameh])))
    assert 'data-testid="coop-cases"' in html and 'data-testid="coop-case-open"' not in html


def test_the_record_lists_the_open_case_first_and_offers_no_second(client, coop, case, county_officer):
    client.force_login(county_officer)
    html = body(client.get(reverse("registry:detail", args=[coop.shenasnameh])))
    assert f'data-case="{case.pk}"' in html and 'data-testid="coop-case-open"' not in html


def test_the_officers_panel_shows_their_open_cases_overdue_first(
    client, coop, case, county_officer, admin_user
):
    other = make_cooperative(
        acting_user=admin_user, county=coop.county, status="dormant", name="تعاونی دیرکرده"
    )
    late = cases.case_open(
        acting_user=county_officer,
        cooperative=other,
        assigned_to=county_officer,
        deadline=days(50),
        reason="x",
    )
    Case.objects.filter(pk=late.pk).update(opened_on=days(-60), deadline=days(-5))
    client.force_login(county_officer)
    html = body(client.get(reverse("home")))
    assert 'data-testid="home-my-cases"' in html
    assert html.index("تعاونی دیرکرده") < html.index("تعاونی کشاورزی سپیددشت")
    assert 'data-testid="home-overdue-cases"' not in html  # the province's panel is the managers'


def test_the_managers_panel_shows_the_provinces_overdue_cases_and_broken_commitments(
    client, case, their_case, county_officer, provincial, viewer
):
    Case.objects.filter(pk=their_case.pk).update(opened_on=days(-60), deadline=days(-5))
    step = cases.case_step_add(acting_user=county_officer, case=case, kind="meeting", date=TODAY())
    cases.case_decide(
        acting_user=county_officer,
        case=case,
        outcome="revived",
        decided_on=TODAY(),
        note="x",
        evidence_step=step,
        plan=[("assembly", days(10))],
    )
    Commitment.objects.update(deadline=days(-1))
    for user in (provincial, viewer):
        client.force_login(user)
        html = body(client.get(reverse("home")))
        assert 'data-testid="home-overdue-cases"' in html
        assert 'data-testid="home-overdue"' in html and "تعاونی فرش بروجرد" in html
        assert 'data-testid="home-broken"' in html and "تعاونی کشاورزی سپیددشت" in html
    client.force_login(county_officer)  # their own broken commitment; not Borujerd's overdue case
    html = body(client.get(reverse("home")))
    assert 'data-testid="home-broken"' in html and "تعاونی فرش بروجرد" not in html


def test_the_pages_in_english(client, case, county_officer):
    county_officer.language = "en"
    county_officer.save()
    client.force_login(county_officer)
    html = body(client.get(reverse("triage:case", args=[case.pk])))
    assert "Early-warning flags" in html and "Last ordinary general assembly" in html
    assert "Record the decision" in html
