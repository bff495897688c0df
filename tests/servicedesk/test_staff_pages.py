"""The staff's desk: the queues (jurisdiction, counts, overdue and due soon, bounded queries), the fast form (the
cooperative found by a misspelt name, its shenasnameh or legal ID; a person; attachments checked by content; a
refused form is 422 with nothing saved), the request's page (thread, internal notes marked, deadlines, forms only for
those who may change, 404 outside the jurisdiction), its actions (reply, note, status, assignment, transfer), the
record's section and the home page's panels."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taavon.servicedesk import selectors
from taavon.servicedesk.models import (
    Attachment,
    Category,
    Message,
    MessageKind,
    Request,
    RequestStatus,
    Transfer,
)
from taavon.servicedesk.services import request_change_status, request_file, request_reply
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db
S = RequestStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOBILE = "09161234567"
HX = {"HX-Request": "true"}
NAME = "تعاونی کشاورزی سپیددشت"


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def category(db):
    return Category.objects.get(code="financing")


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(acting_user=admin_user, county=khorramabad, name=NAME, legal_id="10861234563")


@pytest.fixture
def theirs(admin_user, borujerd):
    return make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی فرش بروجرد")


def file(user, category, *, coop=None, county=None, subject="درخواست تسهیلات", **kw):
    return request_file(
        acting_user=user,
        channel="desk",
        category=category,
        subject=subject,
        mobile=MOBILE,
        cooperative=coop,
        county=county,
        requester_name=kw.pop("requester_name", "" if coop else "رضا احمدی"),
        **kw,
    )


@pytest.fixture
def mine(county_officer, coop, category):
    return file(county_officer, category, coop=coop, assignee=county_officer)


@pytest.fixture
def theirs_request(admin_user, theirs, category):
    return file(admin_user, category, coop=theirs, subject="درخواست بروجرد")


# --- the queues ------------------------------------------------------------------------------------------------------


def test_the_queue_shows_the_users_county_only(client, mine, theirs_request, county_officer, provincial):
    client.force_login(county_officer)
    html = body(client.get(reverse("servicedesk:queue")))
    assert NAME in html and "تعاونی فرش بروجرد" not in html
    assert theirs_request.code not in html
    client.force_login(provincial)
    html = body(client.get(reverse("servicedesk:queue")))
    assert NAME in html and "تعاونی فرش بروجرد" in html


def test_queues_mine_unassigned_and_their_counts(client, mine, county_officer, coop, category):
    other = file(county_officer, category, coop=coop, subject="درخواست بیمه")
    client.force_login(county_officer)
    response = client.get(reverse("servicedesk:queue"), {"queue": "mine"})
    assert response.status_code == 200
    rows = [r.code for r in response.context["page"]]
    assert rows == [mine.code]
    counts = response.context["counts"]
    assert counts["mine"] == 1 and counts["county"] == 2 and counts["unassigned"] == 1
    rows = [r.code for r in client.get(reverse("servicedesk:queue"), {"queue": "unassigned"}).context["page"]]
    assert rows == [other.code]
    # by category
    insurance = Category.objects.get(code="insurance")
    response = client.get(reverse("servicedesk:queue"), {"queue": "county", "category": insurance.pk})
    assert list(response.context["page"]) == [] and response.context["counts"]["county"] == 0


def test_overdue_and_due_soon(client, county_officer, coop, category):
    now = timezone.now()
    late = file(county_officer, category, coop=coop, subject="دیرکرد", opened_at=now - dt.timedelta(days=30))
    fresh = file(county_officer, category, coop=coop, subject="درخواست جدید مجوز")
    soon = file(county_officer, category, coop=coop, subject="نزدیک")
    edge = selectors.horizon(now, "2h")
    Request.objects.filter(pk=soon.pk).update(first_answer_due=now + (edge - now) / 2)
    answered = file(
        county_officer, category, coop=coop, subject="پاسخ‌داده", opened_at=now - dt.timedelta(days=30)
    )
    request_reply(acting_user=county_officer, request=answered, body="پاسخ", then=S.ANSWERED)

    client.force_login(county_officer)
    response = client.get(reverse("servicedesk:queue"), {"queue": "overdue"})
    assert [r.code for r in response.context["page"]] == [late.code]
    html = body(response)
    assert 'data-testid="overdue"' in html and "دیرکرد" in html and "درخواست جدید مجوز" not in html
    response = client.get(reverse("servicedesk:queue"), {"queue": "breaching"})
    assert [r.code for r in response.context["page"]] == [soon.code]
    assert response.context["counts"]["overdue"] == 1 and response.context["counts"]["breaching"] == 1
    assert fresh.code not in body(response)
    # the waiting request's clock paused before its time: not overdue
    request_change_status(acting_user=county_officer, request=fresh, to_status=S.WAITING)
    assert client.get(reverse("servicedesk:queue"), {"queue": "overdue"}).context["counts"]["overdue"] == 1


def test_the_queue_runs_a_bounded_number_of_queries(
    client, county_officer, coop, category, django_assert_max_num_queries
):
    for i in range(30):
        file(
            county_officer,
            category,
            coop=coop,
            subject=f"درخواست {i}",
            assignee=county_officer if i % 2 else None,
        )
    client.force_login(county_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("servicedesk:queue"), {"queue": "county"})
    assert len(response.context["page"]) == 25


def test_a_bad_filter_is_ignored_not_a_crash(client, mine, county_officer):
    client.force_login(county_officer)
    response = client.get(reverse("servicedesk:queue"), {"queue": "nope", "category": "x", "county": "-1"})
    assert response.status_code == 200 and mine.code in body(response)


# --- the fast form ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "سپيددشت",  # Arabic ye
        "تعاوني سپید دشت",  # Arabic ye in the generic word, a space in the name
        "كشاورزی",  # Arabic kaf
        "شرکت تعاونی سپیددشت",  # the generic words do not decide
    ],
)
def test_the_search_finds_the_cooperative_however_its_name_is_typed(client, coop, county_officer, typed):
    client.force_login(county_officer)
    html = body(client.get(reverse("servicedesk:cooperative_search"), {"q": typed}, headers=HX))
    assert NAME in html and f'value="{coop.pk}"' in html


def test_the_search_finds_by_shenasnameh_and_legal_id(client, coop, county_officer):
    from taavon.persian import to_persian_digits

    client.force_login(county_officer)
    for typed in (to_persian_digits(coop.shenasnameh), coop.legal_id, to_persian_digits(coop.legal_id)):
        html = body(client.get(reverse("servicedesk:cooperative_search"), {"q": typed}, headers=HX))
        assert NAME in html, typed


def test_without_htmx_the_search_is_the_fast_form_with_its_results(client, coop, county_officer):
    client.force_login(county_officer)
    response = client.get(reverse("servicedesk:cooperative_search"), {"q": "سپيددشت"}, follow=True)
    html = body(response)
    assert response.status_code == 200 and 'data-testid="request-form"' in html
    assert NAME in html and f'value="{coop.pk}" checked' in html


def test_the_search_never_finds_outside_the_jurisdiction(client, theirs, county_officer):
    client.force_login(county_officer)
    for typed in ("فرش بروجرد", theirs.shenasnameh, theirs.legal_id):
        html = body(client.get(reverse("servicedesk:cooperative_search"), {"q": typed}, headers=HX))
        assert "فرش" not in html and 'data-testid="cooperative-none"' in html


def test_the_fast_form_files_a_request_assigned_to_the_officer(
    client, coop, county_officer, category, borujerd
):
    client.force_login(county_officer)
    page = body(client.get(reverse("servicedesk:new")))
    assert 'value="desk" selected' in page or 'value="desk"' in page
    response = client.post(
        reverse("servicedesk:new"),
        {
            "cooperative": coop.pk,
            "requester_mobile": "۰۹۱۶ ۱۲۳ ۴۵۶۷",
            "channel": "desk",
            "category": category.pk,
            "subject": "وام سرمایه در گردش",
            "priority": "normal",
            "assign_to_me": "on",
            "attachments": [
                SimpleUploadedFile("a.pdf", PDF),
                SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n..."),
            ],
        },
    )
    r = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "servicedesk:detail", args=[r.code]
    )
    assert r.cooperative == coop and r.county == coop.county and r.assignee == county_officer
    assert r.status == S.ASSIGNED and r.channel == "desk" and r.requester_mobile == MOBILE
    assert r.history.first().history_user == county_officer
    assert Attachment.objects.filter(request=r, message__isnull=True).count() == 2
    # the attachment is served to staff of the county, not to others
    a = Attachment.objects.first()
    url = reverse("document", kwargs={"kind": "servicedesk-attachment", "pk": a.pk})
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role="county", county=borujerd, province=borujerd.province))
    assert client.get(url).status_code == 404


def test_the_fast_form_files_for_a_person(client, county_officer, category, khorramabad):
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:new"),
        {
            "requester_name": "مریم رحیمی",
            "requester_mobile": "09161112233",
            "requester_national_code": "0076229645",
            "county": khorramabad.pk,
            "channel": "phone",
            "category": category.pk,
            "subject": "عضویت در تعاونی",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    r = Request.objects.get()
    assert r.cooperative is None and r.requester_name == "مریم رحیمی" and r.assignee is None
    assert r.county == khorramabad and r.channel == "phone"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"cooperative": ""}, "requester_name"),  # neither a cooperative nor a person
        ({"requester_mobile": "12345"}, "requester_mobile"),
        ({"requester_national_code": "0076229646"}, "requester_national_code"),
        ({"attachments": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")}, "attachments"),
        ({"subject": ""}, "subject"),
    ],
)
def test_a_refused_fast_form_is_422_and_saves_nothing(client, coop, county_officer, category, change, field):
    client.force_login(county_officer)
    data = {
        "cooperative": coop.pk,
        "requester_mobile": MOBILE,
        "channel": "desk",
        "category": category.pk,
        "subject": "موضوع",
        "priority": "normal",
        **change,
    }
    response = client.post(reverse("servicedesk:new"), data)
    assert response.status_code == 422
    assert f'data-field="{field}"' in body(response)
    assert not Request.objects.exists() and not Attachment.objects.exists()


def test_the_fast_form_refuses_a_cooperative_outside_the_county(client, theirs, county_officer, category):
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:new"),
        {
            "cooperative": theirs.pk,
            "requester_mobile": MOBILE,
            "channel": "desk",
            "category": category.pk,
            "subject": "موضوع",
            "priority": "normal",
        },
    )
    assert response.status_code == 422 and not Request.objects.exists()
    assert "تعاونی فرش بروجرد" not in body(response)


def test_an_oversized_attachment_is_refused(client, coop, county_officer, category, settings):
    settings.TAAVON_EVIDENCE_MAX_BYTES = 100
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:new"),
        {
            "cooperative": coop.pk,
            "requester_mobile": MOBILE,
            "channel": "desk",
            "category": category.pk,
            "subject": "موضوع",
            "priority": "normal",
            "attachments": SimpleUploadedFile("a.pdf", PDF + b"0" * 200),
        },
    )
    assert response.status_code == 422 and 'data-field="attachments"' in body(response)
    assert not Request.objects.exists()


# --- the request's page ----------------------------------------------------------------------------------------------


def test_the_page_shows_the_thread_and_marks_internal_notes(client, mine, county_officer):
    request_reply(acting_user=county_officer, request=mine, body="مدارک را بیاورید", then=S.WAITING)
    request_reply(acting_user=county_officer, request=mine, body="یادداشت درونی کارشناس", internal=True)
    client.force_login(county_officer)
    html = body(client.get(reverse("servicedesk:detail", args=[mine.code])))
    assert "مدارک را بیاورید" in html and "یادداشت درونی کارشناس" in html
    note = html[html.index('data-message="note"') :]
    assert 'data-testid="internal-mark"' in note[:600]
    assert html.count('data-testid="internal-mark"') == 1
    assert NAME in html and "درخواست تسهیلات" in html
    for form in ("reply-form", "note-form", "status-form", "assign-form", "transfer-form"):
        assert f'data-testid="{form}"' in html
    assert MOBILE.replace("0", "۰")[:2] in html or "۰۹۱۶۱۲۳۴۵۶۷" in html  # the whole mobile, for a changer


def test_the_status_form_offers_the_allowed_next_statuses(client, mine, county_officer):
    client.force_login(county_officer)
    response = client.get(reverse("servicedesk:detail", args=[mine.code]))
    choices = [c for c, _ in response.context["status_form"].fields["to_status"].choices]
    assert set(choices) == {S.IN_PROGRESS, S.WAITING, S.ANSWERED, S.CLOSED}


def test_a_viewer_reads_without_forms_and_a_masked_mobile(client, mine, viewer):
    client.force_login(viewer)
    response = client.get(reverse("servicedesk:detail", args=[mine.code]))
    html = body(response)
    assert response.status_code == 200 and "درخواست تسهیلات" in html
    assert 'data-testid="reply-form"' not in html and 'data-testid="status-form"' not in html
    assert "۰۹۱۶۱۲۳۴۵۶۷" not in html and "****" in html
    assert client.post(reverse("servicedesk:reply", args=[mine.code]), {"body": "x"}).status_code == 403
    assert not Message.objects.exists()


def test_outside_the_jurisdiction_the_request_does_not_exist(client, theirs_request, county_officer):
    client.force_login(county_officer)
    theirs = client.get(reverse("servicedesk:detail", args=[theirs_request.code]))
    nowhere = client.get(reverse("servicedesk:detail", args=["MK-1300-9999"]))
    assert theirs.status_code == nowhere.status_code == 404

    def main(response) -> str:
        html = body(response)
        return html[html.index("<main") : html.index("</main>")]

    assert main(theirs) == main(nowhere)
    assert "فرش بروجرد" not in body(theirs) and "درخواست بروجرد" not in body(theirs)
    for action in ("reply", "status", "assign", "transfer"):
        response = client.post(reverse(f"servicedesk:{action}", args=[theirs_request.code]), {"body": "x"})
        assert response.status_code == 404
    assert not Message.objects.exists()


def test_a_representative_is_refused_the_desk(client, mine, coop):
    rep = UserFactory(role="representative", cooperative=coop, county=coop.county, username="rep-sd")
    client.force_login(rep)
    for url in (
        reverse("servicedesk:queue"),
        reverse("servicedesk:new"),
        reverse("servicedesk:detail", args=[mine.code]),
        reverse("servicedesk:cooperative_search") + "?q=سپیددشت",
    ):
        assert client.get(url, headers=HX).status_code == 403, url


def test_the_code_is_found_with_persian_digits(client, mine, county_officer):
    from taavon.persian import to_persian_digits

    client.force_login(county_officer)
    assert client.get(reverse("servicedesk:detail", args=[to_persian_digits(mine.code)])).status_code == 200


def test_the_page_runs_a_bounded_number_of_queries(
    client, mine, county_officer, django_assert_max_num_queries
):
    for i in range(10):
        request_reply(acting_user=county_officer, request=mine, body=f"پیام {i}", internal=bool(i % 2))
    client.force_login(county_officer)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("servicedesk:detail", args=[mine.code])).status_code == 200


# --- its actions -----------------------------------------------------------------------------------------------------


def test_a_reply_then_waiting(client, mine, county_officer):
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:reply", args=[mine.code]),
        {"body": "لطفاً صورت‌های مالی را بفرستید", "then": S.WAITING},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.WAITING and mine.first_answer_at is not None and mine.paused_since is not None
    assert Message.objects.get().kind == MessageKind.REPLY


def test_an_internal_note_does_not_answer(client, mine, county_officer):
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:reply", args=[mine.code]),
        {
            "body": "با بانک تماس گرفته شد",
            "internal": "True",
            "attachments": SimpleUploadedFile("n.pdf", PDF),
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    note = Message.objects.get()
    assert note.kind == MessageKind.NOTE and mine.first_answer_at is None and mine.status == S.ASSIGNED
    assert Attachment.objects.get().message == note


def test_a_reply_to_a_closed_request_is_refused(client, mine, county_officer):
    request_change_status(acting_user=county_officer, request=mine, to_status=S.CLOSED)
    client.force_login(county_officer)
    response = client.post(
        reverse("servicedesk:reply", args=[mine.code]), {"body": "پاسخ", "then": S.ANSWERED}
    )
    assert response.status_code == 422 and not Message.objects.exists()
    html = body(client.get(reverse("servicedesk:detail", args=[mine.code])))
    assert 'data-testid="reply-form"' not in html


def test_change_the_status_and_a_refused_one(client, mine, county_officer):
    client.force_login(county_officer)
    url = reverse("servicedesk:status", args=[mine.code])
    response = client.post(url, {"to_status": S.IN_PROGRESS, "version": mine.version})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.IN_PROGRESS
    response = client.post(url, {"to_status": S.NEW, "version": mine.version})
    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.status == S.IN_PROGRESS


def test_assign_and_unassign(client, mine, county_officer, khorramabad):
    colleague = UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="kh-2")
    client.force_login(county_officer)
    url = reverse("servicedesk:assign", args=[mine.code])
    assert client.post(url, {"assignee": colleague.pk, "version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert mine.assignee == colleague
    assert client.post(url, {"assignee": "", "version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert mine.assignee is None


def test_assigning_to_an_officer_of_another_county_is_refused(client, mine, county_officer, borujerd):
    other = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bj-2")
    client.force_login(county_officer)
    response = client.post(reverse("servicedesk:assign", args=[mine.code]), {"assignee": other.pk})
    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.assignee == county_officer


def test_transfer_with_a_reason(client, mine, county_officer, borujerd):
    client.force_login(county_officer)
    url = reverse("servicedesk:transfer", args=[mine.code])
    response = client.post(url, {"to_county": borujerd.pk, "reason": ""})
    assert response.status_code == 422 and not Transfer.objects.exists()
    response = client.post(url, {"to_county": borujerd.pk, "reason": "محل فعالیت تعاونی در بروجرد است"})
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk:queue")
    mine.refresh_from_db()
    assert mine.county == borujerd and mine.assignee is None
    # the request has left the officer's jurisdiction
    assert client.get(reverse("servicedesk:detail", args=[mine.code])).status_code == 404


def test_the_transfer_is_shown_on_the_page(client, mine, provincial, borujerd):
    client.force_login(provincial)
    client.post(
        reverse("servicedesk:transfer", args=[mine.code]),
        {"to_county": borujerd.pk, "reason": "محل فعالیت تعاونی در بروجرد است"},
    )
    html = body(client.get(reverse("servicedesk:detail", args=[mine.code])))
    assert 'data-testid="transfers"' in html and "محل فعالیت تعاونی در بروجرد است" in html


# --- the record's section and the home panels ------------------------------------------------------------------------


def test_the_cooperatives_record_lists_its_requests_open_first(client, coop, county_officer, category, mine):
    done = file(county_officer, category, coop=coop, subject="درخواست بسته‌شده")
    request_change_status(acting_user=county_officer, request=done, to_status=S.CLOSED)
    newer = file(county_officer, category, coop=coop, subject="درخواست باز تازه")
    client.force_login(county_officer)
    html = body(client.get(reverse("registry:detail", args=[coop.shenasnameh])))
    section = html[html.index('data-testid="coop-requests"') :]
    assert (
        section.index("درخواست باز تازه")
        < section.index("درخواست تسهیلات")
        < section.index("درخواست بسته‌شده")
    )
    assert f'data-request="{newer.code}"' in section


def test_the_home_panels(client, county_officer, coop, category, mine):
    late = file(
        county_officer,
        category,
        coop=coop,
        subject="دیرکرد",
        opened_at=timezone.now() - dt.timedelta(days=30),
    )
    client.force_login(county_officer)
    html = body(client.get(reverse("home")))
    assert 'data-testid="home-my-requests"' in html and "درخواست تسهیلات" in html
    panel = html[html.index('data-testid="home-due-requests"') :]
    assert f'data-request="{late.code}"' in panel
