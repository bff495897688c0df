"""`taavon summaries [--check] [--rebuild]`: the dashboard's summary tables against a full recount of the records.

--check recounts and prints every difference (exit status 1 when there is any); --rebuild recomputes both
summaries from the records, each in one transaction (after a raw load, or to repair). Without an option: the state
of each summary (current or stale, rows, last rebuilt)."""

import time

from django.core.management.base import BaseCommand, CommandError

from taavon.projects import summary as project_summary
from taavon.registry import summary as registry_summary

SUMMARIES = (
    (
        "cooperatives (registry)",
        registry_summary.NAME,
        registry_summary.counts_check,
        registry_summary.counts_rebuild,
    ),
    ("projects", project_summary.NAME, project_summary.sums_check, project_summary.sums_rebuild),
)


class Command(BaseCommand):
    help = "Check the dashboard's summary tables against a recount of the records, or rebuild them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="recount and report differences (exit 1 if any)"
        )
        parser.add_argument("--rebuild", action="store_true", help="recompute the summaries from the records")

    def handle(self, *args, check: bool, rebuild: bool, **options):
        if rebuild:
            for label, _name, _check, rebuild_one in SUMMARIES:
                started = time.perf_counter()
                rows = rebuild_one()
                self.stdout.write(f"{label}: rebuilt, {rows} rows in {time.perf_counter() - started:.2f} s")
        if check:
            differences = 0
            for label, _name, check_one, _rebuild in SUMMARIES:
                found = check_one()
                differences += len(found)
                for d in found[:50]:
                    self.stdout.write(f"{label} {d['key']}: stored {d['stored']} counted {d['counted']}")
                if len(found) > 50:
                    self.stdout.write(f"{label}: … {len(found) - 50} more")
                self.stdout.write(
                    f"{label}: {'equal to a recount' if not found else f'{len(found)} rows differ'}"
                )
            if differences:
                raise CommandError(f"{differences} summary rows differ from a recount", returncode=1)
        if not (check or rebuild):
            for label, name, _check, _rebuild in SUMMARIES:
                state = registry_summary.SummaryState.objects.filter(name=name).first()
                stale = state is not None and state.stale
                when = (
                    state.rebuilt_at.isoformat(timespec="seconds") if state and state.rebuilt_at else "never"
                )
                self.stdout.write(f"{label}: {'stale' if stale else 'current'}, last rebuilt {when}")
