"""The demo's field visits, made through the same services as users' work: an inspector in every Lorestan county (the
demo's «khorramabad» and «borujerd» officers among them), visits over the last year in every county with findings of
every category and action items in every state (open, in progress, done, cancelled; some overdue; some made
service-desk requests; findings closed with their results), some visits finding the unit closed or gone (triage's
`visit_closed` rule), and the plan of the coming weeks. Deterministic (a seeded random); idempotent: nothing is added
when visits exist."""

import datetime
import random

from django.utils import timezone

from taavon.accounts.models import Role, User
from taavon.places.models import County
from taavon.registry.models import Cooperative, Status
from taavon.servicedesk.lists import seed_categories
from taavon.servicedesk.models import Category
from taavon.visits import services
from taavon.visits.models import (
    ACTION_OPEN,
    Action,
    ActionStatus,
    Finding,
    FindingCategory,
    Owner,
    Purpose,
    Severity,
    UnitState,
    Visit,
)

LORESTAN = "IR-15"
VISITS_PER_COUNTY = 12
PLANNED_PER_COUNTY = 3
DAYS = 360
INSPECTOR_NAMES = (
    ("رضا", "موسوی"),
    ("فاطمه", "سپهوند"),
    ("محمد", "کاکاوند"),
    ("سمیه", "امرایی"),
    ("حسن", "دالوند"),
    ("نرگس", "بیرانوند"),
    ("امید", "پاپی"),
    ("لیلا", "غضنفری"),
    ("جواد", "ملکی"),
    ("زینب", "چگنی"),
)
FINDINGS = {
    "financing": "نقدینگی برای خرید مواد اولیه کافی نیست؛ قسط تسهیلات عقب افتاده است.",
    "raw_materials": "تأمین مواد اولیه با تأخیر و به قیمت بالاتر انجام می‌شود.",
    "market": "فروش محصولات کم شده و انبار پر است.",
    "permits": "پروانهٔ بهره‌برداری منقضی شده و تمدید نشده است.",
    "infrastructure": "برق سه‌فاز کارگاه وصل نیست و دستگاه‌ها نیمه‌وقت کار می‌کنند.",
    "labour": "چند نفر از کارکنان بدون قرارداد کار می‌کنند.",
    "insurance_tax": "لیست بیمهٔ کارکنان سه ماه ارسال نشده است.",
    "disputes": "اختلاف اعضا بر سر تقسیم سود به مجمع کشیده شده است.",
    "other": "تابلوی کارگاه نصب نشده و نشانی ثبت‌شده ناقص است.",
}
ACTIONS = (
    "معرفی به بانک عامل برای استمهال",
    "پیگیری از ادارهٔ کل صمت",
    "برگزاری جلسه با هیئت‌مدیره",
    "ارسال مدارک به ادارهٔ تعاون",
    "هماهنگی با شرکت توزیع برق",
)
AGENCIES = ("ادارهٔ کل صنعت، معدن و تجارت", "شرکت توزیع نیروی برق", "سازمان تأمین اجتماعی", "بانک توسعهٔ تعاون")
RESULTS = ("پیگیری انجام شد و مشکل برطرف شد.", "با معرفی به بانک، قسط‌ها استمهال شد.")
SUMMARIES = (
    "کارگاه فعال بود و با مدیرعامل گفت‌وگو شد.",
    "واحد باز بود ولی تولیدی در جریان نبود.",
    "درِ کارگاه بسته بود و همسایه‌ها از تعطیلی چندماهه خبر دادند.",
    "در نشانی ثبت‌شده واحدی با این نام یافت نشد.",
)
# a finding's category → the service desk's category its action becomes a request of
DESK_CATEGORY = {
    "financing": "financing",
    "permits": "permits",
    "insurance_tax": "insurance",
    "disputes": "disputes",
}


def _inspectors(counties, rng: random.Random) -> dict[int, User]:
    """An inspector per county: the demo's county officer where there is one, else one made for the demo (sign-in
    disabled, like the service desk demo's extra representatives)."""
    found = {}
    for user in User.objects.filter(role=Role.COUNTY, is_active=True, county__in=counties).order_by("pk"):
        if user.county_id in found:
            continue
        if not user.is_inspector:
            user.is_inspector = True
            user.save(update_fields=["is_inspector"])
        found[user.county_id] = user
    for i, county in enumerate(counties):
        if county.pk in found:
            continue
        first, last = INSPECTOR_NAMES[i % len(INSPECTOR_NAMES)]
        user = User(
            username=f"bazras-{county.pk}",
            first_name=first,
            last_name=last,
            role=Role.COUNTY,
            county=county,
            province=county.province,
            is_inspector=True,
        )
        user.set_unusable_password()
        user.save()
        found[county.pk] = user
    return found


def _state(rng: random.Random) -> str:
    x = rng.random()
    if x < 0.64:
        return UnitState.OPERATING
    if x < 0.80:
        return UnitState.IDLE
    if x < 0.92:
        return UnitState.CLOSED
    return UnitState.NOT_FOUND


def load_visits_demo(*, acting_user: User, progress: bool = True) -> dict:
    if Visit.objects.exists():
        return {"visits": Visit.objects.count()}
    rng = random.Random("visits-1405")
    today = timezone.localdate()
    counties = list(County.objects.filter(province__code=LORESTAN).order_by("pk"))
    inspectors = _inspectors(counties, rng)
    purposes = {p.code: p for p in Purpose.objects.filter(is_active=True)}
    routine = purposes.get("routine") or next(iter(purposes.values()))
    seed_categories(Category)
    desk = {c.code: c for c in Category.objects.filter(is_active=True)}
    by_county: dict[int, list[Cooperative]] = {}
    # jurisdiction: the demo loader runs as the administrator, over the demo's province
    for coop in (
        Cooperative.objects.filter(
            county__province__code=LORESTAN, status__in=(Status.ACTIVE, Status.DORMANT)
        )
        .select_related("county")
        .order_by("pk")
    ):
        by_county.setdefault(coop.county_id, []).append(coop)
    categories = list(FindingCategory.values)
    n_category = 0
    made = []
    for county in counties:
        coops = by_county.get(county.pk)
        if not coops:
            continue
        inspector = inspectors[county.pk]
        days = sorted(rng.randrange(1, DAYS) for _ in range(VISITS_PER_COUNTY))
        for k, age in enumerate(days):
            coop = coops[k % len(coops)] if k < len(coops) else rng.choice(coops)
            visited = today - datetime.timedelta(days=age)
            state = _state(rng)
            planned = None
            if rng.random() < 0.8:  # most were in the plan (a day or two earlier or later than they happened)
                purpose = rng.choice([routine, routine, purposes.get("follow_up", routine)])
                planned_on = visited + datetime.timedelta(days=rng.choice([0, 0, 0, -1, 1, 2]))
                planned = services.visit_plan(
                    acting_user=inspector,
                    cooperative=coop,
                    planned_on=planned_on,
                    purpose=purpose,
                    inspectors=[inspector],
                    today=planned_on - datetime.timedelta(days=7),  # planned the week before
                )
            findings = []
            for _ in range(rng.choice([1, 1, 2, 3]) if state in (UnitState.OPERATING, UnitState.IDLE) else 0):
                category = categories[n_category % len(categories)]
                n_category += 1
                findings.append(
                    {
                        "category": category,
                        "severity": rng.choice(Severity.values),
                        "description": FINDINGS[category],
                        "actions": [_action(rng, inspector, visited) for _ in range(rng.choice([1, 1, 2]))],
                    }
                )
            summary = SUMMARIES[{"operating": 0, "idle": 1, "closed": 2, "not_found": 3}[state]]
            visit = services.visit_report(
                acting_user=inspector,
                cooperative=coop,
                visit=planned,
                visited_on=visited,
                unit_state=state,
                workers_women=rng.randint(0, 12) if state == UnitState.OPERATING else None,
                workers_men=rng.randint(0, 20) if state == UnitState.OPERATING else None,
                summary=summary,
                findings=findings,
            ).visit
            made.append((visit, inspector))
        # the plan of the coming weeks (some of it this week: the inspector's home panel)
        for k in range(PLANNED_PER_COUNTY):
            services.visit_plan(
                acting_user=inspector,
                cooperative=rng.choice(coops),
                planned_on=today + datetime.timedelta(days=k * 4 + rng.randrange(0, 3)),
                purpose=rng.choice(list(purposes.values())),
                inspectors=[inspector],
                plan_note="بررسی پیگیری یافته‌های بازدید قبلی",
            )
    _follow_up(made, rng, today, desk)
    return {
        "visits": Visit.objects.count(),
        "findings": Finding.objects.count(),
        "actions": Action.objects.count(),
    }


def _action(rng: random.Random, inspector: User, visited: datetime.date) -> dict:
    owner = rng.choice([Owner.OFFICER, Owner.OFFICER, Owner.AGENCY, Owner.COOPERATIVE])
    return {
        "what": rng.choice(ACTIONS),
        "owner": owner,
        "officer": inspector.pk if owner == Owner.OFFICER else None,
        "agency": rng.choice(AGENCIES) if owner == Owner.AGENCY else "",
        "due_on": visited + datetime.timedelta(days=rng.randrange(10, 120)),
    }


def _follow_up(made, rng: random.Random, today: datetime.date, desk: dict) -> None:
    """What became of the actions: the older visits' mostly done or cancelled (their findings then closed with a
    result), some in progress or made service-desk requests, the rest open (overdue once past their day)."""
    for visit, inspector in made:
        age = (today - visit.visited_on).days
        for finding in visit.findings.all():
            settled = []
            for action in finding.actions.all():
                fate = rng.random()
                if (
                    fate < 0.10
                    and finding.category in DESK_CATEGORY
                    and DESK_CATEGORY[finding.category] in desk
                ):
                    services.action_to_request(
                        acting_user=inspector,
                        action=action,
                        category=desk[DESK_CATEGORY[finding.category]],
                        mobile=f"0916{rng.randrange(10**6, 10**7)}",
                    )
                elif age > 20 and fate < 0.55:
                    done = min(today, visit.visited_on + datetime.timedelta(days=rng.randrange(3, 60)))
                    services.action_set_status(
                        acting_user=inspector,
                        action=action,
                        status=ActionStatus.DONE,
                        note=rng.choice(RESULTS),
                        done_on=done,
                    )
                    settled.append(done)
                elif age > 20 and fate < 0.65:
                    services.action_set_status(
                        acting_user=inspector,
                        action=action,
                        status=ActionStatus.CANCELLED,
                        note="موضوع منتفی شد.",
                    )
                    settled.append(visit.visited_on)
                elif fate < 0.80:
                    services.action_set_status(
                        acting_user=inspector, action=action, status=ActionStatus.IN_PROGRESS
                    )
            if (
                settled
                and not finding.actions.filter(status__in=ACTION_OPEN).exists()
                and rng.random() < 0.85
            ):
                services.finding_close(
                    acting_user=inspector, finding=finding, result=rng.choice(RESULTS), closed_on=max(settled)
                )
