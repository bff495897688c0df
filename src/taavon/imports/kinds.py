"""What each kind of import reads: its fields, their Persian and English header aliases, and how values convert.

To teach the importer a new header spelling, add it to the field's aliases (any spelling: the comparison uses the
search normalisation, so ZWNJ, spaces, Arabic letters and punctuation do not matter).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text | id | digits | date | amount | int | status | sector | activity | type | county | province
    aliases: tuple[str, ...] = ()
    required: bool = False
    identifies: bool = False  # used to match existing records


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def get(self, name: str) -> FieldSpec:
        return self.by_name[name]

    @property
    def by_name(self) -> dict[str, FieldSpec]:
        cached = self.__dict__.get("_by_name")
        if cached is None:
            cached = {f.name: f for f in self.fields}
            object.__setattr__(self, "_by_name", cached)
        return cached


COOPERATIVES = ImportKind(
    code="cooperatives",
    label="تعاونی‌ها",
    fields=(
        FieldSpec(
            "shenasnameh",
            "شمارهٔ شناسنامه",
            "text",
            ("شماره شناسنامه", "شناسنامه", "shenasnameh"),
            identifies=True,
        ),
        FieldSpec(
            "legal_id",
            "شناسهٔ ملی",
            "legal_id",
            ("شناسه ملی", "شناسه", "شناسه ملی شرکت", "legal_id", "national id"),
            identifies=True,
        ),
        FieldSpec(
            "registration_number", "شمارهٔ ثبت", "digits", ("شماره ثبت", "ش ثبت", "registration_number")
        ),
        FieldSpec(
            "registration_date", "تاریخ ثبت", "date", ("تاریخ ثبت", "تاریخ تاسیس", "registration_date")
        ),
        FieldSpec(
            "name",
            "نام تعاونی",
            "text",
            ("نام تعاونی", "نام شرکت تعاونی", "نام شرکت", "عنوان", "عنوان تعاونی", "نام", "name"),
            required=True,
        ),
        FieldSpec("type", "نوع", "type", ("نوع", "نوع تعاونی", "type")),
        FieldSpec("sector", "گرایش", "sector", ("گرایش", "بخش", "بخش فعالیت", "sector")),
        FieldSpec("activity", "فعالیت", "activity", ("فعالیت", "زمینه فعالیت", "موضوع فعالیت", "activity")),
        FieldSpec("province", "استان", "province", ("استان", "province")),
        FieldSpec("county", "شهرستان", "county", ("شهرستان", "شهر", "county"), required=True),
        FieldSpec("status", "وضعیت", "status", ("وضعیت", "وضعیت فعالیت", "status")),
        FieldSpec("members_women", "اعضای زن", "int", ("اعضای زن", "تعداد اعضای زن", "زن", "members_women")),
        FieldSpec("members_men", "اعضای مرد", "int", ("اعضای مرد", "تعداد اعضای مرد", "مرد", "members_men")),
        FieldSpec(
            "founding_members", "اعضای مؤسس", "int", ("اعضای موسس", "تعداد موسسین", "founding_members")
        ),
        FieldSpec(
            "capital_registered_rial",
            "سرمایهٔ ثبتی",
            "amount",
            ("سرمایه ثبتی", "سرمایه اولیه", "capital_registered_rial"),
        ),
        FieldSpec(
            "capital_paid_rial",
            "سرمایهٔ پرداخت‌شده",
            "amount",
            ("سرمایه پرداخت شده", "سرمایه پرداختی", "سرمایه", "capital_paid_rial"),
        ),
        FieldSpec("address", "نشانی", "text", ("نشانی", "آدرس", "address")),
        FieldSpec("phone", "تلفن", "digits", ("تلفن", "شماره تماس", "تلفن تماس", "phone")),
        FieldSpec("postal_code", "کد پستی", "digits", ("کد پستی", "کدپستی", "postal_code")),
    ),
)

KINDS = {COOPERATIVES.code: COOPERATIVES}
UNITS = {"rial": "ریال", "toman": "تومان", "million_rial": "میلیون ریال"}
