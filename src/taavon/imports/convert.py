"""Converting cell values: any digits, Jalali text or real spreadsheet dates, amounts with separators and units,
statuses, sectors, activities, types and counties by name or alias — in Persian or English, as a file downloaded in
either language has them. Each returns (value, error message or None); the message is an imports.messages.Message
(it shows in the language of whoever reads it later)."""

import datetime
import math
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_noop

from taavon.imports.messages import message, name_of, of_error
from taavon.persian import (
    AmountError,
    IdentifierError,
    JalaliDateError,
    normalize_legal_id,
    normalize_national_code,
    only_digits,
    parse_amount,
    parse_decimal,
    parse_jalali,
    search_key,
    to_ascii_digits,
    to_gregorian,
)
from taavon.places.models import County, CountyAlias, Province
from taavon.registry.models import Activity, CooperativeType, Sector, Status

GENDERS = {
    search_key(k): v
    for k, v in {
        "زن": "female",
        "مرد": "male",
        "female": "female",
        "male": "male",
        "خانم": "female",
        "آقا": "male",
        "f": "female",
        "m": "male",
        "woman": "female",
        "man": "male",
    }.items()
}
UNIT_FACTORS = {
    "rial": 1,
    "toman": 10,
    "thousand_rial": 1_000,
    "thousand_toman": 10_000,
    "million_rial": 1_000_000,
    "million_toman": 10_000_000,
    "billion_rial": 1_000_000_000,
    "billion_toman": 10_000_000_000,
}
STATUS_ALIASES = {
    "active": ("فعال", "active", "دایر"),
    "dormant": ("راکد", "غیرفعال", "غیر فعال", "dormant", "تعطیل"),
    "liquidating": ("در حال تصفیه", "تصفیه", "liquidating"),
    "dissolved": ("منحل", "منحل‌شده", "منحل شده", "dissolved"),
    "unknown": ("نامعلوم", "نامشخص", "unknown"),
}


# dates are accepted in the Jalali years 1300 to 1500
DATES_FROM, DATES_UNTIL = to_gregorian(1300, 1, 1), to_gregorian(1501, 1, 1)


FORMULA_STARTS = ("=", "+", "-", "@")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # our own exports put an apostrophe before a text that a spreadsheet would take for a formula (= + - @):
    # reading it back, the apostrophe goes (the round trip changes nothing)
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _labels(choices) -> dict[str, str]:
    """{normalised label: code} for a list's translated labels, in both languages (a file downloaded in English
    says "Active", one in Persian «فعال»)."""
    out: dict[str, str] = {}
    for language in ("fa", "en"):
        with translation.override(language):
            for code, label in choices:
                out.setdefault(search_key(str(label)), code)
    return out


class _CellError(ValueError):
    """A cell's value refused with a message (args[0], a Message)."""


class Lookups:
    """Names of the configurable lists, loaded once per import (a fixed number of queries)."""

    def __init__(self, home_province: Province | None):
        self.home = home_province
        self.sectors = self._index(Sector.objects.all(), ("name_fa", "name_en", "code"))
        self.activities = self._index(
            Activity.objects.select_related("sector"), ("name_fa", "name_en", "code")
        )
        self.types = self._index(CooperativeType.objects.all(), ("name_fa", "name_en", "code"))
        self.provinces = self._index(Province.objects.all(), ("name_fa", "name_en", "code"))
        self.counties: dict[tuple[int, str], County] = {}
        for c in County.objects.select_related("province"):
            self.counties[(c.province_id, c.name_key)] = c
            self.counties.setdefault((c.province_id, search_key(c.name_en)), c)
        by_id = {c.pk: c for c in self.counties.values()}
        # former names and capitals («الشتر» for سلسله): after the counties' own names, which win
        for county_id, province_id, key in CountyAlias.objects.values_list(
            "county_id", "province_id", "name_key"
        ):
            self.counties.setdefault((province_id, key), by_id[county_id])
        from taavon.projects.models import Stage

        self.stages = {search_key(code): code for code in Stage.values}
        self.stages.update(_labels(Stage.choices))
        self.stages.update(
            {
                search_key(k): v
                for k, v in {
                    "افتتاح شده": "opened",
                    "بهره برداری": "opened",
                    "آماده افتتاح": "ready",
                    "در حال ساخت": "construction",
                }.items()
            }
        )
        self.statuses = {search_key(a): code for code, names in STATUS_ALIASES.items() for a in names}
        self.statuses.update(_labels(Status.choices))
        from taavon.members.models import Gender

        self.genders = dict(GENDERS)
        self.genders.update(_labels(Gender.choices))

    @staticmethod
    def _index(qs, attrs) -> dict:
        out = {}
        for obj in qs:
            for attr in attrs:
                value = getattr(obj, attr, "")
                if value:
                    out.setdefault(search_key(value), obj)
        return out


def convert(kind: str, value, *, unit: str, lookups: Lookups, province: Province | None = None):
    """(converted value, None) or (None, the message) for one cell of the given field kind."""
    if is_blank(value):
        return None, None
    try:
        return _convert(kind, value, unit=unit, lookups=lookups, province=province), None
    except _CellError as exc:
        return None, exc.args[0]
    except (AmountError, IdentifierError, JalaliDateError) as exc:
        return None, of_error(exc)  # the Persian core's errors carry both languages


def _refused(msgid: str, **params) -> _CellError:
    return _CellError(message(msgid, **params))


GREGORIAN_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
NAMES = {
    "sector": gettext_noop("Sector “%(value)s” was not recognised."),
    "activity": gettext_noop("Activity “%(value)s” was not recognised."),
    "type": gettext_noop("Type “%(value)s” was not recognised."),
    "province": gettext_noop("Province “%(value)s” was not recognised."),
}


def _convert(kind: str, value, *, unit: str, lookups: Lookups, province: Province | None):
    if kind == "text":
        return _text(value)
    if kind == "digits":
        return to_ascii_digits(_text(value)).strip()
    if kind == "legal_id":
        return normalize_legal_id(_text(value))
    if kind == "national_code":
        return normalize_national_code(_text(value))
    if kind == "gender":
        code = lookups.genders.get(search_key(_text(value)))
        if not code:
            raise _refused(gettext_noop("Gender “%(value)s” was not recognised (woman or man)."), value=value)
        return code
    if kind == "stage":
        code = lookups.stages.get(search_key(_text(value)))
        if not code:
            raise _refused(gettext_noop("Stage “%(value)s” was not recognised."), value=value)
        return code
    if kind == "signed_amount":
        text = to_ascii_digits(_text(value)).strip().replace("−", "-")
        negative = text.startswith("-") or text.endswith("-") or (text.startswith("(") and text.endswith(")"))
        amount = _convert(
            "amount",
            text.strip("-() ") if isinstance(value, str) else abs(value),
            unit=unit,
            lookups=lookups,
            province=None,
        )
        return -amount if negative else amount
    if kind == "int":
        whole = gettext_noop("Must be a whole number, zero or more.")
        if isinstance(value, float):
            if not value.is_integer() or value < 0:
                raise _refused(whole)
            return int(value)
        number = parse_decimal(_text(value))  # separators in their places: "1,2345" is refused
        if number < 0 or number != number.to_integral_value():
            raise _refused(whole)
        return int(number)
    if kind == "amount":
        factor = UNIT_FACTORS[unit]
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise _refused(gettext_noop("“%(value)s” is not a number."), value=value)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            # a float is taken at Excel's 15 significant digits: 4.1 (million rial) is 4,100,000 rials, and a
            # formula's 114.99999999999999 (=1.15*100) is the 115 Excel shows
            rials = Decimal(f"{value:.15g}") * factor if isinstance(value, float) else value * factor
            if rials < 0 or rials != int(rials):
                raise _refused(gettext_noop("The amount in rials must be a whole number, zero or more."))
            return int(rials)
        text = _text(value)
        if text.rstrip().endswith(("-", "−")):
            raise _refused(
                gettext_noop("“%(value)s” is negative; negative amounts are not accepted."), value=value
            )
        if unit in ("rial", "toman", "million_rial"):
            return parse_amount(text, unit=unit)
        return _scaled(text, factor)
    if kind == "date":
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            if value.year < 1700:  # a Jalali date a spreadsheet took for a Gregorian one (1402-07-05)
                value = to_gregorian(value.year, value.month, value.day)
            parsed = value
        else:
            parsed = _gregorian(_text(value)) or parse_jalali(_text(value))
        if not DATES_FROM <= parsed < DATES_UNTIL:
            raise _refused(gettext_noop("The year of the date “%(value)s” is not acceptable."), value=value)
        return parsed
    if kind in ("sector", "activity", "type", "province"):
        table = {
            "sector": lookups.sectors,
            "activity": lookups.activities,
            "type": lookups.types,
            "province": lookups.provinces,
        }[kind]
        found = table.get(search_key(_text(value)))
        if found is None:
            raise _refused(NAMES[kind], value=value)
        return found
    if kind == "status":
        code = lookups.statuses.get(search_key(_text(value)))
        if not code:
            raise _refused(gettext_noop("Status “%(value)s” was not recognised."), value=value)
        return code
    if kind == "county":
        prov = province or lookups.home
        found = lookups.counties.get((prov.pk, search_key(_text(value)))) if prov else None
        if found is None:
            if prov:
                raise _refused(
                    gettext_noop("County “%(value)s” in the province of %(province)s was not recognised."),
                    value=value,
                    province=name_of(prov),
                )
            raise _refused(gettext_noop("County “%(value)s” was not recognised."), value=value)
        return found
    raise ValueError(f"unknown field kind {kind}")


def _gregorian(text: str) -> datetime.date | None:
    """A Gregorian date written year first (2023-09-27, as a file downloaded in English may have it), or None: a
    year of 1700 or later is not a Jalali year of this registry."""
    found = GREGORIAN_ISO.fullmatch(to_ascii_digits(text).strip())
    if not found or int(found.group(1)) < 1700:
        return None
    try:
        return datetime.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        raise _refused(gettext_noop("The date “%(value)s” does not exist."), value=text) from None


def digits_only(value) -> str:
    return only_digits(_text(value))


def _scaled(text: str, factor: int) -> int:
    """An amount in a unit of `factor` rials (may have decimals: "2.5" thousand toman); group separators must be in
    their places ("1,2345" is refused, not read as 12,345)."""
    amount = parse_decimal(text) * factor
    if amount < 0 or amount != amount.to_integral_value():
        raise _refused(
            gettext_noop("“%(value)s” does not make a whole number of rials, zero or more."), value=text
        )
    return int(amount)
