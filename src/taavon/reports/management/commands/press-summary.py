"""`taavon press-summary --province lorestan --opening-from 1404-06-11 --opening-to 1404-06-17 [--language en]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.reports.params import ParamError, date_param, province_lookup
from taavon.reports.press import press_paragraph


class Command(BaseCommand):
    help = "Write the press paragraph (Persian, or English) for cooperative projects opening in a date range."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="lorestan, IR-15 or لرستان")
        parser.add_argument("--opening-from", help="Jalali (1404-06-11, any digits) or ISO Gregorian")
        parser.add_argument("--opening-to", help="Jalali (1404-06-17, any digits) or ISO Gregorian")
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the paragraph's language (default: %(default)s)",
        )

    def handle(self, *args, province, opening_from=None, opening_to=None, language=None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
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
                    totals=totals, province_name=prov.name, start=start, end=end, opened=totals["opened"]
                )
            )
