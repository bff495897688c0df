"""The synthetic nation (taavon.demo.synth): valid by construction, consistent, audited, reproducible, and the staff
pages render over it."""

import random
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse

from taavon.accounts.models import Role
from taavon.demo.synth import synth
from taavon.members.models import (
    AnnualReturn,
    AssemblyKind,
    Contribution,
    Gender,
    GeneralAssembly,
    Person,
)
from taavon.members.models import Membership as MemberRow
from taavon.persian import is_valid_legal_id, is_valid_national_code, search_key
from taavon.places.models import County, Province
from taavon.projects.models import Facility, Project, Stage, StageChange
from taavon.projects.services import STAGE_TRANSITIONS
from taavon.registry.models import Cooperative, ShenasnamehSequence, Status, StatusChange
from taavon.registry.services import cooperative_field_errors
from tests.factories import UserFactory

AUDITED = [Cooperative, Person, MemberRow, Contribution, GeneralAssembly, AnnualReturn, Project, Facility]


@pytest.fixture
def admin(reference_data):
    return UserFactory(username="synth-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def nation(admin):
    return synth(cooperatives=300, members_per_coop=3, projects=60, seed=7, progress=False, acting_user=admin)


def test_counts_written(nation):
    assert nation["cooperative"] == Cooperative.objects.count() == 300
    assert nation["person"] == Person.objects.count() == 900
    assert nation["membership"] == MemberRow.objects.count() == 900
    assert nation["contribution"] == Contribution.objects.count() == 900
    assert nation["project"] == Project.objects.count() == 60
    assert Facility.objects.exists() and StageChange.objects.exists() and AnnualReturn.objects.exists()


def test_every_row_passes_full_clean_on_a_sample(nation):
    rng = random.Random(1)
    for model in [*AUDITED, StatusChange, StageChange]:
        ids = list(model.objects.values_list("pk", flat=True))
        for obj in model.objects.filter(pk__in=rng.sample(ids, min(40, len(ids)))):
            obj.full_clean()
    for coop in Cooperative.objects.select_related("activity", "sector"):
        assert cooperative_field_errors(coop, has_members=True) == {}


def test_identifiers_valid_and_unique(nation):
    codes = list(Person.objects.values_list("national_code", flat=True))
    assert all(is_valid_national_code(c) and len(c) == 10 for c in codes)
    assert len(set(codes)) == len(codes)
    legal = list(Cooperative.objects.exclude(legal_id=None).values_list("legal_id", flat=True))
    assert len(legal) > 250
    assert all(is_valid_legal_id(x) for x in legal)
    assert len(set(legal)) == len(legal)
    names = list(Cooperative.objects.values_list("county_id", "name", "name_key"))
    assert all(key == search_key(name) for _, name, key in names)
    assert len({(county, key) for county, _, key in names}) == len(names)
    for p in Person.objects.all()[:50]:
        assert p.name_key == search_key(f"{p.first_name} {p.last_name}")


def test_shenasnameh_numbers_follow_the_sequences(nation):
    provinces = {p.pk: p.number for p in Province.objects.all()}
    issued = defaultdict(list)
    for shenasnameh, province_id in Cooperative.objects.values_list("shenasnameh", "county__province_id"):
        number, year, seq = shenasnameh.split("-")
        assert number == provinces[province_id]
        issued[(province_id, int(year))].append(int(seq))
    for (province_id, year), numbers in issued.items():
        last = ShenasnamehSequence.objects.get(province_id=province_id, jalali_year=year).last
        assert sorted(numbers) == list(range(last - len(numbers) + 1, last + 1))


def test_spread_over_the_country(nation):
    assert Cooperative.objects.values("county__province").distinct().count() >= 25
    assert Cooperative.objects.values("county").distinct().count() >= 150
    statuses = Counter(Cooperative.objects.values_list("status", flat=True))
    assert statuses[Status.ACTIVE] > statuses[Status.DORMANT] > 0
    assert statuses[Status.LIQUIDATING] and statuses[Status.DISSOLVED]
    assert County.objects.count() == 479  # every county can be drawn


def test_figures_consistent_with_the_records(nation):
    open_ = Q(memberships__leave_date__isnull=True)
    rows = Cooperative.objects.annotate(
        women=Count("memberships", filter=open_ & Q(memberships__person__gender=Gender.FEMALE)),
        men=Count("memberships", filter=open_ & Q(memberships__person__gender=Gender.MALE)),
    )
    for coop in rows:
        assert (coop.members_women, coop.members_men) == (coop.women, coop.men)
        assert coop.members_women + coop.members_men == 3
    paid = dict(
        Contribution.objects.values("membership__cooperative")
        .annotate(s=Sum("amount_rial"))
        .values_list("membership__cooperative", "s")
    )
    last = dict(
        GeneralAssembly.objects.filter(kind=AssemblyKind.ORDINARY)
        .values("cooperative")
        .annotate(d=Max("date"))
        .values_list("cooperative", "d")
    )
    for coop in Cooperative.objects.all():
        assert coop.capital_paid_rial == paid[coop.pk] <= coop.capital_registered_rial
        assert coop.last_general_assembly == last.get(coop.pk)
        changes = list(coop.status_changes.order_by("changed_at", "id"))
        if coop.status == Status.UNKNOWN:
            assert changes == []
        else:
            assert changes[0].from_status == Status.UNKNOWN
            assert changes[-1].to_status == coop.status
            assert all(a.to_status == b.from_status for a, b in zip(changes, changes[1:], strict=False))
    for project in Project.objects.select_related("cooperative"):
        assert project.cooperative.status == Status.ACTIVE
        steps = list(project.stage_changes.order_by("date", "id"))
        assert (steps[-1].to_stage if steps else Stage.STUDY) == project.stage
        previous = Stage.STUDY
        for step in steps:
            assert step.from_stage == previous and step.to_stage in STAGE_TRANSITIONS[previous]
            previous = step.to_stage
        assert (project.actual_opening_date is not None) == (project.stage == Stage.OPENED)


def test_history_rows_for_every_record(nation, admin):
    for model in AUDITED:
        ids = set(model.objects.values_list("pk", flat=True))
        history = model.history.filter(history_type="+")
        assert set(history.values_list("id", flat=True)) == ids, model
        assert set(history.values_list("history_user_id", flat=True)) == {admin.pk}
    version = Cooperative.history.first()
    assert version.version == 1 and version.history_date is not None


def test_a_second_run_adds_more_without_clashes(nation, admin):
    synth(cooperatives=100, members_per_coop=2, seed=7, progress=False, acting_user=admin)
    assert Cooperative.objects.count() == 400
    assert Person.objects.count() == 1100
    codes = Person.objects.values_list("national_code", flat=True)
    assert len(set(codes)) == 1100


def test_reproducible(admin):
    def load():
        with transaction.atomic():
            synth(cooperatives=50, members_per_coop=2, projects=5, seed=3, progress=False, acting_user=admin)
            rows = list(
                Cooperative.objects.order_by("pk").values_list(
                    "shenasnameh", "name", "legal_id", "status", "capital_paid_rial"
                )
            )
            people = list(Person.objects.order_by("pk").values_list("national_code", "first_name"))
            transaction.set_rollback(True)
        return rows, people

    assert load() == load()


def test_staff_pages_render(nation, admin, client):
    client.force_login(admin)
    assert client.get(reverse("registry:list")).status_code == 200
    assert client.get(reverse("registry:list"), {"q": "تعاونی"}).status_code == 200
    coop = Cooperative.objects.filter(status=Status.ACTIVE).first()
    page = client.get(reverse("registry:detail", args=[coop.shenasnameh]))
    assert page.status_code == 200
    assert re.search(re.escape(coop.name), page.content.decode())
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_command(admin, capsys):
    call_command("synth", cooperatives=20, members_per_coop=1, projects=2, verbosity=0)
    assert Cooperative.objects.count() == 20
    assert '"cooperative": 20' in capsys.readouterr().out
