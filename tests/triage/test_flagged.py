"""The flagged list /triage/: flags with their explanations, highest score first, filters, jurisdiction, downloads
(CSV columns exactly), `taavon export flagged`, the "evaluate now" button, the record's flags section, query counts."""

import csv
import datetime
import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from taavon.registry.models import Sector
from taavon.triage.flag_selectors import url_or_none
from taavon.triage.models import Case, Flag
from taavon.triage.rules import explain
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BOARD = {"end": "2023-01-10"}
MEMBERS = {"members": 4, "minimum": 7}
ASSEMBLY = {"last": "2022-03-05", "registered": "2015-05-01"}
INACTIVE = {"last": None, "registered": "2015-05-01"}


def flag(coop, rule, weight, params, **fields):
    return Flag.objects.create(
        cooperative=coop, rule=rule, weight=weight, params=params, raised_on=TODAY, **fields
    )


def fa(rule, params) -> str:
    with translation.override("fa"):
        return explain(rule, params, TODAY)


@pytest.fixture
def coops(admin_user, khorramabad, borujerd):
    """Khorramabad: «الف» (board 2 + members 3 = 5), «ب» (assembly 3, an open case); Borujerd: «پ» (inactive 4);
    Khorramabad: «ت» (only a cleared flag: not listed)."""
    a = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی الف هشدار")
    b = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی ب هشدار", status="dormant")
    p = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی پ بروجرد")
    t = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی ت رفع‌شده")
    flag(a, "board_expired", 2, BOARD)
    flag(a, "below_min_members", 3, MEMBERS)
    flag(b, "assembly_overdue", 3, ASSEMBLY)
    flag(p, "inactive", 4, INACTIVE)
    flag(t, "inactive", 4, INACTIVE, cleared_on=TODAY)
    case = Case.objects.create(
        cooperative=b,
        opened_on=TODAY,
        opened_by=admin_user,
        reason="آزمون",
        assigned_to=admin_user,
        deadline=TODAY + datetime.timedelta(days=30),
    )
    return {"a": a, "b": b, "p": p, "t": t, "case": case}


def rows(response) -> list[str]:
    return [r["coop"].shenasnameh for r in response.context["rows"]]


def test_flags_with_explanations_highest_score_first(client, provincial, coops):
    client.force_login(provincial)
    response = client.get(reverse("triage:flagged"))
    assert response.status_code == 200
    assert rows(response) == [coops["a"].shenasnameh, coops["p"].shenasnameh, coops["b"].shenasnameh]
    scores = [r["coop"].score for r in response.context["rows"]]
    assert scores == [5, 4, 3]
    body = response.content.decode()
    for rule, params in (
        ("board_expired", BOARD),
        ("below_min_members", MEMBERS),
        ("assembly_overdue", ASSEMBLY),
    ):
        assert fa(rule, params) in body
    assert "۱۴۰۱" in body  # the board's term end, a Jalali date (2023-01-10 = 20 Dey 1401)
    assert coops["t"].name not in body  # a cleared flag is not listed
    # the rule labels, in Persian
    with translation.override("fa"):
        from taavon.core.contributions import TRIAGE_RULES

        assert str(TRIAGE_RULES["board_expired"].label) in body
    # sortable: lowest first
    response = client.get(reverse("triage:flagged"), {"sort": "score"})
    assert rows(response)[0] == coops["b"].shenasnameh


def test_open_case_shown_and_open_a_case_offered(client, county_officer, coops):
    client.force_login(county_officer)
    response = client.get(reverse("triage:flagged"))
    by = {r["coop"].shenasnameh: r for r in response.context["rows"]}
    b, a = by[coops["b"].shenasnameh], by[coops["a"].shenasnameh]
    assert b["coop"].open_case_id == coops["case"].pk
    if url_or_none("triage:case", coops["case"].pk):
        assert b["case_url"] == reverse("triage:case", args=[coops["case"].pk])
        assert b["case_url"] in response.content.decode()
    if url_or_none("triage:case_open"):
        assert a["open_url"] == reverse("triage:case_open") + f"?cooperative={coops['a'].shenasnameh}"
        assert b["open_url"] is None  # already in a case


def test_viewer_is_not_offered_changes(client, viewer, coops):
    client.force_login(viewer)
    response = client.get(reverse("triage:flagged"))
    assert response.status_code == 200
    assert all(r["open_url"] is None for r in response.context["rows"])
    assert 'data-testid="triage-run"' not in response.content.decode()


def test_filters(client, provincial, coops, khorramabad, borujerd):
    client.force_login(provincial)
    url = reverse("triage:flagged")
    assert rows(client.get(url, {"county": borujerd.pk})) == [coops["p"].shenasnameh]
    assert rows(client.get(url, {"rule": "board_expired"})) == [coops["a"].shenasnameh]
    assert rows(client.get(url, {"status": "dormant"})) == [coops["b"].shenasnameh]
    other = Sector.objects.exclude(pk=coops["a"].sector_id).first()
    assert rows(client.get(url, {"sector": other.pk})) == []
    assert len(rows(client.get(url, {"sector": coops["a"].sector_id}))) == 3
    # a rule filter keeps the row's other flags
    response = client.get(url, {"rule": "board_expired"})
    assert [f.code for f in response.context["rows"][0]["flags"]] == ["board_expired", "below_min_members"]
    # an invalid filter is left out, not a crash
    assert client.get(url, {"county": "x", "rule": "nonsense"}).status_code == 200
    # htmx: the results only
    partial = client.get(url, {"county": khorramabad.pk}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    empty = client.get(url, {"rule": "contact_failed"})
    assert 'data-testid="flagged-empty"' in empty.content.decode()


def test_county_officer_sees_only_their_county(client, county_officer, coops, borujerd):
    client.force_login(county_officer)
    url = reverse("triage:flagged")
    response = client.get(url)
    body = response.content.decode()
    assert set(rows(response)) == {coops["a"].shenasnameh, coops["b"].shenasnameh}
    assert coops["p"].name not in body and fa("inactive", INACTIVE) not in body
    # asking for another county's flags reveals nothing
    response = client.get(url, {"county": borujerd.pk})
    assert rows(response) == [] and coops["p"].name not in response.content.decode()
    csv_body = client.get(reverse("triage:flagged_export", args=["csv"]), {"county": borujerd.pk})
    assert coops["p"].shenasnameh not in csv_body.content.decode("utf-8-sig")
    # the record section outside the county: the record page itself is 404
    assert client.get(reverse("registry:detail", args=[coops["p"].shenasnameh])).status_code == 404


def test_representative_is_refused(client, coops):
    rep = UserFactory(role="representative", cooperative=coops["a"], username="rep-flag")
    client.force_login(rep)
    assert client.get(reverse("triage:flagged")).status_code == 403
    assert client.get(reverse("triage:flagged_export", args=["csv"])).status_code == 403
    assert client.get(reverse("triage:health")).status_code == 403


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_columns_exactly(client, provincial, coops):
    client.force_login(provincial)
    response = client.get(reverse("triage:flagged_export", args=["csv"]))
    assert response.status_code == 200
    table = _csv(response.content.decode("utf-8"))
    assert table[0] == ["shenasnameh", "name", "county", "status", "score", "flags", "case_status"]
    by = {row[0]: row for row in table[1:]}
    assert [row[0] for row in table[1:]] == [
        coops["a"].shenasnameh,
        coops["p"].shenasnameh,
        coops["b"].shenasnameh,
    ]
    a, b = by[coops["a"].shenasnameh], by[coops["b"].shenasnameh]
    assert a[1] == coops["a"].name and a[4] == "5"
    assert a[5] == "board_expired;below_min_members" and a[6] == ""
    assert b[5] == "assembly_overdue" and b[6] == "open"
    # filtered like the page
    filtered = _csv(
        client.get(reverse("triage:flagged_export", args=["csv"]), {"rule": "inactive"}).content.decode()
    )
    assert [row[0] for row in filtered[1:]] == [coops["p"].shenasnameh]
    xlsx = client.get(reverse("triage:flagged_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert client.get(reverse("triage:flagged_export", args=["pdf"])).status_code == 404


def test_taavon_export_flagged(coops, tmp_path):
    out = tmp_path / "flagged.csv"
    call_command("export", "flagged", "--format", "csv", "-o", str(out), verbosity=0)
    table = _csv(out.read_text(encoding="utf-8"))
    assert table[0] == ["shenasnameh", "name", "county", "status", "score", "flags", "case_status"]
    assert {row[0] for row in table[1:]} == {
        coops["a"].shenasnameh,
        coops["b"].shenasnameh,
        coops["p"].shenasnameh,
    }
    assert table[1][0] == coops["a"].shenasnameh  # highest score first
    xlsx = tmp_path / "flagged.xlsx"
    call_command("export", "flagged", "--format", "xlsx", "-o", str(xlsx), "--province", "IR-15", verbosity=0)
    assert xlsx.read_bytes()[:2] == b"PK"
    tehran = tmp_path / "tehran.csv"
    call_command(
        "export", "flagged", "--format", "csv", "-o", str(tehran), "--province", "IR-23", verbosity=0
    )
    assert len(_csv(tehran.read_text(encoding="utf-8"))) == 1  # the header only


def test_run_button_evaluates_the_users_county(client, county_officer, admin_user, khorramabad, borujerd):
    mine = make_cooperative(acting_user=admin_user, county=khorramabad, members_women=1, members_men=2)
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, members_women=1, members_men=2)
    client.force_login(county_officer)
    response = client.post(reverse("triage:run"), follow=True)
    assert response.status_code == 200
    assert Flag.objects.raised().filter(cooperative=mine, rule="below_min_members").exists()
    assert not Flag.objects.filter(cooperative=theirs).exists()
    body = response.content.decode()
    assert "ارزیابی شد" in body  # the summary, as a message
    assert mine.name in body
    history = Flag.history.filter(cooperative_id=mine.pk).first()
    assert history.history_user == county_officer


@pytest.mark.parametrize("role", ["viewer", "representative"])
def test_run_button_refused(client, role, lorestan, admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, members_women=1, members_men=1)
    user = UserFactory(
        role=role,
        province=lorestan if role == "viewer" else None,
        cooperative=coop if role == "representative" else None,
        username=f"run-{role}",
    )
    client.force_login(user)
    assert client.post(reverse("triage:run")).status_code == 403
    assert not Flag.objects.exists()


def test_run_is_post_only(client, county_officer):
    client.force_login(county_officer)
    assert client.get(reverse("triage:run")).status_code == 405


def test_empty_state_explains_the_rules(client, county_officer):
    client.force_login(county_officer)
    body = client.get(reverse("triage:flagged")).content.decode()
    assert 'data-testid="flagged-empty"' in body
    with translation.override("fa"):
        from taavon.triage.rules import all_rules

        for rule in all_rules():
            assert str(rule.label) in body


def test_record_shows_its_flags(client, county_officer, coops):
    client.force_login(county_officer)
    body = client.get(reverse("registry:detail", args=[coops["a"].shenasnameh])).content.decode()
    assert 'data-testid="record-flags"' in body
    assert fa("board_expired", BOARD) in body and fa("below_min_members", MEMBERS) in body
    quiet = client.get(reverse("registry:detail", args=[coops["t"].shenasnameh])).content.decode()
    assert fa("inactive", INACTIVE) not in quiet  # cleared


def test_english_page(client, provincial, coops):
    provincial.language = "en"
    provincial.save(update_fields=["language"])
    client.force_login(provincial)
    body = html.unescape(client.get(reverse("triage:flagged")).content.decode())
    assert "Board's term expired" in body
    assert "The board's term ended on 10 January 2023" in body


def test_query_count_does_not_grow(
    client, provincial, admin_user, khorramabad, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coops = [make_cooperative(acting_user=admin_user, county=khorramabad) for _ in range(50)]
    for i, coop in enumerate(coops):
        flag(coop, "board_expired", 2, BOARD)
        flag(coop, "inactive", 4, INACTIVE)
        if i % 3 == 0:
            Case.objects.create(
                cooperative=coop,
                opened_on=TODAY,
                opened_by=admin_user,
                reason="آزمون",
                assigned_to=admin_user,
                deadline=TODAY + datetime.timedelta(days=30),
            )
    client.force_login(provincial)
    client.get(reverse("triage:flagged"))  # warm the session and caches
    with CaptureQueriesContext(connection) as page_one:
        response = client.get(reverse("triage:flagged"))
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(len(page_one.captured_queries)):
        client.get(reverse("triage:flagged"), {"page": 2})
    with django_assert_max_num_queries(12):
        client.get(reverse("triage:flagged"))
    with django_assert_max_num_queries(12):
        client.get(reverse("triage:flagged_export", args=["csv"]))
