"""Members pages, privacy, the portal and the review queue — with the denials."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taavon.members import services
from taavon.members.models import GeneralAssembly, Membership, Proposal
from taavon.persian import format_jalali, to_persian_digits
from tests.factories import UserFactory, make_cooperative
from tests.members.test_services import REG, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(admin_user, khorramabad, borujerd):
    a = make_cooperative(acting_user=admin_user, county=khorramabad, registration_date=REG, name="تعاونی الف")
    b = make_cooperative(acting_user=admin_user, county=borujerd, registration_date=REG, name="تعاونی ب")
    member = person(admin_user, 76229645 // 10)
    member.mobile = "09161234567"
    member.save()
    services.membership_add(acting_user=admin_user, cooperative=a, person=member, join_date=REG)
    rep_a = UserFactory(
        role="representative",
        cooperative=a,
        county=khorramabad,
        province=khorramabad.province,
        username="rep-a",
    )
    return {"a": a, "b": b, "member": member, "rep_a": rep_a}


def test_lists_mask_national_codes_and_mobiles(client, county_officer, setup):
    client.force_login(county_officer)
    m = setup["member"]
    for url in (
        reverse("registry:detail", args=[setup["a"].shenasnameh]),
        reverse("members:members", args=[setup["a"].shenasnameh]),
    ):
        body = client.get(url).content.decode()
        assert to_persian_digits(m.national_code) not in body and m.national_code not in body
        assert to_persian_digits(m.national_code[:4]) + "***" in body
        assert "09161234567" not in body and to_persian_digits("09161234567") not in body


def test_person_page_shows_the_code_to_staff_with_jurisdiction_only(client, county_officer, setup, borujerd):
    m = setup["member"]
    client.force_login(county_officer)
    body = client.get(reverse("members:person", args=[m.pk])).content.decode()
    assert to_persian_digits(m.national_code) in body
    other = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo-t")
    client.force_login(other)
    assert client.get(reverse("members:person", args=[m.pk])).status_code == 404


def test_public_export_has_no_personal_data(client, provincial, setup):
    client.force_login(provincial)
    body = client.get(reverse("registry:export", args=["csv"])).content.decode("utf-8-sig")
    assert setup["member"].national_code not in body and "0916" not in body


def test_representative_sees_only_own_cooperative(client, setup):
    client.force_login(setup["rep_a"])
    assert client.get(reverse("home")).url == reverse("members:portal")
    body = client.get(reverse("members:portal")).content.decode()
    assert setup["a"].name in body and setup["b"].name not in body
    assert setup["member"].national_code not in body
    # staff pages refuse a representative clearly (and point to the portal), for any cooperative, theirs too
    for url in (
        reverse("registry:detail", args=[setup["b"].shenasnameh]),
        reverse("registry:detail", args=[setup["a"].shenasnameh]),
        reverse("members:members", args=[setup["b"].shenasnameh]),
        reverse("registry:list"),
        reverse("registry:export", args=["csv"]),
        reverse("reports:dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "درگاه تعاونی" in body and reverse("members:portal") in body
        assert setup["b"].name not in body


def test_staff_cannot_use_the_portal(client, county_officer):
    client.force_login(county_officer)
    assert client.get(reverse("members:portal")).status_code == 403


def _propose_assembly(client, date: datetime.date, decisions="تصویب صورت‌های مالی"):
    return client.post(
        reverse("members:propose", args=["assembly"]),
        {
            "date": format_jalali(date, "short"),
            "kind": "ordinary",
            "quorum_present": "on",
            "attendees": "۹",
            "decisions": decisions,
            "minutes": SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )


def test_proposal_accepted_changes_the_registry_through_the_services(client, setup, county_officer):
    client.force_login(setup["rep_a"])
    day = datetime.date.today() - datetime.timedelta(days=30)
    assert _propose_assembly(client, day).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == "pending" and GeneralAssembly.objects.count() == 0
    # the representative cannot accept their own proposal
    assert client.post(reverse("members:review_accept", args=[proposal.pk])).status_code == 403
    client.force_login(county_officer)
    page = client.get(reverse("members:reviews")).content.decode()
    assert "تصویب صورت‌های مالی" in page and format_jalali(day) in page
    client.post(reverse("members:review_accept", args=[proposal.pk]))
    proposal.refresh_from_db()
    assembly = GeneralAssembly.objects.get()
    assert proposal.status == "accepted" and proposal.reviewed_by == county_officer
    assert assembly.date == day and assembly.minutes.name
    assert assembly.history.get().history_user == county_officer
    setup["a"].refresh_from_db()
    assert setup["a"].last_general_assembly == day


def test_proposal_refused_changes_nothing(client, setup, county_officer):
    client.force_login(setup["rep_a"])
    client.post(
        reverse("members:propose", args=["contact"]),
        {"address": "خرم‌آباد، خیابان انقلاب", "phone": "۰۶۶۳۳۳۳۴۴۴۴"},
    )
    proposal = Proposal.objects.get()
    client.force_login(county_officer)
    client.post(reverse("members:review_refuse", args=[proposal.pk]), {"reason": "نشانی ناقص است"})
    proposal.refresh_from_db()
    setup["a"].refresh_from_db()
    assert proposal.status == "refused" and proposal.review_reason == "نشانی ناقص است"
    assert setup["a"].address == ""
    client.force_login(setup["rep_a"])
    assert "نشانی ناقص است" in client.get(reverse("members:portal")).content.decode()


def test_county_staff_of_another_county_cannot_review(client, setup, borujerd):
    client.force_login(setup["rep_a"])
    _propose_assembly(client, datetime.date.today() - datetime.timedelta(days=10))
    proposal = Proposal.objects.get()
    other = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo-t2")
    client.force_login(other)
    assert "تعاونی الف" not in client.get(reverse("members:reviews")).content.decode()
    assert client.post(reverse("members:review_accept", args=[proposal.pk])).status_code == 404
    assert (
        client.post(reverse("members:review_refuse", args=[proposal.pk]), {"reason": "نه"}).status_code == 404
    )
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_member_join_proposal_with_an_invalid_code_is_refused_at_once(client, setup):
    client.force_login(setup["rep_a"])
    response = client.post(
        reverse("members:propose", args=["member_join"]),
        {
            "national_code": "1234567890",
            "first_name": "علی",
            "last_name": "رضایی",
            "gender": "male",
            "join_date": "۱۴۰۳/۰۱/۱۵",
        },
    )
    assert response.status_code == 422 and "national_code" in response.context["form"].errors
    assert Proposal.objects.count() == 0


def test_member_join_and_leave_proposals(client, setup, county_officer):
    client.force_login(setup["rep_a"])
    client.post(
        reverse("members:propose", args=["member_join"]),
        {
            "national_code": "۱۵۸۳۲۵۰۶۸۹",
            "first_name": "علی",
            "last_name": "رضایی",
            "gender": "male",
            "join_date": "۱۴۰۳/۰۱/۱۵",
            "contribution_rial": "۵۰۰٬۰۰۰٬۰۰۰",
        },
    )
    membership = Membership.objects.get(person=setup["member"])
    client.post(
        reverse("members:propose", args=["member_leave"]),
        {
            "membership": membership.pk,
            "leave_date": "۱۴۰۴/۰۱/۱۰",
            "reason": "بازنشستگی",
        },
    )
    client.force_login(county_officer)
    for proposal in Proposal.objects.order_by("id"):
        client.post(reverse("members:review_accept", args=[proposal.pk]))
    assert set(Proposal.objects.values_list("status", flat=True)) == {"accepted"}
    coop = setup["a"]
    coop.refresh_from_db()
    assert (coop.members_women, coop.members_men, coop.capital_paid_rial) == (0, 1, 500_000_000)


def test_return_for_a_year_before_registration_from_the_form(client, county_officer, setup):
    client.force_login(county_officer)
    response = client.post(
        reverse("members:return_add", args=[setup["a"].shenasnameh]),
        {
            "fiscal_year": "۱۳۹۰",
            "filed_on": "۱۳۹۱/۰۳/۰۱",
        },
    )
    assert response.status_code == 422 and "fiscal_year" in response.context["form"].errors


def test_returns_report_page(client, provincial, setup):
    client.force_login(provincial)
    body = client.get(reverse("members:returns"), {"year": "1402"}).content.decode()
    assert "تعاونی الف" in body and "ارائه‌نشده" in body
    assert client.get(reverse("members:returns"), {"year": "abc", "county": "x"}).status_code == 200


def test_review_fixes_for_members(client, setup, county_officer, viewer, admin_user, borujerd):
    """A code that belongs to someone else, impossible proposals, masked queue, staff-only queue, scoped person page."""
    from django.core.exceptions import ValidationError

    m = setup["member"]
    with pytest.raises(ValidationError) as exc:
        services.person_register(
            acting_user=admin_user,
            national_code=m.national_code,
            first_name="علی",
            last_name="احمدی",
            gender="male",
        )
    assert str(m) in exc.value.message_dict["national_code"][0]
    client.force_login(setup["rep_a"])
    for kind, data in (
        ("return", {"fiscal_year": "۱۳۸۰", "filed_on": "۱۳۸۱/۰۳/۰۱"}),
        ("assembly", {"date": "۱۴۱۰/۰۱/۰۱", "kind": "ordinary"}),
        (
            "member_join",
            {
                "national_code": "1583250689",
                "first_name": "علی",
                "last_name": "رضایی",
                "gender": "male",
                "join_date": "۱۳۰۰/۰۱/۰۱",
            },
        ),
    ):
        response = client.post(reverse("members:propose", args=[kind]), data)
        assert response.status_code == 422, kind
    assert Proposal.objects.count() == 0
    client.post(
        reverse("members:propose", args=["member_join"]),
        {
            "national_code": "1583250689",
            "first_name": "علی",
            "last_name": "رضایی",
            "gender": "male",
            "join_date": "۱۴۰۲/۰۱/۱۰",
            "mobile": "09161112233",
        },
    )
    client.force_login(county_officer)
    page = client.get(reverse("members:reviews")).content.decode()
    assert "1583250689" not in page and to_persian_digits("1583250689") not in page
    assert to_persian_digits("1583") + "***" in page
    client.force_login(viewer)
    assert client.get(reverse("members:reviews")).status_code == 403
    other = make_cooperative(
        acting_user=admin_user, county=borujerd, registration_date=REG, name="تعاونی بروجرد"
    )
    services.membership_add(acting_user=admin_user, cooperative=other, person=m, join_date=REG)
    client.force_login(county_officer)
    page = client.get(reverse("members:person", args=[m.pk])).content.decode()
    assert "تعاونی الف" in page and "تعاونی بروجرد" not in page


def test_the_review_queue_shows_the_current_value_beside_the_proposed_one(client, setup, county_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taavon.members.proposals import proposal_submit
    from taavon.registry.services import cooperative_update

    cooperative_update(acting_user=county_officer, cooperative=setup["a"], address="خیابان کیو، پلاک ۵")
    rep = setup["rep_a"]
    proposal_submit(
        acting_user=rep,
        kind="contact",
        payload={"address": "خیابان شریعتی، پلاک ۱۲", "phone": "", "postal_code": ""},
    )
    membership = setup["a"].memberships.get()
    proposal_submit(
        acting_user=rep,
        kind="member_leave",
        payload={"membership": membership.pk, "leave_date": "2025-01-01", "reason": "استعفا"},
    )
    client.force_login(county_officer)
    client.get(
        reverse("members:reviews")
    )  # the session's first request writes it: measured from the second on
    with CaptureQueriesContext(connection) as two:
        body = client.get(reverse("members:reviews")).content.decode()
    rows = body[body.index('data-testid="proposal-rows"') :]
    assert "اکنون در سامانه" in rows
    changed = rows[rows.index("table-warning") : rows.index("</tr>", rows.index("table-warning"))]
    assert "خیابان کیو، پلاک ۵" in changed and "<strong>خیابان شریعتی، پلاک ۱۲</strong>" in changed
    assert f"{setup['member']} (عضو از" in body  # the member leaving, named, with the date they joined
    for i in range(3):
        proposal_submit(
            acting_user=rep, kind="contact", payload={"address": f"نشانی {i}", "phone": "", "postal_code": ""}
        )
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("members:reviews"))
    assert len(five) == len(two)


def test_a_service_refusal_on_a_field_the_form_lacks_is_shown_not_a_500(client, setup, county_officer):
    """The same member twice (the service's error is on "person", not a form field) and a proposal's file that is not
    a PDF (the service names "document", the form "minutes"): a message on the page, not a server error."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = setup["member"]
    client.force_login(county_officer)
    response = client.post(
        reverse("members:member_add", args=[setup["a"].shenasnameh]),
        {
            "national_code": m.national_code,
            "first_name": m.first_name,
            "last_name": m.last_name,
            "gender": m.gender,
            "join_date": "۱۳۹۸/۰۱/۱۰",
        },
    )
    assert response.status_code == 422 and "هم‌اکنون عضو این تعاونی است" in response.content.decode()
    client.force_login(setup["rep_a"])
    response = client.post(
        reverse("members:propose", args=["assembly"]),
        {
            "date": "۱۴۰۳/۰۲/۰۱",
            "kind": "ordinary",
            "quorum_present": "on",
            "minutes": SimpleUploadedFile("m.pdf", b"not a pdf at all"),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field="minutes"' in body and "PDF" in body
