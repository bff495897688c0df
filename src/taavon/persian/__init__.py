"""Persian-language helpers for Taavon: digits, text normalisation, Jalali dates, money, IDs.

Pure Python (no Django); the only dependency is ``jdatetime``.
"""

from .digits import only_digits, to_ascii_digits, to_persian_digits
from .identifiers import (
    IdentifierError,
    is_valid_legal_id,
    is_valid_national_code,
    legal_id_check_digit,
    mask_national_code,
    national_code_check_digit,
    normalize_legal_id,
    normalize_national_code,
)
from .jalali import (
    MONTHS_FA,
    JalaliDateError,
    format_gregorian,
    format_gregorian_datetime,
    format_jalali,
    format_jalali_datetime,
    format_jalali_latin,
    is_leap,
    jalali_today,
    jalali_year,
    parse_jalali,
    to_gregorian,
)
from .money import (
    AmountError,
    format_rial,
    format_toman,
    format_toman_en,
    parse_amount,
    parse_decimal,
    rial_to_toman,
)
from .normalize import (
    has_hidden_controls,
    has_markup,
    name_search_tokens,
    normalize_text,
    search_key,
    search_tokens,
)

__all__ = [
    "MONTHS_FA",
    "AmountError",
    "IdentifierError",
    "JalaliDateError",
    "format_gregorian",
    "format_gregorian_datetime",
    "format_jalali",
    "format_jalali_datetime",
    "format_jalali_latin",
    "format_toman_en",
    "format_rial",
    "format_toman",
    "has_hidden_controls",
    "has_markup",
    "is_leap",
    "is_valid_legal_id",
    "is_valid_national_code",
    "jalali_today",
    "jalali_year",
    "legal_id_check_digit",
    "mask_national_code",
    "name_search_tokens",
    "national_code_check_digit",
    "normalize_legal_id",
    "normalize_national_code",
    "normalize_text",
    "only_digits",
    "parse_amount",
    "parse_decimal",
    "parse_jalali",
    "rial_to_toman",
    "search_key",
    "search_tokens",
    "to_gregorian",
    "to_ascii_digits",
    "to_persian_digits",
]
