"""Loading the bundled list of Iran's provinces and counties (OpenStreetMap, ODbL 1.0)."""

import json
from pathlib import Path

from taavon.persian import search_key

PLACES_FILE = Path(__file__).parent / "data" / "iran-places.json"
ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
# Official spellings where OpenStreetMap writes a space for the zero-width non-joiner.
SPELLING = {"خرم آباد": "خرم‌آباد"}


def load_places(province_model, county_model) -> tuple[int, int]:
    """Create or update every province and county from the bundled file; returns (provinces, counties)."""
    data = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    n_counties = 0
    for item in data["provinces"]:
        province, _ = province_model.objects.update_or_create(
            code=item["iso"],
            defaults={"name_fa": item["fa"], "name_en": item["en"], "name_key": search_key(item["fa"])},
        )
        for c in item["counties"]:
            county_model.objects.update_or_create(
                province=province,
                name_key=search_key(c["fa"]),
                defaults={
                    "name_fa": SPELLING.get(c["fa"], c["fa"]),
                    "name_en": c["en"],
                    "osm_relation": c.get("osm_relation"),
                    "wikidata": c.get("wikidata") or "",
                },
            )
            n_counties += 1
    return len(data["provinces"]), n_counties


# Other names of Lorestan's counties (../shared/domain.md): former names and capitals people write instead of the
# county's name. Names equal to the county's own need no alias.
LORESTAN_ALIASES = {
    "دلفان": [("نورآباد", "capital")],
    "سلسله": [("الشتر", "capital")],
    "چگنی": [("دوره", "former"), ("دوره چگنی", "former"), ("سراب دوره", "capital")],
    "رومشکان": [("چقابل", "capital")],
}


def load_aliases(county_model, alias_model, province_code: str = "IR-15", aliases=None) -> int:
    """Seed the counties' other names (idempotent); returns how many were added."""
    added = 0
    for county_name, names in (aliases or LORESTAN_ALIASES).items():
        county = county_model.objects.get(province__code=province_code, name_key=search_key(county_name))
        for name, kind in names:
            _, created = alias_model.objects.get_or_create(
                province_id=county.province_id,
                name_key=search_key(name),
                defaults={"county": county, "name": name, "kind": kind},
            )
            added += created
    return added
