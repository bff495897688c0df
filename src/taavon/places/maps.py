"""The map of a province's counties (and of the country's provinces), drawn as server-side SVG from our own files.

The boundaries come from OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0) through ../shared/data/geo; the
`map_data` command simplifies them (Douglas–Peucker, coordinates rounded) into `places/data/geo/` so the project
does not read ../shared at run time: one JSON file a province (`IR-15.json`: its counties) and `provinces.json`.

A feature is matched to its County by the OpenStreetMap relation id the counties carry, else by the search
normalisation of its name (without «شهرستان»). Known gap of the boundaries (../shared/domain.md): the polygon tagged
Mamulan covers the former Pol-e Dokhtar county too, so the two are drawn as ONE shape labelled «پلدختر و معمولان»
with their combined figure (`MERGED`), until better boundaries are at hand.
"""

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from taavon.core.models import english
from taavon.persian import search_key
from taavon.places.models import County, Province

GEO_DIR = Path(__file__).parent / "data" / "geo"
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
# the counties a polygon covers besides its own: {province: {the polygon's county (fa): [the others (fa)]}}
MERGED = {"IR-15": {"معمولان": ["پلدختر"]}}
COUNTY_PREFIX = "شهرستان"
# a sequential palette (light → dark) for the quantile classes; zero and «no data» have their own
PALETTE = ["#d8ecf3", "#a9d3e3", "#6fb2cd", "#3a8bb0", "#1d5f86"]
ZERO = "#f4f1ea"
NO_DATA = "#d9d9d9"
WIDTH = 800  # the SVG's width in its own units; the height follows the province's shape


# --- building the simplified files (the map_data command) ------------------------------------------------------------


def _sq_seg_dist(p, a, b) -> float:
    x, y = a
    dx, dy = b[0] - x, b[1] - y
    if dx or dy:
        t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy)
        if t > 1:
            x, y = b
        elif t > 0:
            x, y = x + dx * t, y + dy * t
    return (p[0] - x) ** 2 + (p[1] - y) ** 2


def simplify(points: list, tolerance: float) -> list:
    """Douglas–Peucker (iterative): the points of a ring that keep it within `tolerance` (degrees)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    sq = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            d = _sq_seg_dist(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > sq:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring_area(ring) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))) / 2


def simplify_polygons(polygons: list, tolerance: float, digits: int = 3) -> list:
    """MultiPolygon coordinates simplified and rounded; rings that vanish (islets, slivers) dropped, but never a
    feature's largest polygon."""
    out = []
    largest = max(polygons, key=lambda poly: _ring_area(poly[0]))
    for poly in polygons:
        rings = []
        for i, ring in enumerate(poly):
            simple = [[round(x, digits), round(y, digits)] for x, y in simplify(ring, tolerance)]
            if len(simple) >= 4 and _ring_area(simple) > tolerance * tolerance:
                rings.append(simple)
            elif i == 0 and poly is largest:
                rings.append([[round(x, digits), round(y, digits)] for x, y in ring])
            elif i == 0:
                break  # the outer ring vanished: so does the polygon (an islet)
        if rings:
            out.append(rings)
    return out


def county_name(tags: dict) -> str:
    """A county's name as OpenStreetMap tags it, without «شهرستان»."""
    name = (tags.get("name:fa") or tags.get("name") or "").strip()
    if name.startswith(COUNTY_PREFIX):
        name = name[len(COUNTY_PREFIX) :].strip()
    return name


def build_counties(source: dict, tolerance: float = 0.005) -> dict:
    """A province's GeoJSON (../shared/data/geo/IR-xx.counties.geojson) → our simplified file's content. Point
    features (administrative centres, unnamed) and features that are not counties are left out."""
    features = []
    for f in source["features"]:
        geometry = f.get("geometry") or {}
        props = f.get("properties") or {}
        tags = props.get("tags") or props
        if geometry.get("type") not in ("Polygon", "MultiPolygon") or not county_name(tags):
            continue
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        features.append(
            {
                "osm_relation": props.get("id") if props.get("type") == "relation" else None,
                "name": county_name(tags),
                "name_en": (tags.get("name:en") or "").replace(" County", "").replace(" county", ""),
                "polygons": simplify_polygons(polygons, tolerance),
            }
        )
    return {"attribution": ATTRIBUTION, "features": features}


def build_provinces(source: dict, tolerance: float = 0.02) -> dict:
    features = []
    for f in source["features"]:
        geometry, props = f["geometry"], f.get("properties") or {}
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        features.append(
            {
                "name": props.get("name:fa") or props.get("name") or "",
                "name_en": props.get("name:en") or "",
                "polygons": simplify_polygons(polygons, tolerance, digits=2),
            }
        )
    return {"attribution": ATTRIBUTION, "features": features}


# --- reading them ------------------------------------------------------------------------------------------------------


class MapError(ValueError):
    """No boundaries for this place (a message in the reader's language)."""


@lru_cache(maxsize=64)
def _load(name: str) -> dict:
    path = GEO_DIR / f"{name}.json"
    if not path.is_file():
        raise MapError(_("There is no map of this place."))
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Shape:
    """One drawn shape: the counties (or the province) it stands for, and its outline in lon/lat."""

    ids: list[int]
    name_fa: str
    name_en: str
    polygons: list
    merged: bool = False
    value: int | None = None
    path: str = ""
    fill: str = NO_DATA
    label_xy: tuple = (0, 0)
    shown_value: str = ""
    url: str = ""

    @property
    def name(self) -> str:
        return self.name_en if english() and self.name_en else self.name_fa


@dataclass
class Matching:
    shapes: list[Shape]
    unmatched_counties: list[str] = field(default_factory=list)  # counties with no shape (Persian names)
    unmatched_features: list[str] = field(default_factory=list)  # shapes with no county


def _and(names: list[str], en: bool) -> str:
    if en:
        return " and ".join(names)
    return " و ".join(names)


def county_shapes(province: Province) -> Matching:
    """The province's county shapes matched to its County rows (relation id, else normalised name; the merged
    counties of `MERGED` joined to the shape that covers them)."""
    data = _load(province.code)
    counties = list(
        County.objects.filter(province=province).values(
            "id", "name_fa", "name_en", "name_key", "osm_relation"
        )
    )
    by_relation = {c["osm_relation"]: c for c in counties if c["osm_relation"]}
    by_key = {c["name_key"]: c for c in counties}
    merged = {
        search_key(host): [search_key(n) for n in others]
        for host, others in MERGED.get(province.code, {}).items()
    }
    shapes, used, unmatched_features = [], set(), []
    for f in data["features"]:
        county = by_relation.get(f.get("osm_relation")) or by_key.get(search_key(f["name"]))
        if county is None or county["id"] in used:
            unmatched_features.append(f["name"])
            continue
        group = [county] + [by_key[k] for k in merged.get(county["name_key"], []) if k in by_key]
        used.update(c["id"] for c in group)
        ordered = group[1:] + group[:1]  # «پلدختر و معمولان»: the merged ones first, the polygon's own last
        shapes.append(
            Shape(
                ids=[c["id"] for c in group],
                name_fa=_and([c["name_fa"] for c in ordered], en=False),
                name_en=_and([c["name_en"] for c in ordered], en=True),
                polygons=f["polygons"],
                merged=len(group) > 1,
            )
        )
    unmatched = [c["name_fa"] for c in counties if c["id"] not in used]
    return Matching(shapes, unmatched, unmatched_features)


def province_shapes() -> Matching:
    """The country's provinces matched to Province rows by their normalised names (Persian, else English)."""
    data = _load("provinces")
    provinces = list(Province.objects.values("id", "name_fa", "name_en", "name_key", "code"))
    by_key = {p["name_key"]: p for p in provinces}
    by_en = {p["name_en"].lower(): p for p in provinces}
    shapes, used, unmatched = [], set(), []
    for f in data["features"]:
        p = by_key.get(search_key(f["name"])) or by_en.get(f["name_en"].lower())
        if p is None or p["id"] in used:
            unmatched.append(f["name"])
            continue
        used.add(p["id"])
        shapes.append(
            Shape(ids=[p["id"]], name_fa=p["name_fa"], name_en=p["name_en"], polygons=f["polygons"])
        )
    return Matching(shapes, [p["name_fa"] for p in provinces if p["id"] not in used], unmatched)


# --- drawing ----------------------------------------------------------------------------------------------------------


def _centroid(ring) -> tuple[float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if not a:
        return ring[0][0], ring[0][1]
    return cx / (3 * a), cy / (3 * a)


def quantile_breaks(values: list[int], classes: int = len(PALETTE)) -> list[int]:
    """Upper bounds of the classes: quantiles of the positive values (fewer classes when there are few values)."""
    positive = sorted(v for v in values if v and v > 0)
    if not positive:
        return []
    distinct = sorted(set(positive))
    k = min(classes, len(distinct))
    breaks = []
    for i in range(1, k + 1):
        b = positive[min(len(positive) - 1, math.ceil(i * len(positive) / k) - 1)]
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    return breaks


def _fill(value: int | None, breaks: list[int]) -> str:
    if value is None:
        return NO_DATA
    if value <= 0 or not breaks:
        return ZERO
    palette = PALETTE[len(PALETTE) - len(breaks) :] if len(breaks) < len(PALETTE) else PALETTE
    for i, b in enumerate(breaks):
        if value <= b:
            return palette[i]
    return palette[-1]


@dataclass
class DrawnMap:
    shapes: list[Shape]
    width: int
    height: int
    # {"fill", "text"}: zero (when a shape has 0), then the classes; «no figure» is the template's
    legend: list[dict]
    has_merged: bool
    has_no_data: bool
    attribution: str = ATTRIBUTION

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def attribution_xy(self) -> tuple[str, str]:
        """Where the attribution goes (the bottom right corner), as text."""
        return str(self.width - 6), str(self.height - 6)


def draw(matching: Matching, values: dict[int, int], *, show=str, url=None) -> DrawnMap:
    """Project the shapes (equirectangular, x scaled by cos of the mean latitude), fill them by the quantile class
    of their figure (the sum of their counties' figures; None — grey — when none of them has one), and give each
    its SVG path, label position and shown value (`show`: a number → text; `url`: ids → a link or "")."""
    shapes = matching.shapes
    points = [pt for s in shapes for poly in s.polygons for pt in poly[0]]
    if not points:
        return DrawnMap([], WIDTH, WIDTH // 2, [], False, False)
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    k = math.cos(math.radians((min_y + max_y) / 2))
    pad = 8
    scale = (WIDTH - 2 * pad) / max((max_x - min_x) * k, 1e-9)
    height = int((max_y - min_y) * scale) + 2 * pad

    def xy(p) -> tuple[float, float]:
        return pad + (p[0] - min_x) * k * scale, pad + (max_y - p[1]) * scale

    for s in shapes:
        known = [values[i] for i in s.ids if i in values and values[i] is not None]
        s.value = sum(known) if known else None
    breaks = quantile_breaks([s.value for s in shapes if s.value is not None])
    for s in shapes:
        parts = []
        for poly in s.polygons:
            for ring in poly:
                pts = [xy(p) for p in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        s.path = "".join(parts)
        biggest = max((poly[0] for poly in s.polygons), key=_ring_area)
        s.label_xy = tuple(f"{c:.1f}" for c in xy(_centroid(biggest)))  # text: never localised digits
        s.fill = _fill(s.value, breaks)
        s.shown_value = show(s.value) if s.value is not None else _("no figure")
        s.url = url(s.ids) if url else ""
    palette = PALETTE[len(PALETTE) - len(breaks) :] if len(breaks) < len(PALETTE) else PALETTE
    legend, low = [], None
    for i, b in enumerate(breaks):
        # the smallest value drawn in this class (classes are (previous bound, b]: no number in two classes)
        first = min(s.value for s in shapes if s.value and (low is None or s.value > low) and s.value <= b)
        text = show(b) if first == b else f"{show(first)} – {show(b)}"
        legend.append({"fill": palette[i], "text": text})
        low = b
    if any(s.value == 0 for s in shapes) or not breaks:
        legend.insert(0, {"fill": ZERO, "text": show(0)})
    has_no_data = any(s.value is None for s in shapes)
    return DrawnMap(
        shapes,
        WIDTH,
        height,
        legend,
        has_merged=any(s.merged for s in shapes),
        has_no_data=has_no_data,
    )
