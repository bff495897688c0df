"""Two languages, one catalogue: the guard of docs/decisions/0007-languages.md.

- the catalogue holds every string the code marks, each translated into Persian (a fresh extraction from the code
  finds nothing missing), its placeholders agree (msgfmt --check), and the compiled .mo is the .po's;
- every page, rendered in English, shows no Persian letter outside data values (names, addresses... as entered);
  rendered in Persian, no stray English word outside data, codes and brand names;
- the switch: Persian by default whatever Accept-Language says; a choice remembered per browser and per user;
  garbage is Persian, never an error; no language prefix in URLs.
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import reverse

from taavon.core.management.commands import messages
from tests.accounts.test_access_matrix import PAGES, records  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PERSIAN = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")
# Latin words a Persian page may show: brand and product names, file formats, units of codes
BRANDS = {
    "Taavon",
    "English",
    "OpenStreetMap",
    "ODbL",
    "PDF",
    "JPG",
    "PNG",
    "XLSX",
    "XLS",
    "ODS",
    "CSV",
    "JSON",
    "QR",
    "HTML",
    "API",
    "Google",
    "Microsoft",
    "Authenticator",
    "FreeOTP",
    "ISO",
    "IR",
    "MK-",  # the service desk's tracking codes (MK-۱۴۰۵-۰۰۴۲)
}


def catalogue() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "fa" / "LC_MESSAGES" / "django.po"


def _translated(entry) -> bool:
    return messages._translated(entry)


# --- the catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_is_whole_and_compiled():
    po = polib.pofile(str(catalogue()))
    live = [e for e in po if not e.obsolete]
    untranslated = [e.msgid for e in live if not _translated(e)]
    assert live and not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    mo = polib.mofile(str(catalogue().with_suffix(".mo")))
    compiled = {(e.msgctxt or "", e.msgid): e.msgstr or dict(e.msgstr_plural) for e in mo if e.msgid}
    written = {(e.msgctxt or "", e.msgid): e.msgstr or dict(e.msgstr_plural) for e in live}
    assert compiled == written, "django.mo is not django.po compiled: run `make messages`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_the_catalogue_passes_msgfmt_check(tmp_path):
    """Placeholders agree between English and Persian (python-format), plural forms and header are right."""
    done = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(catalogue())], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_marked_string_of_the_code_is_in_the_catalogue_and_translated(tmp_path):
    """A fresh extraction from the code (what `make messages` does) into a copy of the catalogue: nothing new,
    nothing untranslated. Fails when a string is marked but `make messages` was not run, or left untranslated."""
    source = tmp_path / "taavon"
    shutil.copytree(
        settings.BASE_DIR, source, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "parts")
    )
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        messages.extract(source)
    fresh = polib.pofile(str(source / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and not _translated(e)]
    assert not missing, f"strings shown to users but not translated ({len(missing)}): {missing[:20]}"


def test_no_literal_persian_left_in_templates():
    """Every Persian word a template shows comes from the catalogue (the language switch's «فارسی» is the one
    exception: a language's name in its own language)."""
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            text = re.sub(r"\{#.*?#\}", "", line.replace('lang="fa" dir="rtl">فارسی<', ""))
            if PERSIAN.search(text) and "{% comment" not in text:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders[:30])


# --- the pages -----------------------------------------------------------------------------------------------------


class _Visible(HTMLParser):
    """The text a person reads: text nodes and the attributes shown (title, placeholder, aria-label, alt), without
    scripts, styles, codes (<code>: a key to type) and elements marked with another language (the switch's
    «فارسی»)."""

    SHOWN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self, skip_lang: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_lang = skip_lang
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.void = {"input", "img", "br", "hr", "meta", "link", "source", "wbr", "area", "col"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (self.stack and self.stack[-1]) or tag in ("script", "style", "svg", "code")
        skipped = skipped or attrs.get("lang") == self.skip_lang
        for name in self.SHOWN:
            if attrs.get(name) and not skipped:
                self.parts.append(attrs[name])
        if tag not in self.void:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in self.void and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data)


def _data_values() -> list[str]:
    """Every text value stored in the database (names, addresses, reasons, titles...), longest first — except the
    Persian names of reference records (name_fa), which an English page must not show."""
    values = set()

    def strings(value):
        if isinstance(value, str):
            if len(value.strip()) > 1:
                yield value.strip()
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f.name not in ("name_fa",)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.update(strings(list(row)))
    for user in apps.get_model("accounts", "User").objects.all():
        values.add(str(user))
    return sorted(values, key=len, reverse=True)


def _text(html: str, skip_lang: str, data: list[str]) -> str:
    parser = _Visible(skip_lang)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in data:
        text = text.replace(value, " ")
    return text


def _pages(records):  # noqa: F811
    """(name, url, user) for every HTML page in the matrix: staff pages as the admin, portal pages as the
    representative, the jury's pages as the juror; lists' downloads, documents and POST-only actions are not
    pages."""
    for name, page in sorted(PAGES.items()):
        if page.kind in ("logout", "language", "document") or page.post_only:
            continue
        if "export" in name or name in ("imports:template", "api-schema") or name.startswith("api-"):
            continue
        if name.endswith("certificate") or name in (
            "visits:field_manifest",
            "visits:field_sw",
            "visits:field_data",
            "public:card",  # a PDF
            "public:card_batch_download",  # a PDF
            "public:opendata_file",  # a data file
        ):
            continue
        kwargs = page.args(records, "own") if page.args else {}
        who = {
            "portal": records.representative["own"],
            "juror": records.juror,
            "maker": records.officer["own"],  # what the county officer started
        }.get(page.kind, "admin")
        yield name, reverse(name, kwargs=kwargs), who


def _walk(client, admin_user, records, language):  # noqa: F811
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = _data_values()
    found = {}
    for name, url, who in _pages(records):
        client.force_login(admin_user if who == "admin" else who)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        if "html" not in response.get("Content-Type", ""):
            continue
        assert f'lang="{language}"' in response.content.decode()[:200], (name, "the page is not in", language)
        found[name] = _text(response.content.decode(), "fa" if language == "en" else "en", data)
    return found


def test_every_page_in_english_shows_no_persian_outside_data(client, admin_user, records):  # noqa: F811
    pages = _walk(client, admin_user, records, "en")
    assert len(pages) >= 30
    leaks = {}
    for name, text in pages.items():
        words = sorted({m.group(0) for m in re.finditer(r"\S*[\u0600-\u06FF]\S*", text)})
        if words:
            leaks[name] = words[:8]
    assert not leaks, f"Persian on English pages (outside data): {leaks}"


def test_every_page_in_persian_shows_no_stray_english(client, admin_user, records):  # noqa: F811
    pages = _walk(client, admin_user, records, "fa")
    strays = {}
    for name, text in pages.items():
        words = sorted({w for w in LATIN_WORD.findall(text) if w not in BRANDS})
        if words:
            strays[name] = words[:8]
    assert not strays, f"English words on Persian pages (outside data and brand names): {strays}"


def test_english_pages_are_left_to_right_with_ascii_digits(client, admin_user, records):  # noqa: F811
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    coop = records.coop["own"]
    html = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap.min.css" in html and "bootstrap.rtl.min.css" not in html
    assert coop.shenasnameh in html  # ASCII digits: 15-1394-00001, not ۱۵-۱۳۹۴-۰۰۰۰۱
    assert "Khorramabad" in html and "خرم‌آباد" not in html
    # the registration date, a legal fact: Gregorian with the Jalali beside it
    assert "1 May 2015 (11 Ordibehesht 1394)" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    html = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert '<html lang="fa" dir="rtl">' in html and "bootstrap.rtl.min.css" in html
    assert "۱۱ اردیبهشت ۱۳۹۴" in html


# --- the switch ----------------------------------------------------------------------------------------------------


def test_persian_by_default_whatever_the_browser_asks(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fa" dir="rtl">' in response.content.decode()
    assert "ورود به سامانهٔ تعاون" in response.content.decode()


def test_the_switch_on_the_login_page_is_remembered_by_the_browser(client):
    login = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="language-switch"' in login and 'value="en"' in login
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("accounts:login")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en" dir="ltr">' in page and "Sign in to Taavon" in page
    assert not PERSIAN.search(_text(page, "fa", []))
    client.post(reverse("accounts:language"), {"language": "fa"})
    assert "ورود به سامانهٔ تعاون" in client.get(reverse("accounts:login")).content.decode()


def test_a_signed_in_users_choice_follows_them_to_another_browser(client, admin_user):
    from django.test import Client

    client.force_login(admin_user)
    client.post(reverse("accounts:language"), {"language": "en", "next": "/cooperatives/"})
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    other = Client()  # a new browser: no cookie
    other.force_login(admin_user)
    assert '<html lang="en"' in other.get(reverse("registry:list")).content.decode()


@pytest.mark.parametrize("garbage", ["xx", "", "en-US; DROP TABLE", "fa\x00", "e" * 300, "<script>"])
def test_garbage_is_persian_never_an_error(client, admin_user, garbage):
    response = client.post(reverse("accounts:language"), {"language": garbage})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"
    other = client.__class__()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = garbage
    page = other.get(reverse("accounts:login"))
    assert page.status_code == 200 and '<html lang="fa" dir="rtl">' in page.content.decode()


def test_the_switch_goes_back_only_to_this_site(client):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_urls_carry_no_language_prefix(client, admin_user, records):  # noqa: F811
    coop = records.coop["own"]
    url = reverse("registry:detail", args=[coop.shenasnameh])
    assert not url.startswith(("/fa/", "/en/"))
    client.force_login(admin_user)
    for language in ("fa", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        assert client.get(url).status_code == 200


# --- input stays forgiving -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed_date", "typed_amount"),
    [("en", "۱۴۰۳/۰۱/۱۰", "۱٬۲۵۰٬۰۰۰"), ("en", "1403-1-10", "1,250,000"), ("fa", "1403/01/10", "1250000")],
)
def test_forms_take_either_digits_in_either_language(client, admin_user, language, typed_date, typed_amount):
    import datetime

    from taavon.projects.models import Facility
    from tests.factories import make_project

    project = make_project(acting_user=admin_user)
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("projects:stage", args=[project.pk]),
        {"to_stage": "licensing", "date": typed_date, "version": project.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.stage == "licensing"
    assert project.stage_changes.latest("id").date == datetime.date(2024, 3, 29)  # 10 Farvardin 1403
    response = client.post(
        reverse("projects:facility_add", args=[project.pk]),
        {"bank": "Bank Melli", "requested_rial": typed_amount, "approved_rial": typed_amount},
    )
    assert response.status_code == 302
    assert Facility.objects.get(project=project).approved_rial == 1_250_000


def test_a_refused_date_is_explained_in_the_readers_language(client, admin_user):
    from tests.factories import make_project

    project = make_project(acting_user=admin_user)
    client.force_login(admin_user)
    for language, message in (
        ("en", "The date 1403/12/31 does not exist"),
        ("fa", "تاریخ ۱۴۰۳/۱۲/۳۱ وجود ندارد"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(
            reverse("projects:stage", args=[project.pk]),
            {"to_stage": "licensing", "date": "1403/12/31", "version": project.version},
        )
        assert response.status_code == 422
        assert message in response.content.decode()


def test_a_language_chosen_on_the_login_page_becomes_the_users(client, admin_user):
    from tests.factories import UserFactory

    user = UserFactory(role="provincial", username="chooser", language="fa")
    user.set_password("a-long-password-1")
    user.save()
    client.post(reverse("accounts:language"), {"language": "en", "next": reverse("accounts:login")})
    client.post(reverse("accounts:login"), {"username": "chooser", "password": "a-long-password-1"})
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en"' in client.get(reverse("registry:list")).content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2 September 2025", (2025, 9, 2)), ("11 Shahrivar 1404", (2025, 9, 2)), ("Sep 2, 2025", (2025, 9, 2))],
)
def test_english_dates_are_read_as_english_pages_show_them(typed, expected):
    import datetime

    from django.utils import translation

    from taavon.core.forms import JalaliDateField

    with translation.override("en"):
        assert JalaliDateField().clean(typed) == datetime.date(*expected)
        shown = f"{typed} (11 Shahrivar 1404)"
        assert JalaliDateField().clean(shown) == datetime.date(*expected)
