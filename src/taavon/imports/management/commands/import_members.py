"""`taavon import_members FILE --user USERNAME [--dry-run] [--unit toman]`: a members list of any size (CSV or XLSX,
millions of rows) read as it goes and imported in bulk, all or nothing, with a progress bar. Exit code 0 only when
everything was imported (or, with --dry-run, when every row passed)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.imports.kinds import UNITS
from taavon.imports.services import ImportFileError
from taavon.imports.streaming import members_import_file


class Command(BaseCommand):
    help = "Import a large members list (CSV, XLSX): streamed, checked and written in bulk, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the acting user (their jurisdiction applies)")
        parser.add_argument(
            "--unit", choices=sorted(UNITS), default="rial", help="unit of the amounts in the file"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row; write nothing")
        parser.add_argument("--chunk", type=int, default=20_000, help="rows checked and written at a time")

    def handle(self, *args, file, user, unit, dry_run, chunk, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        acting = User.objects.filter(username=user).first()
        if acting is None:
            raise CommandError(f"no such user: {user}")
        bar = tqdm(total=0, unit="row", desc="rows", disable=options.get("verbosity", 1) == 0)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            outcome = members_import_file(
                acting_user=acting, path=path, unit=unit, dry_run=dry_run, chunk_size=chunk, progress=progress
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        c = outcome.counts
        self.stdout.write(
            f"{path.name}: {c['rows']} rows; memberships {c['create']}, people {c['people']}, contributions "
            f"{c['update']}, unchanged {c['unchanged']}; rows with problems {c['error']} "
            f"({outcome.problem_count} problems); cooperatives {c['cooperatives']}"
        )
        for p in outcome.problems()[:30]:
            self.stdout.write(f"row {p['row']}, {p['column']}: {p['message']}")
        if outcome.problem_count > 30:
            self.stdout.write(f"... and {outcome.problem_count - 30} more problems")
        if dry_run:
            self.stdout.write("dry run: nothing was written")
            sys.exit(0 if not outcome.problem_count else 1)
        if not outcome.committed:
            self.stdout.write("Nothing was written (a row has a problem).")
            sys.exit(1)
        self.stdout.write("imported")
