"""The demo's Cooperative Week 1404 (11–17 Shahrivar, Lorestan), made through the events' services: the province's
opening ceremony, the exhibition of the sector's capabilities with a dozen booths of the demo's cooperatives and its
visitors per day, meetings and a training, and the openings — one event a day and county, listing the report's 18
projects opened that week. Deterministic (a seeded random); idempotent: nothing is added when the year has events."""

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from taavon.accounts.models import User
from taavon.events import services
from taavon.events.models import Event, EventKind
from taavon.persian import search_key, to_gregorian
from taavon.places.models import County, Province
from taavon.projects.models import Project
from taavon.registry.models import Cooperative, Status

LORESTAN = "IR-15"
YEAR = 1404
BOOTHS = 12
ORGANISER = "اداره کل تعاون، کار و رفاه اجتماعی استان لرستان"


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(to_gregorian(YEAR, 6, day), datetime.time(hour, minute))
    )


def _county(counties: list[County], name: str) -> County:
    key = search_key(name)
    return next(c for c in counties if c.name_key == key)


def load_events_demo(*, acting_user: User, progress: bool = True) -> dict:
    province = Province.objects.get(code=LORESTAN)
    # jurisdiction: the demo loader runs as the administrator, over the demo's province
    if Event.objects.filter(province=province, year=YEAR).exists():
        return {"events": Event.objects.filter(province=province, year=YEAR).count()}
    rng = random.Random("cooperative-week-1404")
    counties = list(County.objects.filter(province=province).order_by("pk"))
    khorramabad, borujerd = _county(counties, "خرم‌آباد"), _county(counties, "بروجرد")

    def add(day, hour, kind, title, place, county=None, organiser=ORGANISER, description=""):
        return services.event_add(
            acting_user=acting_user,
            kind=kind,
            title=title,
            starts_at=_at(day, hour),
            ends_at=_at(day, hour + 2),
            place=place,
            organiser=organiser,
            province=province,
            county=county,
            description=description,
        )

    add(11, 9, EventKind.CEREMONY, "آیین آغاز هفتهٔ تعاون استان لرستان", "سالن اجتماعات استانداری لرستان")
    add(11, 11, EventKind.EXHIBITION, "گشایش نمایشگاه توانمندی‌های بخش تعاون", "محل دائمی نمایشگاه‌های خرم‌آباد")
    add(12, 9, EventKind.MEETING, "نشست شورای هماهنگی تعاون استان", "اداره کل تعاون، کار و رفاه اجتماعی")
    add(
        13,
        16,
        EventKind.MEETING,
        "دیدار با مدیران عامل تعاونی‌های برتر",
        "سالن اجتماعات اتاق تعاون",
        khorramabad,
    )
    add(
        14, 10, EventKind.TRAINING, "کارگاه آموزشی حسابرسی و صورت‌های مالی تعاونی‌ها", "مرکز آموزش فنی و حرفه‌ای"
    )
    add(15, 9, EventKind.MEETING, "نشست هم‌اندیشی تعاونی‌های تولیدی", "فرمانداری بروجرد", borujerd)
    add(16, 10, EventKind.VISIT, "بازدید از تعاونی‌های صنایع دستی", "بازارچهٔ صنایع دستی", khorramabad)
    add(17, 18, EventKind.CEREMONY, "آیین پایانی هفتهٔ تعاون و تجلیل از تعاونی‌های برتر", "تالار فرهنگ خرم‌آباد")

    # the openings: the week's projects (opened or ready), one event a day and county
    start, end = to_gregorian(YEAR, 6, 11), to_gregorian(YEAR, 6, 17)
    week = (
        Project.objects.filter(county__province=province, stage__in=services.OPENABLE)
        .filter(expected_opening_date__range=(start, end))
        .select_related("county")
        .order_by("expected_opening_date", "county__pk", "pk")
    )
    groups: dict[tuple[datetime.date, int], list[Project]] = defaultdict(list)
    for p in week:
        groups[(p.actual_opening_date or p.expected_opening_date, p.county_id)].append(p)
    openings = 0
    for (day, _county_id), projects in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].county.pk)):
        county = projects[0].county
        event = add(
            _jday(day),
            10 + openings % 3,
            EventKind.OPENING,
            f"آیین افتتاح طرح‌های تعاونی شهرستان {county.name_fa}",
            f"فرمانداری {county.name_fa}",
            county=county,
            organiser=f"ادارهٔ تعاون، کار و رفاه اجتماعی شهرستان {county.name_fa}",
        )
        services.event_set_projects(acting_user=acting_user, event=event, projects=projects)
        openings += 1

    # the exhibition, its booths and visitors
    exhibition = services.exhibition_add(
        acting_user=acting_user,
        province=province,
        title="نمایشگاه توانمندی‌های بخش تعاون استان لرستان ۱۴۰۴",
        starts_on=start,
        ends_on=end,
        place="محل دائمی نمایشگاه‌های خرم‌آباد",
    )
    exhibitors = list(
        Cooperative.objects.filter(county__province=province, status=Status.ACTIVE)
        .select_related("activity", "sector")
        .order_by("name_key", "pk")[: BOOTHS * 2]
    )
    rng.shuffle(exhibitors)
    for i, coop in enumerate(sorted(exhibitors[:BOOTHS], key=lambda c: c.name_key), start=1):
        what = coop.activity.name_fa if coop.activity_id else coop.sector.name_fa
        services.booth_add(
            acting_user=acting_user,
            exhibition=exhibition,
            number=f"{i:02d}",
            cooperative=coop,
            products=f"محصولات و خدمات {what}",
        )
    day = start
    while day <= end:
        weekend = day.weekday() == 4  # Friday
        services.visitors_record(
            acting_user=acting_user,
            exhibition=exhibition,
            date=day,
            visitors=rng.randint(1800, 2600) if weekend else rng.randint(700, 1500),
        )
        day += datetime.timedelta(days=1)
    return {"events": Event.objects.filter(province=province, year=YEAR).count(), "event_openings": openings}


def _jday(day: datetime.date) -> int:
    """The day of Shahrivar 1404 of a date in the week."""
    return (day - to_gregorian(YEAR, 6, 1)).days + 1
