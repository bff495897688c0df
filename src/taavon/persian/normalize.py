"""Persian text normalisation for comparison, search keys and markup detection."""

from __future__ import annotations

import functools
import re
import unicodedata

from .digits import _TO_ASCII as _DIGITS_TO_ASCII

ZWNJ = "\u200c"

_CHAR_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh → ی
        "\u0649": "\u06cc",  # ى alef maksura → ی
        "\u0643": "\u06a9",  # ك Arabic kaf → ک
        "\u0629": "\u0647",  # ة teh marbuta → ه
        "\u06c0": "\u0647",  # ۀ heh with yeh above → ه
        "\u06be": "\u0647",  # ھ heh doachashmee → ه
        "\u06d5": "\u0647",  # ە Arabic letter ae → ه
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0671": "\u0627",  # ٱ alef wasla → ا
        "\u0624": "\u0648",  # ؤ → و
        # spaces that look like a space → space
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u200a": " ",
        # joiners: ZWJ is almost always a mistyped half-space
        "\u200d": ZWNJ,
        # invisible characters with no place in a name
        "\u200b": None,  # zero-width space
        "\ufeff": None,  # BOM / zero-width no-break space
        "\u2060": None,  # word joiner
        "\u00ad": None,  # soft hyphen
        "\u200e": None,  # LRM
        "\u200f": None,  # RLM
        "\u061c": None,  # Arabic letter mark
        "\u0640": None,  # tatweel
    }
)
# Bidi embeddings/overrides/isolates.
_CHAR_MAP.update({cp: None for cp in range(0x202A, 0x202F)})
_CHAR_MAP.update({cp: None for cp in range(0x2066, 0x206A)})
# Arabic diacritics (harakat, tanwin, shadda, sukun, hamza above/below, …) and superscript alef.
_CHAR_MAP.update({cp: None for cp in range(0x064B, 0x0660)})
_CHAR_MAP[0x0670] = None
_NORMALIZE_MAP = {**_CHAR_MAP, **_DIGITS_TO_ASCII}

# Extra folding used only for search keys: variants people type interchangeably.
_SEARCH_MAP = str.maketrans({"\u0622": "\u0627", "\u0626": "\u06cc"})  # آ → ا, ئ → ی

_LETTER = r"[^\W\d_]"
_ZWNJ_RUN = re.compile(ZWNJ + "+")
_STRAY_ZWNJ = re.compile(rf"(?<!{_LETTER}){ZWNJ}|{ZWNJ}(?!{_LETTER})")
# A half-space between two digits separates two numbers ("۱‌۲" is not "۱۲"): it becomes a space.
_ZWNJ_BETWEEN_DIGITS = re.compile(rf"(?<=\d){ZWNJ}(?=\d)")
_WS_SPLIT = re.compile(r"\s+")

_MARKUP_TAG = re.compile(r"<[A-Za-z/!?]")
_MARKUP_SCHEME = re.compile(r"(?:java|vb)script:")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\u200b-\u200f\u2060\ufeff\u00ad]+")


def normalize_text(s: str | None) -> str:
    """Light cleanup for comparison: unify Arabic/Persian letters, digits, spaces, half-spaces."""
    if not s:
        return ""
    text = unicodedata.normalize("NFKC", str(s))
    text = text.translate(_NORMALIZE_MAP)  # _CHAR_MAP and the digits to ASCII, in one pass
    if ZWNJ in text:  # most names have none: the three passes over them are skipped
        text = _ZWNJ_RUN.sub(ZWNJ, text)
        text = _ZWNJ_BETWEEN_DIGITS.sub(" ", text)
        text = _STRAY_ZWNJ.sub("", text)
    return " ".join(text.split())  # runs of whitespace → one space, none at the ends


# The one character a key keeps between two runs of digits that the text separated
# ("فاز ۱/۲" → "فاز1.2", "۲٫۵" → "2.5"), so that they do not join into another number ("12", "25").
NUMBER_SEPARATOR = "."

# A run of non-letters, non-digits (spaces, ZWNJ, punctuation, symbols, marks, "_"): group 1 when it stands
# between two digits. "[\W_]" holds no digit, so the first branch takes the whole run or nothing.
_GAP = re.compile(r"(?<=\d)([\W_]+)(?=\d)|[\W_]+")


def _gap(match: re.Match[str]) -> str:
    return NUMBER_SEPARATOR if match.group(1) is not None else ""


def _key_once(s: str) -> str:
    text = normalize_text(s).casefold().translate(_SEARCH_MAP)
    text = unicodedata.normalize("NFKC", text)
    # Keep letters and digits only, plus NUMBER_SEPARATOR between two separated runs of digits.
    return _GAP.sub(_gap, text)


# Keys made only of these characters are already a fixed point (nothing in them folds further; a "." stands
# only between two digits, where it stays).
_STABLE_KEY = re.compile(
    r"[.0-9a-z\u0627\u0628\u062a-\u063a\u0641-\u0642\u0644-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc]*"
)


@functools.lru_cache(maxsize=2**18)
def search_key(s: str | None) -> str:
    """Search/duplicate key: normalised, lowercased, without spaces, half-spaces or punctuation.

    Digits are ASCII; two numbers the text separates keep a "." between them ("شماره ۱ ۲" → "شماره1.2",
    not "شماره12"); a number next to a word is joined to it ("شماره ۱۲" and "شماره۱۲" → "شماره12").
    """
    if not s:
        return ""
    key = _key_once(s)
    if _STABLE_KEY.fullmatch(key):
        return key
    for _ in range(4):  # reach a fixed point so that the key is idempotent
        again = _key_once(key)
        if again == key:
            break
        key = again
    return key


def search_tokens(s: str | None) -> list[str]:
    """Split normalised text on whitespace; return the search key of each non-empty token."""
    tokens = []
    for part in _WS_SPLIT.split(normalize_text(s)):
        key = search_key(part)
        if key:
            tokens.append(key)
    return tokens


# Generic words of cooperative names ("شرکت تعاونی …"): nearly every name has them, so a search token made of
# one of them alone matches almost everything. name_search_tokens leaves them out (compared by search key, so
# "تعاوني" counts too). Duplicate detection has its own rules and does not use this list.
GENERIC_NAME_WORDS: tuple[str, ...] = ("شرکت", "تعاونی", "تعاون")
_GENERIC_NAME_KEYS = frozenset(search_key(w) for w in GENERIC_NAME_WORDS)


def name_search_tokens(s: str | None) -> list[str]:
    """search_tokens for a name search, without GENERIC_NAME_WORDS unless they are all there is.

    "شرکت تعاونی زاگرس" → [search_key("زاگرس")]; "تعاونی" → [search_key("تعاونی")].
    """
    tokens = search_tokens(s)
    specific = [t for t in tokens if t not in _GENERIC_NAME_KEYS]
    return specific or tokens


def has_markup(s: str | None) -> bool:
    """True when the text looks like HTML/script: "<" + letter, "/", "!" or "?", or "javascript:"."""
    if not s:
        return False
    text = str(s)
    if _MARKUP_TAG.search(text):
        return True
    squeezed = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return bool(_MARKUP_SCHEME.search(squeezed))


# Characters with no place in a name, an address or a note: C0 controls but tab and line breaks, DEL, and the bidi
# overrides and isolates that reorder what a reader sees («\u202e» makes "gpj.exe" read "exe.jpg").
_HIDDEN_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def has_hidden_controls(s: str | None) -> bool:
    """True when the text carries control or bidi-override characters (invisible, and used to deceive)."""
    return bool(s) and bool(_HIDDEN_CONTROLS.search(str(s)))
