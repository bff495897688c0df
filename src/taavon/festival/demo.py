"""The demo's festival: the 20th edition (1404) in Lorestan, finished — applications in Tir and Mordad 1404, the jury's
scores locked before Cooperative Week, the results announced on 1404/06/15, appeals closed two weeks later — made
through the festival's services, each acting "as of" its day:

- candidates from the demo cooperatives of the four largest categories (the representative's among them), nominated by
  the county officers (the provincial officer where a county has none), a few applying through the portal by their
  representatives; some ineligible, with the reasons the checks give (a dormant cooperative, an open case...);
- stage 1 computed; three jurors a category (the demo's «davar1», who signs in, and davar2… made for the demo with
  sign-in disabled), one conflict of interest declared, the jurors' scores with their comments;
- the results published, and an appeal accepted that re-ranks its category (the history keeps the earlier ranks).

Deterministic (a seeded random); idempotent: nothing is added when the edition exists."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from taavon.accounts.models import Role, User
from taavon.festival import appeals, candidates, jury, results, stage1
from taavon.festival.models import CriterionKind, Edition, Ranking
from taavon.festival.services import edition_create, weights_of
from taavon.persian import to_gregorian
from taavon.places.models import Province
from taavon.registry.models import Cooperative, Sector, Status

LORESTAN = "IR-15"
NUMBER = 20
YEAR = 1404
TITLE = "بیستمین جشنواره تعاونی‌های برتر"
CATEGORIES = 4  # the four categories with the most demo cooperatives
PER_CATEGORY = 8  # candidates a category, at most
JUROR_NAMES = (
    ("احمد", "سلیمانی"),
    ("پروین", "رحیمی"),
    ("کامران", "فرجی"),
    ("سیما", "نظری"),
    ("بهروز", "عباسی"),
    ("مینا", "قاسمی"),
    ("فرهاد", "یوسفی"),
    ("الهام", "جعفری"),
    ("ناصر", "کریمی"),
    ("شهلا", "مرادی"),
    ("داوود", "صفری"),
    ("مهسا", "حیدری"),
)
COMMENTS = {
    "principles": ("مجامع منظم و مشارکت اعضا در تصمیم‌ها خوب است.", "آموزش اعضا کمتر دیده می‌شود."),
    "performance": ("فروش سال گذشته رشد خوبی داشته است.", "محصول تازه‌ای به بازار نیامده است."),
    "insurance_tax": ("فهرست بیمهٔ کارکنان به‌موقع ارسال شده است.", "مفاصاحساب مالیاتی هنوز کامل نیست."),
}


def _at(y: int, m: int, d: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(to_gregorian(y, m, d), datetime.time(hour)))


# the edition's calendar (Jalali 1404)
APPLICATIONS_OPEN = (1404, 4, 1)
APPLICATIONS_CLOSE = (1404, 5, 31)
JURY_LOCKS = (1404, 6, 8)
RESULTS_ON = (1404, 6, 15)  # in Cooperative Week
APPEALS_CLOSE = (1404, 6, 29)


def _jurors(n: int, province: Province) -> list[User]:
    """davar1 (the demo's login, made with the other demo users) and davar2…davarN, made here with sign-in disabled
    (like the visits demo's extra inspectors)."""
    found = {u.username: u for u in User.objects.filter(username__in=[f"davar{i}" for i in range(1, n + 1)])}
    out = []
    for i in range(1, n + 1):
        user = found.get(f"davar{i}")
        if user is None:
            first, last = JUROR_NAMES[(i - 1) % len(JUROR_NAMES)]
            user = User(
                username=f"davar{i}", first_name=first, last_name=last, role=Role.JUROR, province=province
            )
            user.set_unusable_password()
            user.save()
        out.append(user)
    return out


def _festival_admin(acting_user: User) -> User:
    """The provincial officer runs the festival (the admin when the demo has none)."""
    return (
        User.objects.filter(
            role=Role.PROVINCIAL, is_active=True, province__code=LORESTAN, county__isnull=True
        )
        .order_by("pk")
        .first()
        or acting_user
    )


def _categories(representative: User | None) -> list[int]:
    """The sector ids of the four categories with the most demo cooperatives (the representative's first)."""
    counts: dict[int, int] = {}
    for sector_id in Cooperative.objects.filter(county__province__code=LORESTAN).values_list(
        "sector_id", flat=True
    ):
        counts[sector_id] = counts.get(sector_id, 0) + 1
    ordered = sorted(counts, key=lambda s: (-counts[s], s))
    if representative is not None and representative.cooperative:
        own = representative.cooperative.sector_id
        ordered = [own] + [s for s in ordered if s != own]
    return ordered[:CATEGORIES]


def _nominator(coop: Cooperative, officers: dict[int, User], admin: User) -> User:
    return officers.get(coop.county_id) or admin


def load_festival_demo(*, acting_user: User, progress: bool = True) -> dict:
    if Edition.objects.filter(number=NUMBER).exists():
        return {}
    rng = random.Random(1404_20)
    province = Province.objects.get(code=LORESTAN)
    admin = _festival_admin(acting_user)
    edition = edition_create(
        acting_user=admin,
        number=NUMBER,
        year=YEAR,
        province=province,
        title=TITLE,
        applications_open=to_gregorian(*APPLICATIONS_OPEN),
        applications_close=to_gregorian(*APPLICATIONS_CLOSE),
        jury_locks_at=_at(*JURY_LOCKS, hour=23),
        results_on=to_gregorian(*RESULTS_ON),
        appeals_close=to_gregorian(*APPEALS_CLOSE),
        record_updated_since=to_gregorian(1403, 10, 1),
    )

    # candidates: nominated by the county offices, a few through the portal
    representatives = {
        u.cooperative_id: u
        for u in User.objects.filter(role=Role.REPRESENTATIVE, is_active=True, cooperative__isnull=False)
        .select_related("cooperative")
        .order_by("pk")
    }
    main_rep = User.objects.filter(username="namayande").select_related("cooperative").first()
    officers: dict[int, User] = {}
    for officer in User.objects.filter(role=Role.COUNTY, is_active=True, county__province=province).order_by(
        "pk"
    ):
        officers.setdefault(officer.county_id, officer)
    sectors = _categories(main_rep)
    applied_on = to_gregorian(*APPLICATIONS_OPEN) + datetime.timedelta(days=10)
    made = 0
    for sector_id in sectors:
        coops = list(
            Cooperative.objects.filter(county__province=province, sector_id=sector_id)
            .select_related("county")
            .order_by("pk")
        )
        active = [c for c in coops if c.status == Status.ACTIVE]
        others = [c for c in coops if c.status != Status.ACTIVE]
        # mostly active cooperatives; a dormant or liquidating one or two, which the checks turn away
        chosen = active[: PER_CATEGORY - 1] + others[:1] if others else active[:PER_CATEGORY]
        if main_rep is not None and main_rep.cooperative.sector_id == sector_id:
            chosen = [main_rep.cooperative] + [c for c in chosen if c.pk != main_rep.cooperative_id]
        for coop in chosen:
            today = applied_on + datetime.timedelta(days=rng.randrange(40))
            rep = representatives.get(coop.pk)
            if rep is not None:
                candidates.candidate_apply(acting_user=rep, edition=edition, cooperative=coop, today=today)
            else:
                candidates.candidate_nominate(
                    acting_user=_nominator(coop, officers, admin),
                    edition=edition,
                    cooperative=coop,
                    today=today,
                )
            made += 1

    stage1.stage1_compute(acting_user=admin, edition=edition)

    # the jury: three a category, a declared conflict, the scores before the lock
    category_list = list(edition.candidates.values_list("category", flat=True).distinct())
    category_list = [s for s in sectors if s in set(category_list)]
    jurors = _jurors(edition.jurors_per_category * len(category_list), province)
    by_pk = Sector.objects.in_bulk(category_list)
    panels: dict[int, list[User]] = {}
    for i, sector_id in enumerate(category_list):
        panel = jurors[i * edition.jurors_per_category : (i + 1) * edition.jurors_per_category]
        panels[sector_id] = panel
        for juror in panel:
            jury.juror_assign(acting_user=admin, edition=edition, juror=juror, category=by_pk[sector_id])
    scoring_day = _at(*JURY_LOCKS, hour=9) - datetime.timedelta(days=6)
    conflicts = 0
    criteria = list(edition.criteria.filter(kind=CriterionKind.JURY).order_by("order"))
    for panel in panels.values():
        for j, juror in enumerate(panel):
            mine = jury.juror_candidates(juror=juror, edition=edition)
            if conflicts == 0 and j == 1 and len(mine) > 1:
                # the second juror of the first category knows one of its cooperatives' board
                jury.conflict_declare(
                    acting_user=juror,
                    edition=edition,
                    cooperative=mine[-1].candidate.cooperative,
                    reason="عضو هیئت‌مدیرهٔ این تعاونی از بستگان نزدیک من است.",
                )
                conflicts += 1
                mine = jury.juror_candidates(juror=juror, edition=edition)
            for item in mine:
                candidate = item.candidate
                for criterion in criteria:
                    score = Decimal(rng.randrange(45, 96)) / 10
                    good, weak = COMMENTS.get(criterion.code, ("", ""))
                    jury.jury_score_set(
                        acting_user=juror,
                        candidate=candidate,
                        criterion=criterion,
                        score=score,
                        comment=good if score >= 7 else weak,
                        now=scoring_day,
                    )

    ranked = results.results_publish(acting_user=admin, edition=edition, now=_at(*RESULTS_ON, hour=11))
    edition.refresh_from_db()
    appeal = _appeal(edition, admin, officers, representatives)
    return {
        "festival_candidates": made,
        "festival_ranked": ranked,
        "festival_jurors": len(jurors),
        "festival_appeals": 1 if appeal else 0,
    }


def _appeal(edition: Edition, admin: User, officers: dict[int, User], representatives: dict[int, User]):
    """The second of a category appeals the computed criterion on which a corrected score overtakes the first; the
    committee accepts it and the category is re-ranked (the first two change places)."""
    best = None
    for category in results.categories_of(edition):
        rows = list(
            Ranking.objects.filter(candidate__edition=edition, candidate__category=category)
            .select_related("candidate__cooperative__county")
            .order_by("rank")[:2]
        )
        if len(rows) < 2:
            continue
        first, second = rows
        gap = first.total_score - second.total_score
        weights = weights_of(edition, category)
        scores = {e.key: e.scores for e in results.entries(edition, category)}[second.candidate_id]
        for criterion in edition.criteria.filter(kind=CriterionKind.COMPUTED).order_by("order"):
            weight = weights.get(criterion.code, Decimal(0))
            current = Decimal(scores.get(criterion.code, 0))
            room = weight * (Decimal(100) - current) / Decimal(100)
            if room > gap + Decimal("0.5"):
                needed = (gap + Decimal("0.5")) * Decimal(100) / weight
                corrected = min(Decimal(100), (current + needed).quantize(Decimal("1")) + 1)
                best = (second.candidate, criterion, corrected)
                break
        if best:
            break
    if best is None:
        return None
    candidate, criterion, corrected = best
    filer = representatives.get(candidate.cooperative_id) or _nominator(
        candidate.cooperative, officers, admin
    )
    appeal = appeals.appeal_file(
        acting_user=filer,
        candidate=candidate,
        criterion=criterion,
        reason="گزارش بهره‌برداری طرح توسعهٔ کارگاه در سامانه دیر ثبت شده بود؛ صورت‌جلسهٔ افتتاح پیوست است.",
        now=_at(*RESULTS_ON, hour=12) + datetime.timedelta(days=3),
    )
    return appeals.appeal_decide(
        acting_user=admin,
        appeal=appeal,
        accept=True,
        decision="مدارک پذیرفته شد؛ امتیاز این معیار اصلاح و رتبه‌بندی گرایش دوباره انجام شد.",
        corrected=corrected,
        now=_at(*RESULTS_ON, hour=12) + datetime.timedelta(days=8),
    )
