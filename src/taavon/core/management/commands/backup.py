"""`taavon backup DEST`: a consistent snapshot of the database and the uploaded files, with a manifest of checksums,
made while the server runs (core/backup.py). DEST is a new directory, or a file ending in .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.utils.translation import gettext as _

from taavon.core.backup import BackupError, backup


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup, or pg_dump) and the uploaded files, with a manifest of "
        "checksums, while the server runs. DEST: a new or empty directory, or a new file ending in .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="a new (or empty) directory, or a new file ending in .tar.gz")

    def handle(self, *args, dest, **options):
        verbosity = options.get("verbosity", 1)

        def log(message: str) -> None:
            if verbosity > 0 or message.startswith("warning"):
                (self.stderr if message.startswith("warning") else self.stdout).write(message)

        try:
            manifest = backup(Path(dest), progress=verbosity > 0, log=log)
        except BackupError as exc:
            raise CommandError(_("Backup failed: %(error)s") % {"error": exc}) from exc
        except DatabaseError as exc:
            raise CommandError(_("Backup failed: the database answered: %(error)s") % {"error": exc}) from exc
        except OSError as exc:
            raise CommandError(_("Backup failed: %(error)s") % {"error": exc}) from exc
        database = manifest["database"]
        size = manifest["files"][database["file"]]["size"]
        if verbosity > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written to {dest}: the database ({database['vendor']}, {len(database['tables'])} tables, "
                    f"{database['rows']} rows, {_size(size)}), {manifest['media']['files']} uploaded files "
                    f"({_size(manifest['media']['bytes'])}), {len(manifest['migrations'])} migrations applied."
                )
            )
