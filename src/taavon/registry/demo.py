"""Registry part of the demo: 300+ Lorestan cooperatives with realistic names, valid identifiers and histories.

Every record goes through cooperative_register and cooperative_change_status, so the rules and audit apply.
Names are typed the way people type them: some with Arabic ي/ك, some without the zero-width non-joiner.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.persian import legal_id_check_digit, search_key, to_gregorian, to_persian_digits
from taavon.places.models import County, Province
from taavon.registry.models import Activity, Cooperative, CooperativeType, Membership, Status
from taavon.registry.services import cooperative_change_status, cooperative_register

# activity code -> (name phrases, type code)
ACTIVITY_NAMES = {
    "clothing": (["تولیدی پوشاک", "تولید پوشاک", "دوخت پوشاک"], "producer"),
    "handicrafts": (["صنایع‌دستی", "صنایع دستی و گلیم"], "producer"),
    "fuel-station": (["جایگاه سوخت", "پمپ بنزین"], "distribution"),
    "leather": (["مصنوعات چرمی", "تولید کیف و کفش چرمی"], "producer"),
    "education": (["خدمات آموزشی", "آموزشی و فرهنگی"], "distribution"),
    "meat-poultry": (["پرورش دام و طیور", "تولید گوشت قرمز", "مرغداری"], "producer"),
    "medical": (["خدمات پزشکی", "درمانی و پزشکی"], "distribution"),
    "stone": (["استخراج سنگ", "معدنی سنگ‌های ساختمانی"], "producer"),
    "beekeeping": (["زنبورداری", "تولید عسل"], "producer"),
    "carpet": (["فرش دستباف", "قالی‌بافی"], "producer"),
    "consumer": (["مصرف کارکنان", "مصرف فرهنگیان"], "distribution"),
    "credit": (["اعتبار", "اعتبار کارکنان"], "distribution"),
    "freight": (["حمل و نقل بار", "حمل‌ونقل مسافر"], "distribution"),
    "housing": (["مسکن کارکنان", "مسکن مهر"], "distribution"),
    "dairy": (["فرآورده‌های لبنی", "لبنیات"], "producer"),
    "investment": (["سرمایه‌گذاری", "سرمایه‌گذاری و توسعه"], "distribution"),
}
DISTINCT = [
    "زاگرس",
    "کیو",
    "سفیدکوه",
    "اشترانکوه",
    "گهر",
    "سیمره",
    "کشکان",
    "گرین",
    "بیستون",
    "آینده‌سازان",
    "امید",
    "همت",
    "نوین",
    "سبز",
    "مهر",
    "پارس",
    "بانوان",
    "جوانان",
    "ایثارگران",
    "کشاورزان",
    "فرهنگیان",
    "کارکنان",
    "پیشگامان",
    "نیکان",
    "سپیدار",
    "بلوط",
    "لاله",
    "آفتاب",
    "کوهپایه",
    "دشت",
    "چنار",
    "سروستان",
    "بهار",
    "ستاره",
    "روشنا",
    "آرمان",
    "پویا",
    "کاوه",
    "شقایق",
    "الماس",
]
STATUS_PLAN = [
    (Status.ACTIVE, 62),
    (Status.DORMANT, 15),
    (Status.LIQUIDATING, 7),
    (Status.DISSOLVED, 6),
    (Status.UNKNOWN, 10),
]


def _typed_like_people(rng: random.Random, name: str) -> str:
    """Some names are typed with Arabic letters or without the ZWNJ, as in the directorate's spreadsheets."""
    roll = rng.random()
    if roll < 0.15:
        name = name.replace("ی", "ي").replace("ک", "ك")
    elif roll < 0.30:
        name = name.replace("\u200c", "")
    elif roll < 0.38:
        name = name.replace("\u200c", " ")
    return name


def _legal_id(rng: random.Random) -> str:
    first10 = "10" + f"{rng.randrange(10**6, 10**7)}" + str(rng.randrange(10))
    return first10 + legal_id_check_digit(first10)


def _jdate(rng: random.Random, y0: int, y1: int) -> datetime.date:
    return to_gregorian(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 29))


def _between(rng: random.Random, a: datetime.date, b: datetime.date) -> datetime.date:
    if b <= a:
        return a
    return a + datetime.timedelta(days=rng.randrange((b - a).days + 1))


def _status_path(target: str) -> list[str]:
    return {
        Status.ACTIVE: [],
        Status.DORMANT: [Status.DORMANT],
        Status.LIQUIDATING: [Status.DORMANT, Status.LIQUIDATING],
        Status.DISSOLVED: [Status.LIQUIDATING, Status.DISSOLVED],
        Status.UNKNOWN: [],
    }[target]


REASONS = {
    Status.DORMANT: "عدم برگزاری مجمع عمومی و توقف فعالیت طبق گزارش بازدید",
    Status.LIQUIDATING: "تصمیم مجمع عمومی فوق‌العاده به انحلال و تعیین هیئت تصفیه",
    Status.DISSOLVED: "پایان تصفیه و ثبت آگهی انحلال در روزنامهٔ رسمی",
    Status.ACTIVE: "برگزاری مجمع و از سرگیری فعالیت پس از پیگیری اداره",
}


def _specs(rng: random.Random, n: int, counties, activities, types, today) -> list[dict]:
    """Every random draw happens here, before anything is written, so a second run makes the same records."""
    statuses = [s for s, w in STATUS_PLAN for _ in range(w)]
    codes = list(ACTIVITY_NAMES)
    seen: set[tuple[int, str]] = set()
    specs = []
    for i in range(n):
        county = counties[i % len(counties)]
        code = codes[rng.randrange(len(codes))]
        phrases, type_code = ACTIVITY_NAMES[code]
        for _ in range(50):
            name = f"{rng.choice(['شرکت تعاونی', 'تعاونی'])} {rng.choice(phrases)} {rng.choice(DISTINCT)}"
            if rng.random() < 0.4:
                name += f" {county.name_fa}"
            key = (county.pk, search_key(name))
            if key not in seen:
                break
        seen.add(key)
        name = _typed_like_people(rng, name)
        target = statuses[rng.randrange(len(statuses))]
        reg_date = _jdate(rng, 1370, 1403)
        women = rng.randint(0, 40)
        men = rng.randint(0 if women >= 7 else 7 - women, 120)
        registered = rng.randrange(5, 5000) * 10_000_000
        fields = dict(
            name=name,
            legal_id=_legal_id(rng) if rng.random() < 0.93 else "",
            registration_number=str(rng.randrange(100, 99999)),
            registration_date=reg_date,
            type=types[type_code],
            sector=activities[code].sector,
            activity=activities[code],
            membership=Membership.OPEN if code in {"consumer", "credit", "housing"} else Membership.CLOSED,
            county=county,
            address=f"{county.name_fa}، خیابان {rng.choice(DISTINCT)}، پلاک {to_persian_digits(rng.randint(1, 250))}",
            postal_code=str(rng.randrange(10**9, 10**10)),
            phone=f"066{rng.randrange(10**7, 10**8)}",
            members_women=women,
            members_men=men,
            founding_members=rng.randint(7, 15),
            capital_registered_rial=registered,
            capital_paid_rial=registered * rng.randint(30, 100) // 100,
            # a working cooperative holds its assembly every year and keeps its board in term; a dormant one's
            # last assembly and board term lie anywhere since it was registered
            board_term_end=_between(
                rng, today - datetime.timedelta(days=60), today + datetime.timedelta(days=900)
            )
            if target == Status.ACTIVE and rng.random() < 0.85
            else _between(rng, reg_date + datetime.timedelta(days=365), today + datetime.timedelta(days=900)),
            last_general_assembly=max(reg_date, today - datetime.timedelta(days=rng.randint(20, 430)))
            if target == Status.ACTIVE and rng.random() < 0.85
            else _between(rng, reg_date, today),
            notes="",
        )
        path = list(_status_path(target))
        if target == Status.ACTIVE and rng.random() < 0.1:
            path += [Status.DORMANT, Status.ACTIVE]
        steps, when = [], reg_date
        for step in path:
            when = _between(rng, min(when + datetime.timedelta(days=30), today), today)
            steps.append((step, when))
        specs.append(
            {
                "fields": fields,
                "initial": Status.UNKNOWN if target == Status.UNKNOWN else Status.ACTIVE,
                "steps": steps,
            }
        )
    return specs


def load_registry_demo(*, acting_user: User, n: int = 320, progress: bool = True) -> dict:
    rng = random.Random(1404)
    lorestan = Province.objects.get(code="IR-15")
    counties = list(County.objects.filter(province=lorestan).order_by("name_fa"))
    activities = {a.code: a for a in Activity.objects.select_related("sector")}
    types = {t.code: t for t in CooperativeType.objects.all()}
    specs = _specs(rng, n, counties, activities, types, timezone.localdate())
    existing = set(Cooperative.objects.filter(county__province=lorestan).values_list("county_id", "name_key"))
    created = changes = 0
    for spec in tqdm(specs, desc="cooperatives", disable=not progress, unit="coop"):
        fields = spec["fields"]
        if (fields["county"].pk, search_key(fields["name"])) in existing:
            continue
        with transaction.atomic():  # the record and its status steps: one commit, never half a history
            coop = cooperative_register(acting_user=acting_user, initial_status=spec["initial"], **fields)
            for step, when in spec["steps"]:
                cooperative_change_status(
                    acting_user=acting_user,
                    cooperative=coop,
                    to_status=step,
                    reason=REASONS[step],
                    effective_date=when,
                )
        created += 1
        changes += len(spec["steps"])
    return {
        "cooperatives": Cooperative.objects.filter(county__province=lorestan).count(),
        "created": created,
        "status_changes": changes,
    }
