"""The summons letter: an A4 Persian letter (right to left, Vazirmatn) from the directorate-general to a cooperative's
board, calling it to a meeting on settling its situation — made with WeasyPrint from templates/triage/summons.html.

The letter is always Persian, whatever the interface's language: it is a legal letter to an Iranian cooperative
(its strings are the catalogue's, rendered under the Persian translation). The font is read from our own static
files (file:// paths, through a fetcher that refuses anything else): no network.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONTS = Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "fonts"
LETTER_LANGUAGE = "fa"


def _fetcher():
    """WeasyPrint's fetcher limited to our font files: a letter never reaches out to the network (a cooperative's
    name or address with a URL in it stays text)."""
    from weasyprint.urls import URLFetcher

    class LocalFonts(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not url.startswith("file://") or not path.is_relative_to(FONTS.resolve()):
                raise ValueError(f"refused: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFonts(allowed_protocols={"file"})


def summons_context(*, case, meeting, officer, issued_on: datetime.date, number: str = "") -> dict:
    """What the letter says: the cooperative, the flags' explanations (in Persian), the meeting, the officer."""
    from taavon.triage.models import Flag
    from taavon.triage.rules import explain

    coop = case.cooperative
    with translation.override(LETTER_LANGUAGE):
        # jurisdiction: the flags of the case's cooperative (the caller holds the case in the user's jurisdiction)
        flags = Flag.objects.raised().filter(cooperative=coop).order_by("raised_on", "rule")
        reasons = [text for text in (explain(f.rule, f.params, issued_on) for f in flags) if text]
    return {
        "case": case,
        "coop": coop,
        "county": coop.county,
        "province": coop.county.province,
        "reasons": reasons,
        "meeting": meeting,
        "officer": officer,
        "officer_name": officer.get_full_name() or officer.username,
        "issued_on": issued_on,
        "number": number or letter_number(case, issued_on),
        "font_regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
        "font_bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
    }


def letter_number(case, issued_on: datetime.date) -> str:
    """The letter's number: the Jalali year, the case, the letter's rank among the case's summons ("1405/12/2")."""
    from taavon.persian import jalali_year
    from taavon.triage.models import StepKind

    # jurisdiction: the steps of a case the caller holds in the user's jurisdiction
    rank = case.steps.filter(kind=StepKind.SUMMONS).count() + 1
    return f"{jalali_year(issued_on)}/{case.pk}/{rank}"


def summons_html(**kwargs) -> str:
    with translation.override(LETTER_LANGUAGE):
        return render_to_string("triage/summons.html", summons_context(**kwargs))


def summons_pdf(**kwargs) -> bytes:
    """The letter as PDF bytes (A4)."""
    from weasyprint import HTML

    html = summons_html(**kwargs)
    return HTML(string=html, base_url=str(FONTS), url_fetcher=_fetcher()).write_pdf()
