"""Names sort in Persian alphabetical order (ا آ ب پ ت … چ ح … م ن و ه ی), on SQLite and PostgreSQL alike — not
by code point, which puts «پ» after «م» and «چ» after «ح»."""

import pytest
from django.urls import reverse

from taavon.persian.collation import persian_sorted, sort_key
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db

NAMES = ["مهر", "پارس", "حافظ", "چنار", "آفتاب", "بهار", "ژاله", "زاگرس", "گلستان", "کوثر", "یاس"]
PERSIAN_ORDER = ["آفتاب", "بهار", "پارس", "چنار", "حافظ", "زاگرس", "ژاله", "کوثر", "گلستان", "مهر", "یاس"]


def test_sort_key_follows_the_alphabet():
    assert persian_sorted(NAMES) == PERSIAN_ORDER
    assert sorted(NAMES) != PERSIAN_ORDER  # code-point order is not
    assert sort_key("علي") == sort_key("علی")  # Arabic yeh sorts as Persian yeh


def test_the_registry_sorts_names_in_persian_order(client, admin_user, county_officer, khorramabad):
    for name in NAMES:
        make_cooperative(acting_user=admin_user, county=khorramabad, name=f"{name} تعاونی")
    client.force_login(county_officer)
    body = client.get(reverse("registry:list"), {"sort": "name"}).content.decode()
    positions = [body.index(f"{name} تعاونی") for name in PERSIAN_ORDER]
    assert positions == sorted(positions)


def test_counties_in_the_filter_are_in_persian_order(client, provincial):
    client.force_login(provincial)
    body = client.get(reverse("registry:list")).content.decode()
    names = ["ازنا", "الیگودرز", "بروجرد", "پلدختر", "چگنی", "خرم‌آباد", "دلفان", "دورود", "رومشکان", "سلسله"]
    positions = [body.index(f">{n}<") for n in names]
    assert positions == sorted(positions)
