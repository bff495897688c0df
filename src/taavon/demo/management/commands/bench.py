"""`taavon bench`: the national-scale benchmark suite on a fresh database (see taavon.demo.bench)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taavon.demo import bench


class Command(BaseCommand):
    help = (
        "Fill a fresh database with a synthetic nation and measure search, dashboards, record pages, cards and "
        "HTTP beside their baselines; a table on stdout and JSON in bench/results/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="10k", help="10k, 100k, 1m or a number of cooperatives")
        parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
        parser.add_argument(
            "--out", type=Path, help="the JSON file (default bench/results/<date>-<scale>-<db>.json)"
        )
        parser.add_argument("--reps", type=int, default=5, help="repetitions of each measurement")
        parser.add_argument("--cards", type=int, default=50, help="identity cards to make")
        parser.add_argument(
            "--connections",
            type=int,
            default=64,
            help="concurrent HTTP connections (0: skip the HTTP figure)",
        )
        parser.add_argument("--http-seconds", type=float, default=10, help="seconds of load per URL")
        parser.add_argument(
            "--with-imports",
            action="store_true",
            default=None,
            help="run bench/import_cooperatives.py too (by default only at --scale 10k)",
        )
        parser.add_argument(
            "--data-dir", type=Path, help="the data dir of the fresh database (default: temporary)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the filled database afterwards")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure the database already filled (SQLite: with --data-dir; PostgreSQL: the one --keep left) "
            "instead of filling it again",
        )

    def handle(self, *args, **o):
        try:
            scale = bench.parse_scale(o["scale"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        bench.run(
            scale=scale,
            db=o["db"],
            out=o["out"],
            reps=max(1, o["reps"]),
            cards=max(1, o["cards"]),
            connections=max(0, o["connections"]),
            http_seconds=o["http_seconds"],
            with_imports=o["with_imports"],
            data_dir=o["data_dir"],
            keep=o["keep"],
            reuse=o["reuse"],
            progress=o.get("verbosity", 1) > 0,
            write=self.stdout.write,
        )
