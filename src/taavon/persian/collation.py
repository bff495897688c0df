"""Persian alphabetical order (ا آ ب پ ت … گ ل م ن و ه ی), not code-point order (which puts «پ» after «م» and
«چ» after «ح»). ICU's Persian collation, through PyICU; text is normalised first, so «علي» sorts with «علی»."""

from __future__ import annotations

import functools

import icu

from .normalize import GENERIC_NAME_WORDS, normalize_text, search_key


@functools.lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("fa_IR"))


def sort_key(text: str | None) -> bytes:
    """A key that sorts like the Persian alphabet (for sorted(), and for a database without ICU)."""
    return _collator().getSortKey(normalize_text(text or ""))


_GENERIC_KEYS = frozenset(search_key(w) for w in GENERIC_NAME_WORDS)


def name_sort_key(name: str | None) -> bytes:
    """The key a cooperative's name is listed by: sort_key of the name without its leading legal-form words, as a
    register lists «شرکت تعاونی زاگرس» under ز beside «تعاونی زاگرس» — not the «شرکت» names apart after all the
    «تعاونی» ones. (Names equal but for those words: the index's next column, the id, orders them.) A name that is
    only such words keeps them."""
    words = normalize_text(name or "").split()
    start = 0
    while start < len(words) - 1 and search_key(words[start]) in _GENERIC_KEYS:
        start += 1
    return _collator().getSortKey(" ".join(words[start:]))


def compare(a: str | None, b: str | None) -> int:
    """-1, 0 or 1 in Persian order (an SQLite collation function)."""
    return _collator().compare(normalize_text(a or ""), normalize_text(b or ""))


def persian_sorted(items, key=lambda x: x):
    """`items` in Persian alphabetical order of key(item)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
