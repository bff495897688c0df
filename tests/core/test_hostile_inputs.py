"""A hostile-input corpus, driven over every form, list filter, API parameter and import kind — discovered from the
URL resolver and the forms, so a new page or field joins by existing.

Each form case sends a page's own form back with one field replaced by a hostile value: the answer is 422 with the
refusal on the page in Persian (never a 500), and nothing is written (every table's rows checksummed before and
after). Each query-string case: never a 500. Each import case: the row is refused with a message, nothing crashes.

The suite runs a fixed sample (the first value of every kind, for every field); `make fuzz` (TAAVON_FUZZ=all) runs
the whole corpus.
"""

import hashlib
import io
import os
import re
from collections import Counter

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from taavon.core import forms as taavon_forms
from tests.accounts.test_access_matrix import PAGES, Records, url_names

pytestmark = pytest.mark.django_db

FULL = os.environ.get("TAAVON_FUZZ", "") == "all"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CORPUS = {
    "markup": [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "javascript:alert(1)",
        "<a href='//evil'>تعاونی</a>",
        "<iframe src=//evil>",
    ],
    "long": ["ب" * 10_000, "x" * 100_001, "۱" * 5_001],
    "nul": ["تعاونی\x00زاگرس", "\x00", "abc\x00" * 10],
    "bidi": ["\u202eتعاونی", "abc\u202egpj.exe", "\u2066نام\u2069", "\u202dtext"],
    "control": ["\x07\x08\x1b[31m", "a\x1fb", "\x7f"],
    "sql": [
        "' OR '1'='1",
        "1; DROP TABLE registry_cooperative; --",
        "1 UNION SELECT password FROM accounts_user",
        "'; UPDATE accounts_user SET is_superuser=1; --",
        "1' AND SLEEP(5)--",
    ],
    "date": [
        "1403/13/01",
        "1404/12/30",
        "0000/00/00",
        "31/31/1403",
        "۱۴۰۴/۰۲/۳۲",
        "1403-07-31",
        "9999/99/99",
        "1403/00/10",
        "-1403/01/01",
        "1404/07/31",
    ],
    "amount": [
        "-5",
        "-999999999999",
        "1" + "0" * 25,
        "abc",
        "NaN",
        "Infinity",
        "1e309",
        "1,2345",
        "۱۲۳,۴",
        "0x1F",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤",
    ],
    "choice": ["nonexistent", "99999999999999999999", "-1", "' OR 1=1 --", "0", "<script>"],
    "code": ["1234567890", "abcdefghij", "1111111111", "12", "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵"],
    "file": [
        ("a.pdf", b"just text, not a pdf"),
        ("a.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # an executable called a pdf
        ("a.png", b"<?php system($_GET['c']); ?>"),
        ("../../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash"),
        ("a.pdf", b"\xff\xd8" + b"0" * 20),  # a broken jpeg header
    ],
}
QUERY_VALUES = [
    *CORPUS["sql"],
    "ب" * 5_000,
    "abc\x00def",
    "\u202eexe",
    "99999999999999999999999",
    "-1",
    "1e309",
    "%ff%fe",
    "../../etc/passwd",
    "<script>alert(1)</script>",
]


def _kinds(field: forms.Field) -> list[str]:
    """The kinds of hostile input that apply to a form field."""
    if isinstance(field, forms.FileField):
        return ["file"]
    if isinstance(field, forms.BooleanField):
        return []
    if isinstance(field, taavon_forms.JalaliDateField):
        return ["date", "nul", "long"]
    if isinstance(field, taavon_forms.LegalIdField):  # and NationalCodeField
        return ["code", "sql", "long", "nul"]
    if isinstance(field, taavon_forms.AmountField | forms.IntegerField):
        return ["amount", "sql", "long"]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return ["choice"]
    if isinstance(field, forms.CharField):
        return ["markup", "long", "nul", "bidi", "control"]
    return []


def _values(kind: str) -> list:
    values = CORPUS[kind]
    return values if FULL else values[:1]


def _fingerprint() -> dict[str, str]:
    """Every table's rows, hashed (sessions and login attempts, which a request writes anyway, aside)."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table.startswith(("django_session", "axes_")):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest = hashlib.sha256()
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
            out[table] = digest.hexdigest()
    return out


def _form_pages() -> list[str]:
    """The pages with a form (the access matrix's PAGES says what each is; test_access_matrix proves it is complete)."""
    return sorted(
        n
        for n in url_names()
        if n in PAGES and PAGES[n].kind in ("change", "change_record", "portal") and n != "accounts:logout"
    )


def _url(name: str, records: Records) -> str:
    page = PAGES[name]
    return reverse(name, kwargs=page.args(records, "own")) if page.args else reverse(name)


def _base(form) -> dict:
    """The form as the page filled it: what a browser sends back unchanged."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled or isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if value in (None, ""):
            continue
        if isinstance(value, list):
            data[name] = value
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return data


@pytest.fixture
def records(admin_user, khorramabad, borujerd):
    from taavon.places.models import County

    tehran = County.objects.get(province__code="IR-23", name_en="Tehran")
    return Records(admin_user, {"own": khorramabad, "province": borujerd, "other": tehran})


def test_every_form_refuses_hostile_input_without_a_500_or_a_write(client, records, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    cases, problems, pages = 0, [], 0
    by_kind = Counter()
    for name in _form_pages():
        user = records.representative["own"] if PAGES[name].kind == "portal" else records.officer["own"]
        if PAGES[name].maker_only:
            continue  # no form: buttons that start a step of one's own import
        client.force_login(user)
        url = _url(name, records)
        response = client.get(url)
        form = response.context.get("form") if response.status_code == 200 and response.context else None
        if form is None:
            continue
        pages += 1
        base = _base(form)
        before = _fingerprint()
        for field_name, field in form.fields.items():
            if field.disabled or field_name == "version":
                continue
            for kind in _kinds(field):
                for value in _values(kind):
                    data = dict(base)
                    if kind == "file":
                        data[field_name] = SimpleUploadedFile(value[0], value[1])
                    else:
                        data[field_name] = value
                    with transaction.atomic():  # rolled back at once: the next case finds the same rows
                        response = client.post(url, data)
                        after = _fingerprint()
                        transaction.set_rollback(True)
                    cases += 1
                    by_kind[kind] += 1
                    label = f"{name} {field_name} {kind} {str(value)[:30]!r}"
                    if response.status_code != 422:
                        problems.append(f"{label}: HTTP {response.status_code}")
                        continue
                    body = response.content.decode()
                    if "errorlist" not in body and "alert-danger" not in body:
                        problems.append(f"{label}: no message on the page")
                    written = [t for t in after if after[t] != before.get(t)]
                    if written:
                        problems.append(f"{label}: wrote {written}")
    print(f"hostile form inputs: {cases} cases over {pages} forms; by kind: {dict(sorted(by_kind.items()))}")
    assert pages >= 15 and cases >= (500 if FULL else 300)
    assert not problems, f"{len(problems)} of {cases}:\n" + "\n".join(problems[:40])


QUERY_PAGES = {
    "registry:list": ["q", "county", "sector", "type", "status", "sort", "page"],
    "registry:export": ["q", "county", "status"],
    "projects:list": [
        "q",
        "province",
        "county",
        "sector",
        "stage",
        "cooperative",
        "opening_from",
        "opening_to",
        "page",
    ],
    "projects:export": ["q", "county", "opening_from"],
    "reports:dashboard": ["county", "sector", "stage", "opening_from", "opening_to", "download"],
    "reports:press": ["province", "opening_from", "opening_to"],
    "members:returns": ["year", "county"],
    "members:returns_export": ["year"],
    "api-stats-projects": ["province", "opening_from", "opening_to", "stage"],
}


def test_every_list_filter_and_api_parameter_survives_hostile_query_strings(client, records):
    client.force_login(records.officer["own"])
    cases, problems = 0, []
    for name, params in QUERY_PAGES.items():
        page = PAGES[name]
        url = reverse(name, kwargs=page.args(records, "own")) if page.args else reverse(name)
        for param in params:
            for value in QUERY_VALUES if FULL else QUERY_VALUES[::3]:
                query = f"{param}={value}" if value.startswith("%") else None
                response = client.get(f"{url}?{query}") if query else client.get(url, {param: value})
                cases += 1
                if response.status_code >= 500:
                    problems.append(f"{name}?{param}={value[:30]!r}: HTTP {response.status_code}")
    # raw bytes that are not UTF-8 in the query string
    for name in QUERY_PAGES:
        page = PAGES[name]
        url = reverse(name, kwargs=page.args(records, "own")) if page.args else reverse(name)
        response = client.get(url, QUERY_STRING="q=%ff%fe%00&county=%c0%af")
        cases += 1
        if response.status_code >= 500:
            problems.append(f"{name} with invalid UTF-8: HTTP {response.status_code}")
    print(f"hostile query strings: {cases} cases")
    assert cases >= 100
    assert not problems, "\n".join(problems)


def test_every_import_kind_reports_hostile_cells_as_row_problems(admin_user, reference_data):
    from taavon.imports.kinds import KINDS
    from taavon.imports.services import import_preview
    from tests.imports.test_import import xlsx

    cases, problems = 0, []
    by_kind = Counter()
    for code, kind in KINDS.items():
        header = [f.label for f in kind.fields]
        for i, spec in enumerate(kind.fields):
            kinds = {
                "text": ["markup", "long", "nul", "bidi"],
                "digits": ["sql", "long"],
                "legal_id": ["code", "sql"],
                "national_code": ["code", "sql"],
                "date": ["date"],
                "amount": ["amount"],
                "signed_amount": ["amount"],
                "int": ["amount"],
            }.get(spec.kind, ["choice"])
            for k in kinds:
                for value in _values(k):
                    if k == "amount" and value in ("-5", "-999999999999") and spec.kind == "signed_amount":
                        continue  # a loss is a negative amount
                    row = ["" for _ in header]
                    row[i] = (
                        value.replace("\x00", "") if k == "nul" else value
                    )  # a spreadsheet cell holds no NUL
                    try:
                        batch, outcome = import_preview(
                            acting_user=admin_user,
                            kind=code,
                            data=xlsx([header, row], title=None),
                            filename="f.xlsx",
                        )
                    except Exception as exc:  # noqa: BLE001 — a crash is what this test looks for
                        problems.append(f"{code}.{spec.name} {k}: {type(exc).__name__}: {exc}"[:200])
                        continue
                    cases += 1
                    by_kind[k] += 1
                    if outcome.counts.get("create") or outcome.counts.get("update"):
                        problems.append(f"{code}.{spec.name} {k} {value[:20]!r}: accepted")
    print(f"hostile import cells: {cases} cases; by kind: {dict(sorted(by_kind.items()))}")
    assert cases >= 50
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.xlsx", b"MZ\x90\x00" + b"\x00" * 100),  # an executable called a spreadsheet
        ("report.csv", b"\xff\xfe\x00\x00" + "نام".encode("utf-16")),  # not UTF-8 nor Windows-1256 text
        ("../../../../etc/passwd.xlsx", b"PK\x03\x04broken zip"),
        (
            "report.ods",
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        ),
        ("\u202egpj.xlsx", io.BytesIO(b"").getvalue()),
    ],
)
def test_hostile_import_files_are_refused_with_a_message(
    client, county_officer, reference_data, name, content
):
    from taavon.imports.models import ImportBatch

    client.force_login(county_officer)
    response = client.post(
        reverse("imports:list"),
        {"kind": "cooperatives", "unit": "rial", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 422
    assert re.search(r'class="errorlist"[^>]*>.*[\u0600-\u06ff]', response.content.decode(), re.S)
    assert not ImportBatch.objects.exists()
