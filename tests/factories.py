"""Factories shared by the tests. Cooperatives are made through the registry's services (rules and audit apply)."""

import datetime
import itertools
import random

import factory
from faker import Faker

from taavon.persian import legal_id_check_digit

fake = Faker("fa_IR")
PASSWORD = "test-pass-1404"
_names = itertools.count(1)


def ensure_reference_data() -> None:
    from taavon.places.loading import load_aliases, load_places
    from taavon.places.models import County, CountyAlias, Province
    from taavon.registry.lists import seed_lists
    from taavon.registry.models import Activity, CooperativeType, Sector

    if not Province.objects.filter(code="IR-15").exists():
        load_places(Province, County)
    if not CountyAlias.objects.exists():
        load_aliases(County, CountyAlias)
    if not Sector.objects.exists():
        seed_lists(Sector, Activity, CooperativeType)
    from taavon.servicedesk.lists import seed_categories
    from taavon.servicedesk.models import Category

    if not Category.objects.exists():
        seed_categories(Category)
    from taavon.visits.lists import seed_purposes
    from taavon.visits.models import Purpose

    if not Purpose.objects.exists():
        seed_purposes(Purpose)
    import importlib

    from django.apps import apps

    from taavon.servicedesk.models import Holiday

    if not Holiday.objects.exists():  # the official holidays the migration seeded (working-day deadlines)
        importlib.import_module("taavon.servicedesk.migrations.0003_holidays").forwards(apps, None)


def valid_legal_id(rng: random.Random | None = None) -> str:
    rng = rng or random
    first10 = "10" + f"{rng.randrange(10**6, 10**7)}" + str(rng.randrange(10))
    return first10 + legal_id_check_digit(first10)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    role = "viewer"
    password = factory.django.Password(PASSWORD)


def make_cooperative(*, acting_user=None, county=None, name=None, status="active", **fields):
    """A cooperative registered through the service (and moved to `status` through the lifecycle service)."""
    from taavon.places.models import County
    from taavon.registry.models import Activity, CooperativeType, Status
    from taavon.registry.services import cooperative_change_status, cooperative_register

    ensure_reference_data()
    acting_user = acting_user or UserFactory(role="admin", username="factory-admin")
    county = county or County.objects.get(province__code="IR-15", name_en="Khorramabad")
    activity = fields.pop("activity", None) or Activity.objects.get(code="clothing")
    data = {
        # a number keeps names distinct after normalisation too (Faker's "ايران خودروديزل" and
        # "ایران خودرو دیزل" are one name to the registry)
        "name": name or f"تعاونی {fake.company()} {next(_names)}",
        "legal_id": valid_legal_id(),
        "registration_number": str(random.randrange(100, 99999)),
        "registration_date": datetime.date(2015, 5, 1),
        "type": CooperativeType.objects.get(code="producer"),
        "sector": activity.sector,
        "activity": activity,
        "membership": "closed",
        "county": county,
        "address": "",
        "postal_code": "",
        "phone": "",
        "members_women": 3,
        "members_men": 6,
        "founding_members": 7,
        "capital_registered_rial": 1_000_000_000,
        "capital_paid_rial": 500_000_000,
        "board_term_end": None,
        "last_general_assembly": None,
        "notes": "",
    }
    data.update(fields)
    initial = Status.UNKNOWN if status == Status.UNKNOWN else Status.ACTIVE
    coop = cooperative_register(acting_user=acting_user, initial_status=initial, **data)
    path = {
        Status.DORMANT: [Status.DORMANT],
        Status.LIQUIDATING: [Status.LIQUIDATING],
        Status.DISSOLVED: [Status.LIQUIDATING, Status.DISSOLVED],
    }.get(status, [])
    for step in path:
        cooperative_change_status(
            acting_user=acting_user, cooperative=coop, to_status=step, reason="آزمون تغییر وضعیت"
        )
    coop.refresh_from_db()
    return coop


def make_project(*, acting_user=None, cooperative=None, stage="study", stage_date=None, **fields):
    """A project created through the service; `stage` is reached by walking the allowed stages."""
    from taavon.projects.services import project_change_stage, project_create

    acting_user = acting_user or UserFactory(role="admin", username="factory-admin")
    cooperative = cooperative or make_cooperative(acting_user=acting_user)
    data = {
        "cooperative": cooperative,
        "title": f"طرح {fake.word()} {next(_names)}",
        "sector": cooperative.sector,
        "activity": cooperative.activity,
        "county": cooperative.county,
        "investment_rial": 10_000_000_000,
        "members_contribution_rial": 4_000_000_000,
        "jobs_direct_planned": 10,
        "jobs_indirect_planned": 5,
        "jobs_women_planned": 3,
        "jobs_direct_actual": None,
        "jobs_indirect_actual": None,
        "jobs_women_actual": None,
        "start_date": datetime.date(2023, 3, 21),
        "expected_opening_date": datetime.date(2025, 9, 2),
        "progress_percent": 10,
        "notes": "",
    }
    data.update(fields)
    project = project_create(acting_user=acting_user, **data)
    path = {
        "licensing": ["licensing"],
        "construction": ["construction"],
        "ready": ["construction", "ready"],
        "opened": ["construction", "ready", "opened"],
        "stalled": ["construction", "stalled"],
        "cancelled": ["cancelled"],
    }.get(stage, [])
    for step in path:
        project_change_stage(
            acting_user=acting_user,
            project=project,
            to_stage=step,
            date=stage_date if step == "opened" else datetime.date(2024, 1, 1),
        )
    project.refresh_from_db()
    return project


def make_facility(*, acting_user, project, **fields):
    """A bank facility added through the service (a requested amount of 100 rials unless told otherwise)."""
    from taavon.projects.services import facility_add

    data = {
        "bank": "بانک ملی",
        "scheme": "",
        "requested_rial": 100,
        "approved_rial": 0,
        "paid_rial": 0,
        "requested_date": None,
        "approved_date": None,
        "paid_date": None,
    }
    data.update(fields)
    return facility_add(acting_user=acting_user, project=project, **data)


def make_inspector(*, county, username=None, **fields):
    """A county officer marked as a field inspector."""
    return UserFactory(
        role="county",
        county=county,
        province=county.province,
        is_inspector=True,
        username=username or f"inspector{next(_names)}",
        **fields,
    )


def make_visit(*, acting_user, cooperative, inspectors, planned_on=None, purpose="routine", **fields):
    """A visit put in the plan through the service (a day past: planned on that day, as the demo's history is)."""
    from taavon.visits.models import Purpose
    from taavon.visits.services import visit_plan

    ensure_reference_data()
    from django.utils import timezone

    planned_on = planned_on or timezone.localdate()
    fields.setdefault("today", min(planned_on, timezone.localdate()))
    return visit_plan(
        acting_user=acting_user,
        cooperative=cooperative,
        planned_on=planned_on,
        purpose=Purpose.objects.get(code=purpose),
        inspectors=inspectors,
        **fields,
    )


def make_report(*, acting_user, cooperative, visit=None, visited_on=None, unit_state="operating", **fields):
    """A visit's report received through the service (findings: a list of dicts, each with its actions)."""
    from taavon.visits.services import visit_report

    return visit_report(
        acting_user=acting_user,
        cooperative=cooperative,
        visit=visit,
        visited_on=visited_on or datetime.date.today(),
        unit_state=unit_state,
        **fields,
    ).visit
