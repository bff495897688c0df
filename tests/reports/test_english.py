"""The press paragraph, the dashboard and the API in English: good English, ASCII digits, "billion toman", no
Persian but the data (names of cooperatives and people)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from taavon.reports.press import press_paragraph
from tests.reports.test_figures import WEEK_1404, _lorestan_week, end_of_week_1404

pytestmark = pytest.mark.django_db
PERSIAN = re.compile(r"[\u0600-\u06FF۰-۹]")


@pytest.fixture
def demo(read_only_demo):
    return read_only_demo


def test_press_paragraph_in_english(demo, lorestan):
    with translation.override("en"):
        t = _lorestan_week(lorestan, as_of=end_of_week_1404())
        text = press_paragraph(
            totals=t, province_name=lorestan.name, start=WEEK_1404[0], end=WEEK_1404[1], opened=t["opened"]
        )
    assert (
        "18 cooperative projects of the province were opened during Cooperative Week (2–8 September 2025)"
        in text
    )
    assert "about 195 billion toman" in text
    assert "more than 6 billion toman in bank facilities" in text
    assert "more than 200 jobs" in text
    assert "Lorestan Province" in text and "Clothing" in text and "and Stone extraction" in text
    assert not PERSIAN.search(text), text


def test_press_with_nothing_to_report_in_english(lorestan):
    with translation.override("en"):
        text = press_paragraph(
            totals={"count": 0}, province_name=lorestan.name, start=WEEK_1404[0], end=WEEK_1404[1], opened=0
        )
    assert text.startswith("During Cooperative Week (2–8 September 2025), no cooperative project in Lorestan")


def test_dashboard_press_and_api_in_english(client, demo, provincial):
    client.force_login(provincial)
    client.cookies["taavon_language"] = "en"
    week = {"opening_from": "1404-06-11", "opening_to": "1404-06-17", "as_of": "2025-09-08"}
    dashboard = client.get(reverse("reports:dashboard"), week)
    kpis = {k["label"]: k["text"] for k in dashboard.context["kpis"]}
    assert kpis["Projects' investment"] == "195.4 billion toman"
    assert "Figures as of 8 September 2025" in dashboard.content.decode()
    assert "Managers' dashboard" in dashboard.content.decode()
    chart_data = dashboard.content.decode().split('id="chart-data"')[1].split("</script>")[0]
    assert '"digits": "latn"' in chart_data and '"Opened (in operation)"' in chart_data
    assert not PERSIAN.search(chart_data)
    press = client.get(reverse("reports:press"), {"province": "IR-15", **week}).content.decode()
    assert "about 195 billion toman" in press
    api = client.get("/api/v1/stats/projects", {"stage": "flying"})
    assert api.status_code == 400 and api.json()["detail"] == "The stage “flying” is not known."
