"""`taavon opendata`: build the bulk downloads now (TAAVON_DATA_DIR/opendata/). For a nightly rebuild by cron:

15 2 * * *  cd /srv/taavon && TAAVON_DATA_DIR=/srv/taavon/var .venv/bin/taavon opendata --quiet
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from taavon.public import opendata


class Command(BaseCommand):
    help = "Build the open data files (the register, the projects, their data package)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet=False, **options):
        with tqdm(total=len(opendata.DATASETS), unit="file", disable=quiet) as bar:

            def progress(dataset: str, rows: int) -> None:
                bar.set_postfix_str(f"{dataset}: {rows} rows")
                bar.update(1)

            counts = opendata.build(progress=progress)
        if not quiet:
            self.stdout.write(
                f"{opendata.folder()}: " + ", ".join(f"{name} {rows} rows" for name, rows in counts.items())
            )
