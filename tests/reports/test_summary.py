"""The dashboard's summary tables (issue 17): equal to a full recount after any sequence of the services' changes,
the dashboard's figures from them equal to the live aggregates, the jurisdiction applied, the stale flag said on
the page, and `taavon summaries --check / --rebuild`."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taavon.places.models import County
from taavon.projects import summary as project_summary
from taavon.projects.models import Stage
from taavon.projects.selectors import ProjectFilters
from taavon.projects.services import (
    STAGE_TRANSITIONS,
    facility_update,
    project_change_stage,
    project_update,
)
from taavon.registry import summary as registry_summary
from taavon.registry.bulk import cooperatives_register_many
from taavon.registry.models import Activity, CooperativeType, Status
from taavon.registry.services import (
    TRANSITIONS,
    cooperative_change_status,
    cooperative_set_derived,
    cooperative_update,
)
from taavon.reports import selectors
from tests.factories import (
    UserFactory,
    ensure_reference_data,
    make_cooperative,
    make_facility,
    make_project,
    valid_legal_id,
)

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


class _Rollback(Exception):
    pass


def _assert_equal_to_recount():
    assert registry_summary.counts_check() == []
    assert project_summary.sums_check() == []


def _row(county, activity, status):
    n = next(_serial)
    return {
        "name": f"تعاونی انبوه آزمون {n}",
        "legal_id": valid_legal_id(),
        "registration_number": str(1000 + n),
        "registration_date": datetime.date(2015, 5, 1),
        "type": CooperativeType.objects.get(code="producer"),
        "sector": activity.sector,
        "activity": activity,
        "membership": "closed",
        "county": county,
        "address": "",
        "postal_code": "",
        "phone": "",
        "members_women": n % 5,
        "members_men": n % 7,
        "founding_members": 7,
        "capital_registered_rial": 1_000_000_000,
        "capital_paid_rial": 10_000_000 * (n % 9),
        "board_term_end": None,
        "last_general_assembly": None,
        "notes": "",
        "status": status,
    }


def _activities():
    by_sector = {}
    for a in Activity.objects.select_related("sector").order_by("id"):
        by_sector.setdefault(a.sector_id, a)
    return list(by_sector.values())[:3]


OPERATIONS = (
    "register",
    "status",
    "update",
    "members",
    "bulk",
    "project",
    "stage",
    "investment",
    "facility",
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_summaries_equal_a_recount_after_every_change(data, django_db_blocker):
    """A random sequence of the services' changes; after each, both summaries equal a full recount."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                ensure_reference_data()
                admin = UserFactory(role="admin", username="summary-admin")
                counties = list(County.objects.filter(province__code="IR-15").order_by("id")[:3])
                activities = _activities()
                coops = [make_cooperative(acting_user=admin, county=counties[0], activity=activities[0])]
                projects, facilities = [], []
                for _ in range(data.draw(st.integers(1, 8), label="steps")):
                    op = data.draw(st.sampled_from(OPERATIONS), label="operation")
                    try:  # a change the rules refuse leaves the summaries as they were too
                        if op == "register" or (
                            not coops and op in ("status", "update", "members", "project")
                        ):
                            activity = data.draw(st.sampled_from(activities))
                            coops.append(
                                make_cooperative(
                                    acting_user=admin,
                                    county=data.draw(st.sampled_from(counties)),
                                    activity=activity,
                                    status=data.draw(st.sampled_from(["active", "unknown", "dormant"])),
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
                                    reason="آزمون خلاصه‌ها",
                                )
                        elif op == "update":
                            coop = data.draw(st.sampled_from(coops))
                            activity = data.draw(st.sampled_from(activities))
                            cooperative_update(
                                acting_user=admin,
                                cooperative=coop,
                                county=data.draw(st.sampled_from(counties)),
                                sector=activity.sector,
                                activity=activity,
                                members_women=data.draw(st.integers(0, 50)),
                                members_men=data.draw(st.integers(0, 50)),
                            )
                        elif op == "members":  # what members' refresh_cooperative_figures stores
                            cooperative_set_derived(
                                acting_user=admin,
                                cooperative=data.draw(st.sampled_from(coops)),
                                members_women=data.draw(st.integers(0, 30)),
                                members_men=data.draw(st.integers(0, 30)),
                                capital_paid_rial=data.draw(st.integers(0, 10**9)),
                            )
                        elif op == "bulk":
                            rows = [
                                _row(
                                    data.draw(st.sampled_from(counties)),
                                    data.draw(st.sampled_from(activities)),
                                    data.draw(
                                        st.sampled_from([Status.ACTIVE, Status.UNKNOWN, Status.DORMANT])
                                    ),
                                )
                                for _ in range(data.draw(st.integers(1, 4)))
                            ]
                            coops += cooperatives_register_many(acting_user=admin, rows=rows)
                        elif op == "project" or (not projects and op in ("stage", "investment", "facility")):
                            coop = data.draw(st.sampled_from(coops))
                            coop.refresh_from_db()
                            projects.append(
                                make_project(
                                    acting_user=admin,
                                    cooperative=coop,
                                    county=data.draw(st.sampled_from(counties)),
                                    jobs_direct_actual=data.draw(st.none() | st.integers(0, 20)),
                                )
                            )
                        elif op == "stage":
                            project = data.draw(st.sampled_from(projects))
                            project.refresh_from_db()
                            allowed = sorted(STAGE_TRANSITIONS[project.stage] - {Stage.OPENED})
                            if allowed:
                                project_change_stage(
                                    acting_user=admin,
                                    project=project,
                                    to_stage=data.draw(st.sampled_from(allowed)),
                                    date=datetime.date(2024, 1, 1),
                                )
                        elif op == "investment":
                            project = data.draw(st.sampled_from(projects))
                            investment = data.draw(st.integers(1, 10**11))
                            project_update(
                                acting_user=admin,
                                project=project,
                                investment_rial=investment,
                                members_contribution_rial=data.draw(st.integers(0, investment)),
                                jobs_direct_planned=data.draw(st.integers(0, 40)),
                                jobs_direct_actual=data.draw(st.none() | st.integers(0, 40)),
                            )
                        elif op == "facility":
                            if facilities and data.draw(st.booleans()):
                                facility = data.draw(st.sampled_from(facilities))
                                facility_update(
                                    acting_user=admin,
                                    facility=facility,
                                    requested_rial=500,
                                    approved_rial=300,
                                )
                            else:
                                facilities.append(
                                    make_facility(
                                        acting_user=admin,
                                        project=data.draw(st.sampled_from(projects)),
                                        requested_rial=200,
                                    )
                                )
                    except ValidationError:
                        pass
                    _assert_equal_to_recount()
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def nation(admin_user, khorramabad, borujerd):
    """Cooperatives of every status in two counties and two sectors, projects at several stages with facilities,
    and one project in Khorramabad of a cooperative of Borujerd (visible to neither county's officer alone)."""
    activities = _activities()
    coops = []
    for i, (county, status) in enumerate(
        itertools.product([khorramabad, borujerd], ["active", "dormant", "unknown", "dissolved"])
    ):
        coops.append(
            make_cooperative(acting_user=admin_user, county=county, status=status, activity=activities[i % 2])
        )
    for i, stage in enumerate(["study", "construction", "opened", "cancelled", "ready"]):
        project = make_project(
            acting_user=admin_user,
            cooperative=coops[(0, 1, 2, 4, 5)[i]],  # coops[3] is dissolved
            stage=stage,
            stage_date=datetime.date(2025, 9, 3),
            investment_rial=(i + 1) * 1_000_000_000,
            members_contribution_rial=0,
        )
        make_facility(
            acting_user=admin_user,
            project=project,
            requested_rial=900,
            approved_rial=600,
            paid_rial=i,
            paid_date=datetime.date(2025, 1, 1),
        )
    crossing = make_project(
        acting_user=admin_user, cooperative=coops[5], county=khorramabad, stage="construction"
    )
    make_facility(
        acting_user=admin_user,
        project=crossing,
        requested_rial=77,
        approved_rial=70,
        paid_rial=7,
        paid_date=datetime.date(2025, 1, 1),
    )
    return coops


def _figures(user, filters, source):
    return {
        "county": selectors.cooperatives_by_county(user=user, filters=filters, source=source),
        "sector": selectors.cooperatives_by_sector(user=user, filters=filters, source=source),
        "members": selectors.cooperative_members(user=user, filters=filters, source=source),
        "totals": {
            k: v
            for k, v in selectors.dashboard_project_totals(user=user, filters=filters, source=source).items()
            if k not in ("activities", "by_stage")
        },
        "stages": selectors.dashboard_projects_by_stage(user=user, filters=filters, source=source),
    }


def test_dashboard_figures_from_the_summaries_equal_the_live_aggregates(
    nation, admin_user, provincial, county_officer, khorramabad, lorestan
):
    sector = nation[0].sector_id
    for user in (admin_user, provincial, county_officer):
        for filters in (
            ProjectFilters(),
            ProjectFilters(province=lorestan.pk),
            ProjectFilters(county=khorramabad.pk),
            ProjectFilters(sector=sector),
            ProjectFilters(stage=Stage.CONSTRUCTION),
        ):
            source = selectors.dashboard_sources(filters)
            assert source.cooperatives and source.projects and not source.stale
            live = selectors.dashboard_sources(filters, live=True)
            assert _figures(user, filters, source) == _figures(user, filters, live), (user.role, filters)


def test_a_county_officer_reads_only_the_counties_summary_rows(nation, county_officer, borujerd):
    source = selectors.dashboard_sources(ProjectFilters())
    figures = _figures(county_officer, ProjectFilters(), source)
    assert [r["id"] for r in figures["county"]["rows"]] == [county_officer.county_id]
    assert borujerd.pk not in [g["id"] for g in figures["totals"]["by_county"]]
    # the project of a Borujerd cooperative in Khorramabad is not the officer's (as in the project list)
    assert (
        figures["totals"]["facilities_paid_rial"] == 0 + 1 + 2
    )  # the projects of coops 0..2 (Khorramabad's)
    source = selectors.dashboard_sources(ProjectFilters())  # a new page: its summaries' rows not yet read
    with CaptureQueriesContext(connection) as queries:
        _figures(county_officer, ProjectFilters(), source)
    counts = [q["sql"] for q in queries if '"registry_cooperativecount"' in q["sql"]]
    assert counts and all(f'"county_id" IN ({county_officer.county_id})' in sql for sql in counts)


def test_a_filter_the_summaries_do_not_hold_counts_from_the_records(nation):
    source = selectors.dashboard_sources(ProjectFilters(q="تعاونی"))
    assert source.cooperatives and not source.projects and not source.stale


def test_dashboard_query_count_is_constant_on_the_summaries(client, admin_user, provincial, khorramabad):
    client.force_login(provincial)
    make_project(acting_user=admin_user)
    client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:dashboard"))
    for i in range(4):
        coop = make_cooperative(acting_user=admin_user, status="dormant" if i % 2 else "active")
        make_project(acting_user=admin_user, cooperative=coop, stage="construction")
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert len(large) == len(small)
    sql = " ".join(q["sql"] for q in large)
    assert "registry_cooperativecount" in sql and "projects_projectsum" in sql


def test_a_stale_summary_is_said_and_not_read(client, nation, provincial):
    client.force_login(provincial)
    fresh = client.get(reverse("reports:dashboard"))
    registry_summary.CooperativeCount.objects.update(cooperatives=0)  # as a raw load would leave it
    registry_summary.counts_mark_stale()
    response = client.get(reverse("reports:dashboard"))
    assert "بازسازی" in response.content.decode() or "rebuilt" in response.content.decode()
    assert response.context["kpis"] == fresh.context["kpis"]  # counted from the records
    sql_source = selectors.dashboard_sources(ProjectFilters())
    assert sql_source.stale and not sql_source.cooperatives
    registry_summary.counts_rebuild()
    assert not selectors.dashboard_sources(ProjectFilters()).stale
    _assert_equal_to_recount()


def test_summaries_command_checks_and_rebuilds(nation, capsys):
    call_command("summaries", "--check")
    assert "equal to a recount" in capsys.readouterr().out
    project_summary.ProjectSum.objects.filter(stage=Stage.STUDY, projects__gt=0).update(projects=99)
    registry_summary.CooperativeCount.objects.all()[:1].get().delete()
    with pytest.raises(CommandError) as failed:
        call_command("summaries", "--check")
    assert failed.value.returncode == 1
    assert len(registry_summary.counts_check()) == 1 and len(project_summary.sums_check()) == 1
    call_command("summaries", "--rebuild")
    call_command("summaries", "--check")
    call_command("summaries")
    assert "current" in capsys.readouterr().out


def test_deleting_imported_cooperatives_takes_them_off(admin_user, khorramabad):
    from taavon.registry.bulk import cooperatives_delete_imported

    activity = _activities()[0]
    coops = cooperatives_register_many(
        acting_user=admin_user, rows=[_row(khorramabad, activity, Status.ACTIVE) for _ in range(3)]
    )
    _assert_equal_to_recount()
    cooperatives_delete_imported(acting_user=admin_user, cooperatives=coops[:2], reason="آزمون برگرداندن")
    _assert_equal_to_recount()
