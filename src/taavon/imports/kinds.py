"""What each kind of import reads: its fields, their labels, their Persian and English header aliases, and how values
convert.

A field's label is an English msgid (marked with gettext_noop) shown translated; the importer recognises it in both
languages, with the field's name (the CSV column name) and its aliases. To teach the importer a new header spelling,
add it to the field's aliases (any spelling: the comparison uses the search normalisation, so ZWNJ, spaces, Arabic
letters and punctuation do not matter). The aliases are words of users' files: data, not translated.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from taavon.imports.messages import Message, message


@dataclass(frozen=True)
class FieldSpec:
    name: str
    msgid: str  # the label, in English (shown translated: `label`)
    kind: str  # text | id | digits | date | amount | int | status | sector | activity | type | county | province
    aliases: tuple[str, ...] = ()
    required: bool = False
    identifies: bool = False  # used to match existing records

    @property
    def label(self) -> str:
        """The label in the language active now."""
        return gettext(self.msgid)

    @property
    def label_message(self) -> Message:
        """The label as a message kept with a row's problem."""
        return message(self.msgid)


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: object = field(compare=False)  # lazily translated
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
    label=gettext_lazy("Cooperatives"),
    fields=(
        FieldSpec(
            "shenasnameh",
            gettext_noop("Shenasnameh number"),
            "text",
            ("شماره شناسنامه", "شناسنامه", "shenasnameh"),
            identifies=True,
        ),
        FieldSpec(
            "legal_id",
            gettext_noop("National ID"),
            "legal_id",
            ("شناسه ملی", "شناسه", "شناسه ملی شرکت", "legal_id", "national id"),
            identifies=True,
        ),
        FieldSpec(
            "registration_number",
            gettext_noop("Registration number"),
            "digits",
            ("شماره ثبت", "ش ثبت", "registration_number"),
        ),
        FieldSpec(
            "registration_date",
            gettext_noop("Registration date"),
            "date",
            ("تاریخ ثبت", "تاریخ تاسیس", "registration_date"),
        ),
        FieldSpec(
            "name",
            gettext_noop("Cooperative name"),
            "text",
            ("نام تعاونی", "نام شرکت تعاونی", "نام شرکت", "عنوان", "عنوان تعاونی", "نام", "name"),
            required=True,
        ),
        FieldSpec("type", gettext_noop("Type"), "type", ("نوع", "نوع تعاونی", "type")),
        FieldSpec("sector", gettext_noop("Sector"), "sector", ("گرایش", "بخش", "بخش فعالیت", "sector")),
        FieldSpec(
            "activity",
            gettext_noop("Activity"),
            "activity",
            ("فعالیت", "زمینه فعالیت", "موضوع فعالیت", "activity"),
        ),
        FieldSpec("province", gettext_noop("Province"), "province", ("استان", "province")),
        FieldSpec("county", gettext_noop("County"), "county", ("شهرستان", "شهر", "county"), required=True),
        FieldSpec("status", gettext_noop("Status"), "status", ("وضعیت", "وضعیت فعالیت", "status")),
        FieldSpec(
            "members_women",
            gettext_noop("Women members"),
            "int",
            ("اعضای زن", "تعداد اعضای زن", "زن", "members_women"),
        ),
        FieldSpec(
            "members_men",
            gettext_noop("Men members"),
            "int",
            ("اعضای مرد", "تعداد اعضای مرد", "مرد", "members_men"),
        ),
        FieldSpec(
            "founding_members",
            gettext_noop("Founding members"),
            "int",
            ("اعضای موسس", "تعداد موسسین", "founding_members"),
        ),
        FieldSpec(
            "capital_registered_rial",
            gettext_noop("Registered capital"),
            "amount",
            ("سرمایه ثبتی", "سرمایه اولیه", "capital_registered_rial"),
        ),
        FieldSpec(
            "capital_paid_rial",
            gettext_noop("Paid-up capital"),
            "amount",
            ("سرمایه پرداخت شده", "سرمایه پرداختی", "سرمایه", "capital_paid_rial"),
        ),
        FieldSpec("address", gettext_noop("Address"), "text", ("نشانی", "آدرس", "address")),
        FieldSpec("phone", gettext_noop("Phone"), "digits", ("تلفن", "شماره تماس", "تلفن تماس", "phone")),
        FieldSpec("postal_code", gettext_noop("Postal code"), "digits", ("کد پستی", "کدپستی", "postal_code")),
    ),
)

KINDS = {COOPERATIVES.code: COOPERATIVES}
UNITS = {
    "rial": gettext_lazy("Rial"),
    "toman": gettext_lazy("Toman"),
    "thousand_rial": gettext_lazy("Thousand rials"),
    "thousand_toman": gettext_lazy("Thousand toman"),
    "million_rial": gettext_lazy("Million rials"),
    "million_toman": gettext_lazy("Million toman"),
    "billion_rial": gettext_lazy("Billion rials"),
    "billion_toman": gettext_lazy("Billion toman"),
}


def _coop_ref(required_name: bool = False) -> tuple[FieldSpec, ...]:
    """The columns that name the cooperative a row belongs to (any one is enough)."""
    return (
        FieldSpec(
            "coop_shenasnameh",
            gettext_noop("Cooperative's shenasnameh number"),
            "text",
            ("شماره شناسنامه", "شماره شناسنامه تعاونی", "شناسنامه تعاونی", "shenasnameh"),
        ),
        FieldSpec(
            "coop_legal_id",
            gettext_noop("Cooperative's national ID"),
            "legal_id",
            ("شناسه ملی", "شناسه ملی تعاونی", "legal_id"),
        ),
        FieldSpec(
            "coop_name",
            gettext_noop("Cooperative name"),
            "text",
            ("نام تعاونی", "نام شرکت تعاونی", "تعاونی", "cooperative"),
            required=required_name,
        ),
        FieldSpec("county", gettext_noop("County"), "county", ("شهرستان", "county")),
    )


PROJECTS = ImportKind(
    code="projects",
    label=gettext_lazy("Projects and facilities"),
    fields=(
        *_coop_ref(),
        FieldSpec(
            "title",
            gettext_noop("Project title"),
            "text",
            ("عنوان طرح", "نام طرح", "طرح", "title"),
            required=True,
        ),
        FieldSpec("activity", gettext_noop("Activity"), "activity", ("فعالیت", "زمینه فعالیت", "activity")),
        FieldSpec("sector", gettext_noop("Sector"), "sector", ("گرایش", "بخش", "sector")),
        FieldSpec("stage", gettext_noop("Stage"), "stage", ("مرحله", "وضعیت طرح", "وضعیت", "stage")),
        FieldSpec(
            "investment_rial",
            gettext_noop("Investment"),
            "amount",
            ("سرمایه گذاری", "سرمایه گذاری کل", "میزان سرمایه گذاری", "investment_rial"),
            required=True,
        ),
        FieldSpec(
            "members_contribution_rial",
            gettext_noop("Members' contribution"),
            "amount",
            ("آورده اعضا", "آورده", "members_contribution_rial"),
        ),
        FieldSpec(
            "jobs_direct_planned",
            gettext_noop("Direct jobs"),
            "int",
            ("اشتغال", "اشتغال مستقیم", "تعداد اشتغال", "فرصت شغلی", "jobs_direct"),
        ),
        FieldSpec(
            "jobs_indirect_planned",
            gettext_noop("Indirect jobs"),
            "int",
            ("اشتغال غیرمستقیم", "jobs_indirect"),
        ),
        FieldSpec("jobs_women_planned", gettext_noop("Jobs for women"), "int", ("اشتغال زنان", "jobs_women")),
        FieldSpec("start_date", gettext_noop("Start date"), "date", ("تاریخ شروع", "start_date")),
        FieldSpec(
            "expected_opening_date",
            gettext_noop("Expected opening date"),
            "date",
            ("تاریخ پیش بینی افتتاح", "پیش بینی افتتاح", "expected_opening_date"),
        ),
        FieldSpec(
            "opening_date",
            gettext_noop("Opening date"),
            "date",
            ("تاریخ افتتاح", "تاریخ بهره برداری", "opening_date"),
        ),
        FieldSpec(
            "progress_percent",
            gettext_noop("Physical progress"),
            "int",
            ("پیشرفت فیزیکی", "درصد پیشرفت", "progress"),
        ),
        FieldSpec("bank", gettext_noop("Bank"), "text", ("بانک", "بانک عامل", "bank")),
        FieldSpec("scheme", gettext_noop("Credit line"), "text", ("محل اعتبار", "طرح تسهیلات", "scheme")),
        FieldSpec(
            "requested_rial",
            gettext_noop("Facilities requested"),
            "amount",
            ("تسهیلات درخواستی", "مبلغ درخواستی", "requested"),
        ),
        FieldSpec(
            "approved_rial",
            gettext_noop("Facilities approved"),
            "amount",
            ("تسهیلات مصوب", "مبلغ مصوب", "approved"),
        ),
        FieldSpec(
            "paid_rial",
            gettext_noop("Facilities paid"),
            "amount",
            ("تسهیلات پرداخت شده", "تسهیلات دریافتی", "مبلغ پرداخت شده", "paid"),
        ),
        FieldSpec(
            "paid_date",
            gettext_noop("Facilities payment date"),
            "date",
            ("تاریخ پرداخت", "تاریخ پرداخت تسهیلات", "paid_date"),
        ),
    ),
)

MEMBERS = ImportKind(
    code="members",
    label=gettext_lazy("Members and contributions"),
    fields=(
        *_coop_ref(),
        FieldSpec(
            "national_code",
            gettext_noop("National code"),
            "national_code",
            ("کد ملی", "کدملی", "national_code"),
            required=True,
        ),
        FieldSpec("first_name", gettext_noop("First name"), "text", ("نام", "first_name"), required=True),
        FieldSpec(
            "last_name", gettext_noop("Last name"), "text", ("نام خانوادگی", "last_name"), required=True
        ),
        FieldSpec("gender", gettext_noop("Gender"), "gender", ("جنسیت", "جنس", "gender"), required=True),
        FieldSpec("birth_year", gettext_noop("Birth year"), "int", ("سال تولد", "birth_year")),
        FieldSpec(
            "mobile", gettext_noop("Mobile phone"), "digits", ("تلفن همراه", "موبایل", "همراه", "mobile")
        ),
        FieldSpec(
            "join_date", gettext_noop("Membership date"), "date", ("تاریخ عضویت", "join_date"), required=True
        ),
        FieldSpec("shares", gettext_noop("Number of shares"), "int", ("تعداد سهام", "سهام", "shares")),
        FieldSpec(
            "contribution_rial",
            gettext_noop("Contribution"),
            "amount",
            ("آورده", "مبلغ آورده", "سرمایه", "contribution_rial"),
        ),
        FieldSpec(
            "contribution_date",
            gettext_noop("Contribution payment date"),
            "date",
            ("تاریخ پرداخت آورده", "تاریخ پرداخت"),
        ),
    ),
)

RETURNS = ImportKind(
    code="returns",
    label=pgettext_lazy("import kind", "Annual returns"),
    fields=(
        *_coop_ref(),
        FieldSpec(
            "fiscal_year",
            gettext_noop("Fiscal year"),
            "int",
            ("سال مالی", "سال", "fiscal_year"),
            required=True,
        ),
        FieldSpec(
            "filed_on",
            gettext_noop("Filing date"),
            "date",
            ("تاریخ ارائه", "تاریخ تسلیم", "filed_on"),
            required=True,
        ),
        FieldSpec("revenue_rial", gettext_noop("Revenue"), "amount", ("درآمد", "فروش", "revenue")),
        FieldSpec(
            "assets_rial", gettext_noop("Assets"), "amount", ("دارایی", "دارایی ها", "جمع دارایی", "assets")
        ),
        FieldSpec(
            "liabilities_rial",
            gettext_noop("Liabilities"),
            "amount",
            ("بدهی", "بدهی ها", "جمع بدهی", "liabilities"),
        ),
        FieldSpec(
            "profit_rial",
            gettext_noop("Profit (loss)"),
            "signed_amount",
            ("سود", "سود و زیان", "سود زیان", "profit"),
        ),
        FieldSpec("employees", gettext_noop("Employees"), "int", ("کارکنان", "تعداد کارکنان", "employees")),
        FieldSpec(
            "members_year_end",
            gettext_noop("Members at year end"),
            "int",
            ("اعضا در پایان سال", "تعداد اعضا", "members"),
        ),
    ),
)

KINDS.update({PROJECTS.code: PROJECTS, MEMBERS.code: MEMBERS, RETURNS.code: RETURNS})
