"""Members part of the demo: people with valid national codes, memberships and contributions, organs with terms,
assemblies and annual returns — with enough expired boards, missing assemblies and late returns that the warnings
show. Through the members' services, like every other edit."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.members import services
from taavon.members.models import AssemblyKind, Membership, OfficeRole, Person
from taavon.persian import jalali_year, national_code_check_digit, to_gregorian
from taavon.registry.models import Cooperative, Status

FEMALE = [
    "زهرا",
    "فاطمه",
    "مریم",
    "معصومه",
    "سمیه",
    "لیلا",
    "نرگس",
    "مهناز",
    "پروین",
    "شیرین",
    "الهام",
    "سارا",
    "ندا",
    "زینب",
    "اعظم",
    "منیژه",
    "فرشته",
    "سکینه",
    "طاهره",
    "راحله",
    "مینا",
    "آزاده",
    "شهلا",
    "کبری",
]
MALE = [
    "علی",
    "محمد",
    "حسین",
    "رضا",
    "مهدی",
    "احمد",
    "عباس",
    "حمید",
    "مجید",
    "سعید",
    "جواد",
    "مرتضی",
    "یدالله",
    "بهرام",
    "فریدون",
    "کیومرث",
    "غلامرضا",
    "نادر",
    "امید",
    "هادی",
    "اکبر",
    "داریوش",
    "رحیم",
    "منصور",
]
LAST = [
    "حسنوند",
    "بیرانوند",
    "سپهوند",
    "میرزایی",
    "رضایی",
    "کرمی",
    "ملکی",
    "ساکی",
    "پاپی",
    "قاسمی",
    "یوسفوند",
    "دالوند",
    "مرادی",
    "کاکاوند",
    "رشنو",
    "چگینی",
    "طولابی",
    "امرایی",
    "سلیمانی",
    "نوروزی",
    "بهرامی",
    "جودکی",
    "غضنفری",
    "زینیوند",
    "کولیوند",
    "حیدری",
    "شیخی",
    "آزادبخت",
    "ترکاشوند",
    "فلاحی",
]
DECISIONS = [
    "تصویب صورت‌های مالی و گزارش بازرس؛ انتخاب بازرس برای یک سال",
    "انتخاب اعضای هیئت‌مدیره برای سه سال؛ تصویب بودجهٔ سال آینده",
    "تصویب افزایش سرمایه و پذیرش اعضای جدید",
]


def _national_code(rng: random.Random) -> str:
    first9 = f"{rng.randrange(10**8, 10**9):09d}"
    return first9 + national_code_check_digit(first9)


def _people(rng: random.Random, n: int, acting_user: User) -> list[Person]:
    people = []
    while len(people) < n:
        female = rng.random() < 0.4
        code = _national_code(rng)
        people.append(
            services.person_register(
                acting_user=acting_user,
                national_code=code,
                first_name=rng.choice(FEMALE if female else MALE),
                last_name=rng.choice(LAST),
                gender="female" if female else "male",
                birth_year=rng.randint(1330, 1385),
                mobile=f"09{rng.randrange(10**8, 10**9)}",
            )
        )
    return people


def _cooperative_members(coop: Cooperative, acting_user: User, today: datetime.date) -> None:
    working = coop.status == Status.ACTIVE  # a working cooperative keeps its governance mostly in order
    rng = random.Random(f"members-{coop.shenasnameh}")
    reg = coop.registration_date or datetime.date(2015, 1, 1)
    size = rng.randint(4, 9) if rng.random() < 0.12 else rng.randint(7, 25)  # a few fall below the legal 7
    people = _people(rng, size, acting_user)
    for person in people:
        join = reg + datetime.timedelta(days=rng.randint(0, max(0, (today - reg).days // 3)))
        m = services.membership_add(
            acting_user=acting_user,
            cooperative=coop,
            person=person,
            join_date=join,
            shares=rng.randint(1, 50),
            contribution_rial=rng.randrange(5, 200) * 1_000_000,
            refresh=False,
        )
        if rng.random() < 0.3:
            services.contribution_add(
                acting_user=acting_user,
                membership=m,
                date=min(today, join + datetime.timedelta(days=rng.randint(30, 900))),
                amount_rial=rng.randrange(5, 100) * 1_000_000,
                refresh=False,  # the figures are recomputed once, at the end of the cooperative
            )
    # the board: three years; about a third of the boards have expired
    start = today - datetime.timedelta(days=rng.randint(200, 1150) if working else rng.randint(400, 2000))
    start = max(start, reg)
    end = start + datetime.timedelta(days=3 * 365)
    for person in people[:3]:
        services.officer_appoint(
            acting_user=acting_user,
            cooperative=coop,
            person=person,
            role=OfficeRole.BOARD,
            start=start,
            end=end,
            refresh=False,
        )
    services.officer_appoint(
        acting_user=acting_user,
        cooperative=coop,
        person=people[0],
        role=OfficeRole.MANAGING_DIRECTOR,
        start=start,
        end=end,
        refresh=False,
    )
    services.officer_appoint(
        acting_user=acting_user,
        cooperative=coop,
        person=people[-1],
        role=OfficeRole.INSPECTOR,
        start=start,
        end=start + datetime.timedelta(days=365),
        refresh=False,
    )
    # ordinary assemblies, yearly; some cooperatives stopped holding them
    stopped = rng.random() < (0.1 if working else 0.7)
    year = max(jalali_year(reg) + 1, jalali_year(today) - 4)
    while year <= jalali_year(today):
        date = to_gregorian(year, rng.randint(2, 4), rng.randint(1, 28))
        if date <= today and not (stopped and date > today - datetime.timedelta(days=500)):
            services.assembly_record(
                acting_user=acting_user,
                cooperative=coop,
                date=date,
                kind=AssemblyKind.ORDINARY,
                quorum_present=rng.random() < 0.9,
                attendees=rng.randint(4, size),
                decisions=rng.choice(DECISIONS),
                refresh=False,
            )
        year += 1
    # annual returns for the last three years: some missing, some late
    for fy in range(jalali_year(today) - 3, jalali_year(today)):
        if fy < jalali_year(reg) or rng.random() < (0.08 if working else 0.5):
            continue
        on_time = services.return_deadline(fy)
        filed = (
            on_time - datetime.timedelta(days=rng.randint(1, 100))
            if rng.random() < 0.75
            else (on_time + datetime.timedelta(days=rng.randint(10, 150)))
        )
        if filed > today:
            continue
        revenue = rng.randrange(10, 5000) * 10_000_000
        services.return_file(
            acting_user=acting_user,
            cooperative=coop,
            fiscal_year=fy,
            filed_on=filed,
            revenue_rial=revenue,
            assets_rial=revenue * rng.randint(1, 4),
            liabilities_rial=revenue // rng.randint(2, 6),
            profit_rial=revenue * rng.randint(-10, 25) // 100,
            employees=rng.randint(0, 30),
            members_year_end=size,
        )
    services.refresh_cooperative_figures(acting_user=acting_user, cooperative=coop)


def load_members_demo(*, acting_user: User, share: float = 0.65, progress: bool = True) -> dict:
    """Members and governance for about `share` of Lorestan's live cooperatives (the others keep declared figures)."""
    today = timezone.localdate()
    coops = list(
        Cooperative.objects.filter(county__province__code="IR-15")
        .exclude(status__in=[Status.DISSOLVED, Status.UNKNOWN])
        .select_related("county", "sector")
        .order_by("id")
    )
    chosen = [c for c in coops if random.Random(f"pick-{c.shenasnameh}").random() < share]
    # one query for the cooperatives that already have members (those are skipped: a second run adds nothing)
    with_members = set(
        Membership.objects.filter(cooperative__in=chosen).values_list("cooperative_id", flat=True).distinct()
    )
    done = 0
    for coop in tqdm(chosen, desc="members", disable=not progress, unit="coop"):
        if coop.pk in with_members:
            continue
        # the cooperative's records in one transaction (each service call inside is a savepoint): an interrupted
        # run never leaves a cooperative half-filled, which the check above would then skip for good
        with transaction.atomic():
            _cooperative_members(coop, acting_user, today)
        done += 1
    return {"members_cooperatives": done, "people": Person.objects.count()}
