"""`taavon export KIND --format csv|xlsx -o FILE`: a list as a file, with a progress bar. The kinds are contributed
by the apps (core.contributions.EXPORT_KINDS, filled from each AppConfig.ready): cooperatives, projects, members,
returns — and whatever a new capability adds."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from taavon.core.contributions import EXPORT_KINDS
from taavon.core.exports import rows_of, write_csv, write_xlsx


class Command(BaseCommand):
    help = (
        "Export a list to CSV (UTF-8 with BOM, English columns: the import's field names) or XLSX (Persian "
        "headers, right-to-left, Jalali dates)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORT_KINDS))
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--province", help="ISO code, e.g. IR-15")
        parser.add_argument(
            "--status", help="cooperatives only: active, dormant, liquidating, dissolved, unknown"
        )
        parser.add_argument("--edition", help="the festival's kinds: the edition's number, e.g. 20")

    def handle(self, *args, kind, fmt, output, province=None, status=None, edition=None, **options):
        export = EXPORT_KINDS[kind]
        filters = {"province": province, "status": status, "edition": edition}
        for name, value in filters.items():
            if value and name not in export.filters:
                raise CommandError(
                    _("--%(option)s does not apply to %(kind)s") % {"option": name, "kind": kind}
                )
        try:
            objects, total = export.rows(**{k: v for k, v in filters.items() if k in export.filters})
        except ValueError as exc:  # a filter value the kind does not know
            raise CommandError(str(exc)) from exc
        rows = tqdm(
            rows_of(export.columns, objects),
            total=total,
            unit="row",
            desc=f"export {kind}",
            disable=options.get("verbosity", 1) == 0,
        )
        try:
            if fmt == "csv":
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    n = write_csv(export.columns, rows, fh)
            else:
                n = write_xlsx(export.columns, rows, output, sheet=export.sheet)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s rows of %(kind)s written to %(file)s")
                % {"count": n, "kind": kind, "file": output}
            )
        )
