"""The inspector's offline app on the server: what a device caches (its jurisdiction only, no personal data, a handful
of queries), the sync endpoint (created, the same report three times → one visit, the same id with other content,
bad input, outside the jurisdiction, roles that may not change; never a 500), the manifest and the service worker."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from taavon.visits.models import Action, Finding, Photo, Visit, VisitStatus
from tests.factories import UserFactory, make_cooperative, make_inspector, make_report, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DATA = reverse("visits:field_data")
SYNC = reverse("visits:field_sync")


def jpeg(size=(640, 480)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buf, "JPEG")
    return SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def inspector(khorramabad):
    return make_inspector(county=khorramabad, username="insp-field", first_name="مریم", last_name="کریمی")


@pytest.fixture
def coop(county_officer, khorramabad):
    return make_cooperative(acting_user=county_officer, county=khorramabad, name="تعاونی فرش دستباف زاغه")


@pytest.fixture
def borujerd_coop(provincial, borujerd):
    return make_cooperative(acting_user=provincial, county=borujerd, name="تعاونی لبنیات بروجرد")


def report(coop, **over) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "cooperative": coop.pk,
        "visit": None,
        "visited_on": TODAY.isoformat(),
        "unit_state": "operating",
        "workers_women": "۴",
        "workers_men": 2,
        "latitude": "33.487",
        "longitude": "48.355",
        "accuracy": 12,
        "summary": "کارگاه فعال است",
        "findings": [
            {
                "category": "raw_materials",
                "severity": "high",
                "description": "کمبود نخ پشمی",
                "actions": [
                    {
                        "what": "معرفی به اتحادیه",
                        "owner": "agency",
                        "agency": "اتحادیه فرش",
                        "due_on": (TODAY + dt.timedelta(days=10)).isoformat(),
                    }
                ],
            }
        ],
        "seen_cooperative_version": coop.version,
        "seen_visit_version": None,
    }
    data.update(over)
    return data


def send(client, data, **files):
    body = {"report": data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), **files}
    return client.post(SYNC, body)


# --- data.json -----------------------------------------------------------------------------------------------------


def test_data_holds_the_plan_the_county_and_the_open_findings(
    client, inspector, county_officer, coop, borujerd_coop, provincial
):
    visit = make_visit(
        acting_user=county_officer,
        cooperative=coop,
        inspectors=[inspector],
        planned_on=TODAY + dt.timedelta(days=3),
        plan_note="بررسی تأمین نخ",
    )
    make_report(
        acting_user=inspector,
        cooperative=coop,
        visited_on=TODAY - dt.timedelta(days=30),
        findings=[{"category": "market", "severity": "medium", "description": "فروش کم در بازار محلی"}],
    )
    make_report(
        acting_user=provincial,
        cooperative=borujerd_coop,
        findings=[{"category": "permits", "severity": "low", "description": "پروانه بهره‌برداری منقضی"}],
    )
    client.force_login(inspector)
    response = client.get(DATA)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    body = response.content.decode()

    assert [v["id"] for v in data["plan"]] == [visit.pk]
    planned = data["plan"][0]
    assert planned["version"] == visit.version
    assert planned["cooperative"] == coop.pk
    assert planned["date"] == visit.planned_on.isoformat()
    assert planned["inspectors"] == ["مریم کریمی"]
    assert planned["purpose"]

    [c] = data["cooperatives"]
    assert c["id"] == coop.pk and c["shenasnameh"] == coop.shenasnameh and c["version"] == coop.version
    assert c["county_name"] == "خرم‌آباد"
    assert [f["description"] for f in c["open_findings"]] == ["فروش کم در بازار محلی"]
    # never Borujerd's cooperative, nor its findings; no personal data
    assert "بروجرد" not in body and "پروانه بهره‌برداری" not in body
    assert coop.legal_id not in body
    assert not {"phone", "legal_id", "national_code", "mobile", "address"} & set(c)

    # the choice lists in the user's language, the officers who may own an action in the county
    assert {"operating", "idle", "closed", "not_found"} == {x["value"] for x in data["choices"]["unit_state"]}
    assert len(data["choices"]["category"]) == 9
    assert {"officer", "agency", "cooperative"} == {x["value"] for x in data["choices"]["owner"]}
    officer_ids = {o["id"] for o in data["officers"]}
    assert {inspector.pk, county_officer.pk, provincial.pk} <= officer_ids
    borujerd_officer = UserFactory(
        role="county", county=borujerd_coop.county, province=borujerd_coop.county.province
    )
    assert borujerd_officer.pk not in {o["id"] for o in client.get(DATA).json()["officers"]}


def test_data_in_english_has_english_labels(client, inspector, coop):
    client.force_login(inspector)
    client.cookies["taavon_language"] = "en"
    data = client.get(DATA, HTTP_ACCEPT_LANGUAGE="en").json()
    labels = {x["value"]: x["label"] for x in data["choices"]["unit_state"]}
    assert labels["operating"] == "Operating"


def test_a_closed_finding_and_older_visits_are_not_sent(client, inspector, coop):
    make_report(
        acting_user=inspector,
        cooperative=coop,
        visited_on=TODAY - dt.timedelta(days=60),
        findings=[{"category": "labour", "severity": "low", "description": "قدیمی"}],
    )
    make_report(acting_user=inspector, cooperative=coop, visited_on=TODAY - dt.timedelta(days=5))
    client.force_login(inspector)
    [c] = client.get(DATA).json()["cooperatives"]
    assert c["open_findings"] == []  # the last visit found nothing


def test_data_takes_a_handful_of_queries(
    client, inspector, county_officer, khorramabad, django_assert_max_num_queries
):
    for i in range(6):
        c = make_cooperative(acting_user=county_officer, county=khorramabad)
        make_visit(acting_user=county_officer, cooperative=c, inspectors=[inspector], planned_on=TODAY)
        make_report(
            acting_user=inspector,
            cooperative=c,
            findings=[{"category": "other", "severity": "low", "description": f"مورد {i}"}] * 2,
        )
        UserFactory(role="county", county=khorramabad, province=khorramabad.province)
    client.force_login(inspector)
    with django_assert_max_num_queries(12):  # the session and user, then 6 reads whatever the numbers
        data = client.get(DATA).json()
    assert len(data["cooperatives"]) == 6 and len(data["plan"]) == 6
    assert sum(len(c["open_findings"]) for c in data["cooperatives"]) == 12


# --- sync ----------------------------------------------------------------------------------------------------------


def test_a_report_is_received_once_however_often_it_is_sent(client, inspector, coop):
    client.force_login(inspector)
    data = report(coop)
    first = send(client, data, photo0=jpeg())
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "created" and first.json()["conflict"] == ""
    for _ in range(2):
        again = send(client, data, photo0=jpeg())
        assert again.status_code == 200
        assert again.json()["status"] == "duplicate"
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.REPORTED
    assert str(visit.client_id) == data["client_id"]
    assert (visit.workers_women, visit.workers_men) == (4, 2)
    assert Finding.objects.get().description == "کمبود نخ پشمی"
    assert Action.objects.get().agency == "اتحادیه فرش"
    assert Photo.objects.count() == 1


def test_a_planned_visit_is_answered_and_a_changed_plan_is_a_conflict(
    client, inspector, county_officer, coop, khorramabad
):
    visit = make_visit(acting_user=county_officer, cooperative=coop, inspectors=[inspector])
    client.force_login(inspector)
    ok = send(client, report(coop, visit=visit.pk, seen_visit_version=visit.version))
    assert ok.status_code == 201 and ok.json()["conflict"] == ""
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPORTED

    # the same planned visit, answered again from another device: kept, with the conflict told
    late = send(client, report(coop, visit=visit.pk, seen_visit_version=1))
    assert late.status_code == 201
    assert late.json()["conflict"]
    assert Visit.objects.filter(cooperative=coop).count() == 2


def test_the_same_id_with_other_content_is_refused(client, inspector, coop):
    client.force_login(inspector)
    data = report(coop)
    assert send(client, data).status_code == 201
    other = send(client, {**data, "summary": "متن دیگر"})
    assert other.status_code == 409
    assert other.json()["errors"]["client_id"]
    assert Visit.objects.count() == 1


def test_bad_reports_are_told_what_is_wrong(client, inspector, coop):
    client.force_login(inspector)
    bad = report(coop, unit_state="dancing", visited_on="1404/13/40")
    bad["findings"][0]["actions"][0]["due_on"] = (TODAY - dt.timedelta(days=400)).isoformat()
    response = send(client, bad)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"unit_state", "visited_on"} <= set(errors)
    assert "واحد" in errors["unit_state"][0] or errors["unit_state"][0]
    assert not Visit.objects.exists()


def test_an_action_due_before_its_visit_is_refused(client, inspector, coop):
    client.force_login(inspector)
    bad = report(coop, visited_on=(TODAY - dt.timedelta(days=3)).isoformat())
    bad["findings"][0]["actions"][0]["due_on"] = (TODAY - dt.timedelta(days=10)).isoformat()
    response = send(client, bad)
    assert response.status_code == 422
    assert "findings.0.actions.0.due_on" in response.json()["errors"]


def test_errors_come_in_the_users_language(client, inspector, coop):
    client.force_login(inspector)
    fa = send(client, report(coop, unit_state="")).json()["errors"]["unit_state"][0]
    client.cookies["taavon_language"] = "en"
    en = send(client, report(coop, unit_state="")).json()["errors"]["unit_state"][0]
    assert en == "Say whether the unit was operating."
    assert fa != en


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not json",
        "[1, 2]",
        '{"client_id": "x"}',
        json.dumps({"client_id": "6f1c1c1e-8a53-4d8e-9d1e-1f5b1f7e0a01"}),
        json.dumps({"client_id": "6f1c1c1e-8a53-4d8e-9d1e-1f5b1f7e0a02", "cooperative": "abc"}),
        "[" * 5000 + "]" * 5000,
        json.dumps(
            {"client_id": "6f1c1c1e-8a53-4d8e-9d1e-1f5b1f7e0a03", "cooperative": 1, "summary": "x" * 300_000}
        ),
    ],
)
def test_unreadable_reports_never_make_a_500(client, inspector, coop, raw):
    client.force_login(inspector)
    response = send(client, raw)
    assert response.status_code in (400, 404, 422)
    assert response["Content-Type"] == "application/json"
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "over",
    [
        {"findings": "lots"},
        {"findings": [1, 2]},
        {"findings": [{"category": ["x"], "severity": {"a": 1}, "description": 5, "actions": "none"}]},
        {
            "findings": [
                {"category": "other", "severity": "low", "description": "d", "actions": [{"due_on": 5}]}
            ]
        },
        {"visited_on": 20250101, "workers_women": [1], "latitude": {"x": 1}, "summary": None},
        {"workers_men": "-3", "latitude": "north", "accuracy": "far"},
        {"seen_cooperative_version": "x", "visit": "y"},
    ],
)
def test_odd_shapes_are_refused_not_crashed(client, inspector, coop, over):
    client.force_login(inspector)
    response = send(client, report(coop, **over))
    assert response.status_code in (404, 422), response.content
    assert not Visit.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_on_the_photo(client, inspector, coop):
    client.force_login(inspector)
    fake = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = send(client, report(coop), photo0=jpeg(), photo1=fake)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == ["photos.1"]
    assert errors["photos.1"][0]
    assert not Visit.objects.exists() and not Photo.objects.exists()


def test_outside_the_jurisdiction_is_not_found_and_names_nothing(
    client, inspector, borujerd_coop, provincial, coop
):
    client.force_login(inspector)
    theirs = send(client, report(borujerd_coop))
    nowhere = send(client, report(borujerd_coop, cooperative=999_999))
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json() == nowhere.json()
    assert borujerd_coop.name not in theirs.content.decode()
    # a planned visit of Borujerd, named in a report of one's own cooperative
    borujerd_inspector = make_inspector(county=borujerd_coop.county)
    far = make_visit(acting_user=provincial, cooperative=borujerd_coop, inspectors=[borujerd_inspector])
    assert send(client, report(coop, visit=far.pk)).status_code == 404
    assert not Visit.objects.filter(status=VisitStatus.REPORTED).exists()


def test_roles_that_may_not_change_are_refused(client, viewer, coop, lorestan):
    for user in (viewer, UserFactory(role="representative", cooperative=coop)):
        client.force_login(user)
        assert send(client, report(coop)).status_code == 403
        assert client.get(reverse("visits:field")).status_code == 403
        assert client.get(DATA).status_code == 403
    assert not Visit.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, coop):
    for url in (reverse("visits:field"), DATA):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert send(client, report(coop)).status_code == 302


def test_sync_keeps_csrf_protection(inspector, coop):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(inspector)
    assert send(strict, report(coop)).status_code == 403
    strict.get(reverse("visits:field"))
    token = strict.cookies["csrftoken"].value
    response = strict.post(SYNC, {"report": json.dumps(report(coop))}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_sync_answers_post_only(client, inspector):
    client.force_login(inspector)
    assert client.get(SYNC).status_code == 405


# --- the page, the manifest, the service worker ------------------------------------------------------------------


def test_the_page_carries_its_labels_and_no_inline_script(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("visits:field"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest"' in html
    start = html.index('id="field-labels">') + len('id="field-labels">')
    labels = json.loads(html[start : html.index("</script>", start)])
    assert labels["state_waiting"] and labels["state_conflict"]
    assert "<script>" not in html


def test_manifest_and_service_worker_are_public(client):
    manifest = client.get(reverse("visits:field_manifest"))
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    m = manifest.json()
    assert m["start_url"] == "/visits/field/" and m["scope"] == "/visits/"
    assert m["display"] == "standalone" and m["dir"] == "rtl" and m["lang"] == "fa"
    assert {i["sizes"] for i in m["icons"]} == {"192x192", "512x512"}

    sw = client.get(reverse("visits:field_sw"))
    assert sw.status_code == 200
    assert sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/visits/"
    assert "no-cache" in sw["Cache-Control"] or "max-age=0" in sw["Cache-Control"]
    body = sw.content.decode()
    assert "/visits/field/data.json" in body and "visits-field.js" in body
    assert client.post(reverse("visits:field_sw")).status_code == 405
