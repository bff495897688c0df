"""The demo's field visits: every Lorestan county visited, every category of finding and every state of an action
present (some overdue, some made requests, some findings closed), some units found closed (visit_closed raised)."""

from django.utils import timezone

from taavon.places.models import County
from taavon.triage.models import Flag
from taavon.visits.models import Action, ActionStatus, Finding, FindingCategory, Visit


def test_the_demo_visits_every_county_with_every_category_and_state(read_only_demo, db):
    lorestan = set(County.objects.filter(province__code="IR-15").values_list("pk", flat=True))
    reported = Visit.objects.filter(status="reported")
    assert set(reported.values_list("county_id", flat=True)) == lorestan
    assert Visit.objects.filter(status="planned", planned_on__gte=timezone.localdate()).exists()
    assert set(Finding.objects.values_list("category", flat=True)) == set(FindingCategory.values)
    assert set(Action.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert Action.objects.open().filter(due_on__lt=timezone.localdate()).exists()
    assert Action.objects.filter(request__isnull=False).exists()
    assert Finding.objects.filter(status="closed").exclude(result="").exists()
    assert reported.filter(unit_state__in=["closed", "not_found"]).exists()
    assert Flag.objects.raised().filter(rule="visit_closed").exists()
