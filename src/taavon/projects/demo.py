"""Projects part of the demo: the report's 18 projects (Lorestan, Cooperative Week 1404) and others.

The report's figures — 18 projects, about 195 billion toman of investment, more than 6 billion toman of bank
facilities, more than 200 jobs — are not stored anywhere: they come out of these records when they are added up.
Every record goes through the projects' services (rules, stage history, audit).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.core.history import day_moment, recorded_at
from taavon.persian import search_key, to_gregorian, to_persian_digits
from taavon.places.models import County
from taavon.projects.models import Project, Stage
from taavon.projects.services import facility_add, project_change_stage, project_create
from taavon.registry.models import Activity, Cooperative, CooperativeType, Status
from taavon.registry.services import cooperative_register

BILLION_TOMAN = 10_000_000_000  # rials

# (title, cooperative name, county (OSM English name), activity code, investment in billion toman,
#  facilities paid in billion toman, direct jobs, women among them, opening day in Shahrivar 1404)
REPORT_PROJECTS = [
    (
        "کارگاه تولید پوشاک بانوان زاگرس",
        "شرکت تعاونی تولیدی پوشاک بانوان زاگرس",
        "Khorramabad",
        "clothing",
        8.5,
        0.8,
        18,
        14,
        11,
    ),
    ("توسعهٔ خط دوخت پوشاک کار", "شرکت تعاونی پوشاک کار بروجرد", "Borujerd", "clothing", 6.2, 0.5, 15, 9, 12),
    ("کارگاه پوشاک ورزشی", "تعاونی تولید پوشاک ورزشی دورود", "Dorud", "clothing", 4.8, 0, 12, 8, 13),
    (
        "کارگاه گلیم و جاجیم",
        "تعاونی صنایع‌دستی گلیم‌بافان الیگودرز",
        "Aligudarz",
        "handicrafts",
        2.1,
        0.3,
        9,
        7,
        11,
    ),
    ("بازارچهٔ صنایع دستی", "تعاونی صنایع دستی هنرمندان کوهدشت", "Kuhdasht", "handicrafts", 1.6, 0, 7, 6, 14),
    (
        "جایگاه سوخت دوگانه‌سوز",
        "شرکت تعاونی جایگاه سوخت سیمره پلدختر",
        "Pol-e Dokhtar",
        "fuel-station",
        24.0,
        1.2,
        8,
        1,
        15,
    ),
    ("جایگاه عرضهٔ سوخت", "تعاونی پمپ بنزین ازنا", "Azna", "fuel-station", 21.5, 0, 7, 0, 16),
    ("تولید کیف و کفش چرمی", "شرکت تعاونی مصنوعات چرمی کیو", "Khorramabad", "leather", 5.4, 0.9, 11, 5, 12),
    ("کارگاه کمربند و دستکش چرمی", "تعاونی مصنوعات چرمی بروجرد", "Borujerd", "leather", 4.2, 0, 9, 4, 13),
    (
        "آموزشگاه فنی و حرفه‌ای آزاد",
        "تعاونی خدمات آموزشی فرهنگیان خرم‌آباد",
        "Khorramabad",
        "education",
        6.8,
        0.6,
        10,
        6,
        14,
    ),
    ("مجتمع آموزشی غیردولتی", "تعاونی آموزشی و فرهنگی دلفان", "Delfan", "education", 3.9, 0, 6, 4, 15),
    (
        "پرواربندی گوسالهٔ گوشتی",
        "شرکت تعاونی دامداران سلسله",
        "Selseleh",
        "meat-poultry",
        18.6,
        1.0,
        16,
        2,
        11,
    ),
    (
        "مرغداری گوشتی ۵۰ هزار قطعه‌ای",
        "تعاونی مرغداران چگنی",
        "Chegeni",
        "meat-poultry",
        16.3,
        0.45,
        14,
        3,
        16,
    ),
    ("پرورش گوسفند داشتی", "تعاونی تولید گوشت قرمز رومشکان", "Rumeshkan", "meat-poultry", 14.9, 0, 12, 2, 17),
    ("درمانگاه شبانه‌روزی", "شرکت تعاونی خدمات پزشکی بروجرد", "Borujerd", "medical", 12.7, 0.6, 17, 9, 12),
    (
        "مرکز تصویربرداری پزشکی",
        "تعاونی خدمات درمانی سلامت خرم‌آباد",
        "Khorramabad",
        "medical",
        11.4,
        0,
        15,
        8,
        14,
    ),
    ("معدن سنگ تزئینی", "تعاونی استخراج سنگ اشترانکوه", "Aligudarz", "stone", 17.2, 0, 14, 0, 13),
    ("استخراج و برش سنگ لاشه", "تعاونی معدنی سنگ معمولان", "Mamulan", "stone", 15.3, 0, 14, 0, 17),
]
BANKS = ["بانک توسعهٔ تعاون", "بانک کشاورزی", "بانک ملی", "بانک صادرات", "بانک رفاه کارگران"]
SCHEMES = ["تسهیلات اشتغال‌زایی", "صندوق توسعهٔ ملی", "تبصرهٔ ۱۸", "رونق تولید"]

OTHER_TITLES = {
    "clothing": "کارگاه دوخت",
    "handicrafts": "کارگاه صنایع دستی",
    "fuel-station": "جایگاه سوخت",
    "leather": "کارگاه چرم",
    "education": "آموزشگاه",
    "meat-poultry": "واحد دامپروری",
    "medical": "مرکز درمانی",
    "stone": "معدن سنگ",
    "beekeeping": "زنبورستان",
    "carpet": "کارگاه قالی‌بافی",
    "dairy": "کارخانهٔ لبنیات",
    "consumer": "فروشگاه",
    "housing": "مجتمع مسکونی",
    "freight": "پایانهٔ بار",
}


def _cooperative(
    acting_user,
    name: str,
    county: County,
    activity: Activity,
    rng: random.Random,
    known: dict[tuple[int, str], Cooperative],
    producer: CooperativeType,
) -> Cooperative:
    """The cooperative by county and name key, from `known` (read in one query), or registered now."""
    found = known.get((county.pk, search_key(name)))
    if found:
        return found
    reg = to_gregorian(rng.randint(1392, 1401), rng.randint(1, 12), rng.randint(1, 28))
    coop = cooperative_register(
        acting_user=acting_user,
        name=name,
        legal_id="",
        registration_number=str(rng.randrange(1000, 99999)),
        registration_date=reg,
        type=producer,
        sector=activity.sector,
        activity=activity,
        membership="closed",
        county=county,
        address="",
        postal_code="",
        phone="",
        members_women=rng.randint(2, 30),
        members_men=rng.randint(5, 60),
        founding_members=7,
        capital_registered_rial=rng.randrange(50, 500) * 100_000_000,
        capital_paid_rial=0,
        board_term_end=None,
        last_general_assembly=None,
        notes="",
    )
    known[(county.pk, coop.name_key)] = coop
    return coop


# the day the province's projects were entered in Taavon: the demo's project history begins then (issue 18: the
# Cooperative Week 1404 paragraph can be written again as of 17 Shahrivar 1404)
ENTERED = (1404, 6, 1)


def _entered(i: int) -> datetime.datetime:
    """The moment the demo's i-th project is recorded: a minute apart, from ENTERED's morning."""
    return day_moment(to_gregorian(*ENTERED), hour=8) + datetime.timedelta(minutes=i)


def _walk(acting_user, project, steps: list[tuple[str, datetime.date]], recorded: datetime.datetime):
    """The project's stages, each recorded on its day (or just after the project was entered, for the days before
    it was). Returns the moment of the last."""
    for stage, when in steps:
        recorded = day_moment(when, after=recorded)
        with recorded_at(recorded):
            project_change_stage(acting_user=acting_user, project=project, to_stage=stage, date=when)
    return recorded


def _existing_projects() -> set[tuple[int, str]]:
    """(cooperative, title key) of every project, in one query. The key folds digits, so a title an older demo
    wrote with Latin digits is the same project as its Persian-digit title now (a second run adds nothing)."""
    return set(Project.objects.values_list("cooperative_id", "title_key"))


@transaction.atomic  # one commit for the report's projects (each service call inside is a savepoint)
def _report_projects(acting_user: User, progress: bool) -> int:
    lorestan_counties = {c.name_en: c for c in County.objects.filter(province__code="IR-15")}
    activities = {a.code: a for a in Activity.objects.select_related("sector")}
    known = {
        (c.county_id, c.name_key): c
        for c in Cooperative.objects.filter(
            county__in=lorestan_counties.values(),
            name_key__in={search_key(row[1]) for row in REPORT_PROJECTS},
        ).select_related("county")
    }
    producer = CooperativeType.objects.get(code="producer")
    projects = _existing_projects()
    created = 0
    for i, (title, coop_name, county_en, code, invest, paid, jobs, women, day) in enumerate(
        tqdm(REPORT_PROJECTS, desc="report projects", disable=not progress)
    ):
        rng = random.Random(f"report-{i}")  # one generator per record: a second run makes the same records
        county, activity = lorestan_counties[county_en], activities[code]
        entered = _entered(i)
        with recorded_at(entered):
            coop = _cooperative(acting_user, coop_name, county, activity, rng, known, producer)
        if (coop.pk, search_key(title)) in projects:
            continue
        investment = round(invest * BILLION_TOMAN)
        start = to_gregorian(rng.choice([1401, 1402]), rng.randint(1, 12), rng.randint(1, 28))
        with recorded_at(entered):
            project = project_create(
                acting_user=acting_user,
                cooperative=coop,
                title=title,
                sector=activity.sector,
                activity=activity,
                county=county,
                investment_rial=investment,
                members_contribution_rial=investment - round(paid * BILLION_TOMAN) - investment // 10,
                jobs_direct_planned=jobs,
                jobs_indirect_planned=jobs * 2,
                jobs_women_planned=women,
                jobs_direct_actual=None,
                jobs_indirect_actual=None,
                jobs_women_actual=None,
                start_date=start,
                expected_opening_date=to_gregorian(1404, 6, day),
                progress_percent=20,
                notes="",
            )
        _walk(
            acting_user,
            project,
            [
                (Stage.LICENSING, start + datetime.timedelta(days=20)),
                (Stage.CONSTRUCTION, start + datetime.timedelta(days=90)),
                (Stage.READY, to_gregorian(1404, 5, rng.randint(1, 28))),
                (Stage.OPENED, to_gregorian(1404, 6, day)),
            ],
            entered,
        )
        if paid:
            paid_rial = round(paid * BILLION_TOMAN)
            # the facility was entered with its project (its dates are older)
            with recorded_at(entered + datetime.timedelta(seconds=30)):
                facility_add(
                    acting_user=acting_user,
                    project=project,
                    bank=rng.choice(BANKS),
                    scheme=rng.choice(SCHEMES),
                    requested_rial=paid_rial * 2,
                    approved_rial=paid_rial + paid_rial // 4,
                    paid_rial=paid_rial,
                    requested_date=start,
                    approved_date=start + datetime.timedelta(days=60),
                    paid_date=start + datetime.timedelta(days=120),
                )
        created += 1
    return created


@transaction.atomic  # one commit for these projects
def _other_projects(acting_user: User, n: int) -> int:
    """Projects in other years and stages, so that the filters matter."""
    today = timezone.localdate()

    if (
        Project.objects.filter(cooperative__county__province__code="IR-15").count()
        >= len(REPORT_PROJECTS) + n
    ):
        return 0  # made by an earlier run (the active cooperatives may differ since: triage's decisions)
    coops = list(
        Cooperative.objects.filter(county__province__code="IR-15", status=Status.ACTIVE)
        .exclude(activity=None)
        .select_related("activity__sector", "county")
        .order_by("id")[: n * 2]
    )
    random.Random(1404).shuffle(coops)
    created = 0
    plans = [
        (Stage.OPENED, 1402),
        (Stage.OPENED, 1403),
        (Stage.OPENED, 1405),
        (Stage.CONSTRUCTION, None),
        (Stage.LICENSING, None),
        (Stage.STUDY, None),
        (Stage.STALLED, None),
        (Stage.CANCELLED, None),
        (Stage.READY, None),
    ]
    projects = _existing_projects()
    for i, coop in enumerate(coops[:n]):
        rng = random.Random(f"other-{i}")
        # the number in Persian digits, like every digit the Persian interface shows
        number = to_persian_digits(i + 1)
        title = f"{OTHER_TITLES.get(coop.activity.code, 'طرح توسعه')} {coop.county.name_fa} {number}"
        if (coop.pk, search_key(title)) in projects:
            continue
        target, year = plans[i % len(plans)]
        investment = rng.randrange(5, 400) * 1_000_000_000
        start = to_gregorian(rng.choice([1399, 1400, 1401]), rng.randint(1, 12), rng.randint(1, 28))
        jobs = rng.randint(3, 40)
        expected = to_gregorian(year or rng.choice([1405, 1406]), rng.randint(1, 12), rng.randint(1, 28))
        if target == Stage.OPENED and year == 1405:
            expected = to_gregorian(1405, 6, rng.randint(11, 17))
        entered = _entered(len(REPORT_PROJECTS) + i)
        with recorded_at(entered):
            project = project_create(
                acting_user=acting_user,
                cooperative=coop,
                title=title,
                sector=coop.activity.sector,
                activity=coop.activity,
                county=coop.county,
                investment_rial=investment,
                members_contribution_rial=investment * rng.randint(20, 80) // 100,
                jobs_direct_planned=jobs,
                jobs_indirect_planned=jobs,
                jobs_women_planned=jobs // 3,
                jobs_direct_actual=jobs - rng.randint(0, 2) if target == Stage.OPENED else None,
                jobs_indirect_actual=None,
                jobs_women_actual=None,
                start_date=start,
                expected_opening_date=expected,
                progress_percent=rng.randint(5, 90),
                notes="",
            )
        steps = {
            Stage.STUDY: [],
            Stage.LICENSING: [(Stage.LICENSING, start)],
            Stage.CONSTRUCTION: [(Stage.CONSTRUCTION, start + datetime.timedelta(days=60))],
            Stage.READY: [
                (Stage.CONSTRUCTION, start + datetime.timedelta(days=60)),
                (Stage.READY, min(today, to_gregorian(1405, 8, rng.randint(1, 28)))),
            ],
            Stage.STALLED: [
                (Stage.CONSTRUCTION, start + datetime.timedelta(days=60)),
                (Stage.STALLED, start + datetime.timedelta(days=400)),
            ],
            Stage.CANCELLED: [(Stage.CANCELLED, start + datetime.timedelta(days=100))],
            Stage.OPENED: [
                (Stage.CONSTRUCTION, start + datetime.timedelta(days=60)),
                (
                    Stage.READY,
                    max(start + datetime.timedelta(days=60), expected - datetime.timedelta(days=30)),
                ),
                (Stage.OPENED, max(start + datetime.timedelta(days=60), expected)),
            ],
        }[target]
        _walk(acting_user, project, steps, entered)
        if rng.random() < 0.5:
            requested = investment * rng.randint(10, 40) // 100
            approved = requested * rng.randint(50, 100) // 100
            with recorded_at(entered + datetime.timedelta(seconds=30)):
                facility_add(
                    acting_user=acting_user,
                    project=project,
                    bank=rng.choice(BANKS),
                    scheme=rng.choice(SCHEMES),
                    requested_rial=requested,
                    approved_rial=approved,
                    paid_rial=approved if target == Stage.OPENED else approved // 2,
                    requested_date=start,
                    approved_date=start + datetime.timedelta(days=45),
                    paid_date=start + datetime.timedelta(days=90),
                )
        created += 1
    return created


def load_projects_demo(*, acting_user: User, n_other: int = 30, progress: bool = True) -> dict:
    created = _report_projects(acting_user, progress)
    created += _other_projects(acting_user, n_other)
    return {"projects": Project.objects.count(), "projects_created": created}
