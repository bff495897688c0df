"""The representative's side of the service desk: their own cooperative's requests only — file, follow (replies and
their own messages, never the office's internal notes), write while open, rate once closed; everyone else refused."""

import pytest
from django.urls import reverse

from taavon.servicedesk import services
from taavon.servicedesk.models import Category, Message, Request
from tests.factories import UserFactory, make_cooperative


@pytest.fixture
def desk(khorramabad, borujerd):
    admin = UserFactory(role="admin", username="p-admin")
    coop = make_cooperative(acting_user=admin, county=khorramabad, name="تعاونی پوشاک زاگرس")
    other = make_cooperative(acting_user=admin, county=borujerd, name="تعاونی فرش بروجرد")
    rep = UserFactory(role="representative", cooperative=coop, username="p-rep")
    officer = UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="p-kh")
    financing = Category.objects.get(code="financing")
    mine = services.request_file(
        acting_user=officer,
        channel="desk",
        category=financing,
        subject="وام سرمایه در گردش",
        mobile="09161234567",
        cooperative=coop,
    )
    services.request_reply(acting_user=officer, request=mine, body="مدارک را بیاورید.", then="waiting")
    services.request_reply(acting_user=officer, request=mine, body="یادداشت داخلی محرمانه", internal=True)
    theirs = services.request_file(
        acting_user=admin,
        channel="phone",
        category=financing,
        subject="درخواست بروجرد",
        mobile="09181234567",
        cooperative=other,
    )
    return {"admin": admin, "coop": coop, "rep": rep, "officer": officer, "mine": mine, "theirs": theirs}


def _close(desk, req):
    services.request_reply(acting_user=desk["officer"], request=req, body="انجام شد.", then="answered")
    services.request_change_status(acting_user=desk["officer"], request=req, to_status="closed")


def test_the_list_shows_their_own_requests_only(client, desk, django_assert_max_num_queries):
    client.force_login(desk["rep"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("servicedesk:portal_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "وام سرمایه در گردش" in page
    assert "درخواست بروجرد" not in page


def test_the_detail_shows_replies_but_never_internal_notes(client, desk):
    client.force_login(desk["rep"])
    response = client.get(reverse("servicedesk:portal_detail", args=[desk["mine"].code]))
    page = response.content.decode()
    assert "مدارک را بیاورید." in page
    assert "یادداشت داخلی محرمانه" not in page


def test_another_cooperatives_request_does_not_exist_for_them(client, desk):
    client.force_login(desk["rep"])
    code = desk["theirs"].code
    assert client.get(reverse("servicedesk:portal_detail", args=[code])).status_code == 404
    assert client.post(reverse("servicedesk:portal_detail", args=[code]), {"body": "x"}).status_code == 404
    assert client.post(reverse("servicedesk:portal_rate", args=[code]), {"rating": 5}).status_code == 404


def test_they_file_a_request_through_the_portal(client, desk):
    client.force_login(desk["rep"])
    category = Category.objects.get(code="permits")
    response = client.post(
        reverse("servicedesk:portal_new"),
        {"category": category.pk, "subject": "تمدید پروانه", "description": "", "mobile": "۰۹۱۶۱۲۳۴۵۶۷"},
    )
    req = Request.objects.get(subject="تمدید پروانه")
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:portal_detail", args=[req.code])
    assert (req.channel, req.cooperative, req.county, req.filed_by) == (
        "portal",
        desk["coop"],
        desk["coop"].county,
        desk["rep"],
    )
    assert req.requester_mobile == "09161234567"


def test_a_bad_request_is_refused_with_nothing_saved(client, desk):
    client.force_login(desk["rep"])
    before = Request.objects.count()
    response = client.post(reverse("servicedesk:portal_new"), {"subject": "", "mobile": "123"})
    assert response.status_code == 422
    assert Request.objects.count() == before
    assert "شماره" in response.content.decode()


def test_writing_on_an_open_request_resumes_it(client, desk):
    client.force_login(desk["rep"])
    url = reverse("servicedesk:portal_detail", args=[desk["mine"].code])
    response = client.post(url, {"body": "مدارک فرستاده شد."})
    assert response.status_code == 302
    desk["mine"].refresh_from_db()
    assert desk["mine"].status == "in_progress"
    assert Message.objects.filter(request=desk["mine"], kind="cooperator", author=desk["rep"]).exists()


def test_writing_on_a_closed_request_is_refused(client, desk):
    _close(desk, desk["mine"])
    client.force_login(desk["rep"])
    before = Message.objects.count()
    response = client.post(reverse("servicedesk:portal_detail", args=[desk["mine"].code]), {"body": "باز هم"})
    assert response.status_code == 422
    assert Message.objects.count() == before


def test_rating_a_closed_request(client, desk):
    _close(desk, desk["mine"])
    client.force_login(desk["rep"])
    url = reverse("servicedesk:portal_rate", args=[desk["mine"].code])
    assert client.post(url, {"rating": "9"}).status_code == 422
    response = client.post(url, {"rating": "4", "comment": "سریع بود"})
    assert response.status_code == 302
    desk["mine"].refresh_from_db()
    assert (desk["mine"].rating, desk["mine"].rating_comment) == (4, "سریع بود")
    again = client.post(url, {"rating": "5"})
    assert again.status_code == 422
    assert "امتیاز" in again.content.decode()
    desk["mine"].refresh_from_db()
    assert desk["mine"].rating == 4
    page = client.get(reverse("servicedesk:portal_detail", args=[desk["mine"].code])).content.decode()
    assert "سریع بود" in page
    assert 'data-testid="portal-rate-form"' not in page


def test_an_open_request_is_not_rated(client, desk):
    client.force_login(desk["rep"])
    response = client.post(reverse("servicedesk:portal_rate", args=[desk["mine"].code]), {"rating": "5"})
    assert response.status_code == 422
    assert "بسته" in response.content.decode()
    desk["mine"].refresh_from_db()
    assert desk["mine"].rating is None


@pytest.mark.parametrize("name", ["portal_list", "portal_new"])
def test_staff_are_refused_the_portal(client, desk, name):
    for user in (desk["officer"], desk["admin"]):
        client.force_login(user)
        assert client.get(reverse(f"servicedesk:{name}")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, desk):
    response = client.get(reverse("servicedesk:portal_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_portal_home_lists_their_open_requests(client, desk):
    client.force_login(desk["rep"])
    page = client.get(reverse("members:portal")).content.decode()
    assert 'data-testid="portal-open-requests"' in page
    assert "وام سرمایه در گردش" in page
    assert "درخواست بروجرد" not in page
