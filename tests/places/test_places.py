import pytest

from taavon.places.models import County, Province
from taavon.places.selectors import county_find

pytestmark = pytest.mark.django_db


def test_every_province_and_county_is_loaded(reference_data):
    assert Province.objects.count() == 31
    assert County.objects.count() == 479


def test_lorestan_has_its_twelve_counties(lorestan):
    names = set(lorestan.counties.values_list("name_en", flat=True))
    assert len(names) == 12
    assert {"Khorramabad", "Borujerd", "Mamulan", "Pol-e Dokhtar", "Chegeni", "Rumeshkan"} <= names
    assert lorestan.number == "15"


@pytest.mark.parametrize("typed", ["خرم‌آباد", "خرم آباد", "خرماباد", "خرم‌اباد"])
def test_county_is_found_however_it_is_typed(lorestan, typed):
    county = county_find(name=typed, province=lorestan)
    assert county is not None and county.name_en == "Khorramabad"
