"""The registry's staff pages: what each role sees and may do, search, field errors, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.registry.models import Cooperative, StatusChange
from tests.factories import make_cooperative, valid_legal_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(admin_user, khorramabad, borujerd):
    kh = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی سرمایه‌گذاری کوهدشت نوین")
    bo = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی پوشاک بروجرد")
    return kh, bo


def _list(client, **params):
    return client.get(reverse("registry:list"), params)


def test_anonymous_is_sent_to_login(client):
    response = _list(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_county_officer_lists_only_own_county(client, county_officer, two_counties):
    kh, bo = two_counties
    client.force_login(county_officer)
    body = _list(client).content.decode()
    assert kh.name in body
    assert bo.name not in body


def test_county_officer_gets_404_for_another_countys_record(client, county_officer, two_counties):
    kh, bo = two_counties
    client.force_login(county_officer)
    assert client.get(reverse("registry:detail", args=[kh.shenasnameh])).status_code == 200
    for name in ("detail", "edit", "status", "print"):
        assert client.get(reverse(f"registry:{name}", args=[bo.shenasnameh])).status_code == 404
    response = client.post(
        reverse("registry:status", args=[bo.shenasnameh]), {"to_status": "dormant", "reason": "دلیل آزمون"}
    )
    assert response.status_code == 404
    bo.refresh_from_db()
    assert bo.status == "active"


def test_county_officer_export_holds_only_own_county(client, county_officer, two_counties):
    kh, bo = two_counties
    client.force_login(county_officer)
    body = client.get(reverse("registry:export", args=["csv"])).content.decode("utf-8-sig")
    assert kh.shenasnameh in body and bo.shenasnameh not in body


def test_provincial_staff_sees_the_province(client, provincial, two_counties):
    client.force_login(provincial)
    body = _list(client).content.decode()
    assert all(c.name in body for c in two_counties)


def test_provincial_staff_of_another_province_sees_nothing_of_lorestan(client, two_counties):
    from taavon.places.models import Province
    from tests.factories import UserFactory

    tehran_staff = UserFactory(role="provincial", province=Province.objects.get(code="IR-07"))
    client.force_login(tehran_staff)
    body = _list(client).content.decode()
    assert not any(c.name in body for c in two_counties)
    assert client.get(reverse("registry:detail", args=[two_counties[0].shenasnameh])).status_code == 404


def test_viewer_reads_but_changes_nothing(client, viewer, two_counties):
    kh, _ = two_counties
    client.force_login(viewer)
    detail = client.get(reverse("registry:detail", args=[kh.shenasnameh]))
    assert detail.status_code == 200
    assert 'data-testid="status-form"' not in detail.content.decode()
    assert "ثبت تعاونی جدید" not in _list(client).content.decode()
    assert client.get(reverse("registry:create")).status_code == 403
    assert client.get(reverse("registry:edit", args=[kh.shenasnameh])).status_code == 403
    response = client.post(
        reverse("registry:status", args=[kh.shenasnameh]), {"to_status": "dormant", "reason": "دلیل آزمون"}
    )
    assert response.status_code == 403
    kh.refresh_from_db()
    assert kh.status == "active"


@pytest.mark.parametrize(
    "query",
    [
        "سرمایه‌گذاری",  # as stored, with ZWNJ
        "سرمایهگذاری",  # ZWNJ dropped, as the seed report types it
        "سرمایه گذاری",  # a space instead
        "سرمايه‌گذاري",  # Arabic yeh
        "كوهدشت",  # Arabic kaf
        "نوین سرمایه",  # words in another order
    ],
)
def test_search_finds_a_name_however_it_is_typed(client, provincial, two_counties, query):
    kh, bo = two_counties
    client.force_login(provincial)
    body = _list(client, q=query).content.decode()
    assert kh.name in body
    assert bo.name not in body


def test_search_by_identifiers_in_any_digits(client, provincial, admin_user, khorramabad):
    coop = make_cooperative(
        acting_user=admin_user, county=khorramabad, legal_id="10380284790", registration_number="4521"
    )
    other = make_cooperative(acting_user=admin_user, county=khorramabad)
    client.force_login(provincial)
    persian_shenasnameh = coop.shenasnameh.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    for query in (
        "10380284790",
        "۱۰۳۸۰۲۸۴۷۹۰",
        "١٠٣٨٠٢٨٤٧٩٠",
        "103-802847-90",
        "۴۵۲۱",
        persian_shenasnameh,
        coop.shenasnameh,
    ):
        body = _list(client, q=query).content.decode()
        assert coop.name in body, query
        assert other.name not in body, query


def test_list_filters_by_status_and_county(client, provincial, admin_user, khorramabad, borujerd):
    active = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی فعال یک")
    dormant = make_cooperative(
        acting_user=admin_user, county=khorramabad, name="تعاونی راکد دو", status="dormant"
    )
    elsewhere = make_cooperative(
        acting_user=admin_user, county=borujerd, name="تعاونی راکد سه", status="dormant"
    )
    client.force_login(provincial)
    body = _list(client, status="dormant", county=khorramabad.pk).content.decode()
    assert dormant.name in body
    assert active.name not in body and elsewhere.name not in body


def test_list_shows_persian_digits_and_jalali_dates(client, provincial, admin_user):
    import datetime

    make_cooperative(acting_user=admin_user, registration_date=datetime.date(2025, 9, 2))
    client.force_login(provincial)
    body = _list(client).content.decode()
    assert "۱۱ شهریور ۱۴۰۴" in body
    assert 'lang="fa" dir="rtl"' in body


def test_list_query_count_does_not_grow_with_rows(client, provincial, admin_user, khorramabad):
    client.force_login(provincial)
    make_cooperative(acting_user=admin_user, county=khorramabad)
    _list(client)  # the session's first request writes it: measured from the second on
    with CaptureQueriesContext(connection) as small:
        assert _list(client).status_code == 200
    for _ in range(15):
        make_cooperative(acting_user=admin_user, county=khorramabad)
    with CaptureQueriesContext(connection) as large:
        response = _list(client)
    assert response.status_code == 200
    assert len(large) == len(small)
    assert len(large) <= 10


def test_detail_query_count_does_not_grow(client, provincial, admin_user):
    from taavon.members.services import membership_add, person_register
    from taavon.persian import national_code_check_digit
    from taavon.registry.services import cooperative_update
    from tests.factories import make_project

    coop = make_cooperative(acting_user=admin_user)
    client.force_login(provincial)
    url = reverse("registry:detail", args=[coop.shenasnameh])

    def add(i):
        cooperative_update(acting_user=admin_user, cooperative=coop, notes=f"یادداشت {i}")
        code = f"00762296{i}"
        person = person_register(
            acting_user=admin_user,
            national_code=code[:9] + national_code_check_digit(code[:9]),
            first_name="مریم",
            last_name=f"کرمی {i}",
            gender="female",
        )
        membership_add(
            acting_user=admin_user, cooperative=coop, person=person, join_date=coop.registration_date
        )
        make_project(acting_user=admin_user, cooperative=coop)

    # a section without records reads nothing (one query asks every section whether it has any): measured from one
    # record of each kind on
    add(0)
    client.get(url)  # the session's first request writes it: measured from the second on
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(1, 5):
        add(i)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 30


def _form_data(county, **overrides):
    from taavon.registry.models import Activity, CooperativeType

    activity = Activity.objects.get(code="clothing")
    data = {
        "name": "تعاونی تولیدی پوشاک سیمره",
        "legal_id": "۱۰۳۸۰۲۸۴۷۹۰",
        "registration_number": "۱۲۳۴",
        "registration_date": "۱۴۰۲/۰۷/۰۵",
        "type": CooperativeType.objects.get(code="producer").pk,
        "sector": activity.sector_id,
        "activity": activity.pk,
        "membership": "closed",
        "county": county.pk,
        "members_women": "۴",
        "members_men": "5",
        "founding_members": "7",
        "capital_registered_rial": "۲٬۰۰۰٬۰۰۰٬۰۰۰",
        "capital_paid_rial": "1,000,000,000",
        "phone": "۰۶۶-۳۳۲۲۱۱۰۰",
    }
    data.update(overrides)
    return data


def test_create_with_persian_digits_and_jalali_date(client, county_officer, khorramabad):
    import datetime

    client.force_login(county_officer)
    response = client.post(reverse("registry:create"), _form_data(khorramabad))
    coop = Cooperative.objects.get()
    assert response.status_code == 302 and response.url == reverse("registry:detail", args=[coop.shenasnameh])
    assert coop.legal_id == "10380284790"
    assert coop.registration_date == datetime.date(2023, 9, 27)
    assert coop.capital_registered_rial == 2_000_000_000
    assert coop.members_women == 4 and coop.phone == "066-33221100"
    assert coop.history.get().history_user == county_officer
    assert StatusChange.objects.get().changed_by == county_officer


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("legal_id", "10380284791", "معتبر نیست"),
        ("legal_id", "۱۲۳", "۱۱ رقم"),
        ("registration_date", "۱۴۰۴/۱۲/۳۰", "وجود ندارد"),
        ("registration_date", "1404/13/01", ""),
        ("capital_paid_rial", "-5", ""),
        ("capital_paid_rial", "۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹", "بزرگ"),
        ("name", "<script>alert('x')</script>", "HTML"),
        ("name", "ب" * 250, ""),
        ("members_men", "چند", ""),
    ],
)
def test_bad_input_gives_a_persian_message_on_the_field(
    client, county_officer, khorramabad, field, value, message
):
    client.force_login(county_officer)
    response = client.post(reverse("registry:create"), _form_data(khorramabad, **{field: value}))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert any("\u0600" <= ch <= "\u06ff" for ch in " ".join(errors[field]))  # the message is in Persian
    assert Cooperative.objects.count() == 0


def test_duplicate_legal_id_from_the_form(client, county_officer, khorramabad, admin_user):
    make_cooperative(acting_user=admin_user, county=khorramabad, legal_id="10380284790", name="تعاونی نخست")
    client.force_login(county_officer)
    response = client.post(reverse("registry:create"), _form_data(khorramabad))
    assert response.status_code == 422
    assert "legal_id" in response.context["form"].errors
    assert Cooperative.objects.count() == 1


def test_county_officer_cannot_create_in_another_county(client, county_officer, borujerd):
    client.force_login(county_officer)
    response = client.post(reverse("registry:create"), _form_data(borujerd))
    assert response.status_code == 422
    assert "county" in response.context["form"].errors
    assert Cooperative.objects.count() == 0


def test_edit_and_change_status_through_the_pages(client, county_officer, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, legal_id=valid_legal_id())
    client.force_login(county_officer)
    data = _form_data(khorramabad, name="تعاونی نام تازه", legal_id=coop.legal_id)
    assert client.post(reverse("registry:edit", args=[coop.shenasnameh]), data).status_code == 302
    response = client.post(
        reverse("registry:status", args=[coop.shenasnameh]),
        {"to_status": "dormant", "reason": "توقف فعالیت طبق بازدید", "effective_date": "۱۴۰۴/۰۶/۱۱"},
    )
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.name == "تعاونی نام تازه" and coop.status == "dormant"
    page = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert "توقف فعالیت طبق بازدید" in page
    assert "تاریخ اثر: ۱۱ شهریور ۱۴۰۴" in page
    assert "تعاونی نام تازه" in page and county_officer.get_full_name() in page


def test_refused_transition_from_the_page_shows_a_message(client, provincial, admin_user):
    coop = make_cooperative(acting_user=admin_user, status="dissolved")
    client.force_login(provincial)
    response = client.post(
        reverse("registry:status", args=[coop.shenasnameh]), {"to_status": "active", "reason": "دلیل آزمون"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors
    coop.refresh_from_db()
    assert coop.status == "dissolved"


def test_print_page_has_the_card_and_a_qr(client, provincial, admin_user):
    coop = make_cooperative(acting_user=admin_user)
    client.force_login(provincial)
    body = client.get(reverse("registry:print", args=[coop.shenasnameh])).content.decode()
    assert "<svg" in body and coop.name in body
    assert (
        "taavon/print.css" in body
    )  # the A5 card layout (@page), from a static file (the CSP refuses inline styles)
