"""Finding the header row below merged title rows, and mapping its columns to fields by their aliases."""

import hashlib

from taavon.imports.kinds import ImportKind
from taavon.persian import search_key

# longest first: "میلیون تومان" before "تومان"
UNIT_WORDS = {
    "میلیاردتومان": "billion_toman",
    "میلیاردریال": "billion_rial",
    "میلیونتومان": "million_toman",
    "میلیونریال": "million_rial",
    "هزارتومان": "thousand_toman",
    "هزارریال": "thousand_rial",
    "ریال": "rial",
    "تومان": "toman",
}
IGNORED = {search_key(w) for w in ("ردیف", "ردیف", "row", "#")}
SCAN_ROWS = 20


def _alias_index(kind: ImportKind) -> dict[str, str]:
    index = {}
    for spec in kind.fields:
        for alias in (spec.label, spec.name, *spec.aliases):
            index.setdefault(search_key(alias), spec.name)
    return index


def header_key(cell) -> tuple[str, str | None]:
    """The normalised header and the unit it names, if any ("سرمایه (تومان)" → ("سرمایه", "toman"))."""
    key = search_key(str(cell or ""))
    for word, unit in UNIT_WORDS.items():
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)], unit
    return key, None


def map_header(cells: list, kind: ImportKind) -> tuple[dict[int, str], dict[int, str]]:
    """{column: field} for the columns whose header is a known alias, and {column: unit} from the headers."""
    index = _alias_index(kind)
    mapping: dict[int, str] = {}
    units: dict[int, str] = {}
    used: set[str] = set()
    for col, cell in enumerate(cells):
        key, unit = header_key(cell)
        name = index.get(key) or (index.get(search_key(str(cell or ""))) if unit else None)
        if name and name not in used:
            mapping[col] = name
            used.add(name)
            if unit:
                units[col] = unit
    return mapping, units


def find_header(rows: list[list], kind: ImportKind) -> tuple[int, dict[int, str], dict[int, str]]:
    """The row (0-based) among the first rows whose cells name the most fields; with its mapping and units."""
    best = (-1, {}, {})
    for i, row in enumerate(rows[:SCAN_ROWS]):
        mapping, units = map_header(row, kind)
        if len(mapping) > len(best[1]):
            best = (i, mapping, units)
    return best


def signature(cells: list) -> str:
    """A fingerprint of a header row, to find the mapping saved for files with the same headers."""
    keys = "|".join(search_key(str(c or "")) for c in cells)
    return hashlib.sha256(keys.encode()).hexdigest()
