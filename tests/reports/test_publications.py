"""Issue 18: "as of" as people type it, the bad inputs (a clear message, never HTTP 500), and publications — who
may publish, the permalink (public), what changed since (public terms for the public)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from taavon.core.history import recorded_at
from taavon.places.models import Province
from taavon.projects.services import project_update
from taavon.reports.models import Publication
from taavon.reports.params import ParamError, as_of_param, as_of_query, as_of_text
from taavon.reports.publications import changes_since, publication_publish_press, regenerate, verify
from tests.factories import make_cooperative, make_facility, make_project
from tests.reports.test_figures import WEEK_1404

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def week(admin_user, khorramabad):
    """Two projects opened in Cooperative Week 1404, recorded a week ago."""
    with recorded_at(timezone.now() - 7 * DAY):
        coop = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک زاگرس")
        a = make_project(
            acting_user=admin_user,
            cooperative=coop,
            title="کارگاه پوشاک بانوان",
            stage="opened",
            stage_date=WEEK_1404[0],
            investment_rial=100 * 10**10,
        )
        b = make_project(
            acting_user=admin_user,
            cooperative=coop,
            title="جایگاه سوخت",
            stage="opened",
            stage_date=WEEK_1404[1],
            investment_rial=95 * 10**10,
        )
        make_facility(
            acting_user=admin_user,
            project=a,
            requested_rial=10**10,
            approved_rial=10**10,
            paid_rial=6 * 10**9,
            paid_date=datetime.date(2025, 8, 1),
        )
    return a, b


def _local(moment):
    return timezone.localtime(moment)


# --- "as of" as typed ----------------------------------------------------------------------------------------------


def test_as_of_any_digits_iso_and_a_time(week):
    day = timezone.localdate() - 2 * DAY
    from taavon.persian import format_jalali

    jalali = format_jalali(day, "iso")
    persian = jalali.translate(str.maketrans("0123456789-", "۰۱۲۳۴۵۶۷۸۹/"))
    for typed in (jalali, persian, day.isoformat(), f" {jalali} "):
        moment = as_of_param(typed)
        assert _local(moment).date() == day and _local(moment).time() == datetime.time.max, typed
    timed = as_of_param(f"{persian} ۱۴:۳۰")
    assert (_local(timed).hour, _local(timed).minute) == (14, 30)
    assert _local(as_of_param(f"{day.isoformat()}T09:05")).hour == 9
    assert as_of_param(as_of_query(timed)) == timed  # the link a page writes reads back the same
    assert as_of_param("") is None and as_of_param(None) is None
    today = as_of_param(timezone.localdate().isoformat())
    assert abs(today - timezone.now()) < datetime.timedelta(seconds=5)  # today: now, not a moment to come
    assert as_of_text(as_of_param(jalali)).startswith("ارقام به تاریخ ")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("فردا", "تاریخ"),
        ("1404-13-01", "ماه"),
        ("1404/06/17 25:00", "ساعت معتبر نیست"),
        ("1499-01-01", "هنوز نرسیده"),
        ("2999-01-01", "سال باید میان"),
        ("9999-12-31", "سال باید میان"),
        ("0001-01-01", "سال باید میان"),
        ("1390-01-01", "سوابق تعاون از"),
        ("x" * 60, "نامعتبر"),
        ("1404-06-17\x00", "نامعتبر"),
    ],
)
def test_bad_as_of_says_why(week, typed, says):
    with pytest.raises(ParamError) as caught:
        as_of_param(typed, "به تاریخ")
    assert says in str(caught.value), str(caught.value)
    assert str(caught.value).startswith("به تاریخ")


def test_before_any_record_says_so(reference_data):
    with pytest.raises(ParamError, match="هنوز سابقه‌ای"):
        as_of_param("1404-01-01")


def test_bad_as_of_on_pages_api_and_command(client, week, provincial):
    """A clear message on each, never a server error: the dashboard shows today's figures with it, the press page
    and the statistics page say it, the API answers 400 with it, the command stops with it."""
    client.force_login(provincial)
    for value in ("1499-01-01", "garbage", "1390/01/01", "9999-12-31"):
        dashboard = client.get(reverse("reports:dashboard"), {"as_of": value})
        assert dashboard.status_code == 200
        body = dashboard.content.decode()
        assert 'role="alert"' in body or "alert-danger" in body
        assert 'data-testid="as-of"' not in body  # today's figures, not a day's
        press = client.get(reverse("reports:press"), {"province": "IR-15", "as_of": value})
        assert press.status_code == 200 and "alert-danger" in press.content.decode()
        assert 'data-testid="press-paragraph"' not in press.content.decode()
        stats = client.get(reverse("public:statistics"), {"as_of": value})
        assert stats.status_code == 400 and "filter-error" in stats.content.decode()
        api = client.get("/api/v1/stats/projects", {"as_of": value})
        assert api.status_code == 400 and api.json()["detail"].startswith("as_of")
        with pytest.raises(CommandError):
            call_command("press-summary", "--province", "lorestan", "--as-of", value)


def test_the_pages_say_as_of_when(client, week, provincial, admin_user):
    a, _b = week
    moment = timezone.now() - DAY
    project_update(acting_user=admin_user, project=a, investment_rial=300 * 10**10)
    client.force_login(provincial)
    typed = as_of_query(moment)
    dashboard = client.get(reverse("reports:dashboard"), {"as_of": typed}).content.decode()
    assert "ارقام به تاریخ" in dashboard and "۱۹۵ میلیارد تومان" in dashboard
    today = client.get(reverse("reports:dashboard")).content.decode()
    assert "۳۹۵ میلیارد تومان" in today
    week_q = {"province": "IR-15", "opening_from": "1404-06-11", "opening_to": "1404-06-17"}
    press = client.get(reverse("reports:press"), {**week_q, "as_of": typed}).content.decode()
    assert "۱۹۵ میلیارد تومان" in press and "ارقام به تاریخ" in press
    client.logout()
    stats = client.get(reverse("public:statistics"), {"as_of": typed, "week": "1404"}).content.decode()
    assert "ارقام به تاریخ" in stats
    api = client.get("/api/v1/stats/projects", {**week_q, "as_of": typed}).json()
    assert api["investment_rial"] == 195 * 10**10 and api["as_of"]
    assert client.get("/api/v1/stats/projects", week_q).json()["investment_rial"] == 395 * 10**10


# --- publications --------------------------------------------------------------------------------------------------


def test_who_may_publish(week, admin_user, provincial, county_officer, viewer, lorestan):
    for user in (county_officer, viewer):
        with pytest.raises(PermissionDenied):
            publication_publish_press(
                acting_user=user, province=lorestan, start=WEEK_1404[0], end=WEEK_1404[1]
            )
    tehran = Province.objects.get(code="IR-23")
    with pytest.raises(PermissionDenied):  # another province's staff
        publication_publish_press(
            acting_user=provincial, province=tehran, start=WEEK_1404[0], end=WEEK_1404[1]
        )
    with pytest.raises(ValidationError):
        publication_publish_press(
            acting_user=provincial,
            province=lorestan,
            start=WEEK_1404[0],
            end=WEEK_1404[1],
            as_of=timezone.now() + DAY,
        )
    assert not Publication.objects.exists()
    pub = publication_publish_press(
        acting_user=provincial, province=lorestan, start=WEEK_1404[0], end=WEEK_1404[1]
    )
    assert pub.published_by == provincial and pub.history.count() == 1  # its audit row
    assert pub.history.first().history_user == provincial


def test_publish_then_permalink_then_what_changed(client, week, provincial, admin_user):
    a, b = week
    client.force_login(provincial)
    response = client.post(
        reverse("reports:publish")
        + "?province=IR-15&opening_from=1404-06-11&opening_to=1404-06-17&as_of="
        + as_of_query(timezone.now() - DAY)
    )
    pub = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "publications:detail", args=[pub.token]
    )
    assert "۱۹۵ میلیارد تومان" in pub.text and pub.figures["count"] == 2
    assert pub.records == 3 and len(pub.checksum) == 64  # two projects and a facility
    client.logout()
    page = client.get(reverse("publications:detail", args=[pub.token])).content.decode()
    assert pub.text in page and pub.checksum in page and 'data-testid="verify-link"' in page
    page = client.get(reverse("publications:detail", args=[pub.token]), {"verify": "1"}).content.decode()
    assert 'data-testid="verified"' in page
    nothing = client.get(reverse("publications:changes", args=[pub.token])).content.decode()
    assert 'data-testid="nothing-changed"' in nothing
    # a month later: the investment corrected, a facility paid, a project cancelled — recorded after the moment
    project_update(acting_user=admin_user, project=a, investment_rial=120 * 10**10)
    facility = a.facilities.get()
    from taavon.projects.services import facility_update

    facility_update(
        acting_user=admin_user, facility=facility, paid_rial=10**10, paid_date=datetime.date(2025, 9, 1)
    )
    again = regenerate(pub)
    assert again["paragraph"] == pub.text and again["figures"] == pub.figures and verify(pub)
    public = client.get(reverse("publications:changes", args=[pub.token])).content.decode()
    assert "کارگاه پوشاک بانوان" in public and 'data-moved="investment_rial"' in public
    assert 'data-moved="facilities_paid_rial"' in public and 'data-moved="count"' not in public
    assert "۱۲۰۰ میلیارد" not in public  # rials are shown as toman
    changes = changes_since(pub, public=True)
    assert [r["title"] for r in changes["records"]] == ["کارگاه پوشاک بانوان"]


def test_a_project_no_longer_public_is_counted_not_named(
    client, week, provincial, admin_user, lorestan, county_officer
):
    a, b = week
    from tests.factories import UserFactory

    other_province = UserFactory(
        role="provincial", province=Province.objects.get(code="IR-23"), username="tehran-provincial"
    )
    pub = publication_publish_press(
        acting_user=provincial, province=lorestan, start=WEEK_1404[0], end=WEEK_1404[1]
    )
    from taavon.projects.services import project_delete

    project_delete(acting_user=admin_user, project=b, reason="ثبت تکراری طرح")
    public = changes_since(pub, public=True)
    assert public["hidden"] == 1 and all(r["title"] != "جایگاه سوخت" for r in public["records"])
    staff = changes_since(pub, public=False)
    assert staff["hidden"] == 0 and "جایگاه سوخت" in [r["title"] for r in staff["records"]]
    page = client.get(reverse("publications:changes", args=[pub.token])).content.decode()
    assert "جایگاه سوخت" not in page and "دیگر عمومی نیست" in page
    # staff whose jurisdiction is not the whole province see what the public sees; the province's staff more
    for user, named in ((county_officer, False), (other_province, False), (provincial, True)):
        client.force_login(user)
        page = client.get(reverse("publications:changes", args=[pub.token])).content.decode()
        assert ("جایگاه سوخت" in page) is named, user.username


def test_an_unknown_permalink_is_404(client, reference_data):
    assert client.get(reverse("publications:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("publications:changes", args=["nope"])).status_code == 404


def test_a_name_corrected_later_leaves_the_published_paragraph_as_it_was(
    week, provincial, lorestan, khorramabad
):
    """The paragraph names the activities, the counties and the province: renamed later (an administrator's
    correction of the reference data, which keeps its history), the paragraph as of the publication still has the
    names it was written with; today's has the new ones."""
    a, _b = week
    pub = publication_publish_press(
        acting_user=provincial, province=lorestan, start=WEEK_1404[0], end=WEEK_1404[1]
    )
    activity = a.activity
    old_activity, old_county = activity.name_fa, khorramabad.name_fa
    assert old_activity in pub.text and old_county in pub.text
    activity.name_fa = "پوشاک و منسوجات"
    activity.save()
    khorramabad.name_fa = "خرم‌آباد (مرکز استان)"
    khorramabad.save()
    assert regenerate(pub)["paragraph"] == pub.text
    now = changes_since(pub, public=True)["paragraph_now"]
    assert "پوشاک و منسوجات" in now and "خرم‌آباد (مرکز استان)" in now
