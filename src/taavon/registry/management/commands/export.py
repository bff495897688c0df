"""`taavon export cooperatives --format csv|xlsx -o FILE`: the registry as a file, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from taavon.registry import exports
from taavon.registry.models import Cooperative, Status


class Command(BaseCommand):
    help = "Export cooperatives to CSV (UTF-8 with BOM, English columns) or XLSX (Persian headers, RTL, Jalali dates)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["cooperatives"])
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--province", help="ISO code, e.g. IR-15")
        parser.add_argument("--status", choices=Status.values)

    def handle(self, *args, kind, fmt, output, province=None, status=None, **options):
        qs = Cooperative.objects.order_by("shenasnameh")
        if province:
            qs = qs.filter(county__province__code=province.upper())
        if status:
            qs = qs.filter(status=status)
        total = qs.count()
        rows = tqdm(
            exports.export_rows(qs),
            total=total,
            unit="row",
            desc="export",
            disable=options.get("verbosity", 1) == 0,
        )
        try:
            if fmt == "csv":
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    n = exports.write_csv(exports.COLUMNS, rows, fh)
            else:
                n = exports.write_xlsx(exports.COLUMNS, rows, output, sheet="تعاونی‌ها")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{n} cooperatives written to {output}"))
