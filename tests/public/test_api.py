"""The open data API (public.api): public fields only, cursor pages, checked parameters, throttling, 304s."""

import json

import pytest
from django.core.cache import cache

from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

PHONE = "02133445566"
POSTAL = "6813845711"
ADDRESS = "نشانی-محرمانه-۷۷"
NOTE = "یادداشت-محرمانه-۹۹"
PROJECT_NOTE = "یادداشت-طرح-محرمانه"
MARKERS = (PHONE, POSTAL, ADDRESS, NOTE, PROJECT_NOTE, "last_general_assembly", "return_filed", '"notes"')


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public_api": "1000/minute"},
    }
    yield
    cache.clear()


@pytest.fixture
def register(admin_user, khorramabad, borujerd):
    coops = [
        make_cooperative(
            acting_user=admin_user,
            county=khorramabad if i % 2 else borujerd,
            phone=PHONE,
            postal_code=POSTAL,
            address=ADDRESS,
            notes=NOTE,
        )
        for i in range(5)
    ]
    make_cooperative(acting_user=admin_user, county=borujerd, status="dissolved")
    make_project(acting_user=admin_user, cooperative=coops[0], notes=PROJECT_NOTE)
    make_project(acting_user=admin_user, cooperative=coops[1], stage="opened", notes=PROJECT_NOTE)
    make_project(acting_user=admin_user, cooperative=coops[1], stage="cancelled", title="طرح لغوشده")
    return coops


def get(client, url, **headers):
    return client.get(url, HTTP_HOST="localhost", **headers)


def assert_private_absent(body: str):
    for marker in MARKERS:
        assert marker not in body, marker


def test_the_list_shows_public_fields_and_no_private_ones(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        r = get(client, "/api/v1/cooperatives/")
    assert r.status_code == 200
    data = r.json()
    assert len(data["results"]) == 6
    row = data["results"][0]
    assert {
        "shenasnameh",
        "name",
        "registration_date",
        "registration_date_jalali",
        "capital_registered_rial",
    } <= set(row)
    assert row["good_standing"].keys() == {"good", "reasons"}
    assert "id" not in row
    assert isinstance(row["capital_registered_rial"], int)
    assert row["registration_date"] == "2015-05-01" and row["registration_date_jalali"] == "1394-02-11"
    assert_private_absent(r.content.decode())


def test_the_detail_lists_projects_but_not_cancelled_ones_nor_private_fields(client, register):
    r = get(client, f"/api/v1/cooperatives/{register[1].shenasnameh}/")
    assert r.status_code == 200
    body = r.json()
    assert body["shenasnameh"] == register[1].shenasnameh
    assert len(body["projects"]) == 1 and body["projects"][0]["stage"] == "opened"
    assert "طرح لغوشده" not in r.content.decode()
    assert body["awards"] == []
    assert_private_absent(r.content.decode())


def test_the_detail_of_an_unknown_number_is_a_json_404(client, register):
    r = get(client, "/api/v1/cooperatives/99-9999-99999/")
    assert r.status_code == 404
    assert "detail" in r.json()


def test_the_cursor_walks_every_row_once(client, register):
    seen, url = [], "/api/v1/cooperatives/?page_size=2"
    while url:
        r = get(client, url)
        assert r.status_code == 200
        seen += [row["shenasnameh"] for row in r.json()["results"]]
        url = r.json()["next"]
    assert len(seen) == 6 and len(set(seen)) == 6 and seen == sorted(seen)


def test_projects_page_and_filter(client, register):
    r = get(client, "/api/v1/projects/?page_size=1")
    assert r.status_code == 200 and len(r.json()["results"]) == 1 and r.json()["next"]
    r = get(client, f"/api/v1/projects/?cooperative={register[1].shenasnameh}")
    assert [p["stage"] for p in r.json()["results"]] == ["opened"]
    r = get(client, "/api/v1/projects/?stage=cancelled")
    assert r.status_code == 400
    assert_private_absent(get(client, "/api/v1/projects/").content.decode())


def test_filters_narrow_the_register(client, register, khorramabad):
    r = get(client, f"/api/v1/cooperatives/?county={khorramabad.pk}")
    assert {row["county_id"] for row in r.json()["results"]} == {khorramabad.pk}
    r = get(client, "/api/v1/cooperatives/?status=dissolved")
    assert [row["status"] for row in r.json()["results"]] == ["dissolved"]
    r = get(client, "/api/v1/cooperatives/?province=ir-15&good_standing=false")
    assert r.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "page_size=0",
        "page_size=201",
        "page_size=abc",
        "page_size=99999999999999999999",
        "colour=red",
        "province=IR-99",
        "county=999999999999",
        "sector=nope",
        "status=sleeping",
        "good_standing=maybe",
        "cursor=garbage",
        "search=%00",
        "search=<script>alert(1)</script>&foo=1",
        "lang=de",
        "status=",
        "county=",
    ],
)
def test_bad_parameters_are_400_with_a_message(client, register, query):
    r = get(client, f"/api/v1/cooperatives/?{query}")
    assert r.status_code == 400
    assert r.json()["detail"]


def test_garbage_search_is_not_an_error(client, register):
    r = get(client, "/api/v1/cooperatives/?search=' OR 1=1; DROP TABLE registry_cooperative; --")
    assert r.status_code == 200 and r.json()["results"] == []


def test_errors_speak_the_readers_language(client, register):
    r = get(client, "/api/v1/cooperatives/?colour=red&lang=en")
    assert r.json()["detail"].startswith("Unknown query parameter")
    r = get(client, "/api/v1/cooperatives/?colour=red", HTTP_ACCEPT_LANGUAGE="fa")
    assert "پارامتر" in r.json()["detail"] or "colour" in r.json()["detail"]
    r = get(client, "/api/v1/cooperatives/?colour=red", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert r.json()["detail"].startswith("Unknown query parameter")


def test_an_unknown_parameter_is_named(client, register):
    r = get(client, "/api/v1/projects/?colour=red&lang=en")
    assert r.status_code == 400 and "colour" in r.json()["detail"]


def test_etag_and_last_modified_give_304(client, register):
    for url in (
        "/api/v1/cooperatives/",
        f"/api/v1/cooperatives/{register[0].shenasnameh}/",
        "/api/v1/places/",
    ):
        r = get(client, url)
        assert r.status_code == 200
        assert r["ETag"] and r["Last-Modified"]
        assert get(client, url, HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304
        assert get(client, url, HTTP_IF_MODIFIED_SINCE=r["Last-Modified"]).status_code == 304
        assert get(client, url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_change_changes_the_etag(client, register, admin_user):
    url = "/api/v1/cooperatives/"
    before = get(client, url)["ETag"]
    make_cooperative(acting_user=admin_user)
    r = get(client, url, HTTP_IF_NONE_MATCH=before)
    assert r.status_code == 200 and r["ETag"] != before


def test_throttled_clients_get_429_with_retry_after(client, register, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public_api": "3/minute"},
    }
    codes = [get(client, "/api/v1/sectors/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = get(client, "/api/v1/sectors/")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and r.json()["detail"]


def test_cooperative_counts(client, register, borujerd):
    r = get(client, "/api/v1/stats/cooperatives")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 6
    assert sum(g["count"] for g in body["by_county"]) == 6
    assert {g["status"]: g["count"] for g in body["by_status"]} == {"active": 5, "dissolved": 1}
    assert body["good_standing"] <= 5
    r = get(client, f"/api/v1/stats/cooperatives?county={borujerd.pk}")
    assert r.json()["total"] == 4
    assert get(client, "/api/v1/stats/cooperatives?county=x").status_code == 400


def test_places_and_sectors(client, reference_data):
    places = get(client, "/api/v1/places/").json()
    lorestan = next(p for p in places if p["code"] == "IR-15")
    assert lorestan["name_en"] == "Lorestan" and any(
        c["name_en"] == "Khorramabad" for c in lorestan["counties"]
    )
    lists = get(client, "/api/v1/sectors/").json()
    assert {"sectors", "types", "statuses", "stages"} <= lists.keys()
    assert "cancelled" not in {s["code"] for s in lists["stages"]}


def test_the_existing_statistics_endpoint_still_answers(client, register):
    r = get(client, "/api/v1/stats/projects")
    assert r.status_code == 200 and "count" in r.json()


def test_no_session_is_used_and_signed_in_users_see_the_same(client, register, admin_user):
    anonymous = get(client, "/api/v1/cooperatives/").json()
    client.force_login(admin_user)
    assert get(client, "/api/v1/cooperatives/").json() == anonymous


def test_the_schema_describes_every_endpoint(client, reference_data):
    r = get(client, "/api/v1/schema/?format=json")
    assert r.status_code == 200
    paths = json.loads(r.content)["paths"]
    for path in (
        "/api/v1/cooperatives/",
        "/api/v1/cooperatives/{shenasnameh}/",
        "/api/v1/projects/",
        "/api/v1/stats/projects/",  # answered with or without the closing slash
        "/api/v1/stats/cooperatives/",
        "/api/v1/places/",
        "/api/v1/",
        "/api/v1/sectors/",
    ):
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/cooperatives/"]["get"]["parameters"]}
    assert {
        "cursor",
        "page_size",
        "search",
        "province",
        "county",
        "sector",
        "type",
        "status",
        "good_standing",
    } <= names


def test_the_docs_page_loads_swagger_from_static_files_without_inline_script(client, reference_data):
    r = get(client, "/api/v1/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui-bundle.js" in html and "api-docs.js" in html
    assert "<script>" not in html and "cdn" not in html.lower()


def test_the_root_lists_the_endpoints_and_the_statistics_answer_with_a_closing_slash_too(client):
    root = client.get("/api/v1/")
    assert root.status_code == 200
    endpoints = root.json()["endpoints"]
    assert endpoints["cooperatives"].endswith("/api/v1/cooperatives/")
    assert endpoints["docs"].endswith("/api/v1/docs/") and endpoints["bulk_downloads"].endswith("/opendata/")
    for path in ("/api/v1/stats/projects", "/api/v1/stats/projects/", "/api/v1/stats/cooperatives/"):
        response = client.get(path)
        assert (
            response.status_code == 200 and response.json()["count"] >= 0 if "projects" in path else True
        ), path
        assert response["Content-Type"].startswith("application/json"), path
