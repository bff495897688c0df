"""The public site's promise, tested by walking it: marker values are written into every private field a
cooperative has (its phone, address, postal code, notes; its members' national codes, names and mobiles; a project's
notes; a dormancy case's reason; an unpublished festival result), then every public URL the resolver knows — pages,
API endpoints, bulk downloads, the verify page — is opened by an anonymous visitor, in both languages, and no marker
may appear in any answer (XLSX files are unzipped first). A new public page joins the walk by existing: the test
fails until `ARGS` says how to build its URL."""

import datetime
import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from taavon.members import services as members
from taavon.persian import national_code_check_digit
from taavon.places.models import County, Province
from taavon.triage.cases import case_open
from tests.factories import UserFactory, make_cooperative, make_project

pytestmark = pytest.mark.django_db

NATIONAL_CODE = "4271598" + "06"
NATIONAL_CODE += national_code_check_digit(NATIONAL_CODE)
MARKERS = {
    "phone": "09187776655",
    "address": "کوچه‌ی رازپنهان",
    "postal_code": "6813579246",
    "notes": "یادداشت‌درونی‌محرمانه",
    "national_code": NATIONAL_CODE,
    "first_name": "پریزاد",
    "last_name": "نهان‌نژاد",
    "mobile": "09351112299",
    "project_notes": "یادداشت‌طرح‌محرمانه",
    "case_reason": "پرونده‌ی‌رکودمحرمانه",
}

# the public pages and endpoints: URL name → how to build its kwargs from the seeded records (None: no kwargs);
# names outside the public site (staff pages) are listed in STAFF_ONLY, and the walk checks both lists are complete
STAFF_ONLY = {"public:card", "public:card_batch", "public:card_batch_status", "public:card_batch_download"}


def _walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def public_names() -> set[str]:
    return {n for n in _walk() if n.startswith("public:") or n.startswith("api-")} | {"home"}


@pytest.fixture
def seeded():
    admin = UserFactory(role="admin", username="privacy-admin")
    coop = make_cooperative(
        acting_user=admin,
        name="تعاونی آشکار نمونه",
        phone=MARKERS["phone"],
        address=MARKERS["address"],
        postal_code=MARKERS["postal_code"],
        notes=MARKERS["notes"],
    )
    person = members.person_register(
        acting_user=admin,
        national_code=MARKERS["national_code"],
        first_name=MARKERS["first_name"],
        last_name=MARKERS["last_name"],
        gender="female",
        mobile=MARKERS["mobile"],
    )
    members.membership_add(
        acting_user=admin, cooperative=coop, person=person, join_date=datetime.date(2016, 1, 1)
    )
    make_project(acting_user=admin, cooperative=coop, notes=MARKERS["project_notes"])
    dormant = make_cooperative(acting_user=admin, name="تعاونی خفته نمونه")
    case_open(
        acting_user=admin,
        cooperative=dormant,
        assigned_to=admin,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        reason=MARKERS["case_reason"],
    )
    from tests.festival.outputs_setup import published_edition

    lorestan = Province.objects.get(code="IR-15")
    edition, rankings = published_edition(
        acting_user=admin,
        province=lorestan,
        counties=list(County.objects.filter(province=lorestan)),
        publish=False,
    )
    return {"coop": coop, "admin": admin, "unpublished": rankings[0].candidate.cooperative}


def _args(name: str, seeded) -> list[dict]:
    """The kwargs of each URL to open for a public name (several for one name: every bulk file)."""
    coop = seeded["coop"]
    if name == "public:profile":
        return [{"shenasnameh": coop.shenasnameh}]
    if name == "public:verify":
        from taavon.registry.cards import card_token

        return [{"shenasnameh": coop.shenasnameh, "token": card_token(coop, issued_on=timezone.localdate())}]
    if name == "public:opendata_file":
        from taavon.public.opendata import build, filenames

        build()
        return [{"filename": f} for f in filenames()]
    if name == "api-cooperative":
        return [{"shenasnameh": coop.shenasnameh}]
    return [{}]


SEARCHED = ("national_code", "last_name", "phone", "mobile", "notes")  # private values typed into the search


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # an XLSX: the strings live in its zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


@pytest.mark.parametrize("marker", SEARCHED)
def test_a_private_value_typed_into_the_search_finds_nothing(seeded, marker):
    """Searching the register by a member's national code or name, or the cooperative's phone or notes, does not
    find the cooperative: the search looks at public fields only."""
    value = MARKERS[marker]
    page = Client().get(reverse("public:register"), {"q": value}).content.decode()
    assert seeded["coop"].name not in page
    api = Client().get(reverse("api-cooperatives"), {"search": value}).json()
    assert api["results"] == []


def test_every_public_name_is_walked():
    names = public_names() - STAFF_ONLY
    assert names, "no public URL found"
    assert "public:register" in names and "api-schema" in names


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_no_private_value_reaches_a_public_answer(seeded, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    opened = 0
    for name in sorted(public_names() - STAFF_ONLY):
        for kwargs in _args(name, seeded):
            url = reverse(name, kwargs=kwargs or None)
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            text = _text(response)
            leaked = [k for k, v in MARKERS.items() if v in text]
            assert not leaked, (url, leaked)
            opened += 1
    assert opened >= len(public_names() - STAFF_ONLY)


def test_an_unpublished_result_is_no_award(seeded):
    """The first of a category whose results are not published yet: the register knows the cooperative, not its
    rank."""
    coop = seeded["unpublished"]
    detail = Client().get(reverse("api-cooperative", args=[coop.shenasnameh])).json()
    assert detail["shenasnameh"] == coop.shenasnameh and detail["awards"] == []
    profile = Client().get(reverse("public:profile", args=[coop.shenasnameh])).content.decode()
    assert coop.name in profile and "در جشنواره‌های اعلام‌شده رتبه‌ای ندارد" in profile


def test_the_seeded_coop_is_public_so_the_walk_looks_at_it(seeded):
    """The walk would prove nothing if the profile were empty: its public name and shenasnameh are there."""
    coop = seeded["coop"]
    text = Client().get(reverse("public:profile", args=[coop.shenasnameh])).content.decode()
    assert coop.name in text and coop.shenasnameh in text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
