"""Imports in two languages: a list downloaded in English or Persian (XLSX headers and values in that language, CSV
with its stable English names) imports back unchanged, whatever the language of whoever imports it; what an import
keeps (a row's problem, a batch's error, a step's note) shows in the language of whoever reads it, not of the
worker that wrote it."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from taavon.imports.models import BatchEvent, ImportBatch
from taavon.imports.services import import_commit, import_preview
from taavon.imports.spreadsheets import template_xlsx
from taavon.registry.models import Cooperative
from tests.imports.test_import import GOOD, xlsx
from tests.imports.test_related import PROJECT_ROWS, run

pytestmark = pytest.mark.django_db
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def preview(user, data, name, unit="rial", kind="cooperatives"):
    return import_preview(acting_user=user, kind=kind, data=data, filename=name, unit=unit)


def download(client, fmt: str, language: str) -> bytes:
    client.cookies["taavon_language"] = language
    response = client.get(reverse("registry:export", args=[fmt]))
    assert response.status_code == 200
    return response.content if fmt == "csv" else b"".join(response.streaming_content)


@pytest.fixture
def registry(admin_user, reference_data):
    """Three cooperatives (three statuses, types and sectors, Jalali and real dates), imported once."""
    batch, _ = preview(admin_user, xlsx(GOOD), "coops.xlsx", unit="toman")
    assert import_commit(acting_user=admin_user, batch=batch).committed
    liquidating = Cooperative.objects.get(county__name_en="Selseleh")
    Cooperative.objects.filter(pk=liquidating.pk).update(status="liquidating", registration_number="1234")
    return Cooperative.objects.all()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_list_downloaded_in_either_language_imports_back_unchanged(
    language, admin_user, provincial, client, registry
):
    versions = Cooperative.history.count()
    client.force_login(provincial)
    sheet = download(client, "xlsx", language)
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))
    if language == "en":  # the file is English indeed: headers, reference names and statuses
        assert "Cooperative name" in rows[0] and "Shenasnameh number" in rows[0]
        cells = {c for row in rows[1:] for c in row}
        assert {"Khorramabad", "Active", "Under liquidation"} <= cells, cells
    else:
        assert "نام تعاونی" in rows[0] and "خرم‌آباد" in {c for row in rows[1:] for c in row}
    for fmt, data in (("xlsx", sheet), ("csv", download(client, "csv", language))):
        for reader in ("en", "fa"):  # whoever imports it, in whichever language
            with translation.override(reader):
                batch, outcome = preview(admin_user, data, f"export.{fmt}")
            assert outcome.counts["unchanged"] == 3, (language, fmt, reader, outcome.problems())
            assert outcome.counts["create"] == outcome.counts["update"] == outcome.counts["error"] == 0
            assert len(batch.mapping) == len(rows[0])  # every column recognised
            import_commit(acting_user=admin_user, batch=batch)
    assert Cooperative.history.count() == versions


def test_an_english_file_with_english_values_and_gregorian_dates(admin_user, reference_data):
    rows = [
        [
            "Cooperative name",
            "County",
            "Type",
            "Sector",
            "Status",
            "Registration date",
            "Paid-up capital (rials)",
        ],
        ["Negin Clothing", "Khorramabad", "Producer", "Industry", "Under liquidation", "2023-09-27", 1200],
        [
            "Dorud Consumers",
            "Dorud",
            "Distribution",
            "Agriculture",
            "dormant",
            datetime.date(2023, 9, 27),
            "",
        ],
    ]
    batch, outcome = preview(admin_user, xlsx(rows, title=None), "english.xlsx", unit="toman")
    assert outcome.counts["create"] == 2, outcome.problems()
    assert import_commit(acting_user=admin_user, batch=batch).committed
    negin = Cooperative.objects.get(name="Negin Clothing")
    assert negin.status == "liquidating" and negin.registration_date == datetime.date(2023, 9, 27)
    assert negin.capital_paid_rial == 1200  # the header says rials, whatever the unit chosen for the file
    assert Cooperative.objects.get(name="Dorud Consumers").status == "dormant"


def test_the_template_downloaded_in_english_is_read_back(admin_user, reference_data):
    with translation.override("en"):
        template = openpyxl.load_workbook(io.BytesIO(template_xlsx("cooperatives")))
    assert template.sheetnames == ["Cooperatives", "Guide"]
    header = [c.value for c in template.worksheets[0][1]]
    assert header[:2] == ["Shenasnameh number", "National ID"] and not any(PERSIAN.search(h) for h in header)
    row = ["" for _ in header]
    row[header.index("Cooperative name")] = "Taavon Test"
    row[header.index("County")] = "Khorramabad"
    row[header.index("Type")] = "Producer"
    row[header.index("Sector")] = "Industry"
    _, outcome = preview(admin_user, xlsx([header, row], title=None), "template.xlsx")
    assert outcome.counts["create"] == 1, outcome.problems()


def test_what_an_import_keeps_shows_in_the_readers_language(admin_user, reference_data):
    rows = [*GOOD, [4, "تعاونی بد", "آتلانتیس", "۱۴۰۴/۱۲/۳۰", "", "abc", "نمیدانم", "فضایی", "تولیدی"]]
    with translation.override("fa"):  # the worker's language
        batch, _ = preview(admin_user, xlsx(rows), "coops.xlsx")
    with translation.override("en"):
        batch = ImportBatch.objects.get(pk=batch.pk)
        messages = " ".join(p["message"] for p in batch.problems)
        assert "County “آتلانتیس” in the province of Lorestan was not recognised." in messages
        assert "Status “نمیدانم” was not recognised." in messages and "Sector “فضایی”" in messages
        assert "does not exist" in messages  # the Persian core's date error, in English
        assert not PERSIAN.search(
            messages.replace("آتلانتیس", "").replace("نمیدانم", "").replace("فضایی", "")
        )
        assert batch.sample[0]["action"] == "create"  # a code: the page shows it in the reader's language
        notes = [str(e.note) for e in BatchEvent.objects.filter(batch=batch)]
        assert "File uploaded" in notes and any(n.startswith("Rows: 4; new: 3") for n in notes), notes
    with translation.override("fa"):
        batch = ImportBatch.objects.get(pk=batch.pk)
        messages = " ".join(p["message"] for p in batch.problems)
        assert "شهرستان «آتلانتیس» در استان لرستان شناخته نشد." in messages
        assert "وضعیت «نمیدانم» شناخته نشد." in messages and "وجود ندارد" in messages
        assert any(str(e.note).startswith("۴ ردیف: ۳ جدید") for e in BatchEvent.objects.filter(batch=batch))


def test_a_failed_file_and_the_pages_in_english(client, provincial, admin_user, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(provincial)
    client.cookies["taavon_language"] = "fa"
    bad = client.post(
        reverse("imports:list"),
        {"kind": "cooperatives", "unit": "rial", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert "صفحه‌گسترده نیست" in bad.content.decode()
    client.cookies["taavon_language"] = "en"
    bad = client.post(
        reverse("imports:list"),
        {"kind": "cooperatives", "unit": "rial", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert "This file is not a spreadsheet" in bad.content.decode()
    english = [
        ["Cooperative name", "County", "Type", "Sector", "Registration date"],
        ["Negin Clothing", "Khorramabad", "Producer", "Industry", "2023-02-30"],
        ["Dorud Consumers", "Dorud", "Distribution", "Agriculture", ""],
    ]
    client.post(
        reverse("imports:list"),
        {
            "kind": "cooperatives",
            "unit": "toman",
            "file": SimpleUploadedFile("c.xlsx", xlsx(english, title=None)),
        },
    )
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    main = page[page.index('data-testid="counts"') : page.index('data-testid="batch-events"')]
    assert "The date “2023-02-30” does not exist." in main and "headers in row 1" in page
    assert not PERSIAN.search(main), PERSIAN.findall(main)
    listing = client.get(reverse("imports:list")).content.decode()
    assert "Previewed" in listing and "Cooperatives" in listing
    # a batch kept before messages were kept in both languages shows its Persian text as it was
    ImportBatch.objects.filter(pk=batch.pk).update(error="خطای قدیمی")
    BatchEvent.objects.filter(batch=batch).update(note="یادداشت قدیمی")
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "خطای قدیمی" in page and "یادداشت قدیمی" in page


@pytest.mark.parametrize("language", ["en", "fa"])
def test_projects_members_and_returns_downloaded_in_either_language_import_back_unchanged(
    language, client, provincial, admin_user, khorramabad
):
    from taavon.members import services as members
    from taavon.members.models import AnnualReturn, Contribution, Membership
    from taavon.projects.models import Facility, Project
    from tests.factories import make_cooperative

    coop = make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        name="تعاونی تولیدی پوشاک نگین",
        legal_id="10380284790",
        registration_date=datetime.date(2015, 5, 1),
    )
    batch, _ = run(admin_user, PROJECT_ROWS, "projects")
    import_commit(acting_user=admin_user, batch=batch)
    person = members.person_register(
        acting_user=admin_user,
        national_code="0076229645",
        first_name="مریم",
        last_name="کرمی",
        gender="female",
    )
    membership = members.membership_add(
        acting_user=admin_user,
        cooperative=coop,
        person=person,
        join_date=datetime.date(2016, 3, 29),
        contribution_rial=5_000_000,
    )
    members.contribution_add(
        acting_user=admin_user, membership=membership, date=datetime.date(2020, 1, 1), amount_rial=1_000_000
    )
    members.return_file(
        acting_user=admin_user,
        cooperative=coop,
        fiscal_year=1402,
        filed_on=datetime.date(2024, 5, 1),
        revenue_rial=10**9,
        profit_rial=-5 * 10**6,
    )
    models = (Project, Facility, Membership, Contribution, AnnualReturn)
    counts = [m.objects.count() for m in models]
    client.force_login(provincial)
    client.cookies["taavon_language"] = language
    downloads = {
        "projects": reverse("projects:export", args=["{fmt}"]),
        "members": reverse("members:members_export", args=[coop.shenasnameh, "{fmt}"]),
        "returns": reverse("members:returns_export", args=["{fmt}"]) + "?year=1402",
    }
    for kind, url in downloads.items():
        data = b"".join(client.get(url.replace("%7Bfmt%7D", "xlsx")).streaming_content)
        header = next(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert bool(PERSIAN.search(" ".join(header))) == (language == "fa"), header
        csv = client.get(url.replace("%7Bfmt%7D", "csv")).content
        by_name, _ = preview(admin_user, csv, f"{kind}.csv", kind=kind)
        for reader in ("en", "fa"):
            with translation.override(reader):
                batch, outcome = preview(admin_user, data, f"{kind}.xlsx", kind=kind)
            assert outcome.counts["create"] == outcome.counts["update"] == 0, (kind, reader, outcome.counts)
            assert not outcome.problems(), (kind, language, reader, outcome.problems())
            # the headers name the same fields as the CSV's column names
            assert batch.mapping == by_name.mapping, (kind, header, batch.mapping, by_name.mapping)
    assert counts == [m.objects.count() for m in models]
