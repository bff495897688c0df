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
UNITS = {
    "rial": "ریال",
    "toman": "تومان",
    "thousand_rial": "هزار ریال",
    "thousand_toman": "هزار تومان",
    "million_rial": "میلیون ریال",
    "million_toman": "میلیون تومان",
    "billion_rial": "میلیارد ریال",
    "billion_toman": "میلیارد تومان",
}


def _coop_ref(required_name: bool = False) -> tuple[FieldSpec, ...]:
    """The columns that name the cooperative a row belongs to (any one is enough)."""
    return (
        FieldSpec(
            "coop_shenasnameh",
            "شمارهٔ شناسنامهٔ تعاونی",
            "text",
            ("شماره شناسنامه", "شناسنامه تعاونی", "shenasnameh"),
        ),
        FieldSpec(
            "coop_legal_id", "شناسهٔ ملی تعاونی", "legal_id", ("شناسه ملی", "شناسه ملی تعاونی", "legal_id")
        ),
        FieldSpec(
            "coop_name",
            "نام تعاونی",
            "text",
            ("نام تعاونی", "نام شرکت تعاونی", "تعاونی", "cooperative"),
            required=required_name,
        ),
        FieldSpec("county", "شهرستان", "county", ("شهرستان", "county")),
    )


PROJECTS = ImportKind(
    code="projects",
    label="طرح‌ها و تسهیلات",
    fields=(
        *_coop_ref(),
        FieldSpec("title", "عنوان طرح", "text", ("عنوان طرح", "نام طرح", "طرح", "title"), required=True),
        FieldSpec("activity", "فعالیت", "activity", ("فعالیت", "زمینه فعالیت", "activity")),
        FieldSpec("sector", "گرایش", "sector", ("گرایش", "بخش", "sector")),
        FieldSpec("stage", "مرحله", "stage", ("مرحله", "وضعیت طرح", "وضعیت", "stage")),
        FieldSpec(
            "investment_rial",
            "سرمایه‌گذاری",
            "amount",
            ("سرمایه گذاری", "سرمایه گذاری کل", "میزان سرمایه گذاری", "investment_rial"),
            required=True,
        ),
        FieldSpec(
            "members_contribution_rial",
            "آوردهٔ اعضا",
            "amount",
            ("آورده اعضا", "آورده", "members_contribution_rial"),
        ),
        FieldSpec(
            "jobs_direct_planned",
            "اشتغال مستقیم",
            "int",
            ("اشتغال", "اشتغال مستقیم", "تعداد اشتغال", "فرصت شغلی", "jobs_direct"),
        ),
        FieldSpec("jobs_indirect_planned", "اشتغال غیرمستقیم", "int", ("اشتغال غیرمستقیم", "jobs_indirect")),
        FieldSpec("jobs_women_planned", "اشتغال زنان", "int", ("اشتغال زنان", "jobs_women")),
        FieldSpec("start_date", "تاریخ شروع", "date", ("تاریخ شروع", "start_date")),
        FieldSpec(
            "expected_opening_date",
            "تاریخ پیش‌بینی افتتاح",
            "date",
            ("تاریخ پیش بینی افتتاح", "پیش بینی افتتاح", "expected_opening_date"),
        ),
        FieldSpec(
            "opening_date", "تاریخ افتتاح", "date", ("تاریخ افتتاح", "تاریخ بهره برداری", "opening_date")
        ),
        FieldSpec("progress_percent", "پیشرفت فیزیکی", "int", ("پیشرفت فیزیکی", "درصد پیشرفت", "progress")),
        FieldSpec("bank", "بانک", "text", ("بانک", "بانک عامل", "bank")),
        FieldSpec("scheme", "محل اعتبار", "text", ("محل اعتبار", "طرح تسهیلات", "scheme")),
        FieldSpec(
            "requested_rial", "تسهیلات درخواستی", "amount", ("تسهیلات درخواستی", "مبلغ درخواستی", "requested")
        ),
        FieldSpec("approved_rial", "تسهیلات مصوب", "amount", ("تسهیلات مصوب", "مبلغ مصوب", "approved")),
        FieldSpec(
            "paid_rial",
            "تسهیلات پرداخت‌شده",
            "amount",
            ("تسهیلات پرداخت شده", "تسهیلات دریافتی", "مبلغ پرداخت شده", "paid"),
        ),
        FieldSpec("paid_date", "تاریخ پرداخت تسهیلات", "date", ("تاریخ پرداخت", "paid_date")),
    ),
)

MEMBERS = ImportKind(
    code="members",
    label="اعضا و آورده‌ها",
    fields=(
        *_coop_ref(),
        FieldSpec(
            "national_code", "کد ملی", "national_code", ("کد ملی", "کدملی", "national_code"), required=True
        ),
        FieldSpec("first_name", "نام", "text", ("نام", "first_name"), required=True),
        FieldSpec("last_name", "نام خانوادگی", "text", ("نام خانوادگی", "last_name"), required=True),
        FieldSpec("gender", "جنسیت", "gender", ("جنسیت", "جنس", "gender"), required=True),
        FieldSpec("birth_year", "سال تولد", "int", ("سال تولد", "birth_year")),
        FieldSpec("mobile", "تلفن همراه", "digits", ("تلفن همراه", "موبایل", "همراه", "mobile")),
        FieldSpec("join_date", "تاریخ عضویت", "date", ("تاریخ عضویت", "join_date"), required=True),
        FieldSpec("shares", "تعداد سهام", "int", ("تعداد سهام", "سهام", "shares")),
        FieldSpec(
            "contribution_rial", "آورده", "amount", ("آورده", "مبلغ آورده", "سرمایه", "contribution_rial")
        ),
        FieldSpec("contribution_date", "تاریخ پرداخت آورده", "date", ("تاریخ پرداخت آورده", "تاریخ پرداخت")),
    ),
)

RETURNS = ImportKind(
    code="returns",
    label="اظهارنامه‌های سالانه",
    fields=(
        *_coop_ref(),
        FieldSpec("fiscal_year", "سال مالی", "int", ("سال مالی", "سال", "fiscal_year"), required=True),
        FieldSpec(
            "filed_on", "تاریخ ارائه", "date", ("تاریخ ارائه", "تاریخ تسلیم", "filed_on"), required=True
        ),
        FieldSpec("revenue_rial", "درآمد", "amount", ("درآمد", "فروش", "revenue")),
        FieldSpec("assets_rial", "دارایی‌ها", "amount", ("دارایی", "دارایی ها", "جمع دارایی", "assets")),
        FieldSpec("liabilities_rial", "بدهی‌ها", "amount", ("بدهی", "بدهی ها", "جمع بدهی", "liabilities")),
        FieldSpec("profit_rial", "سود (زیان)", "signed_amount", ("سود", "سود و زیان", "سود زیان", "profit")),
        FieldSpec("employees", "کارکنان", "int", ("کارکنان", "تعداد کارکنان", "employees")),
        FieldSpec(
            "members_year_end", "اعضا در پایان سال", "int", ("اعضا در پایان سال", "تعداد اعضا", "members")
        ),
    ),
)

KINDS.update({PROJECTS.code: PROJECTS, MEMBERS.code: MEMBERS, RETURNS.code: RETURNS})
