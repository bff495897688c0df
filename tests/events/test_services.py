"""The events' services: who may change which event (a county's by its county, a province's by the province's own
staff), bad input refused with the message on the field and nothing saved (an event ending before it starts, a
project of another county or not ready, a day outside the exhibition, a duplicate booth), history rows naming the user."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taavon.events import services
from taavon.events.models import Booth, Event, VisitorCount
from taavon.persian import to_gregorian
from tests.events.helpers import at, make_event, make_exhibition
from tests.factories import UserFactory, make_cooperative, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def borujerd_officer(borujerd):
    return UserFactory(role="county", county=borujerd, province=borujerd.province, username="bj-t")


def test_an_event_is_added_with_its_jalali_year_and_a_history_row(county_officer, lorestan, khorramabad):
    event = make_event(acting_user=county_officer, province=lorestan, county=khorramabad)
    assert event.year == 1404
    assert event.history.first().history_user == county_officer


def test_a_county_officer_changes_only_their_county_events(
    county_officer, borujerd_officer, lorestan, khorramabad
):
    event = make_event(acting_user=county_officer, province=lorestan, county=khorramabad)
    with pytest.raises(PermissionDenied):
        services.event_update(acting_user=borujerd_officer, event=event, title="دیگر")
    with pytest.raises(PermissionDenied):
        services.event_delete(acting_user=borujerd_officer, event=event)
    with pytest.raises(PermissionDenied):
        make_event(acting_user=borujerd_officer, province=lorestan, county=khorramabad)
    assert Event.objects.get(pk=event.pk).title == event.title


def test_a_province_event_is_the_province_staff_s(county_officer, provincial, admin_user, viewer, lorestan):
    with pytest.raises(PermissionDenied):
        make_event(acting_user=county_officer, province=lorestan)
    with pytest.raises(PermissionDenied):
        make_event(acting_user=viewer, province=lorestan)
    event = make_event(acting_user=provincial, province=lorestan)
    with pytest.raises(PermissionDenied):
        services.event_delete(acting_user=county_officer, event=event)
    services.event_update(acting_user=admin_user, event=event, title="آیین آغاز هفته")
    assert Event.objects.get(pk=event.pk).title == "آیین آغاز هفته"
    pk = event.pk
    services.event_delete(acting_user=provincial, event=event)
    assert not Event.objects.filter(pk=pk).exists()
    assert Event.history.filter(id=pk, history_type="-").get().history_user == provincial


def test_an_event_cannot_end_before_it_starts(provincial, lorestan):
    with pytest.raises(ValidationError) as exc:
        services.event_add(
            acting_user=provincial,
            kind="meeting",
            title="نشست",
            starts_at=at(12, 10),
            ends_at=at(12, 9),
            province=lorestan,
        )
    assert "ends_at" in exc.value.message_dict
    event = make_event(acting_user=provincial, province=lorestan)
    with pytest.raises(ValidationError) as exc:
        services.event_update(acting_user=provincial, event=event, ends_at=at(10, 9))
    assert "ends_at" in exc.value.message_dict
    assert Event.objects.count() == 1


def test_an_opening_lists_projects_of_its_county_opened_or_ready(
    admin_user, county_officer, lorestan, khorramabad, borujerd
):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    opened = make_project(
        acting_user=admin_user, cooperative=coop, stage="opened", stage_date=to_gregorian(1404, 6, 11)
    )
    ready = make_project(acting_user=admin_user, cooperative=coop, stage="ready")
    building = make_project(
        acting_user=admin_user, cooperative=coop, stage="construction", title="طرح در دست ساخت"
    )
    theirs = make_project(
        acting_user=admin_user,
        cooperative=make_cooperative(acting_user=admin_user, county=borujerd),
        stage="opened",
        stage_date=to_gregorian(1404, 6, 12),
        title="طرح بروجرد",
    )
    event = make_event(acting_user=county_officer, province=lorestan, county=khorramabad, kind="opening")
    services.event_set_projects(acting_user=county_officer, event=event, projects=[opened, ready])
    assert set(event.projects.all()) == {opened, ready}
    with pytest.raises(ValidationError) as exc:
        services.event_set_projects(acting_user=county_officer, event=event, projects=[opened, building])
    assert "طرح در دست ساخت" in exc.value.message_dict["projects"][0]
    with pytest.raises(ValidationError):  # another county's: not even seen by this officer
        services.event_set_projects(acting_user=county_officer, event=event, projects=[theirs])
    with pytest.raises(
        ValidationError
    ) as exc:  # the administrator sees it, and is told it is another county's
        services.event_set_projects(acting_user=admin_user, event=event, projects=[theirs])
    assert "طرح بروجرد" in exc.value.message_dict["projects"][0]
    assert set(event.projects.all()) == {opened, ready}  # nothing half-saved
    meeting = make_event(acting_user=county_officer, province=lorestan, county=khorramabad)
    with pytest.raises(ValidationError):
        services.event_set_projects(acting_user=county_officer, event=meeting, projects=[opened])


def test_the_exhibition_booths_and_visitors(provincial, county_officer, admin_user, lorestan, khorramabad):
    ex = make_exhibition(acting_user=provincial, province=lorestan)
    assert ex.year == 1404
    with pytest.raises(ValidationError):  # one a year
        make_exhibition(acting_user=provincial, province=lorestan)
    with pytest.raises(PermissionDenied):
        make_exhibition(acting_user=county_officer, province=lorestan)
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    other = make_cooperative(acting_user=admin_user, county=khorramabad)
    booth = services.booth_add(
        acting_user=provincial, exhibition=ex, number="۱", cooperative=coop, products="پوشاک"
    )
    with pytest.raises(ValidationError) as exc:
        services.booth_add(
            acting_user=provincial, exhibition=ex, number="2", cooperative=coop, products="پوشاک"
        )
    assert "cooperative" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.booth_add(
            acting_user=provincial, exhibition=ex, number="۱", cooperative=other, products="پوشاک"
        )
    assert "number" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.booth_add(
            acting_user=county_officer, exhibition=ex, number="3", cooperative=other, products="x"
        )
    assert Booth.objects.count() == 1
    services.visitors_record(
        acting_user=provincial, exhibition=ex, date=to_gregorian(1404, 6, 12), visitors=900
    )
    services.visitors_record(
        acting_user=provincial, exhibition=ex, date=to_gregorian(1404, 6, 12), visitors=950
    )
    assert VisitorCount.objects.get().visitors == 950  # one count a day: recorded again, replaced
    with pytest.raises(ValidationError) as exc:
        services.visitors_record(
            acting_user=provincial, exhibition=ex, date=to_gregorian(1404, 6, 18), visitors=10
        )
    assert "date" in exc.value.message_dict
    assert VisitorCount.objects.count() == 1
    services.booth_remove(acting_user=provincial, booth=booth)
    assert Booth.history.filter(history_type="-").get().history_user == provincial
