"""`taavon import KIND FILE [--unit toman] [--dry-run] [--valid-only]`: a progress bar, a summary table, and exit
code 0 only when everything asked for was imported."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.imports.kinds import KINDS, UNITS
from taavon.imports.services import ImportFileError, import_commit, import_preview
from taavon.imports.spreadsheets import rejected_rows_xlsx

LABELS = {
    "create": "new",
    "update": "updated",
    "unchanged": "unchanged",
    "error": "with problems",
    "duplicate": "duplicated in the file",
    "near": "similar names to confirm",
}


class Command(BaseCommand):
    help = "Import a spreadsheet (XLSX, XLS, ODS, CSV): dry run first, then all or nothing (or only the valid rows)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--unit", choices=sorted(UNITS), default="rial", help="unit of the amounts in the file"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="import the valid rows and write the rejected ones to FILE.rejected.xlsx",
        )
        parser.add_argument(
            "--new-when-similar",
            action="store_true",
            help="treat rows whose names are close to existing ones as new cooperatives",
        )
        parser.add_argument("--user", default=None, help="the acting user (default: the first administrator)")

    def handle(self, *args, kind, file, unit, dry_run, valid_only, new_when_similar, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        acting = (
            User.objects.filter(username=user) if user else User.objects.filter(is_superuser=True)
        ).first()
        if acting is None:
            raise CommandError(
                "no acting user: create an administrator (taavon createsuperuser) or pass --user"
            )
        data = path.read_bytes()
        console = Console(stderr=False)
        bar = tqdm(total=0, unit="row", desc="rows", disable=options.get("verbosity", 1) == 0)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            batch, outcome = import_preview(
                acting_user=acting, kind=kind, data=data, filename=path.name, unit=unit, progress=progress
            )
            decisions = (
                {str(r.number): "new" for r in outcome.rows if r.action == "near"} if new_when_similar else {}
            )
            if not dry_run:
                outcome = import_commit(
                    acting_user=acting,
                    batch=batch,
                    valid_only=valid_only,
                    decisions=decisions,
                    progress=progress,
                )
        except ImportFileError as exc:
            bar.close()
            raise CommandError(str(exc)) from exc
        bar.close()
        table = Table(
            title=f"{path.name} — {'dry run' if dry_run else ('imported' if outcome.committed else 'NOT imported')}"
        )
        table.add_column("rows")
        table.add_column("count", justify="right")
        for key, label in LABELS.items():
            table.add_row(label, str(outcome.counts.get(key, 0)))
        console.print(table)
        problems = outcome.problems()
        for p in problems[:30]:
            console.print(f"row {p['row']}, {p['column']}: {p['message']}")
        if len(problems) > 30:
            console.print(f"... and {len(problems) - 30} more problems")
        if valid_only and not dry_run and problems:
            out = path.with_suffix(".rejected.xlsx")
            out.write_bytes(rejected_rows_xlsx(batch=batch))
            console.print(f"rejected rows written to {out}")
        if dry_run:
            sys.exit(0 if not problems else 1)
        if not outcome.committed:
            console.print("Nothing was written (a row has a problem; fix it, or use --valid-only).")
            sys.exit(1)
        if outcome.counts.get("create", 0) + outcome.counts.get("update", 0) == 0 and not problems:
            console.print("The file changes nothing: everything in it is already in the registry.")
        sys.exit(0 if not problems else 1)
