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
