"""`taavon press-summary --province lorestan --opening-from 1404-06-11 --opening-to 1404-06-17 [--as-of 1404-06-17]
[--language en]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from taavon.reports.params import ParamError, as_of_param, date_param, province_lookup
from taavon.reports.selectors import press_summary


class Command(BaseCommand):
    help = (
        "Write the press paragraph (Persian, or English) for cooperative projects opening in a date range, as the "
        "page writes it; --as-of writes it from the records as Taavon knew them on that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="lorestan, IR-15 or لرستان")
        parser.add_argument("--opening-from", help="Jalali (1404-06-11, any digits) or ISO Gregorian")
        parser.add_argument("--opening-to", help="Jalali (1404-06-17, any digits) or ISO Gregorian")
        parser.add_argument(
            "--as-of",
            help="the figures as of this day's end (Jalali 1404-06-17 or ISO; a time may follow: 1404-06-17 14:30)",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the paragraph's language (default: %(default)s)",
        )

    def handle(
        self, *args, province, opening_from=None, opening_to=None, as_of=None, language=None, **options
    ):
        with translation.override(language or settings.LANGUAGE_CODE):
            try:
                prov = province_lookup(province)
                start = date_param(opening_from, "--opening-from")
                end = date_param(opening_to, "--opening-to")
                moment = as_of_param(as_of, "--as-of")
            except ParamError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(press_summary(province=prov, start=start, end=end, as_of=moment)["paragraph"])
