"""Cooperative Week's pages: the programme of a Jalali year grouped by day (Persian dates and digits, what a county
officer sees and what they must not, the county filter, bounded queries), adding and changing an event (bad input: 422
with the message on its field, nothing saved), an event of another county (404) and a province's event a county
officer may not change (403), an opening's projects linked to their pages, the exhibition (booths, visitors per day,
the chart's data, figures from the records), the project page's contributed section."""

import json

import pytest
from django.urls import reverse

from taavon.events import services
from taavon.events.models import Booth, Event, VisitorCount
from taavon.persian import to_gregorian
from tests.events.helpers import make_event, make_exhibition
from tests.factories import UserFactory, make_cooperative, make_project

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def week(admin_user, provincial, county_officer, lorestan, khorramabad, borujerd):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک زاگرس")
    project = make_project(
        acting_user=admin_user,
        cooperative=coop,
        stage="opened",
        stage_date=to_gregorian(1404, 6, 11),
        title="کارگاه پوشاک زاگرس",
        investment_rial=85_000_000_000,
    )
    opening = make_event(
        acting_user=county_officer,
        province=lorestan,
        county=khorramabad,
        kind="opening",
        title="افتتاح طرح‌های خرم‌آباد",
    )
    services.event_set_projects(acting_user=county_officer, event=opening, projects=[project])
    ceremony = make_event(
        acting_user=provincial, province=lorestan, kind="ceremony", title="آیین آغاز هفته", hour=8
    )
    theirs = make_event(
        acting_user=provincial, province=lorestan, county=borujerd, title="نشست تعاونی‌های بروجرد", day=12
    )
    ex = make_exhibition(acting_user=provincial, province=lorestan)
    services.booth_add(
        acting_user=provincial, exhibition=ex, number="۷", cooperative=coop, products="مانتو و پوشاک کار"
    )
    services.visitors_record(
        acting_user=provincial, exhibition=ex, date=to_gregorian(1404, 6, 11), visitors=1250
    )
    return {
        "opening": opening,
        "ceremony": ceremony,
        "theirs": theirs,
        "project": project,
        "exhibition": ex,
        "coop": coop,
    }


def test_events_sends_to_this_year_s_programme(client, provincial):
    client.force_login(provincial)
    response = client.get(reverse("events:index"))
    assert response.status_code == 302 and response.url.startswith("/events/14")


def test_the_programme_by_jalali_day_for_a_county_officer(client, week, county_officer):
    client.force_login(county_officer)
    page = body(client.get(reverse("events:programme", args=[1404])))
    assert "افتتاح طرح‌های خرم‌آباد" in page and "آیین آغاز هفته" in page
    assert "نشست تعاونی‌های بروجرد" not in page  # another county's event
    assert "۱۱ شهریور ۱۴۰۴" in page and "۰۸:۰۰" in page
    assert page.index("آیین آغاز هفته") < page.index("افتتاح طرح‌های خرم‌آباد")  # by time
    figures = {k: None for k in ("events", "openings", "projects")}
    for key in figures:
        assert f'data-figure="{key}"' in page
    assert 'data-figure="events">۲<' in page and 'data-figure="projects">۱<' in page


def test_the_programme_county_filter_and_province(client, week, provincial):
    client.force_login(provincial)
    page = body(client.get(reverse("events:programme", args=[1404])))
    assert "نشست تعاونی‌های بروجرد" in page and 'data-figure="events">۳<' in page
    kh = week["opening"].county
    page = body(client.get(reverse("events:programme", args=[1404]), {"county": kh.pk}))
    assert "نشست تعاونی‌های بروجرد" not in page and "آیین آغاز هفته" in page
    assert client.get(reverse("events:programme", args=[1404]), {"county": "x"}).status_code == 200
    assert client.get(reverse("events:programme", args=[99])).status_code == 404


def test_the_programme_reads_a_bounded_number_of_queries(
    client, week, provincial, lorestan, django_assert_max_num_queries
):
    for day in range(11, 18):
        make_event(acting_user=provincial, province=lorestan, title=f"نشست {day}", day=day)
    client.force_login(provincial)
    with django_assert_max_num_queries(16):
        client.get(reverse("events:programme", args=[1404]))


def test_adding_an_event_with_jalali_day_and_time(client, county_officer, khorramabad):
    client.force_login(county_officer)
    url = reverse("events:event_new", args=[1404])
    assert client.get(url).status_code == 200
    data = {
        "kind": "meeting",
        "title": "نشست تعاونی‌های روستایی",
        "day": "۱۴۰۴/۰۶/۱۳",
        "starts": "۱۰:۳۰",
        "ends": "۱۲:۰۰",
        "county": khorramabad.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.county == khorramabad and event.year == 1404
    bad = client.post(url, {**data, "ends": "۰۹:۰۰", "title": "نشست بد"})
    assert bad.status_code == 422
    assert (
        'data-field="ends_at"' in body(bad)
        or 'data-field="ends"' in body(bad)
        or "before it starts" in body(bad)
        or "پیش از" in body(bad)
    )
    assert not Event.objects.filter(title="نشست بد").exists()
    refused = client.post(
        url, {**data, "county": "", "title": "رویداد استان"}
    )  # a province's event: not theirs
    assert refused.status_code == 403
    assert not Event.objects.filter(title="رویداد استان").exists()


def test_another_county_s_event_is_not_found_and_the_province_s_not_changed(
    client, week, county_officer, viewer
):
    client.force_login(county_officer)
    theirs, ceremony = week["theirs"], week["ceremony"]
    assert client.get(reverse("events:event", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("events:event_delete", args=[theirs.pk])).status_code == 404
    page = body(client.get(reverse("events:event", args=[ceremony.pk])))
    assert "آیین آغاز هفته" in page and 'data-testid="event-delete"' not in page
    assert client.post(reverse("events:event_delete", args=[ceremony.pk])).status_code == 403
    assert client.post(reverse("events:event_edit", args=[ceremony.pk]), {"title": "x"}).status_code == 403
    assert Event.objects.filter(pk=ceremony.pk).exists()
    client.force_login(viewer)
    assert client.post(reverse("events:event_delete", args=[ceremony.pk])).status_code == 403


def test_an_opening_lists_its_projects_with_links(client, week, county_officer, admin_user):
    client.force_login(county_officer)
    opening, project = week["opening"], week["project"]
    page = body(client.get(reverse("events:event", args=[opening.pk])))
    assert f'href="{reverse("projects:detail", args=[project.pk])}"' in page
    assert 'data-testid="projects-form"' in page
    building = make_project(
        acting_user=admin_user, cooperative=week["coop"], stage="construction", title="طرح نیمه‌کاره"
    )
    response = client.post(reverse("events:event_projects", args=[opening.pk]), {"projects": [building.pk]})
    assert response.status_code == 422  # not a choice: neither opened nor ready
    assert list(opening.projects.all()) == [project]
    response = client.post(reverse("events:event_projects", args=[opening.pk]), {"projects": []})
    assert response.status_code == 302 and not opening.projects.exists()


def test_editing_and_removing_an_event(client, week, county_officer):
    client.force_login(county_officer)
    opening = week["opening"]
    url = reverse("events:event_edit", args=[opening.pk])
    data = {
        "kind": "opening",
        "title": "افتتاح طرح‌ها",
        "day": "1404/06/12",
        "starts": "11:00",
        "ends": "",
        "county": opening.county_id,
        "version": opening.version,
    }
    assert client.post(url, data).status_code == 302
    opening.refresh_from_db()
    assert opening.title == "افتتاح طرح‌ها" and opening.ends_at is None
    bad = client.post(url, {**data, "starts": "25:00", "version": opening.version})
    assert bad.status_code == 422 and 'data-field="starts"' in body(bad)
    assert client.post(reverse("events:event_delete", args=[opening.pk])).status_code == 302
    assert not Event.objects.filter(pk=opening.pk).exists()


def test_the_exhibition_page(client, week, provincial, county_officer):
    client.force_login(county_officer)
    page = body(client.get(reverse("events:exhibition", args=[1404])))
    assert "تعاونی پوشاک زاگرس" in page and "مانتو و پوشاک کار" in page and "۱٬۲۵۰" in page
    assert 'data-testid="booth-form"' not in page  # the province's staff run it
    chart = json.loads(page.split('id="events-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart["visitors"]["values"][0] == 1250 and len(chart["visitors"]["values"]) == 7
    assert 'data-figure="exhibitors">۱<' in page and 'data-figure="visitors">۱٬۲۵۰<' in page
    client.force_login(provincial)
    page = body(client.get(reverse("events:exhibition", args=[1404])))
    assert 'data-testid="booth-form"' in page and 'data-testid="visitors-form"' in page
    out = client.post(reverse("events:visitors", args=[1404]), {"date": "1404/06/20", "visitors": "۵۰"})
    assert out.status_code == 422 and 'data-field="date"' in body(out)
    assert VisitorCount.objects.count() == 1
    dup = client.post(
        reverse("events:booth_add", args=[1404]),
        {"number": "8", "cooperative": week["coop"].shenasnameh, "products": "پوشاک"},
    )
    assert dup.status_code == 422 and 'data-field="cooperative"' in body(dup)
    assert Booth.objects.count() == 1
    ok = client.post(reverse("events:visitors", args=[1404]), {"date": "1404/06/12", "visitors": "۹۰۰"})
    assert ok.status_code == 302 and VisitorCount.objects.count() == 2
    assert client.get(reverse("events:exhibition", args=[1403])).status_code == 200  # no exhibition that year


def test_a_representative_and_a_juror_are_refused(client, week, lorestan):
    rep = UserFactory(
        role="representative", cooperative=week["coop"], county=week["coop"].county, username="rep-t"
    )
    client.force_login(rep)
    assert client.get(reverse("events:programme", args=[1404])).status_code == 403
    juror = UserFactory(role="juror", username="juror-t")
    client.force_login(juror)
    assert client.get(reverse("events:exhibition", args=[1404])).status_code == 403


def test_the_project_page_shows_its_opening(client, week, county_officer, admin_user):
    client.force_login(county_officer)
    page = body(client.get(reverse("projects:detail", args=[week["project"].pk])))
    assert 'data-section="events-openings"' in page
    assert f'href="{reverse("events:event", args=[week["opening"].pk])}"' in page
    building = make_project(acting_user=admin_user, cooperative=week["coop"], stage="construction")
    page = body(client.get(reverse("projects:detail", args=[building.pk])))
    assert 'data-section="events-openings"' not in page


def test_the_record_shows_the_cooperative_s_booth(client, week, county_officer):
    client.force_login(county_officer)
    page = body(client.get(reverse("registry:detail", args=[week["coop"].shenasnameh])))
    assert 'data-testid="record-booths"' in page and "مانتو و پوشاک کار" in page


def test_the_press_summary_names_the_openings(client, week, provincial):
    client.force_login(provincial)
    page = body(
        client.get(
            reverse("reports:press"),
            {"province": "IR-15", "opening_from": "1404/06/11", "opening_to": "1404/06/17"},
        )
    )
    assert "آیین افتتاح این طرح‌ها در افتتاح طرح‌های خرم‌آباد در تاریخ ۱۱ شهریور ۱۴۰۴ برگزار شد." in page


def test_the_press_sentence_in_english(week, lorestan):
    from django.utils import translation

    from taavon.events.press import openings_sentence

    with translation.override("en"):
        text = openings_sentence(
            province_id=lorestan.pk, start=to_gregorian(1404, 6, 11), end=to_gregorian(1404, 6, 17)
        )
    assert text == "The projects were opened at افتتاح طرح‌های خرم‌آباد on 2 September 2025."
    assert openings_sentence(province_id=lorestan.pk, start=None, end=None) == ""


def test_the_exhibition_s_changes_are_the_province_staff_s(client, week, county_officer, viewer, provincial):
    booth = Booth.objects.get()
    for user in (county_officer, viewer):
        client.force_login(user)
        for url in (
            reverse("events:booth_add", args=[1404]),
            reverse("events:visitors", args=[1404]),
            reverse("events:booth_remove", args=[booth.pk]),
        ):
            assert client.get(url).status_code == 403
            assert client.post(url, {"date": "1404/06/12", "visitors": "5"}).status_code == 403
    assert Booth.objects.filter(pk=booth.pk).exists() and VisitorCount.objects.count() == 1
    client.force_login(provincial)
    assert client.post(reverse("events:booth_remove", args=[booth.pk])).status_code == 302
    assert not Booth.objects.exists()


def test_the_exhibition_reads_a_bounded_number_of_queries(
    client, week, provincial, admin_user, khorramabad, django_assert_max_num_queries
):
    ex = week["exhibition"]
    for i in range(10):
        coop = make_cooperative(acting_user=admin_user, county=khorramabad)
        services.booth_add(
            acting_user=provincial, exhibition=ex, number=f"{20 + i}", cooperative=coop, products="x"
        )
    client.force_login(provincial)
    with django_assert_max_num_queries(16):
        client.get(reverse("events:exhibition", args=[1404]))
