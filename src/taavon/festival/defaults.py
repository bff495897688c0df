"""The criteria a new edition starts with (the committee changes weights per category): computed ones — each the
code of a function in festival.indicators, whose formula the pages show — and jury ones, scored 0–10. Indicators
named in past editions: years of activity, members, jobs, sales and exports, timely general assemblies, financial
statements and tax returns, insurance, compliance with the cooperative principles, awards and exhibitions attended."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DefaultCriterion:
    code: str
    name_fa: str
    name_en: str
    kind: str  # "computed" or "jury"
    weight: Decimal  # percent, the same in every category to begin with (they sum to 100)
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(100)


CRITERIA = [
    DefaultCriterion("years_active", "سال‌های فعالیت", "Years of activity", "computed", Decimal(5)),
    DefaultCriterion("member_growth", "رشد شمار اعضا", "Growth of the membership", "computed", Decimal(7)),
    DefaultCriterion("jobs_created", "اشتغال ایجادشده", "Jobs created", "computed", Decimal(12)),
    DefaultCriterion("revenue_growth", "رشد فروش", "Growth of sales", "computed", Decimal(10)),
    DefaultCriterion(
        "assemblies_on_time", "مجامع عمومی به‌موقع", "General assemblies on time", "computed", Decimal(6)
    ),
    DefaultCriterion(
        "returns_on_time", "اظهارنامه‌های به‌موقع", "Annual returns on time", "computed", Decimal(8)
    ),
    DefaultCriterion(
        "women_share", "سهم زنان از اعضا", "Women's share of the members", "computed", Decimal(5)
    ),
    DefaultCriterion(
        "projects_opened", "طرح‌های به بهره‌برداری رسیده", "Projects opened", "computed", Decimal(4)
    ),
    DefaultCriterion("exhibitions", "حضور در نمایشگاه‌ها", "Exhibitions attended", "computed", Decimal(3)),
    DefaultCriterion(
        "principles",
        "رعایت اصول تعاون",
        "Compliance with the cooperative principles",
        "jury",
        Decimal(15),
        Decimal(0),
        Decimal(10),
    ),
    DefaultCriterion(
        "performance",
        "نوآوری، فروش و صادرات",
        "Innovation, sales and exports",
        "jury",
        Decimal(15),
        Decimal(0),
        Decimal(10),
    ),
    DefaultCriterion(
        "insurance_tax",
        "بیمه و مالیات",
        "Insurance and tax compliance",
        "jury",
        Decimal(10),
        Decimal(0),
        Decimal(10),
    ),
]
