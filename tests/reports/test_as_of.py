"""Figures as of any date (issue 18): a random sequence of the services' changes, each recorded at its own minute;
the figures taken after each step — the dashboard's tables (from the summaries, as a page shows them today), the
press paragraph and its numbers, the statistics API — equal those computed afterwards as of each step's time."""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from taavon.core.history import recorded_at
from taavon.persian import to_gregorian
from taavon.places.models import County, Province
from taavon.projects.models import Facility
from taavon.projects.selectors import ProjectFilters
from taavon.projects.services import facility_update, project_change_stage, project_update
from taavon.registry.models import Activity, Cooperative, Sector
from taavon.registry.services import TRANSITIONS, cooperative_change_status, cooperative_update
from taavon.reports import selectors
from taavon.reports.params import as_of_query
from taavon.reports.views import _tables
from tests.factories import UserFactory, ensure_reference_data, make_cooperative, make_facility, make_project

pytestmark = pytest.mark.django_db

WEEK = (to_gregorian(1404, 6, 11), to_gregorian(1404, 6, 17))
_serial = itertools.count(1)


class _Rollback(Exception):
    pass


def _api(client: Client, as_of: datetime.datetime | None = None) -> dict:
    params = {"province": "IR-15", "opening_from": "1404-06-11", "opening_to": "1404-06-17"}
    if as_of is not None:
        params["as_of"] = as_of_query(as_of)
    response = client.get("/api/v1/stats/projects/", params)
    assert response.status_code == 200, response.content
    body = response.json()
    body.pop("as_of")
    return body


def _dashboard(user, source) -> dict:
    data = _tables(user, ProjectFilters(), source)
    # what the page shows of the totals (the summaries' path keeps its stage rows there, the records' path the
    # activities' names, which the dashboard does not show)
    totals = {k: v for k, v in data["totals"].items() if k not in ("by_stage", "activities")}
    return {"totals": totals, "stages": data["stages"], "tables": data["tables"]} | {
        "members": selectors.cooperative_members(user=user, filters=ProjectFilters(), source=source)
    }


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate])
@given(data=st.data())
def test_figures_as_of_each_step_equal_what_was_shown_then(data, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                cache.clear()  # the API's throttle counts in the cache
                ensure_reference_data()
                admin = UserFactory(role="admin", username="as-of-admin")
                counties = list(County.objects.filter(province__code="IR-15").order_by("id")[:3])
                officer = UserFactory(role="county", username="as-of-county", county=counties[0])
                lorestan = Province.objects.get(code="IR-15")
                activity = Activity.objects.select_related("sector").first()
                sectors = list(Sector.objects.order_by("id")[:3])
                start = timezone.now() - datetime.timedelta(days=2)
                client = Client()
                coops, projects, facilities, taken = [], [], [], []
                for step in range(data.draw(st.integers(1, 6), label="steps")):
                    moment = start + datetime.timedelta(minutes=step)
                    op = data.draw(
                        st.sampled_from(
                            [
                                "coop",
                                "project",
                                "status",
                                "move",
                                "sector",
                                "edit",
                                "project_move",
                                "stage",
                                "facility",
                                "paid",
                            ]
                        ),
                        label="operation",
                    )
                    with recorded_at(moment):
                        try:
                            if op == "coop" or not coops:
                                coops.append(
                                    make_cooperative(
                                        acting_user=admin,
                                        county=data.draw(st.sampled_from(counties)),
                                        activity=activity,
                                    )
                                )
                            elif (op == "project" or not projects) and (
                                # a project is registered for an active cooperative (the service refuses others)
                                active := [
                                    c for c in coops if Cooperative.objects.get(pk=c.pk).status == "active"
                                ]
                            ):
                                projects.append(
                                    make_project(
                                        acting_user=admin,
                                        cooperative=data.draw(st.sampled_from(active)),
                                        county=data.draw(st.sampled_from(counties)),
                                        stage=data.draw(
                                            st.sampled_from(["study", "ready", "opened", "cancelled"])
                                        ),
                                        stage_date=WEEK[0]
                                        + datetime.timedelta(days=data.draw(st.integers(0, 6))),
                                        expected_opening_date=WEEK[0]
                                        + datetime.timedelta(days=data.draw(st.integers(0, 8))),
                                        investment_rial=data.draw(st.integers(5, 500)) * 10**9,
                                        jobs_direct_planned=data.draw(st.integers(0, 50)),
                                    )
                                )
                            elif op == "status":
                                coop = data.draw(st.sampled_from(coops))
                                coop.refresh_from_db()
                                allowed = sorted(TRANSITIONS[coop.status])
                                if allowed:
                                    cooperative_change_status(
                                        acting_user=admin,
                                        cooperative=coop,
                                        to_status=data.draw(st.sampled_from(allowed)),
                                        reason="آزمون ارقام گذشته",
                                    )
                            elif (
                                op == "move"
                            ):  # a cooperative to another county: the officer's figures move too
                                coop = data.draw(st.sampled_from(coops))
                                coop.refresh_from_db()
                                cooperative_update(
                                    acting_user=admin,
                                    cooperative=coop,
                                    county=data.draw(st.sampled_from(counties)),
                                )
                            elif op == "sector":  # a cooperative's sector corrected: the sector table moves
                                coop = data.draw(st.sampled_from(coops))
                                coop.refresh_from_db()
                                sector = data.draw(st.sampled_from(sectors))
                                cooperative_update(
                                    acting_user=admin, cooperative=coop, sector=sector, activity=None
                                )
                            elif not projects:
                                pass  # no project yet (no active cooperative to register one for): nothing to change
                            elif op == "project_move":  # a project's county corrected
                                project = data.draw(st.sampled_from(projects))
                                project_update(
                                    acting_user=admin,
                                    project=project,
                                    county=data.draw(st.sampled_from(counties)),
                                )
                            elif op == "edit":  # a correction of the investment, the jobs, the opening day
                                project = data.draw(st.sampled_from(projects))
                                project_update(
                                    acting_user=admin,
                                    project=project,
                                    investment_rial=data.draw(st.integers(5, 500)) * 10**9,
                                    jobs_direct_actual=data.draw(st.one_of(st.none(), st.integers(0, 60))),
                                    expected_opening_date=WEEK[0]
                                    + datetime.timedelta(days=data.draw(st.integers(-3, 9))),
                                )
                            elif op == "stage":
                                project = data.draw(st.sampled_from(projects))
                                project.refresh_from_db()
                                nxt = {"study": "cancelled", "ready": "opened", "construction": "ready"}.get(
                                    project.stage
                                )
                                if nxt:
                                    project_change_stage(
                                        acting_user=admin, project=project, to_stage=nxt, date=WEEK[0]
                                    )
                            elif op == "facility":
                                facilities.append(
                                    make_facility(
                                        acting_user=admin,
                                        project=data.draw(st.sampled_from(projects)),
                                        requested_rial=10**10,
                                        approved_rial=10**10,
                                        paid_rial=data.draw(st.integers(0, 10)) * 10**9,
                                        paid_date=datetime.date(2025, 8, 1),
                                    )
                                )
                            elif facilities:  # paid
                                facility = Facility.objects.get(pk=data.draw(st.sampled_from(facilities)).pk)
                                facility_update(
                                    acting_user=admin,
                                    facility=facility,
                                    paid_rial=data.draw(st.integers(0, 10)) * 10**9,
                                    paid_date=datetime.date(2025, 8, 1),
                                )
                        except ValidationError:
                            pass  # a change a service refuses writes nothing: the figures are what they were
                    taken.append(
                        (
                            moment + datetime.timedelta(seconds=30),
                            {
                                user.username: _dashboard(user, selectors.dashboard_sources(ProjectFilters()))
                                for user in (admin, officer)
                            },
                            selectors.press_summary(province=lorestan, start=WEEK[0], end=WEEK[1]),
                            _api(client),
                        )
                    )
                for moment, dashboards, press, api in taken:
                    for user in (admin, officer):
                        source = selectors.dashboard_sources(ProjectFilters(), as_of=moment)
                        assert _dashboard(user, source) == dashboards[user.username]
                    assert (
                        selectors.press_summary(province=lorestan, start=WEEK[0], end=WEEK[1], as_of=moment)
                        == press
                    )
                    assert _api(client, moment) == api
                raise _Rollback
        except _Rollback:
            pass


def test_the_history_path_at_now_equals_the_summaries(admin_user, khorramabad, borujerd):
    """Today's dashboard comes from the summary tables; the same figures as of now, from the history rows."""
    from tests.factories import UserFactory as Users

    officer = Users(role="county", username="as-of-now-officer", county=khorramabad)
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    other = make_cooperative(acting_user=admin_user, county=borujerd)
    make_project(acting_user=admin_user, cooperative=coop, stage="opened", stage_date=WEEK[0])
    # a project in the officer's county of a cooperative outside it: counted for the province, not the officer
    p = make_project(acting_user=admin_user, cooperative=other, county=khorramabad, stage="ready")
    make_facility(
        acting_user=admin_user,
        project=p,
        requested_rial=10**9,
        approved_rial=10**9,
        paid_rial=10**8,
        paid_date=datetime.date(2025, 8, 1),
    )
    for user in (admin_user, officer):
        summary = selectors.dashboard_sources(ProjectFilters())
        assert summary.cooperatives and summary.projects  # the summaries' path indeed
        now = timezone.now()
        assert _dashboard(user, selectors.dashboard_sources(ProjectFilters(), as_of=now)) == _dashboard(
            user, summary
        )
    assert (
        _dashboard(officer, selectors.dashboard_sources(ProjectFilters(), as_of=timezone.now()))["totals"][
            "count"
        ]
        == 1
    )


def test_a_backdated_correction_does_not_change_a_past_figure(admin_user, khorramabad):
    """A correction recorded later — even one whose own dates lie before the publication — leaves the figures of
    that day as they were: "as of" reads by when a change was recorded."""
    lorestan = Province.objects.get(code="IR-15")
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    project = make_project(
        acting_user=admin_user,
        cooperative=coop,
        stage="opened",
        stage_date=WEEK[0],
        investment_rial=195 * 10**10,
    )
    published = timezone.now()
    then = selectors.press_summary(province=lorestan, start=WEEK[0], end=WEEK[1], as_of=published)
    assert "۱۹۵" in then["paragraph"] or "195" in then["paragraph"]
    project_update(acting_user=admin_user, project=project, investment_rial=250 * 10**10)
    again = selectors.press_summary(province=lorestan, start=WEEK[0], end=WEEK[1], as_of=published)
    assert again == then
    now = selectors.press_summary(province=lorestan, start=WEEK[0], end=WEEK[1])
    assert now["totals"]["investment_rial"] == 250 * 10**10 != then["totals"]["investment_rial"]


def test_the_as_of_dashboard_asks_the_same_number_of_queries_whatever_the_records(
    client, admin_user, provincial, khorramabad, borujerd
):
    """No query a record: the as-of dashboard's queries are aggregates over the history rows, as many for three
    projects as for thirty."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        moment = as_of_query(timezone.now())
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/dashboard/", {"as_of": moment})
        assert response.status_code == 200 and b'data-testid="as-of"' in response.content
        # the figures' reads (the session's own upkeep aside)
        return len(
            [
                q
                for q in ctx.captured_queries
                if q["sql"].startswith("SELECT") and "django_session" not in q["sql"]
            ]
        )

    client.force_login(provincial)
    coops = [make_cooperative(acting_user=admin_user, county=c) for c in (khorramabad, borujerd)]
    for coop in coops:
        p = make_project(acting_user=admin_user, cooperative=coop, stage="ready")
        make_facility(
            acting_user=admin_user,
            project=p,
            requested_rial=10**9,
            approved_rial=10**9,
            paid_rial=10**8,
            paid_date=datetime.date(2025, 8, 1),
        )
    few = count()
    for i in range(14):
        coop = make_cooperative(acting_user=admin_user, county=(khorramabad, borujerd)[i % 2])
        p = make_project(acting_user=admin_user, cooperative=coop, stage=("opened", "study")[i % 2])
        make_facility(
            acting_user=admin_user,
            project=p,
            requested_rial=10**9,
            approved_rial=10**9,
            paid_rial=10**8,
            paid_date=datetime.date(2025, 8, 1),
        )
    assert count() == few
