"""The summons letter: a Persian A4 PDF (WeasyPrint, Vazirmatn from our static files) with the cooperative's data, the
flags' explanations, the meeting and the officer's name; issuing it records a "summons" step that keeps the PDF.

The PDF is rendered to PNG (pdftoppm) for a person to look at — into $TAAVON_SCREENSHOTS_DIR when set, as the
browser tests' screenshots: joined Persian letters, right to left, no boxes for missing glyphs."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from taavon.triage import cases
from taavon.triage.letters import summons_html, summons_pdf
from taavon.triage.models import CaseStep, Flag, StepKind
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(admin_user, county_officer, khorramabad):
    coop = make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        status="dormant",
        name="تعاونی تولیدی فرش دستباف زاگرس",
        address="خرم‌آباد، خیابان شریعتی، کوچهٔ لاله، پلاک ۱۲",
        postal_code="6813833333",
    )
    Flag.objects.create(
        cooperative=coop,
        rule="assembly_overdue",
        raised_on=datetime.date(2025, 1, 1),
        params={"last": "2023-03-05", "registered": "2015-05-01"},
    )
    Flag.objects.create(
        cooperative=coop,
        rule="below_min_members",
        raised_on=datetime.date(2025, 1, 1),
        params={"members": 5, "minimum": 7},
    )
    county_officer.first_name, county_officer.last_name = "مریم", "کاظمی"
    county_officer.save()
    return cases.case_open(
        acting_user=county_officer,
        cooperative=coop,
        assigned_to=county_officer,
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        reason="مجمع عمومی برگزار نشده و اعضا کمتر از حد قانونی است",
    )


def _meeting():
    return cases.Meeting(
        date=timezone.localdate() + datetime.timedelta(days=10),
        time="۱۰:۰۰",
        place="اداره تعاون شهرستان خرم‌آباد، اتاق ۲۰۴",
    )


def test_the_letter_names_the_cooperative_the_flags_the_meeting_and_the_officer(case, county_officer):
    html = summons_html(case=case, meeting=_meeting(), officer=county_officer, issued_on=timezone.localdate())
    assert 'lang="fa" dir="rtl"' in html
    assert "تعاونی تولیدی فرش دستباف زاگرس" in html
    assert "۱۵-" in html or case.cooperative.shenasnameh.split("-")[0] in html  # Persian digits
    assert "آخرین مجمع عمومی عادی" in html  # the flag's explanation, in Persian
    assert "اتاق ۲۰۴" in html and "مریم کاظمی" in html
    assert "Vazirmatn-Regular.ttf" in html and "http" not in html.split("<body>")[0].replace("https://", "")


def test_the_letter_is_persian_even_for_an_english_reader(case, county_officer, settings):
    from django.utils import translation

    with translation.override("en"):
        html = summons_html(
            case=case, meeting=_meeting(), officer=county_officer, issued_on=timezone.localdate()
        )
    assert "Summons" not in html.split("<body>")[1] and "هیئت" in html


@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdffonts) is not installed"
)
def test_the_pdf_is_a4_with_vazirmatn_embedded_and_no_other_font(case, county_officer, tmp_path):
    pdf = summons_pdf(case=case, meeting=_meeting(), officer=county_officer, issued_on=timezone.localdate())
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "summons.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and "Pages:           1" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    # every glyph from Vazirmatn, embedded: none from a fallback font (which would mean a missing glyph)
    assert names and all(name.startswith("Vazirmatn") for name in names), fonts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_the_letter_rendered_to_png_for_a_person_to_look_at(case, county_officer, tmp_path):
    pdf = summons_pdf(case=case, meeting=_meeting(), officer=county_officer, issued_on=timezone.localdate())
    (tmp_path / "summons.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(tmp_path / "summons.pdf"),
            str(tmp_path / "summons"),
        ],
        check=True,
    )
    png = tmp_path / "summons.png"
    assert png.exists() and png.stat().st_size > 10_000
    if os.environ.get("TAAVON_SCREENSHOTS_DIR"):
        target = Path(os.environ["TAAVON_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, target / "summons-letter.png")
        shutil.copy(tmp_path / "summons.pdf", target / "summons-letter.pdf")


def test_issuing_records_a_summons_step_that_keeps_the_pdf(case, county_officer):
    step = cases.summons_issue(acting_user=county_officer, case=case, meeting=_meeting())
    assert step.kind == StepKind.SUMMONS and step.date == timezone.localdate()
    assert "اتاق ۲۰۴" in step.note
    with step.document.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert step.history.first().history_user == county_officer


def test_a_meeting_before_the_letter_or_without_a_place_is_refused(case, county_officer):
    past = cases.Meeting(date=timezone.localdate() - datetime.timedelta(days=1), time="", place="")
    with pytest.raises(ValidationError) as exc:
        cases.summons_issue(acting_user=county_officer, case=case, meeting=past)
    assert set(exc.value.error_dict) == {"meeting_date", "meeting_place"}
    assert not CaseStep.objects.exists()


def test_the_summons_page_previews_and_issues(client, case, county_officer, viewer):
    url = reverse("triage:case_summons", args=[case.pk])
    client.force_login(county_officer)
    preview = client.get(url, {"meeting_place": "اداره تعاون", "meeting_date": "۱۴۰۶/۰۱/۲۰"})
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF")
    assert not CaseStep.objects.exists()  # a preview is not the letter sent
    refused = client.post(url, {"meeting_date": "۱۴۰۰/۰۱/۰۱", "meeting_place": "اداره تعاون"})
    assert refused.status_code == 422 and not CaseStep.objects.exists()
    meeting = timezone.localdate() + datetime.timedelta(days=7)
    issued = client.post(
        url, {"meeting_date": meeting.isoformat(), "meeting_place": "اداره تعاون", "meeting_time": "9"}
    )
    assert issued.status_code == 302
    step = CaseStep.objects.get(kind=StepKind.SUMMONS)
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    link = reverse("document", kwargs={"kind": "case-step", "pk": step.pk})
    assert link in page
    document = client.get(link)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    client.force_login(viewer)  # reads the case and the letter; issues none
    assert client.get(link).status_code == 200
    assert client.post(url, {"meeting_date": meeting.isoformat(), "meeting_place": "x"}).status_code == 403
