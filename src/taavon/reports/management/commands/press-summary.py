"""`taavon press-summary --province lorestan --opening-from 1404-06-11 --opening-to 1404-06-17`."""

from django.core.management.base import BaseCommand, CommandError

from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.reports.params import ParamError, date_param, province_lookup
from taavon.reports.press import press_paragraph


class Command(BaseCommand):
    help = "Write the Persian press paragraph for cooperative projects opening in a date range."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="lorestan, IR-15 or لرستان")
        parser.add_argument("--opening-from", help="Jalali (1404-06-11, any digits) or ISO Gregorian")
        parser.add_argument("--opening-to", help="Jalali (1404-06-17, any digits) or ISO Gregorian")

    def handle(self, *args, province, opening_from=None, opening_to=None, **options):
        try:
            prov = province_lookup(province)
            start = date_param(opening_from, "--opening-from")
            end = date_param(opening_to, "--opening-to")
        except ParamError as exc:
            raise CommandError(str(exc)) from exc
        totals = project_totals(
            user=None, filters=ProjectFilters(province=prov.pk, opening_from=start, opening_to=end)
        )
        self.stdout.write(
            press_paragraph(
                totals=totals, province_name=prov.name_fa, start=start, end=end, opened=totals["opened"]
            )
        )
