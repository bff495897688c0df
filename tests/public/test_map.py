"""The map of the counties: the public page (/statistics/map/) and the same map on the staff dashboard. Given a few
cooperatives and projects in Lorestan's counties, when the map is opened, then it draws one shape a county (Pol-e
Dokhtar and Mamulan as one), its figures equal the records, bad input is a 400 with a message, and a county officer's
map shows no other county's numbers."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from taavon.places.models import County
from taavon.reports.map_figures import FIGURES, county_figures
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

URL = "/statistics/map/"


def _county(name_en: str) -> County:
    return County.objects.get(province__code="IR-15", name_en=name_en)


@pytest.fixture
def records(reference_data):
    kh, bo, pd, ma = (_county(n) for n in ("Khorramabad", "Borujerd", "Pol-e Dokhtar", "Mamulan"))
    a = make_cooperative(county=kh, name="تعاونی نشان‌دار نقشه", members_women=2, members_men=5)
    make_cooperative(county=kh, status="dormant")
    make_cooperative(county=bo)
    make_cooperative(county=pd)
    make_cooperative(county=ma)
    make_cooperative(county=ma)
    make_project(cooperative=a, stage="opened", jobs_direct_actual=12, investment_rial=50_000_000_000)
    make_project(cooperative=a, stage="cancelled", jobs_direct_actual=99, investment_rial=70_000_000_000)
    return {"kh": kh, "bo": bo, "pd": pd, "ma": ma, "coop": a}


def _titles(html: str) -> dict[str, str]:
    """{shape's name: its figure} from the SVG's <title> tooltips."""
    return dict(re.findall(r"<title>([^<:]+): ([^<]+)</title>", html))


def test_public_map_draws_eleven_shapes_with_the_merged_label_and_the_attribution(records, client):
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('data-testid="county-shape"') == 11
    assert "پلدختر و معمولان" in html
    assert 'data-testid="map-merged-note"' in html
    assert "OpenStreetMap" in html
    assert 'viewBox="0 0 800 ' in html and 'dir="ltr"' in html


def test_public_figures_equal_the_records(records, client):
    kh, ma = records["kh"], records["ma"]
    values = county_figures(user=None, province=kh.province, figure="cooperatives")
    assert len(values) == 12
    assert values[kh.pk] == 2 and values[records["bo"].pk] == 1 and values[ma.pk] == 2
    assert county_figures(user=None, province=kh.province, figure="active")[kh.pk] == 1
    assert county_figures(user=None, province=kh.province, figure="members")[kh.pk] == 7 + 9
    assert county_figures(user=None, province=kh.province, figure="opened")[kh.pk] == 1
    # a cancelled project is not public: neither its investment nor its jobs count
    assert county_figures(user=None, province=kh.province, figure="investment")[kh.pk] == 50_000_000_000
    assert county_figures(user=None, province=kh.province, figure="jobs")[kh.pk] == 12
    titles = _titles(client.get(URL).content.decode())
    assert titles["خرم‌آباد"] == "۲"
    assert titles["پلدختر و معمولان"] == "۳"  # 1 + 2, the two counties together
    titles = _titles(client.get(URL + "?figure=investment").content.decode())
    assert titles["خرم‌آباد"] == "۵ میلیارد تومان"


def test_the_table_shows_each_county_apart(records, client):
    html = client.get(URL + "?figure=cooperatives").content.decode()
    table = html[html.index('data-testid="map-table"') :]
    assert "پلدختر" in table and "معمولان" in table
    assert "جمع" in table  # the total: 6 cooperatives
    assert ">۶<" in table


def test_public_map_is_aggregates_only(records, client):
    html = client.get(URL).content.decode()
    assert records["coop"].name not in html and records["coop"].shenasnameh not in html


@pytest.mark.parametrize(
    "query,message",
    [
        ("?province=IR-99", "IR-99"),
        ("?province=<script>alert(1)</script>", "&lt;script&gt;"),
        ("?figure=colour", "colour"),
        ("?figure=" + "x" * 500, "xxx"),
    ],
)
def test_unknown_province_or_figure_is_a_400_with_a_message(records, client, query, message):
    r = client.get(URL + query)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-testid="map-error"' in html and message in html
    assert "<script>alert" not in html
    assert 'data-testid="county-shape"' not in html


def test_province_by_name_and_another_province(records, client):
    assert client.get(URL + "?province=lorestan").status_code == 200
    r = client.get(URL + "?province=IR-23&figure=members")  # Tehran: no records, every county 0
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('data-testid="county-shape"') == County.objects.filter(province__code="IR-23").count()
    assert "پلدختر و معمولان" not in html


def test_english_page(records, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL + "?figure=members").content.decode()
    assert "Pol-e Dokhtar and Mamulan" in html
    assert "© OpenStreetMap contributors (ODbL)" in html
    titles = _titles(html)
    assert titles["Khorramabad"] == "16"
    assert 'dir="ltr"' in html and 'direction="rtl"' not in html


@pytest.mark.parametrize("figure", list(FIGURES))
def test_public_map_queries_do_not_grow(records, client, django_assert_max_num_queries, figure):
    with django_assert_max_num_queries(8):
        assert client.get(URL + f"?figure={figure}").status_code == 200


def test_anonymous_post_is_refused(client):
    assert client.post(URL).status_code == 405


# --- the staff dashboard -----------------------------------------------------------------------------------------------


def _dashboard_map(client, query=""):
    r = client.get(reverse("reports:dashboard") + query)
    assert r.status_code == 200
    html = r.content.decode()
    start = html.index('data-testid="dashboard-map"')
    return html[start : html.index("</section>", start)]


def test_county_officer_map_shows_only_their_county(records, client, county_officer):
    client.force_login(county_officer)
    part = _dashboard_map(client)
    titles = _titles(part)
    assert titles["خرم‌آباد"] == "۲"
    others = {name: value for name, value in titles.items() if name != "خرم‌آباد"}
    assert len(others) == 10 and not any(re.search(r"[۰-۹0-9]", v) for v in others.values())
    table = part[part.index('data-testid="map-table"') :]
    assert table.count("—") == 11  # every other county: no figure
    assert "county-map-hatch" in part


def test_provincial_map_shows_every_county(records, client, provincial):
    client.force_login(provincial)
    titles = _titles(_dashboard_map(client, "?map_figure=members"))
    assert len(titles) == 11 and titles["خرم‌آباد"] == "۱۶"
    assert titles["پلدختر و معمولان"] == "۲۷"


def test_dashboard_unknown_map_figure_falls_back(records, client, provincial):
    client.force_login(provincial)
    part = _dashboard_map(client, "?map_figure=nonsense")
    assert part.count('data-testid="county-shape"') == 11


def test_dashboard_map_needs_staff(client):
    r = client.get(reverse("reports:dashboard"))
    assert r.status_code in (302, 403)


def test_country_map_draws_the_provinces_with_their_figures(records, client):
    r = client.get(URL + "?province=all&figure=cooperatives")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('data-testid="county-shape"') == 31
    assert _titles(html)["لرستان"] == "۶"
    assert "?province=IR-15&amp;figure=cooperatives" in html  # a province links to its counties' map
    assert 'data-testid="map-merged-note"' not in html


def test_country_map_queries(records, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(URL + "?province=all&figure=investment").status_code == 200
