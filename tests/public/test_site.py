"""The public site's pages: the home page for anonymous visitors, the register's search, a cooperative's public
profile, the statistics. Given a few cooperatives with marker values in their private fields, when a visitor opens
the pages, then they show the public fields, never the private ones, with a constant number of queries."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from taavon.events.selectors import week_days
from taavon.members import services as members
from taavon.members.models import AnnualReturn
from taavon.persian import national_code_check_digit, to_persian_digits
from taavon.places.models import County, Province
from taavon.public import figures
from taavon.public.selectors import StandingRule
from taavon.registry.models import Activity
from tests.factories import UserFactory, make_cooperative, make_project

pytestmark = pytest.mark.django_db

NATIONAL_CODE = "3781526" + "04"
NATIONAL_CODE += national_code_check_digit(NATIONAL_CODE)
MARKERS = {
    "phone": "09181234567",
    "address": "کوچه‌ی‌نشانی‌پنهان",
    "postal_code": "6813579240",
    "notes": "یادداشت‌محرمانه‌ثبت",
    "national_code": NATIONAL_CODE,
    "first_name": "گلنار",
    "last_name": "پنهان‌زاده",
}


def _county(name_en: str) -> County:
    return County.objects.get(province__code="IR-15", name_en=name_en)


@pytest.fixture
def admin(reference_data):
    return UserFactory(role="admin", username="site-admin")


@pytest.fixture
def coops(admin):
    """Three cooperatives: one in good standing (with private markers and a member), one dormant, one active without
    a recorded assembly or return."""
    today = timezone.localdate()
    rule = StandingRule.now()
    good = make_cooperative(
        acting_user=admin,
        name="تعاونی پوشاک زاگرس",
        county=_county("Khorramabad"),
        registration_date=datetime.date(2015, 5, 1),  # 1394
        last_general_assembly=today - datetime.timedelta(days=60),
        phone=MARKERS["phone"],
        address=MARKERS["address"],
        postal_code=MARKERS["postal_code"],
        notes=MARKERS["notes"],
    )
    # jurisdiction: test data
    AnnualReturn.objects.create(cooperative=good, fiscal_year=rule.return_year, filed_on=today)
    person = members.person_register(
        acting_user=admin,
        national_code=MARKERS["national_code"],
        first_name=MARKERS["first_name"],
        last_name=MARKERS["last_name"],
        gender="female",
    )
    members.membership_add(
        acting_user=admin, cooperative=good, person=person, join_date=datetime.date(2016, 1, 1)
    )
    dormant = make_cooperative(
        acting_user=admin,
        name="تعاونی صنایع دستی بروجرد",
        county=_county("Borujerd"),
        activity=Activity.objects.get(code="handicrafts"),
        registration_date=datetime.date(2020, 6, 1),  # 1399
        status="dormant",
    )
    late = make_cooperative(
        acting_user=admin,
        name="تعاونی خیاطی الوند",
        county=_county("Khorramabad"),
        registration_date=datetime.date(2021, 4, 1),  # 1400
    )
    for c in (good, dormant, late):
        c.refresh_from_db()
    return {"good": good, "dormant": dormant, "late": late}


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- the home page ---------------------------------------------------------------------------------------------------


def test_home_for_anonymous_shows_figures_and_links(client, coops):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="public-home"' in html
    assert f'data-testid="fig-cooperatives">{to_persian_digits(3)}<' in html
    assert f'data-testid="fig-active">{to_persian_digits(2)}<' in html
    assert f'data-testid="fig-good">{to_persian_digits(1)}<' in html
    for name in (
        "public:register",
        "public:statistics",
        "public:map",
        "public:opendata",
        "public:verify_form",
    ):
        assert f'href="{reverse(name)}' in html
    assert "/api/v1/docs/" in html or reverse("api-docs") in html


def test_home_for_staff_is_their_own_home(client, coops, admin):
    client.force_login(admin)
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="public-home"' not in response.content.decode()


def test_headline_figures_equal_the_records(coops, admin):
    make_project(
        acting_user=admin, cooperative=coops["good"], stage="opened", stage_date=datetime.date(2025, 9, 2)
    )
    make_project(acting_user=admin, cooperative=coops["late"], stage="construction")
    f = figures.headline()
    assert (f["cooperatives"], f["active"], f["good_standing"]) == (3, 2, 1)
    assert f["members"] == 19  # the first: its one registered member (membership_add counts); others 3 + 6
    assert (f["projects_opened"], f["investment_rial"], f["jobs"]) == (1, 10_000_000_000, 10)


# --- the register ----------------------------------------------------------------------------------------------------


def _names(response) -> set[str]:
    return {r["name"] for r in response.context["page"].object_list}


def test_search_by_name_typed_with_arabic_letters(client, coops):
    response = client.get(reverse("public:register"), {"q": "تعاوني پوشاك"})  # Arabic ي and ك
    assert response.status_code == 200
    assert _names(response) == {"تعاونی پوشاک زاگرس"}


def test_search_by_shenasnameh_in_persian_digits(client, coops):
    number = coops["late"].shenasnameh
    response = client.get(reverse("public:register"), {"q": to_persian_digits(number)})
    assert _names(response) == {"تعاونی خیاطی الوند"}
    html = response.content.decode()
    assert reverse("public:profile", args=[number]) in html
    assert to_persian_digits(number) in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "IR-15"}, {"تعاونی پوشاک زاگرس", "تعاونی صنایع دستی بروجرد", "تعاونی خیاطی الوند"}),
        ({"province": "IR-01"}, set()),
        ({"status": "dormant"}, {"تعاونی صنایع دستی بروجرد"}),
        ({"good_standing": "1"}, {"تعاونی پوشاک زاگرس"}),
        ({"good_standing": "0"}, {"تعاونی صنایع دستی بروجرد", "تعاونی خیاطی الوند"}),
        ({"type": "producer", "status": "active"}, {"تعاونی پوشاک زاگرس", "تعاونی خیاطی الوند"}),
    ],
)
def test_filters(client, coops, params, expected):
    response = client.get(reverse("public:register"), params)
    assert response.status_code == 200
    assert _names(response) == expected


def test_county_and_sector_filters(client, coops):
    borujerd = _county("Borujerd")
    response = client.get(reverse("public:register"), {"county": to_persian_digits(borujerd.pk)})
    assert _names(response) == {"تعاونی صنایع دستی بروجرد"}
    sector = coops["dormant"].sector.code
    response = client.get(reverse("public:register"), {"sector": sector})
    assert "تعاونی صنایع دستی بروجرد" in _names(response)
    assert "تعاونی پوشاک زاگرس" not in _names(response) or coops["good"].sector.code == sector


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "no-such-sector"},
        {"status": "sleeping"},
        {"province": "IR-99"},
        {"county": "x1"},
        {"q": "ا" * 201},
    ],
)
def test_unknown_filter_value_is_400_with_the_message(client, coops, params):
    response = client.get(reverse("public:register"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="filter-error"' in html
    value = next(iter(params.values()))
    if len(value) < 20:
        assert value.upper() in html or value in html


def test_htmx_answers_the_results_with_the_counties_of_the_province(client, coops):
    response = client.get(reverse("public:register"), {"province": "IR-15"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html
    assert "بروجرد" in html


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_a_bad_page_number_is_a_page(client, coops, page):
    response = client.get(reverse("public:register"), {"page": page})
    assert response.status_code == 200


def test_register_paginates_with_a_constant_number_of_queries(
    client, coops, admin, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("public:register"))
    for i in range(30):
        make_cooperative(acting_user=admin, name=f"تعاونی شماره {i} نمونه")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("public:register"), {"page": "2"})
    assert response.context["page"].paginator.count == 33
    assert len(response.context["page"].object_list) == 8


def test_register_in_english(client, coops):
    _english(client)
    response = client.get(reverse("public:register"), {"q": coops["good"].shenasnameh})
    html = response.content.decode()
    assert "Register of cooperatives" in html
    assert "In good standing" in html
    assert "Khorramabad" in html
    assert coops["good"].shenasnameh in html  # ASCII digits in English


# --- the profile -----------------------------------------------------------------------------------------------------


def test_profile_shows_public_fields_and_never_private_ones(client, coops):
    coop = coops["good"]
    response = client.get(reverse("public:profile", args=[coop.shenasnameh]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (coop.name, to_persian_digits(coop.shenasnameh), to_persian_digits(coop.legal_id), "خرم"):
        assert shown in html
    assert to_persian_digits(coop.registration_number) in html
    assert f'data-testid="members-total">{to_persian_digits(1)}<' in html
    assert reverse("public:verify_form") in html
    for marker in MARKERS.values():
        assert marker not in html
        assert to_persian_digits(marker) not in html


def test_profile_with_persian_digits_in_the_address(client, coops):
    number = to_persian_digits(coops["late"].shenasnameh)
    response = client.get(f"/register/{number}/")
    assert response.status_code == 200
    assert "تعاونی خیاطی الوند" in response.content.decode()


@pytest.mark.parametrize("number", ["999999999", "abc", "۱۲۳", "1" * 40, "%3Cscript%3E"])
def test_unknown_profile_is_404_with_a_message(client, coops, number):
    response = client.get(f"/register/{number}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="not-found"' in html
    assert "<script>" not in html


def test_good_standing_mark_and_reasons(client, coops):
    _english(client)
    good = client.get(reverse("public:profile", args=[coops["good"].shenasnameh])).content.decode()
    assert 'data-testid="standing-good"' in good
    assert 'data-testid="standing-reasons"' not in good
    late = client.get(reverse("public:profile", args=[coops["late"].shenasnameh])).content.decode()
    assert 'data-testid="standing-missing"' in late
    assert "No ordinary general assembly is recorded on or after" in late
    assert "is not filed" in late
    dormant = client.get(reverse("public:profile", args=[coops["dormant"].shenasnameh])).content.decode()
    assert "The cooperative is not active." in dormant
    assert "Dormant" in dormant


def test_profile_lists_projects_opened_and_others(client, coops, admin):
    coop = coops["good"]
    make_project(
        acting_user=admin,
        cooperative=coop,
        title="طرح کارگاه دوخت",
        stage="opened",
        stage_date=datetime.date(2025, 9, 2),
        investment_rial=25_000_000_000,
        jobs_direct_actual=12,
    )
    make_project(acting_user=admin, cooperative=coop, title="طرح فروشگاه تازه", stage="construction")
    make_project(acting_user=admin, cooperative=coop, title="طرح کنارگذاشته", stage="cancelled")
    html = client.get(reverse("public:profile", args=[coop.shenasnameh])).content.decode()
    opened = html.split('data-testid="projects-opened"')[1].split("</section>")[0]
    assert "طرح کارگاه دوخت" in opened
    assert "۱۱ شهریور ۱۴۰۴" in opened
    assert "۲٫۵ میلیارد تومان" in opened
    assert "۱۲" in opened
    assert "طرح فروشگاه تازه" in html.split('data-testid="projects-other"')[1]
    assert "طرح کنارگذاشته" not in html


def test_awards_only_of_published_editions(client, admin):
    from tests.festival.outputs_setup import published_edition

    lorestan = Province.objects.get(code="IR-15")
    counties = [_county("Khorramabad")]
    edition, rankings = published_edition(
        acting_user=admin, province=lorestan, counties=counties, publish=False
    )
    winner = rankings[0].candidate.cooperative
    url = reverse("public:profile", args=[winner.shenasnameh])
    html = client.get(url).content.decode()
    assert "06633221100" not in html  # the winners' phone (outputs_setup)
    awards = html.split('data-testid="awards"')[1].split("</section>")[0]
    assert "<table" not in awards
    edition.results_published_at = timezone.now()
    edition.save()
    awards = client.get(url).content.decode().split('data-testid="awards"')[1].split("</section>")[0]
    assert "<table" in awards
    assert to_persian_digits(20) in awards and to_persian_digits(1404) in awards
    fourth = rankings[3].candidate.cooperative  # ranked fourth: not an award
    other = client.get(reverse("public:profile", args=[fourth.shenasnameh])).content.decode()
    assert "<table" not in other.split('data-testid="awards"')[1].split("</section>")[0]


def test_profile_has_a_constant_number_of_queries(client, coops, admin, django_assert_max_num_queries):
    coop = coops["good"]
    url = reverse("public:profile", args=[coop.shenasnameh])
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for _ in range(5):
        make_project(
            acting_user=admin, cooperative=coop, stage="opened", stage_date=datetime.date(2025, 9, 3)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_profile_in_english(client, coops):
    _english(client)
    coop = coops["good"]
    html = client.get(reverse("public:profile", args=[coop.shenasnameh])).content.decode()
    assert "Shenasnameh number" in html or "shenasnameh" in html.lower()
    assert coop.shenasnameh in html
    assert "Khorramabad" in html
    assert "2015" in html  # the registration date, Gregorian beside the Jalali


# --- statistics ------------------------------------------------------------------------------------------------------


def _rows(response, key: str) -> dict:
    return {r["name"]: r["count"] for r in response.context["tables"][key]}


def test_statistics_equal_the_records(client, coops):
    _english(client)
    response = client.get(reverse("public:statistics"), {"province": "IR-15"})
    assert response.status_code == 200
    assert _rows(response, "county") == {"Khorramabad": 2, "Borujerd": 1}
    status = _rows(response, "status")
    assert (status["Active"], status["Dormant"], status["Dissolved"]) == (2, 1, 0)
    assert _rows(response, "year") == {"1394": 1, "1399": 1, "1400": 1}
    assert sum(_rows(response, "sector").values()) == 3
    assert response.context["total"] == 3
    html = response.content.decode()
    assert 'id="stats-data"' in html
    assert "public-charts.js" in html
    assert "<script>" not in html.replace('<script id="stats-data" type="application/json">', "")
    other = client.get(reverse("public:statistics"), {"province": "IR-01"})
    assert other.context["total"] == 0


def test_statistics_chart_labels_in_persian_digits(client, coops):
    response = client.get(reverse("public:statistics"))
    charts = {c["id"]: c for c in response.context["charts"]["charts"]}
    assert set(charts["chart-year"]["labels"]) == {"۱۳۹۴", "۱۳۹۹", "۱۴۰۰"}
    assert response.context["charts"]["ui"]["digits"] == "fa"
    assert "خرم" in "".join(charts["chart-county"]["labels"])


def test_week_openings(client, coops, admin):
    start, _end = week_days(1404)
    make_project(
        acting_user=admin, cooperative=coops["good"], stage="opened", stage_date=start, jobs_direct_actual=7
    )
    make_project(
        acting_user=admin,
        cooperative=coops["late"],
        stage="ready",
        expected_opening_date=start + datetime.timedelta(days=2),
        investment_rial=30_000_000_000,
    )
    make_project(
        acting_user=admin, cooperative=coops["late"], stage="opened", stage_date=datetime.date(2025, 1, 5)
    )
    week = figures.week_openings(today=datetime.date(2025, 12, 1))
    assert (week["year"], week["count"], week["investment_rial"], week["jobs"]) == (
        1404,
        2,
        40_000_000_000,
        17,
    )
    response = client.get(reverse("public:statistics"), {"week": "۱۴۰۴"})
    assert response.status_code == 200
    assert response.context["week"]["count"] == 2
    assert f'data-testid="week-count">{to_persian_digits(2)}<' in response.content.decode()


@pytest.mark.parametrize("params", [{"province": "XX-1"}, {"week": "1200"}, {"week": "abc"}])
def test_statistics_bad_filter_is_400(client, coops, params):
    response = client.get(reverse("public:statistics"), params)
    assert response.status_code == 400
    assert 'data-testid="filter-error"' in response.content.decode()


def test_statistics_a_handful_of_queries(client, coops, admin, django_assert_max_num_queries):
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("public:statistics"))
    for i in range(10):
        make_cooperative(
            acting_user=admin,
            name=f"تعاونی آمار {i} نمونه",
            county=_county("Dorud"),
            registration_date=datetime.date(2010 + i, 7, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("public:statistics"))
    assert response.context["total"] == 13


def test_statistics_in_english(client, coops):
    _english(client)
    html = client.get(reverse("public:statistics")).content.decode()
    assert "Cooperatives by county" in html
    assert "Khorramabad" in html


def test_public_pages_answer_get_only(client, coops):
    for url in (reverse("public:register"), reverse("public:statistics"), "/"):
        assert client.post(url).status_code == 405
