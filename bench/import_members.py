"""Benchmark: a national members list (1,000,000 rows, CSV and XLSX) imported through the streaming path.

Makes the file for the cooperatives of the database in TAAVON_DATA_DIR (a `taavon synth` database: copy it first,
the import writes to it), imports it (a dry run, then for real unless --dry-run) and prints rows/s, wall time, CPU
time and peak memory (VmHWM). Run it in its own process per format: the peak is per process.

  TAAVON_DATA_DIR=/tmp/mine python bench/import_members.py --rows 1000000 --format csv
  TAAVON_DATA_DIR=/tmp/mine python bench/import_members.py --rows 1000000 --format xlsx --dry-run
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

HEADER = [
    "شماره شناسنامه تعاونی",
    "کد ملی",
    "نام",
    "نام خانوادگی",
    "جنسیت",
    "سال تولد",
    "تلفن همراه",
    "تاریخ عضویت",
    "تعداد سهام",
    "آورده",
    "تاریخ پرداخت آورده",
]
FIRST = {
    "زن": "مریم زهرا فاطمه سارا نرگس لیلا مینا شیما الهام پروین".split(),
    "مرد": "علی حسین محمد رضا مهدی حسن امیر سعید جواد کاوه".split(),
}
LAST = "احمدی رضایی کریمی موسوی حسینی محمدی کاظمی رحیمی بیرانوند سپهوند میرزایی امیری".split()


def national_code(x: int) -> str:
    """The nine digits of x with their check digit (persian.identifiers)."""
    total, rest = 0, x
    for weight in range(2, 11):
        rest, digit = divmod(rest, 10)
        total += digit * weight
    r = total % 11
    return f"{x:09d}{r if r < 2 else 11 - r}"


def member_rows(rows: int, cooperatives: list[tuple], taken: set[str], seed: int = 1404):
    """The file's data rows: each a new person (a valid national code not yet registered) joining one of the
    cooperatives (shenasnameh, registration date) after its registration, with a contribution."""
    import datetime

    rng = random.Random(seed)
    today = datetime.date.today() - datetime.timedelta(days=1)
    base = datetime.date(2015, 1, 1)
    x = 100_000_001
    for _i in range(rows):
        while True:
            x += 7
            code = national_code(x)
            if code not in taken and code.count(code[0]) != 10:
                break
        gender = "زن" if rng.random() < 0.4 else "مرد"
        shenasnameh, registered = rng.choice(cooperatives)
        start = max(registered or base, base)
        joined = start + datetime.timedelta(days=rng.randint(0, max((today - start).days, 0)))
        yield [
            shenasnameh,
            code,
            rng.choice(FIRST[gender]),
            rng.choice(LAST),
            gender,
            rng.randint(1330, 1385),
            f"0912{rng.randint(0, 9_999_999):07d}",
            joined.isoformat(),
            rng.randint(1, 50),
            rng.randint(1, 500) * 1_000_000,
            min(joined + datetime.timedelta(days=rng.randint(0, 60)), today).isoformat(),
        ]


def make_csv(path: Path, rows) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)


def make_xlsx(path: Path, rows) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("اعضا")
    sheet.write_row(0, 0, HEADER)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    workbook.close()


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--file", default=None, help="reuse this file (made when missing)")
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument("--user", default=None, help="the acting user (default: the first administrator)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    import django

    django.setup()
    from taavon.accounts.models import User
    from taavon.imports.streaming import members_import_file
    from taavon.members.models import Membership, Person
    from taavon.registry.models import Cooperative

    path = Path(args.file or f"/tmp/members-{args.rows}.{args.format}")
    if not path.exists():
        t = time.perf_counter()
        shens = list(Cooperative.objects.values_list("shenasnameh", "registration_date"))
        taken = set(Person.objects.values_list("national_code", flat=True))
        (make_csv if args.format == "csv" else make_xlsx)(path, member_rows(args.rows, shens, taken))
        print(f"made {path} ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - t:.0f} s")
    user = (
        User.objects.filter(username=args.user) if args.user else User.objects.filter(is_superuser=True)
    ).first()
    before = Membership.objects.count()
    start_rss = peak_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = members_import_file(acting_user=user, path=path, dry_run=args.dry_run)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    added = Membership.objects.count() - before
    print(
        f"{path.name}: {result.row_count:,} rows, committed={result.committed}, problems={result.problem_count:,}, "
        f"memberships added {added:,}"
    )
    for p in result.problems()[:5]:
        print("  ", p)
    print(
        f"wall {wall:.1f} s, cpu {cpu:.1f} s, {result.row_count / wall:,.0f} rows/s; "
        f"peak RSS {peak_rss_mb():.0f} MB (at start {start_rss:.0f} MB)"
    )


if __name__ == "__main__":
    main()
