"""The rules' settings page /triage/rules/: administrators only; a negative or absurd setting refused on its field
(422, nothing saved); a change recorded in the settings' history, shown on the page; the record-health cycles."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from taavon.triage.health import health_cycles
from taavon.triage.models import RuleSetting
from taavon.triage.settings import effective_settings
from tests.factories import UserFactory, make_cooperative

pytestmark = pytest.mark.django_db
URL = "triage:rules"


def post(client, code, **data):
    return client.post(
        reverse(URL), {"code": code, **{f"{code}-{k}": v for k, v in data.items()}}, follow=False
    )


def test_admin_sees_every_rule_with_its_setting(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("fa"):
        from taavon.triage.rules import all_rules

        for rule in all_rules():
            assert f'data-rule="{rule.code}"' in body and str(rule.label) in body
    assert 'data-cycle="health_contact"' in body
    codes = [r["rule"].code for r in response.context["rules"]]
    assert codes[:2] == ["assembly_overdue", "board_expired"]
    assert response.context["rules"][0]["current"].threshold == 15
    assert "ماه" in body  # the unit, in Persian


@pytest.mark.parametrize("who", ["provincial", "county_officer", "viewer"])
def test_other_staff_refused(client, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 403
    assert post(client, "inactive", enabled="on", threshold="30", weight="2").status_code == 403
    assert not RuleSetting.objects.exists()


def test_representative_refused(client, admin_user):
    coop = make_cooperative(acting_user=admin_user)
    client.force_login(UserFactory(role="representative", cooperative=coop, username="rep-rules"))
    assert client.get(reverse(URL)).status_code == 403


def test_anonymous_sent_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", "-1"), ("threshold", str(10**6)), ("weight", "-1"), ("weight", str(10**6))],
)
def test_absurd_values_refused_on_the_field(client, admin_user, field, value):
    client.force_login(admin_user)
    data = {"enabled": "on", "threshold": "15", "weight": "3", field: value}
    response = post(client, "assembly_overdue", **data)
    assert response.status_code == 422
    bound = next(r["form"] for r in response.context["rules"] if r["rule"].code == "assembly_overdue")
    assert field in bound.errors
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert "عدد" in " ".join(bound.errors[field])  # in Persian
    assert not RuleSetting.objects.exists()
    assert not RuleSetting.history.exists()


def test_not_a_number_refused(client, admin_user):
    client.force_login(admin_user)
    response = post(client, "inactive", enabled="on", threshold="بیست", weight="3")
    assert response.status_code == 422
    assert not RuleSetting.objects.exists()


def test_change_saved_with_history(client, admin_user):
    client.force_login(admin_user)
    response = post(
        client, "assembly_overdue", enabled="on", threshold="۱۸", weight="5", reason="بخشنامهٔ تازه"
    )
    assert response.status_code == 302
    setting = effective_settings()["assembly_overdue"]
    assert (setting.enabled, setting.threshold, setting.weight) == (True, 18, 5)
    # switched off
    assert post(client, "below_min_members", threshold="7", weight="3").status_code == 302
    assert effective_settings()["below_min_members"].enabled is False
    history = RuleSetting.history.filter(code="assembly_overdue").first()  # the latest
    assert history.history_user == admin_user and history.history_change_reason == "بخشنامهٔ تازه"
    page = client.get(reverse(URL))
    body = page.content.decode()
    assert "بخشنامهٔ تازه" in body and str(admin_user) in html.unescape(body)
    assert {h.code for h in page.context["history"]} == {"assembly_overdue", "below_min_members"}
    assert page.context["rules"][0]["current"].threshold == 18


def test_cycles_changed_and_refused(client, admin_user):
    client.force_login(admin_user)
    assert health_cycles()["health_contact"] == 24
    refused = post(client, "health_contact", months="-1")
    assert refused.status_code == 422
    bound = next(c["form"] for c in refused.context["cycles"] if c["cycle"].code == "health_contact")
    assert "months" in bound.errors
    assert post(client, "health_contact", months=str(10**6)).status_code == 422
    assert not RuleSetting.objects.exists()
    assert post(client, "health_contact", months="۳۶").status_code == 302
    assert health_cycles()["health_contact"] == 36
    row = RuleSetting.objects.get(code="health_contact")
    assert row.kind == "health" and row.history.get().history_user == admin_user  # one row, with the user
    # a health cycle is not a rule: the rules' settings are unchanged
    assert "health_contact" not in effective_settings()


def test_unknown_code(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse(URL), {"code": "nonsense"})
    assert response.status_code == 302
    assert not RuleSetting.objects.exists()


def test_setting_takes_effect_on_the_next_run(client, admin_user, khorramabad):
    from taavon.triage.evaluation import triage_run
    from taavon.triage.models import Flag

    coop = make_cooperative(acting_user=admin_user, county=khorramabad, members_women=4, members_men=4)
    client.force_login(admin_user)
    post(client, "below_min_members", enabled="on", threshold="10", weight="7")
    triage_run(acting_user=admin_user)
    flag = Flag.objects.raised().get(cooperative=coop, rule="below_min_members")
    assert flag.weight == 7 and flag.params == {"members": 8, "minimum": 10}
