"""Finding the header row below merged title rows, and mapping its columns to fields by their aliases."""

import functools
import hashlib
import re

from django.utils import translation

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
# an English header names its unit at its end, apart from the words before it: "Paid-up capital (rials)",
# "capital_paid_rial", "Investment (million toman)"
ENGLISH_UNIT = re.compile(
    r"[\s_(\[-]+(?:(thousand|million|billion)[\s_-]*)?(rials?|tomans?)[\s)\]]*$", re.IGNORECASE
)
IGNORED = {search_key(w) for w in ("ردیف", "ردیف", "row", "#")}
SCAN_ROWS = 20
LANGUAGES = ("fa", "en")

# the lists staff download, by the kind of import that reads them back: their XLSX headers (in either language)
# are recognised as the columns whose CSV names they carry
EXPORTS = {
    "cooperatives": ("taavon.registry.exports", "COLUMNS"),
    "projects": ("taavon.projects.exports", "COLUMNS"),
    "members": ("taavon.members.exports", "MEMBER_COLUMNS"),
    "returns": ("taavon.members.exports", "RETURN_COLUMNS"),
}


def _export_columns(code: str) -> list:
    import importlib

    where = EXPORTS.get(code)
    if where is None:
        return []
    try:
        return list(getattr(importlib.import_module(where[0]), where[1]))
    except (ImportError, AttributeError):
        return []


@functools.cache
def _alias_index(kind: ImportKind) -> dict[str, str]:
    """Every header that names a field: its name (the CSV column), its aliases, its label in each language, and
    the headers of the downloaded lists in each language (without their unit, which map_header reads apart)."""
    index: dict[str, str] = {}
    for spec in kind.fields:
        for alias in (spec.name, *spec.aliases):
            index.setdefault(search_key(alias), spec.name)
    for language in LANGUAGES:
        with translation.override(language):
            for spec in kind.fields:
                index.setdefault(search_key(str(spec.label)), spec.name)
    for column in _export_columns(kind.code):
        name = index.get(search_key(column.name))
        if name is None:
            continue
        for language in LANGUAGES:
            with translation.override(language):
                header = str(column.header)
            index.setdefault(search_key(header), name)
            index.setdefault(header_key(header)[0], name)
    index.pop("", None)
    return index


def header_key(cell) -> tuple[str, str | None]:
    """The normalised header and the unit it names, if any ("سرمایه (تومان)" → ("سرمایه", "toman");
    "Investment (million toman)" → ("investment", "million_toman"))."""
    text = str(cell or "")
    key = search_key(text)
    for word, unit in UNIT_WORDS.items():
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)], unit
    found = ENGLISH_UNIT.search(text)
    if found and found.start() > 0:
        scale, unit = found.group(1), found.group(2).lower().rstrip("s")
        rest = search_key(text[: found.start()])
        if rest:
            return rest, f"{scale.lower()}_{unit}" if scale else unit
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
