"""`taavon restore SRC`: a backup made by `taavon backup` restored into an empty database and data directory, after
its checksums are verified (core/backup.py). `--check` verifies only."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.utils.translation import gettext as _

from taavon.core.backup import BackupError, opened, read_manifest, restore, verify


class Command(BaseCommand):
    help = (
        "Restore a backup (a directory or .tar.gz made by `taavon backup`) into an empty database and an empty data "
        "directory, after verifying its checksums. Stop the server first. --check verifies the backup only."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="the backup: a directory or a .tar.gz")
        parser.add_argument(
            "--check", action="store_true", help="verify the backup's checksums and restore nothing"
        )

    def handle(self, *args, src, check, **options):
        verbosity = options.get("verbosity", 1)

        def log(message: str) -> None:
            if verbosity > 0:
                self.stdout.write(message)

        try:
            if check:
                with opened(Path(src)) as root:
                    manifest = read_manifest(root)
                    verify(root, manifest, progress=verbosity > 0)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{src} is intact: {len(manifest['files'])} files match the manifest "
                        f"({manifest['database']['vendor']} database of {manifest['created']})."
                    )
                )
                return
            restored = restore(Path(src), progress=verbosity > 0, log=log)
        except BackupError as exc:
            raise CommandError(_("Restore refused: %(error)s") % {"error": exc}) from exc
        except DatabaseError as exc:
            raise CommandError(
                _("Restore failed: the database answered: %(error)s") % {"error": exc}
            ) from exc
        except OSError as exc:
            raise CommandError(_("Restore failed: %(error)s") % {"error": exc}) from exc
        manifest = restored.manifest
        database = manifest["database"]
        log(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']}: {len(database['tables'])} tables, "
                f"{database['rows']} rows, {manifest['media']['files']} uploaded files."
            )
        )
        if restored.pending:
            names = ", ".join(f"{app}.{name}" for app, name in restored.pending[:5])
            more = f" and {len(restored.pending) - 5} more" if len(restored.pending) > 5 else ""
            self.stdout.write(
                self.style.WARNING(
                    f"The database is at the backup's migration state; the code has {len(restored.pending)} newer "
                    f"migration{'s' if len(restored.pending) > 1 else ''} ({names}{more}): run `taavon migrate` "
                    "before serving."
                )
            )
        else:
            log("The database is at the backup's migration state, which is the code's.")
