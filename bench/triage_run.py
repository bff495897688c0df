"""Benchmark: `taavon triage run` over 100,000 cooperatives, against a baseline measured in the same run.

  baseline: raw SQL — one SELECT per rule's condition over the same tables (the rows a rule must find, nothing
  written): what the database alone needs to answer the rules;
  Taavon: the evaluation as the nightly run does it (every rule, explanations' facts, flags raised with their history
  rows in one transaction), then a second run on the same data (the idempotent nightly case: nothing changed).

The data: a temporary SQLite database, migrated, with --cooperatives cooperatives spread over Lorestan's counties
(registration dates, last assemblies, board terms and member counts drawn so that about a third of them trip some
rule), a membership for every third one, an annual return for every second one, a project for every tenth one —
inserted in bulk (a benchmark's data, not the demo: the services' own speed is measured elsewhere).

Not a timed test: `python bench/triage_run.py [--cooperatives 100000]`.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def build(n: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from taavon.accounts.models import User
    from taavon.members.models import AnnualReturn, GeneralAssembly, Membership, Person
    from taavon.persian import search_key
    from taavon.places.models import County
    from taavon.registry.models import Activity, Cooperative, CooperativeType

    counties = list(County.objects.filter(province__code="IR-15"))
    activities = list(Activity.objects.select_related("sector"))
    kinds = list(CooperativeType.objects.all())
    today = datetime.date(2026, 11, 29)
    admin = User.objects.create(username="bench", role="admin", is_superuser=True)
    coops = []
    for i in range(n):
        activity = rng.choice(activities)
        registered = today - datetime.timedelta(days=rng.randint(200, 9000))
        assembly = registered + datetime.timedelta(days=rng.randint(0, (today - registered).days))
        coops.append(
            Cooperative(
                shenasnameh=f"15-1405-{i:05d}" if i < 100000 else f"15-1406-{i - 100000:05d}",
                name=f"تعاونی آزمون {i}",
                name_key=search_key(f"تعاونی آزمون {i}"),
                registration_date=registered,
                type=rng.choice(kinds),
                sector=activity.sector,
                activity=activity,
                membership="closed",
                county=rng.choice(counties),
                members_women=rng.randint(0, 20),
                members_men=rng.randint(0, 20),
                board_term_end=assembly + datetime.timedelta(days=3 * 365) if rng.random() < 0.8 else None,
                last_general_assembly=assembly if rng.random() < 0.9 else None,
                status=rng.choice(["active"] * 6 + ["dormant", "unknown", "liquidating", "dissolved"]),
            )
        )
    with transaction.atomic():
        Cooperative.objects.bulk_create(coops, batch_size=5000)
        ids = list(Cooperative.objects.values_list("id", "registration_date"))
        person = Person.objects.create(
            national_code="0076229645", first_name="بنچ", last_name="آزمون", gender="female"
        )
        Membership.objects.bulk_create(
            [
                Membership(cooperative_id=pk, person=person, join_date=reg + datetime.timedelta(days=30))
                for pk, reg in ids[::3]
            ],
            batch_size=5000,
        )
        AnnualReturn.objects.bulk_create(
            [
                AnnualReturn(cooperative_id=pk, fiscal_year=rng.choice([1402, 1403, 1404]), filed_on=today)
                for pk, _ in ids[::2]
            ],
            batch_size=5000,
        )
        GeneralAssembly.objects.bulk_create(
            [
                GeneralAssembly(cooperative_id=pk, date=reg + datetime.timedelta(days=60), kind="ordinary")
                for pk, reg in ids[::4]
            ],
            batch_size=5000,
        )
    connection.close()
    return admin


BASELINE = [
    "SELECT id FROM registry_cooperative WHERE status IN ('active','dormant','unknown') AND "
    "(last_general_assembly < %(c15)s OR (last_general_assembly IS NULL AND "
    "(registration_date < %(c15)s OR registration_date IS NULL)))",
    "SELECT id FROM registry_cooperative WHERE status IN ('active','dormant','unknown') AND board_term_end < %(c3)s",
    "SELECT c.id FROM registry_cooperative c WHERE c.status IN ('active','dormant','unknown') AND "
    "(c.registration_date < %(fy)s OR c.registration_date IS NULL) AND NOT EXISTS (SELECT 1 FROM "
    "members_annualreturn r WHERE r.cooperative_id = c.id AND r.fiscal_year = 1404)",
    "SELECT id FROM registry_cooperative WHERE status IN ('active','dormant','unknown') AND "
    "members_women + members_men < 7",
    "SELECT c.id FROM registry_cooperative c WHERE c.status IN ('active','dormant','unknown') AND "
    "COALESCE((SELECT MAX(m.join_date) FROM members_membership m WHERE m.cooperative_id = c.id), "
    "c.registration_date) < %(c24)s",
]


def baseline() -> tuple[float, int]:
    from django.db import connection

    params = {"c15": "2025-08-29", "c3": "2026-08-29", "c24": "2024-11-29", "fy": "2025-03-21"}
    t = time.perf_counter()
    found = 0
    with connection.cursor() as cursor:
        for sql in BASELINE:
            cursor.execute(sql, params)
            found += len(cursor.fetchall())
    return time.perf_counter() - t, found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cooperatives", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="taavon-bench-triage-"))
    os.environ["TAAVON_DATA_DIR"] = str(tmp)
    os.environ.pop("TAAVON_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    admin = build(args.cooperatives, random.Random(1405))
    print(f"{args.cooperatives:,} cooperatives built in {time.perf_counter() - t:.1f} s ({tmp})")

    from taavon.triage.evaluation import triage_run
    from taavon.triage.models import Flag

    today = datetime.date(2026, 11, 29)
    base, found = baseline()
    t = time.perf_counter()
    first = triage_run(acting_user=admin, today=today)
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    second = triage_run(acting_user=admin, today=today)
    second_s = time.perf_counter() - t
    flagged = Flag.objects.raised().values("cooperative").distinct().count()
    print(f"baseline (raw SQL, the rules' conditions, nothing written): {base:.2f} s, {found:,} rows")
    print(
        f"Taavon, first run:  {first_s:.1f} s — {first.evaluated:,} evaluated, {first.raised:,} flags raised "
        f"(with history), {flagged:,} cooperatives flagged — {first_s / base:.1f}× the baseline"
    )
    print(
        f"Taavon, second run: {second_s:.1f} s — {second.raised} raised, {second.cleared} cleared, {second.kept:,} "
        f"kept — {second_s / base:.1f}× the baseline"
    )
    print("goal: under 60 s on this machine (2 cores)")


if __name__ == "__main__":
    main()
