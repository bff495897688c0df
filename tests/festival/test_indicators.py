"""Each computed criterion against values computed by hand on a small data set made through the services. The
edition is 1404, its applications close on 10 Tir 1404 (2025-07-01): the window runs from 1 Farvardin 1402
(2023-03-21) to that day."""

import datetime
from decimal import Decimal

import pytest

from taavon.events.models import Booth, Exhibition
from taavon.festival.indicators import INDICATORS, reference_day, window_start
from taavon.members.services import (
    assembly_record,
    membership_add,
    membership_end,
    person_register,
    return_file,
)
from taavon.persian import national_code_check_digit
from taavon.projects.services import project_change_stage
from tests.factories import make_cooperative, make_project
from tests.festival.candidates_setup import make_edition

pytestmark = pytest.mark.django_db

D = datetime.date
CODES = {
    "years_active",
    "member_growth",
    "jobs_created",
    "revenue_growth",
    "assemblies_on_time",
    "returns_on_time",
    "women_share",
    "projects_opened",
    "exhibitions",
}


@pytest.fixture
def edition(admin_user, lorestan):
    return make_edition(acting_user=admin_user, province=lorestan)


def _person(admin, code, gender):
    return person_register(
        acting_user=admin, national_code=code, first_name="مریم", last_name="احمدی", gender=gender
    )


NATIONAL_CODES = [f"00{n:07d}" + national_code_check_digit(f"00{n:07d}") for n in range(4100001, 4100007)]


@pytest.fixture
def coop(admin_user, lorestan):
    """Registered 2015-05-01. Members: 4 from 2020 (2 women), one man leaves 2024-06-01, two women join in 2024.
    Projects: opened 2024-05-01 (6 + 4 jobs), 2022-01-01 (outside the window, 100 jobs), 2025-02-01 (3 jobs).
    Returns: 1401 (1000, on time), 1402 (800, late), 1403 (1000, not yet due on 2025-07-01).
    Ordinary assemblies: 2022-06-01, 2023-05-01 (11 months: on time), 2024-10-01 (17: late), 2025-05-01 (7: on time).
    Booths: 1400 (outside), 1403, 1404."""
    c = make_cooperative(acting_user=admin_user, registration_date=D(2015, 5, 1))
    genders = ["female", "female", "male", "male", "female", "female"]
    people = []
    for code, gender in zip(NATIONAL_CODES, genders, strict=True):
        people.append(_person(admin_user, code, gender))
    members = [
        membership_add(acting_user=admin_user, cooperative=c, person=p, join_date=D(2020, 1, 1))
        for p in people[:4]
    ]
    membership_end(acting_user=admin_user, membership=members[3], leave_date=D(2024, 6, 1), reason="استعفا")
    for p in people[4:]:
        membership_add(acting_user=admin_user, cooperative=c, person=p, join_date=D(2024, 1, 1))
    make_project(
        acting_user=admin_user,
        cooperative=c,
        stage="opened",
        stage_date=D(2024, 5, 1),
        jobs_direct_actual=6,
        jobs_indirect_actual=4,
    )
    old = make_project(
        acting_user=admin_user, cooperative=c, jobs_direct_actual=100, start_date=D(2020, 1, 1)
    )
    for step, day in (("construction", D(2020, 6, 1)), ("ready", D(2021, 6, 1)), ("opened", D(2022, 1, 1))):
        project_change_stage(acting_user=admin_user, project=old, to_stage=step, date=day)
    make_project(
        acting_user=admin_user,
        cooperative=c,
        stage="opened",
        stage_date=D(2025, 2, 1),
        jobs_direct_actual=3,
    )
    make_project(acting_user=admin_user, cooperative=c, stage="construction", jobs_direct_actual=50)
    for year, revenue, filed in (
        (1401, 1000, D(2023, 6, 1)),
        (1402, 800, D(2024, 9, 1)),
        (1403, 1000, D(2025, 6, 1)),
    ):
        return_file(
            acting_user=admin_user, cooperative=c, fiscal_year=year, filed_on=filed, revenue_rial=revenue
        )
    for day in (D(2022, 6, 1), D(2023, 5, 1), D(2024, 10, 1), D(2025, 5, 1)):
        assembly_record(acting_user=admin_user, cooperative=c, date=day)
    assembly_record(acting_user=admin_user, cooperative=c, date=D(2024, 1, 1), kind="extraordinary")
    for year, start in ((1400, D(2021, 7, 1)), (1403, D(2024, 7, 1)), (1404, D(2025, 6, 1))):
        ex = Exhibition.objects.create(
            year=year,
            title=f"نمایشگاه {year}",
            province=lorestan,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=3),
            created_by=admin_user,
        )
        Booth.objects.create(exhibition=ex, number="1", cooperative=c, products="پوشاک")
    c.refresh_from_db()
    return c


def test_every_computed_criterion_has_an_indicator_with_a_formula(edition):
    computed = set(edition.criteria.filter(kind="computed").values_list("indicator", flat=True))
    assert computed == CODES == set(INDICATORS)
    for indicator in INDICATORS.values():
        assert str(indicator.formula)


def test_the_window(edition):
    assert window_start(edition) == D(2023, 3, 21)
    assert reference_day(edition) == D(2025, 7, 1)


def _value(code, coop, edition):
    return INDICATORS[code].compute(coop, edition)


def test_years_active(coop, edition):
    raw, evidence = _value("years_active", coop, edition)
    assert raw == Decimal(10)  # 2015-05-01 → 2025-07-01
    assert evidence[0]["url"] == "registry:detail" and evidence[0]["label"] == "2015-05-01"


def test_member_growth(coop, edition):
    raw, evidence = _value("member_growth", coop, edition)
    # 4 members on 2023-03-21; on 2025-07-01: 4 − 1 + 2 = 5 → (5 − 4) ÷ 4 × 100
    assert raw == Decimal(25)
    assert [e["value"] for e in evidence] == ["4", "5"]


def test_women_share(coop, edition):
    raw, evidence = _value("women_share", coop, edition)
    assert raw == Decimal(80)  # 4 women of 5 members
    assert [e["value"] for e in evidence] == ["4", "5"]


def test_jobs_created_and_projects_opened(coop, edition):
    raw, evidence = _value("jobs_created", coop, edition)
    assert raw == Decimal(
        13
    )  # 6 + 4 and 3; the 2022 project is outside the window, the one building not opened
    assert [e["value"] for e in evidence] == ["10", "3"]
    assert evidence[0]["url"] == "projects:detail"
    raw, evidence = _value("projects_opened", coop, edition)
    assert raw == Decimal(2)
    assert [e["value"] for e in evidence] == ["2024-05-01", "2025-02-01"]


def test_revenue_growth(coop, edition):
    raw, evidence = _value("revenue_growth", coop, edition)
    assert raw == Decimal(25)  # (1000 − 800) ÷ 800 × 100, fiscal years 1403 and 1402
    assert [(e["label"], e["value"]) for e in evidence] == [("1402", "800"), ("1403", "1000")]


def test_returns_on_time(coop, edition):
    raw, evidence = _value("returns_on_time", coop, edition)
    # due by 2025-07-01: 1401 (deadline 2023-07-22, filed 2023-06-01) and 1402 (2024-07-21, filed 2024-09-01);
    # 1403's deadline (2025-07-22) has not come
    assert raw == Decimal(50)
    assert [(e["label"], e["value"]) for e in evidence] == [("1401", "1"), ("1402", "0")]


def test_assemblies_on_time(coop, edition):
    raw, evidence = _value("assemblies_on_time", coop, edition)
    # in the window: 2023-05-01 (11 months after 2022-06-01), 2024-10-01 (17 months: late), 2025-05-01 (7) → 2 ÷ 3
    assert raw == Decimal("66.6667")
    assert [e["value"] for e in evidence] == ["1", "0", "1"]


def test_exhibitions(coop, edition):
    raw, evidence = _value("exhibitions", coop, edition)
    assert raw == Decimal(2)  # 1403 and 1404; 1400 is outside
    assert [e["label"] for e in evidence] == ["نمایشگاه 1403", "نمایشگاه 1404"]


def test_a_cooperative_without_records(admin_user, edition):
    bare = make_cooperative(acting_user=admin_user, registration_date=None, members_women=0, members_men=0)
    values = {code: _value(code, bare, edition)[0] for code in CODES}
    assert values == {
        "years_active": None,
        "member_growth": None,
        "jobs_created": Decimal(0),
        "revenue_growth": None,
        "assemblies_on_time": Decimal(0),
        "returns_on_time": Decimal(0),  # 1401 and 1402 due, neither filed
        "women_share": None,
        "projects_opened": Decimal(0),
        "exhibitions": Decimal(0),
    }


def test_women_share_from_the_identity_record_without_membership_records(admin_user, edition):
    c = make_cooperative(acting_user=admin_user, members_women=3, members_men=9)
    raw, evidence = _value("women_share", c, edition)
    assert raw == Decimal(25)
    assert evidence[0]["url"] == "registry:detail"


def test_the_criteria_as_of_a_moment_are_those_computed_then(admin_user, coop, edition):
    """Issue 18: every computed criterion, read again as of the moment it was computed, equals what was computed
    then — after a member joined, a project opened, its jobs were corrected, an assembly and a return recorded."""
    from django.utils import timezone

    from taavon.festival.indicators import criteria_as_of
    from taavon.projects.models import Project
    from taavon.projects.services import project_update

    then = {code: i.compute(coop, edition) for code, i in INDICATORS.items()}
    moment = timezone.now()
    assert criteria_as_of(coop.pk, edition, moment) == then
    membership_add(
        acting_user=admin_user,
        cooperative=coop,
        person=_person(admin_user, "0041000072", "female"),
        join_date=D(2023, 1, 1),
    )
    opened = Project.objects.filter(cooperative=coop, actual_opening_date=D(2024, 5, 1)).get()
    project_update(acting_user=admin_user, project=opened, jobs_direct_actual=60)
    make_project(acting_user=admin_user, cooperative=coop, stage="opened", stage_date=D(2025, 3, 1))
    assembly_record(acting_user=admin_user, cooperative=coop, date=D(2025, 6, 1))
    return_file(
        acting_user=admin_user, cooperative=coop, fiscal_year=1400, filed_on=D(2022, 6, 1), revenue_rial=5
    )
    now = {code: i.compute(coop, edition) for code, i in INDICATORS.items()}
    moved = {code for code in INDICATORS if now[code] != then[code]}
    assert {"member_growth", "women_share", "jobs_created", "projects_opened"} <= moved
    assert criteria_as_of(coop.pk, edition, moment) == then
    assert criteria_as_of(coop.pk, edition, timezone.now()) == now
