"""The maps' boundaries: our simplified files, their matching to the County rows, the drawing."""

import json

import pytest

from taavon.places.maps import (
    GEO_DIR,
    NO_DATA,
    PALETTE,
    ZERO,
    build_counties,
    county_name,
    county_shapes,
    draw,
    province_shapes,
    quantile_breaks,
    simplify,
)
from taavon.places.models import Province


def test_the_simplified_files_are_small_and_complete():
    files = sorted(GEO_DIR.glob("IR-*.json"))
    assert len(files) == 31
    for path in files:
        assert path.stat().st_size < 60_000, path.name  # tens of KB a province
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["features"] and all(f["polygons"] for f in data["features"])
    assert (GEO_DIR / "provinces.json").stat().st_size < 80_000


def test_lorestan_matches_all_twelve_counties_with_pol_e_dokhtar_merged_into_mamulan(lorestan):
    m = county_shapes(lorestan)
    assert m.unmatched_counties == [] and m.unmatched_features == []
    assert len(m.shapes) == 11
    assert sum(len(s.ids) for s in m.shapes) == 12
    merged = [s for s in m.shapes if s.merged]
    assert [s.name_fa for s in merged] == ["پلدختر و معمولان"]
    assert merged[0].name_en == "Pol-e Dokhtar and Mamulan"


def test_every_province_matches_its_counties(reference_data):
    """Counties with no shape (and shapes with no county), by province: only Lorestan's merged one is allowed."""
    problems = {}
    for province in Province.objects.order_by("code"):
        m = county_shapes(province)
        if m.unmatched_counties or m.unmatched_features:
            problems[province.code] = (m.unmatched_counties, m.unmatched_features)
    assert problems == {}
    provinces = province_shapes()
    assert len(provinces.shapes) == 31 and not provinces.unmatched_counties


def test_points_and_unnamed_features_are_not_counties():
    square = [[[[48.0, 33.0], [48.1, 33.0], [48.1, 33.1], [48.0, 33.1], [48.0, 33.0]]]]
    source = {
        "features": [
            {
                "geometry": {"type": "Point", "coordinates": [48.3, 33.4]},
                "properties": {"type": "node", "id": 1},
            },
            {
                "geometry": {"type": "MultiPolygon", "coordinates": square},
                "properties": {
                    "type": "relation",
                    "id": 7,
                    "tags": {"name": "شهرستان ازنا", "name:en": "Azna County"},
                },
            },
        ]
    }
    data = build_counties(source)
    assert [(f["osm_relation"], f["name"], f["name_en"]) for f in data["features"]] == [(7, "ازنا", "Azna")]
    assert county_name({"name": "شهرستان خرم آباد"}) == "خرم آباد"


def test_simplify_keeps_the_corners_and_drops_the_noise():
    line = [[0, 0], [1, 0.001], [2, -0.001], [3, 0], [3, 3], [0, 0]]
    assert simplify(line, 0.01) == [[0, 0], [3, 0], [3, 3], [0, 0]]


@pytest.mark.parametrize(
    "values,breaks",
    [
        ([], []),
        ([0, 0], []),
        ([5, 5, 5], [5]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 4, 6, 8, 10]),
        ([0, 1, 100], [1, 100]),
    ],
)
def test_quantile_breaks(values, breaks):
    assert quantile_breaks(values) == breaks


def test_draw_shades_by_figure_greys_counties_without_one_and_sums_merged_ones(lorestan):
    m = county_shapes(lorestan)
    merged = next(s for s in m.shapes if s.merged)
    others = [s for s in m.shapes if not s.merged]
    values = {merged.ids[0]: 3, merged.ids[1]: 4, others[0].ids[0]: 0, others[1].ids[0]: 10}
    drawn = draw(m, values, show=str, url=lambda ids: f"/x/{ids[0]}")
    assert merged.value == 7 and merged.shown_value == "7"
    assert others[0].fill == ZERO and others[1].fill in PALETTE
    assert others[2].value is None and others[2].fill == NO_DATA and drawn.has_no_data
    assert drawn.has_merged and drawn.legend[0] == {"fill": ZERO, "text": "0"}
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in drawn.shapes)
    # the projection fits the width; the labels sit inside the drawing
    for s in drawn.shapes:
        x, y = (float(c) for c in s.label_xy)
        assert 0 < x < drawn.width and 0 < y < drawn.height
