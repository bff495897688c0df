"""Benchmark: importing cooperative rows from XLSX, against two baselines measured in the same run.

  baseline A: reading the same file with openpyxl alone (read-only mode), no conversion, no database;
  baseline B: importing it with django-import-export (a ModelResource; one save per row, audit by signal).
  Taavon: the dry run (preview) and the real import, through the registry's rules, all or nothing.

Prints rows/second and the ratios. Not a timed test: run `make bench` (or `python bench/import_cooperatives.py
--rows 100000`). django-import-export runs on the first --peer-rows rows (its rate is what is compared).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PLAIN_WORDS = (
    "زاگرس کیو سفیدکوه گهر سیمره کشکان بلوط لاله آفتاب پویا آرمان روشنا الوند دنا کرخه بیستون مهرگان نیلوفر "
    "سپیدار ارغوان پارسیان اندیشه سازندگان همگام امید فردا نوین پیشگام سرزمین کوهپایه چشمه دشت کوهرنگ شقایق "
    "صنوبر هامون سرو چنار مینو کاوه بهاران تابان فرهنگ پیوند آبادگران یاوران کوشا رهپویان"
).split()


def plain_name(i: int) -> str:
    """A name without a number: three words chosen by the digits of i in base len(PLAIN_WORDS) (all distinct)."""
    n = len(PLAIN_WORDS)
    return f"تعاونی {PLAIN_WORDS[i % n]} {PLAIN_WORDS[i // n % n]} {PLAIN_WORDS[i // n // n % n]}"


def make_file(path: Path, rows: int, plain: bool = False) -> None:
    import xlsxwriter

    rng = random.Random(1404)
    counties = [
        "خرم آباد",
        "بروجرد",
        "دورود",
        "الیگودرز",
        "ازنا",
        "کوهدشت",
        "دلفان",
        "سلسله",
        "پلدختر",
        "چگنی",
        "رومشکان",
        "معمولان",
    ]
    sectors = [
        ("صنعتی", "تولیدی"),
        ("کشاورزی", "تولیدی"),
        ("معدنی", "تولیدی"),
        ("تأمین نیاز مصرف‌کنندگان", "توزیعی"),
        ("مسکن", "توزیعی"),
        ("اعتبار", "توزیعی"),
    ]
    words = [
        "زاگرس",
        "کیو",
        "سفیدکوه",
        "گهر",
        "سیمره",
        "کشکان",
        "بلوط",
        "لاله",
        "آفتاب",
        "پویا",
        "آرمان",
        "روشنا",
    ]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["فهرست تعاونی‌های استان لرستان"])
    ws.write_row(
        2,
        0,
        [
            "ردیف",
            "نام تعاونی",
            "شهرستان",
            "گرایش",
            "نوع",
            "تاریخ ثبت",
            "سرمایه پرداخت شده",
            "اعضای زن",
            "اعضای مرد",
            "وضعیت",
        ],
    )
    for i in range(rows):
        sector, kind = rng.choice(sectors)
        name = plain_name(i) if plain else f"تعاونی {rng.choice(words)} {rng.choice(words)} شماره {i + 1}"
        ws.write_row(
            3 + i,
            0,
            [
                i + 1,
                name,
                counties[i % len(counties)],
                sector,
                kind,
                f"{rng.randint(1370, 1403)}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}",
                rng.randrange(1, 5000) * 1_000_000,
                rng.randint(0, 30),
                rng.randint(7, 90),
                rng.choice(["فعال", "راکد", "فعال", "فعال"]),
            ],
        )
    wb.close()


def bench_openpyxl(path: Path) -> tuple[int, float]:
    import openpyxl

    start = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return n, time.perf_counter() - start


def bench_taavon(path: Path, user, *, plain: bool = False) -> tuple[float, float, dict]:
    from taavon.imports.services import import_commit, import_preview

    data = path.read_bytes()
    start = time.perf_counter()
    batch, outcome = import_preview(acting_user=user, kind="cooperatives", data=data, filename=path.name)
    preview = time.perf_counter() - start
    # numbered names are all distinct; plain ones may be one letter apart (held for the user: only near names)
    assert {p["column"] for p in outcome.problems()} <= ({"نام تعاونی"} if plain else set()), (
        outcome.problems()[:3]
    )
    start = time.perf_counter()
    outcome = import_commit(acting_user=user, batch=batch, valid_only=plain)
    commit = time.perf_counter() - start
    assert outcome.committed
    return preview, commit, outcome.counts


def bench_import_export(path: Path, rows: int) -> tuple[int, float, int]:
    import tablib
    from import_export import fields, resources, widgets

    from taavon.persian import search_key, to_ascii_digits
    from taavon.places.models import County
    from taavon.registry.models import Cooperative, CooperativeType, Sector

    counter = {"n": 900000}

    class CountyWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return County.objects.filter(province__code="IR-15")

        def clean(self, value, row=None, **kwargs):
            return super().clean(search_key(value), row, **kwargs)

    class CooperativeResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="نام تعاونی")
        county = fields.Field(
            attribute="county", column_name="شهرستان", widget=CountyWidget(County, "name_key")
        )
        sector = fields.Field(
            attribute="sector", column_name="گرایش", widget=widgets.ForeignKeyWidget(Sector, "name_fa")
        )
        type = fields.Field(
            attribute="type", column_name="نوع", widget=widgets.ForeignKeyWidget(CooperativeType, "name_fa")
        )
        capital_paid_rial = fields.Field(
            attribute="capital_paid_rial", column_name="سرمایه پرداخت شده", widget=widgets.IntegerWidget()
        )

        class Meta:
            model = Cooperative
            fields = ("name", "county", "sector", "type", "capital_paid_rial")
            import_id_fields = ()
            skip_unchanged = False

        def before_save_instance(self, instance, row, **kwargs):
            counter["n"] += 1
            instance.shenasnameh = f"15-1300-{counter['n']}"
            instance.name_key = search_key(instance.name)
            instance.name = to_ascii_digits(instance.name)

    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    it = wb.active.iter_rows(values_only=True)
    for _ in range(2):
        next(it)  # the title rows (import-export needs the header on the first row)
    header = list(next(it))
    dataset = tablib.Dataset(headers=header)
    for _, row in zip(range(rows), it, strict=False):
        dataset.append(list(row))
    wb.close()
    start = time.perf_counter()
    result = CooperativeResource().import_data(
        dataset, dry_run=False, raise_errors=True, use_transactions=True
    )
    elapsed = time.perf_counter() - start
    return len(dataset), elapsed, result.totals.get("new", 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=10_000)
    parser.add_argument(
        "--names",
        choices=["numbered", "plain"],
        default="numbered",
        help="numbered: «تعاونی بلوط زاگرس شماره ۱۲» (the number tells names apart); plain: three words, no "
        "number (every name goes through the near-name comparison)",
    )
    args = parser.parse_args()
    plain = args.names == "plain"
    tmp = Path(tempfile.mkdtemp(prefix="taavon-bench-"))
    os.environ["TAAVON_DATA_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from taavon.accounts.models import User
    from taavon.registry.models import Cooperative

    user = User.objects.create_superuser("bench", password="bench-pass-1404", role="admin")
    path = tmp / "cooperatives.xlsx"
    t = time.perf_counter()
    make_file(path, args.rows, plain)
    print(
        f"file: {args.rows:,} rows, {args.names} names, {path.stat().st_size / 1e6:.1f} MB "
        f"(made in {time.perf_counter() - t:.1f} s)"
    )

    n, openpyxl_s = bench_openpyxl(path)
    preview_s, commit_s, counts = bench_taavon(path, user, plain=plain)
    assert Cooperative.objects.count() == counts["create"] == args.rows - counts["near"], counts
    if counts["near"]:
        print(
            f"near names held for the user's decision: {counts['near']:,} rows (imported: {counts['create']:,})"
        )
    Cooperative.objects.all().delete()
    peer_n, peer_s, peer_new = bench_import_export(path, args.peer_rows)

    rate = lambda rows, s: rows / s  # noqa: E731
    r_open, r_prev, r_commit, r_peer = (
        rate(n, openpyxl_s),
        rate(args.rows, preview_s),
        rate(args.rows, commit_s),
        rate(peer_n, peer_s),
    )
    print(f"openpyxl read only (baseline A): {r_open:10,.0f} rows/s  ({openpyxl_s:.1f} s)")
    print(f"django-import-export (baseline B): {r_peer:8,.0f} rows/s  ({peer_n:,} rows in {peer_s:.1f} s)")
    print(f"Taavon dry run:                  {r_prev:10,.0f} rows/s  ({preview_s:.1f} s)")
    print(f"Taavon import (commit):          {r_commit:10,.0f} rows/s  ({commit_s:.1f} s)")
    print(f"ratios: Taavon import / django-import-export = {r_commit / r_peer:.1f}x  (goal >= 10x)")
    print(f"        openpyxl read / Taavon import = {r_open / r_commit:.2f}x  (goal <= 2x)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
