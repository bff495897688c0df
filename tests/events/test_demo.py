"""The demo's Cooperative Week 1404: the programme (a ceremony, meetings, the exhibition with its booths and visitors
per day) and the openings as events listing the report's 18 projects; the figures on the pages come from them; the
press summary names the openings' events."""

import pytest
from django.urls import reverse

from taavon.accounts.models import User
from taavon.events.models import Booth, Event, EventKind, Exhibition, VisitorCount
from taavon.persian import to_gregorian
from taavon.projects.models import Project


def test_the_demo_week_lists_the_18_openings(read_only_demo, db):
    events = Event.objects.filter(year=1404, province__code="IR-15")
    kinds = set(events.values_list("kind", flat=True))
    assert {EventKind.CEREMONY, EventKind.MEETING, EventKind.OPENING, EventKind.EXHIBITION} <= kinds
    opened = Project.objects.filter(opening_events__in=events.filter(kind=EventKind.OPENING)).distinct()
    assert opened.count() == 18
    assert set(opened.values_list("stage", flat=True)) <= {"ready", "opened"}
    for e in events.filter(kind=EventKind.OPENING).prefetch_related("projects"):
        assert {p.county_id for p in e.projects.all()} == {e.county_id}
    ex = Exhibition.objects.get(year=1404, province__code="IR-15")
    assert (ex.starts_on, ex.ends_on) == (to_gregorian(1404, 6, 11), to_gregorian(1404, 6, 17))
    assert Booth.objects.filter(exhibition=ex).count() == 12
    assert VisitorCount.objects.filter(exhibition=ex).count() == 7


@pytest.mark.django_db
def test_the_demo_pages(read_only_demo, client):
    client.force_login(User.objects.get(username="ostan"))
    page = client.get(reverse("events:programme", args=[1404])).content.decode()
    assert 'data-figure="projects">۱۸<' in page
    assert "آیین آغاز هفتهٔ تعاون استان لرستان" in page
    page = client.get(reverse("events:exhibition", args=[1404])).content.decode()
    assert 'data-figure="exhibitors">۱۲<' in page
    press = client.get(
        reverse("reports:press"),
        {"province": "IR-15", "opening_from": "1404/06/11", "opening_to": "1404/06/17"},
    ).content.decode()
    assert "افتتاح این طرح‌ها در ۱۶ آیین از ۱۱ شهریور ۱۴۰۴ تا ۱۷ شهریور ۱۴۰۴ برگزار شد" in press
