"""The demo's picture of settling dormant cooperatives, made through the same services as users' work: the rules
evaluated (flags raised), open cases in several counties with their contact attempts, a summons letter and a meeting,
and a few settled — revived with a revival plan, referred to liquidation, dissolved after liquidation, found not
dormant. Idempotent: nothing is added when cases exist."""

import datetime
import random

from django.utils import timezone

from taavon.accounts.models import Role, User
from taavon.registry.models import Cooperative, Status
from taavon.registry.services import cooperative_change_status
from taavon.triage import cases
from taavon.triage.evaluation import triage_run
from taavon.triage.models import Case, Flag, StepKind

LORESTAN = "IR-15"
NOTES_FAILED = ("شماره‌ای که در شناسنامه است پاسخ نمی‌دهد.", "نامه به نشانی ثبت‌شده برگشت خورد.")
NOTES_REACHED = ("مدیرعامل پاسخ داد و قرار جلسه گذاشته شد.", "رئیس هیئت‌مدیره در دفتر اداره حاضر شد.")


def _flag_labels(coop: Cooperative) -> list[str]:
    """The cooperative's raised flags by their Persian names (the case's reason is stored text, in Persian)."""
    from django.utils import translation

    from taavon.core.contributions import TRIAGE_RULES

    with translation.override("fa"):
        return [
            str(TRIAGE_RULES[code].label)
            for code in sorted(Flag.objects.raised().filter(cooperative=coop).values_list("rule", flat=True))
            if code in TRIAGE_RULES
        ]


def _officer_for(coop: Cooperative, officers: dict, provincial: User) -> User:
    return officers.get(coop.county_id, provincial)


def load_triage_demo(*, acting_user: User, progress: bool = True) -> dict:
    today = timezone.localdate()
    triage_run(acting_user=acting_user, province_code=LORESTAN, today=today)
    if Case.objects.exists():
        return {"cases": Case.objects.count()}
    rng = random.Random("triage-1405")
    provincial = User.objects.filter(
        role=Role.PROVINCIAL, province__code=LORESTAN, county__isnull=True
    ).first()
    provincial = provincial or acting_user
    officers = {u.county_id: u for u in User.objects.filter(role=Role.COUNTY, is_active=True)}
    flagged = list(
        Cooperative.objects.filter(
            county__province__code=LORESTAN,
            status__in=(Status.DORMANT, Status.UNKNOWN, Status.ACTIVE),
            pk__in=Flag.objects.raised().values("cooperative"),
        )
        .select_related("county")
        .order_by("status", "pk")
    )
    # dormant and unknown ones first (their fate is the question), spread over the counties
    rng.shuffle(flagged)
    # dormant ones first, then unknown (their fate is the question), counties with an officer first
    flagged.sort(
        key=lambda c: (c.status != Status.DORMANT, c.status == Status.ACTIVE, c.county_id not in officers)
    )
    wanted = min(16, max(4, len(flagged) // 10))  # a small demo (tests) settles a few, the full one 16
    chosen, counties = [], {}
    for coop in flagged:
        if counties.get(coop.county_id, 0) < 3:
            chosen.append(coop)
            counties[coop.county_id] = counties.get(coop.county_id, 0) + 1
        if len(chosen) == wanted:
            break
    # the settled ones first: the first chosen are dormant or unknown («not dormant after all» needs one)
    fates = iter(["not_dormant", "revived", "liquidation", "dissolved", "revived", "liquidation"])
    plan = [
        next(fates, "open") if i % 2 else "open" for i in range(wanted)
    ]  # each county: open and settled ones
    summoned = 0
    for coop, fate in zip(chosen, plan, strict=False):
        officer = _officer_for(coop, officers, provincial)
        opened = today - datetime.timedelta(
            days=rng.randint(20, 150) if fate == "open" else rng.randint(120, 240)
        )
        case = cases.case_open(
            acting_user=officer,
            cooperative=coop,
            assigned_to=officer,
            deadline=today + datetime.timedelta(days=rng.randint(7, 75)),
            reason="هشدارهای سامانه: " + "، ".join(_flag_labels(coop)),
            opened_on=opened,
        )
        day = opened + datetime.timedelta(days=rng.randint(1, 6))
        attempts = rng.randint(1, 3)
        reached_at_last = fate != "open" or rng.random() < 0.5
        for i in range(attempts):
            reached = reached_at_last and i == attempts - 1
            cases.case_step_add(
                acting_user=officer,
                case=case,
                kind=StepKind.CONTACT,
                date=min(day, today),
                channel=rng.choice(["phone", "letter", "visit"]) if not reached else "phone",
                reached=reached,
                note=rng.choice(NOTES_REACHED if reached else NOTES_FAILED),
            )
            day += datetime.timedelta(days=rng.randint(3, 12))
        if fate == "open" and summoned < 2:  # a summons letter issued, with its meeting
            meeting = cases.Meeting(
                date=today + datetime.timedelta(days=rng.randint(5, 20)), time="۱۰:۰۰", place="ادارهٔ کل تعاون"
            )
            cases.summons_issue(acting_user=officer, case=case, meeting=meeting, date=today)
            summoned += 1
        if fate == "open":
            continue
        day = min(day, today - datetime.timedelta(days=40))
        meeting = cases.case_step_add(
            acting_user=officer,
            case=case,
            kind=StepKind.MEETING,
            date=max(day, opened),
            note="جلسه با هیئت‌مدیره در اداره برگزار شد.",
        )
        decided = max(day, opened) + datetime.timedelta(days=rng.randint(5, 25))
        if fate == "dissolved":
            cooperative_change_status(
                acting_user=officer,
                cooperative=coop,
                to_status=Status.LIQUIDATING,
                reason="رأی مجمع عمومی فوق‌العاده به انحلال",
            )
        cases.case_decide(
            acting_user=officer,
            case=case,
            outcome=fate,
            decided_on=min(decided, today),
            note={
                "revived": "هیئت‌مدیره تعهد کرد مجمع را برگزار و اظهارنامه را ثبت کند.",
                "liquidation": "تعاونی شرایط قانونی ادامهٔ فعالیت را ندارد؛ ارجاع به تصفیه.",
                "dissolved": "تصفیه پایان یافت؛ انحلال ثبت شد.",
                "not_dormant": "بازدید نشان داد واحد فعال است؛ سوابق به‌روز می‌شود.",
            }[fate],
            evidence_step=meeting,
            plan=[
                ("assembly", today + datetime.timedelta(days=rng.randint(30, 90))),
                ("return", today + datetime.timedelta(days=rng.randint(60, 120))),
            ]
            if fate == "revived"
            else None,
        )
    triage_run(acting_user=acting_user, province_code=LORESTAN, today=today)  # the decisions' effects
    return {
        "cases": Case.objects.count(),
        "flagged": Flag.objects.raised().values("cooperative").distinct().count(),
    }
