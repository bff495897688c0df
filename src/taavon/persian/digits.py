"""Digit conversion between Persian (۰-۹), Arabic-Indic (٠-٩) and ASCII (0-9)."""

from __future__ import annotations

from typing import Any

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)


def to_ascii_digits(s: str) -> str:
    """Replace Persian and Arabic-Indic digits with 0-9; keep everything else."""
    if not s:
        return ""
    return str(s).translate(_TO_ASCII)


def to_persian_digits(value: Any) -> str:
    """Return ``str(value)`` with ASCII and Arabic-Indic digits as ۰-۹ (None → "")."""
    if value is None:
        return ""
    return str(value).translate(_TO_PERSIAN)


def only_digits(s: str) -> str:
    """Fold digits to ASCII and drop every other character ("۰۰۷۶-۲۲۹" → "0076229")."""
    return "".join(ch for ch in to_ascii_digits(s) if ch in ASCII_DIGITS)
