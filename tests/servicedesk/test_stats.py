"""The desk's figures (servicedesk.stats, /servicedesk/stats/, the dashboard's block) against a hand-counted set of
four requests: counts by category, channel and county, the median working hours, the share answered in time,
satisfaction, the oldest open ones — each within the user's jurisdiction."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from taavon.servicedesk import services
from taavon.servicedesk.models import Category
from taavon.servicedesk.stats import desk_figures
from tests.factories import UserFactory, make_cooperative

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = dt.datetime(2026, 11, 10, 10, 0, tzinfo=TEHRAN)  # a Tuesday


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


def category(code: str) -> Category:
    return Category.objects.get_or_create(code=code, defaults={"name_fa": code, "name_en": code})[0]


def hand_counted(khorramabad, borujerd):
    """Four requests (Saturday 31 Oct 2026 is a working day; no holiday until 13 Nov):
    A Khorramabad, financing, desk: opened Sat 08:00, answered Sat 10:00 (2 h, in time), closed Sun 09:00 (8 h),
      rated 4.
    B Khorramabad, permits, phone: opened Sat 08:00, answered Mon 10:00 (16 h: late, the deadline is 14 h),
      closed Mon 12:00 (18 h), rated 2.
    C Borujerd, a person, financing, letter: opened Sun 1 Nov 09:00, never answered: past its deadline.
    D Khorramabad, training, the portal: opened Mon 9 Nov 09:00, not answered yet, not yet due."""
    admin = UserFactory(role="admin", username="sd-admin")
    coop = make_cooperative(acting_user=admin, county=khorramabad, phone="09161234567")
    rep = UserFactory(role="representative", cooperative=coop, username="sd-rep")
    officer = UserFactory(role="county", county=khorramabad, province=khorramabad.province, username="sd-kh")
    a = services.request_file(
        acting_user=officer,
        channel="desk",
        category=category("financing"),
        subject="وام",
        mobile="09161234567",
        cooperative=coop,
        opened_at=at(31, 8, month=10),
    )
    services.request_reply(
        acting_user=officer, request=a, body="پاسخ", then="answered", now=at(31, 10, month=10)
    )
    services.request_change_status(acting_user=officer, request=a, to_status="closed", now=at(1, 9))
    services.request_rate(acting_user=rep, request=a, rating=4, comment="خوب")
    b = services.request_file(
        acting_user=officer,
        channel="phone",
        category=category("permits"),
        subject="مجوز",
        mobile="09161234567",
        cooperative=coop,
        opened_at=at(31, 8, month=10),
    )
    services.request_reply(acting_user=officer, request=b, body="پاسخ", then="answered", now=at(2, 10))
    services.request_change_status(acting_user=officer, request=b, to_status="closed", now=at(2, 12))
    services.request_rate(acting_user=rep, request=b, rating=2)
    c = services.request_file(
        acting_user=admin,
        channel="letter",
        category=category("financing"),
        subject="پرسش",
        mobile="09181112233",
        county=borujerd,
        requester_name="رضا موسوی",
        opened_at=at(1, 9),
    )
    d = services.request_file(
        acting_user=rep,
        channel="portal",
        category=category("training"),
        subject="دوره",
        mobile="09161234567",
        cooperative=coop,
        opened_at=at(9, 9),
    )
    return {"admin": admin, "rep": rep, "officer": officer, "coop": coop, "a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def fixture(khorramabad, borujerd):
    return hand_counted(khorramabad, borujerd)


def test_the_figures_match_the_hand_count(fixture):
    f = desk_figures(user=fixture["admin"], now=NOW)
    assert (f.total, f.open, f.overdue, f.closed, f.waiting) == (4, 2, 1, 2, 0)
    assert (f.within, f.due) == (1, 3)  # A in time; B late; C unanswered past its deadline; D not yet due
    assert f.within_share == pytest.approx(1 / 3)
    assert f.median_first_answer_hours == pytest.approx(9)  # median of 2 and 16
    assert f.median_resolution_hours == pytest.approx(13)  # median of 8 and 18
    assert (f.rating_mean, f.rating_count) == (3, 2)
    assert {r["name"]: (r["total"], r["open"]) for r in f.by_category} == {
        "تسهیلات و تأمین مالی": (2, 1),
        "مجوزها": (1, 0),
        "آموزش": (1, 1),
    }
    assert {r["code"]: r["total"] for r in f.by_channel} == {"desk": 1, "phone": 1, "letter": 1, "portal": 1}
    counties = {r["name"]: (r["total"], r["open"], r["overdue"], r["within"], r["due"]) for r in f.by_county}
    assert counties == {"خرم‌آباد": (3, 1, 0, 1, 2), "بروجرد": (1, 1, 1, 0, 1)}
    assert [r.code for r in f.oldest_open] == [fixture["c"].code, fixture["d"].code]


def test_the_figures_stay_within_the_jurisdiction(fixture, borujerd):
    kh = desk_figures(user=fixture["officer"], now=NOW)
    assert (kh.total, kh.open, kh.overdue, kh.rating_count) == (3, 1, 0, 2)
    assert [r.code for r in kh.oldest_open] == [fixture["d"].code]
    assert [r["name"] for r in kh.by_county] == ["خرم‌آباد"]
    bo = UserFactory(role="county", county=borujerd, province=borujerd.province, username="sd-bo")
    f = desk_figures(user=bo, now=NOW)
    assert (f.total, f.overdue, f.rating_count, f.median_first_answer_hours) == (1, 1, 0, None)


def test_a_waiting_request_is_not_overdue(fixture):
    services.request_reply(
        acting_user=fixture["officer"], request=fixture["d"], body="مدارک؟", then="waiting", now=at(9, 10)
    )
    f = desk_figures(user=fixture["admin"], now=at(20, 10))
    assert f.waiting == 1
    assert f.overdue == 1  # C only: D's clock is paused


def test_the_stats_page(client, fixture, django_assert_max_num_queries):
    client.force_login(fixture["officer"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("servicedesk:stats"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "خرم‌آباد" in page
    assert "بروجرد" not in page  # outside the officer's county: not even its name
    assert "رضا موسوی" not in page
    assert "۳٫۰ از ۵" in page or "۳ از ۵" in page


def test_the_stats_page_in_english(client, fixture):
    client.force_login(fixture["admin"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("servicedesk:stats"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["representative"])
def test_representatives_do_not_see_the_figures(client, fixture, role):
    client.force_login(fixture["rep"])
    assert client.get(reverse("servicedesk:stats")).status_code == 403


def test_the_dashboard_shows_the_desk(client, fixture):
    client.force_login(fixture["admin"])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="servicedesk-figures"' in page
    assert 'data-testid="table-desk_county"' in page
    download = client.get(reverse("reports:dashboard") + "?download=desk_county")
    assert download.status_code == 200


def test_the_activity_fact(fixture):
    from taavon.core.contributions import FACTS
    from taavon.registry.models import Cooperative

    fact = FACTS["servicedesk-activity"]
    assert fact.kind == "activity"
    rows = dict(fact.rows(Cooperative.objects.filter(pk=fixture["coop"].pk).values("pk")))
    assert rows == {fixture["coop"].pk: dt.date(2026, 11, 9)}
