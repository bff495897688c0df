"""The demo's service desk, made through the same services as users' work: a few hundred requests over the last five
months in every Lorestan county and category, most answered and closed (the replies dated after the opening), some
past their deadline, some waiting for the cooperator, and the closed ones partly rated by their cooperatives'
representatives (the demo's represented cooperative among them). Idempotent: nothing is added when requests exist."""

import datetime
import random

from django.utils import timezone

from taavon.accounts.models import Role, User
from taavon.places.models import County
from taavon.registry.models import Cooperative
from taavon.servicedesk import services
from taavon.servicedesk.deadlines import add_working_minutes, office_calendar
from taavon.servicedesk.lists import seed_categories
from taavon.servicedesk.models import Category, Channel, Message, Priority, Request, RequestStatus

LORESTAN = "IR-15"
DAYS = 150
SUBJECTS = {
    "financing": ("پیگیری تسهیلات اشتغال روستایی", "معرفی به بانک برای وام سرمایه در گردش"),
    "permits": ("تمدید پروانهٔ بهره‌برداری", "استعلام مجوز فعالیت جدید"),
    "insurance": ("بیمهٔ اعضای هیئت‌مدیره", "مشکل در لیست بیمهٔ کارکنان"),
    "tax": ("معافیت مالیاتی تعاونی", "جریمهٔ دیرکرد اظهارنامهٔ مالیاتی"),
    "registration": ("ثبت تغییرات هیئت‌مدیره", "افزایش سرمایه و ثبت آن"),
    "disputes": ("اختلاف اعضا بر سر تقسیم سود", "شکایت عضو از مدیرعامل"),
    "training": ("ثبت‌نام در دورهٔ آموزش مدیران", "درخواست کارگاه حسابداری تعاونی"),
    "other": ("درخواست گواهی فعالیت", "راهنمایی برای انحلال داوطلبانه"),
}
REPLIES = (
    "مدارک دریافت شد و پرونده برای بررسی به کارشناس مربوط ارجاع شد.",
    "نامهٔ معرفی صادر شد؛ لطفاً با اصل مدارک به شعبهٔ بانک مراجعه کنید.",
    "موضوع با اداره‌کل هماهنگ شد و نتیجه از طریق همین سامانه اعلام می‌شود.",
    "لطفاً صورت‌جلسهٔ مجمع را برای تکمیل پرونده بارگذاری یا به اداره تحویل دهید.",
)
CLOSINGS = (
    "درخواست انجام شد و پرونده بسته می‌شود.",
    "پاسخ نهایی ارسال شد؛ در صورت نیاز درخواست تازه ثبت کنید.",
)
PEOPLE = ("رضا موسوی", "فاطمه سپهوند", "محمد کاکاوند", "سمیه امرایی", "حسن دالوند")
REPRESENTATIVES = 6  # the demo's representative, and a few more (sign-in disabled) who rate their requests


def _mobile(rng: random.Random) -> str:
    return f"0916{rng.randrange(10**6, 10**7)}"


def _at_office(day: datetime.date, rng: random.Random) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(8 + rng.randrange(6), rng.randrange(60)), tzinfo=tz)


def _representatives(coops: list[Cooperative], rng: random.Random) -> dict[int, User]:
    """The cooperatives' representatives: the demo's own, and a few more made for rating (no password: no sign-in)."""
    reps = {u.cooperative_id: u for u in User.objects.filter(role=Role.REPRESENTATIVE, is_active=True)}
    for coop in rng.sample(coops, min(REPRESENTATIVES, len(coops))):
        if coop.pk in reps:
            continue
        user = User(
            username=f"rep-{coop.shenasnameh}",
            first_name=rng.choice(PEOPLE).split()[0],
            last_name=rng.choice(PEOPLE).split()[1],
            role=Role.REPRESENTATIVE,
            cooperative=coop,
        )
        user.set_unusable_password()
        user.save()
        reps[coop.pk] = user
    return reps


def load_servicedesk_demo(*, acting_user: User, n: int = 300, progress: bool = True) -> dict:
    if Request.objects.exists():
        return {"requests": Request.objects.count()}
    rng = random.Random("servicedesk-1405")
    now = timezone.now()
    today = timezone.localdate()
    calendar = office_calendar()
    counties = list(County.objects.filter(province__code=LORESTAN).order_by("pk"))
    seed_categories(Category)  # a flushed database (a browser test's) has lost the migration's rows
    categories = list(Category.objects.filter(is_active=True))
    by_county: dict[int, list[Cooperative]] = {}
    # jurisdiction: the demo loader runs as the administrator, over the demo's province
    for coop in (
        Cooperative.objects.filter(county__province__code=LORESTAN).select_related("county").order_by("pk")
    ):
        by_county.setdefault(coop.county_id, []).append(coop)
    all_coops = [c for cs in by_county.values() for c in cs]
    provincial = (
        User.objects.filter(role=Role.PROVINCIAL, province__code=LORESTAN, county__isnull=True).first()
        or acting_user
    )
    officers = {u.county_id: u for u in User.objects.filter(role=Role.COUNTY, is_active=True)}
    reps = _representatives(all_coops, rng)
    # the demo's represented cooperative gets a handful of its own, whatever the draw
    own = [c for c in all_coops if c.pk in reps and reps[c.pk].has_usable_password()]
    channels = [Channel.DESK] * 4 + [Channel.PHONE] * 3 + [Channel.LETTER, Channel.PORTAL, Channel.WEEK]
    made = rated = 0
    for i in range(n):
        county = counties[i % len(counties)]
        category = categories[(i + i // len(counties)) % len(categories)]  # each county: every category
        coops = by_county.get(county.pk, [])
        if i < 6 and own:
            coop = own[0]
        else:
            coop = rng.choice(coops) if coops and rng.random() < 0.85 else None
        county = coop.county if coop else county
        age = int(DAYS * (rng.random() ** 1.3))  # more of the recent days
        opened = _at_office(today - datetime.timedelta(days=age + 1), rng)
        officer = officers.get(county.pk, provincial)
        channel = (
            Channel.PORTAL
            if coop is not None and coop.pk in reps and rng.random() < 0.5
            else rng.choice(channels)
        )
        filer = (
            reps[coop.pk] if channel == Channel.PORTAL and coop is not None and coop.pk in reps else officer
        )
        if filer.role == Role.REPRESENTATIVE and coop is None:
            filer = officer
        if channel == Channel.PORTAL and filer.role != Role.REPRESENTATIVE:
            channel = Channel.DESK
        req = services.request_file(
            acting_user=filer,
            channel=channel,
            category=category,
            subject=rng.choice(SUBJECTS.get(category.code, SUBJECTS["other"])),
            mobile=(coop.phone if coop and (coop.phone or "").startswith("09") else _mobile(rng)),
            cooperative=coop,
            county=None if coop else county,
            requester_name="" if coop else rng.choice(PEOPLE),
            priority=rng.choice([Priority.NORMAL] * 6 + [Priority.HIGH, Priority.LOW, Priority.URGENT]),
            opened_at=opened,
        )
        made += 1
        # what became of it: the older ones mostly closed; the recent ones open; some left unanswered (overdue)
        fate = rng.random()
        if age < 3 or fate < 0.08:
            continue  # new, waiting for its first answer (overdue when old enough)
        # the first answer: within the deadline mostly, late for about one in six
        late = rng.random() < 0.17
        minutes = rng.randrange(20, 14 * 60) if not late else rng.randrange(15 * 60, 40 * 60)
        first = add_working_minutes(timezone.localtime(opened), minutes, calendar)
        if first >= now:
            continue
        then = RequestStatus.WAITING if fate < 0.16 else RequestStatus.ANSWERED
        if age < 10 and fate < 0.3:
            then = RequestStatus.IN_PROGRESS
        message = services.request_reply(
            acting_user=officer, request=req, body=rng.choice(REPLIES), then=then, now=first
        )
        Message.objects.filter(pk=message.pk).update(
            created_at=first
        )  # the demo's past: dated when it was given
        if then != RequestStatus.ANSWERED or age < 5:
            continue
        closed = add_working_minutes(first, rng.randrange(60, 6 * 7 * 60), calendar)
        if closed >= now:
            continue
        services.request_change_status(
            acting_user=officer,
            request=req,
            to_status=RequestStatus.CLOSED,
            reason=rng.choice(CLOSINGS),
            now=closed,
        )
        rep = reps.get(req.cooperative_id)
        if rep is not None and rng.random() < 0.8:
            rating = rng.choice([5, 5, 4, 4, 4, 3, 2, 1] if not late else [4, 3, 2, 2, 1])
            services.request_rate(acting_user=rep, request=req, rating=rating, comment="")
            rated += 1
    return {"requests": made, "requests rated": rated}
