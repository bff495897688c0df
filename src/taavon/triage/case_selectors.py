"""Reads of cases: the list and its filters, one case with what its page shows, the cooperative's cases, the home
panels' overdue cases and broken commitments. Every read goes through `for_user`: a case outside the user's
jurisdiction does not exist for them."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from taavon.accounts.jurisdiction import counties_for, is_admin, scope_of
from taavon.accounts.models import Role, User
from taavon.registry.models import Cooperative
from taavon.triage.models import Case, CaseStatus, Commitment, Flag, Outcome

PANEL_SIZE = 8


@dataclass
class CaseFilters:
    county: int | None = None
    status: str = ""
    outcome: str = ""
    assignee: int | None = None
    overdue: bool = False
    cooperative: int | None = None


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _broken(today: datetime.date) -> Q:
    return Q(fulfilled_on__isnull=True, deadline__lt=today, case__outcome=Outcome.REVIVED)


def case_list(
    *, user: User, filters: CaseFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Case]:
    """The cases the user sees, filtered, soonest deadline first (overdue ones therefore on top)."""
    f = filters or CaseFilters()
    today = _today(today)
    qs = Case.objects.for_user(user)
    if f.county:
        qs = qs.filter(cooperative__county_id=f.county)
    if f.status in CaseStatus.values:
        qs = qs.filter(status=f.status)
    if f.outcome in Outcome.values:
        qs = qs.filter(outcome=f.outcome)
    if f.assignee:
        qs = qs.filter(assigned_to_id=f.assignee)
    if f.cooperative:
        qs = qs.filter(cooperative_id=f.cooperative)
    if f.overdue:
        qs = qs.filter(status=CaseStatus.OPEN, deadline__lt=today)
    return (
        qs.select_related("cooperative__county", "assigned_to")
        .annotate(
            steps_count=Count("steps", distinct=True),
            broken=Exists(Commitment.objects.filter(_broken(today), case=OuterRef("pk"))),
            is_overdue=When_(
                When(status=CaseStatus.OPEN, deadline__lt=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("deadline", "pk")
    )


def case_get(*, user: User, pk: int) -> Case:
    """One case with its cooperative; Case.DoesNotExist outside the user's jurisdiction."""
    return (
        Case.objects.for_user(user)
        .select_related(
            "cooperative__county__province",
            "cooperative__sector",
            "assigned_to",
            "opened_by",
            "decided_by",
            "merged_into__county",
            "evidence_step",
        )
        .get(pk=pk)
    )


def case_page(*, case: Case, today: datetime.date | None = None) -> dict:
    """What the case's page shows beside the case: its cooperative's raised flags (with their explanations), the
    steps (oldest first: a timeline), the revival plan's commitments with their state."""
    from taavon.triage.rules import TRIAGE_RULES, explain

    today = _today(today)
    # jurisdiction: the flags, steps and commitments of a case already read through case_get (for_user)
    flags = [
        {
            "rule": f.rule,
            "label": TRIAGE_RULES[f.rule].label if f.rule in TRIAGE_RULES else f.rule,
            "text": explain(f.rule, f.params, today),
            "raised_on": f.raised_on,
        }
        for f in Flag.objects.raised()
        .filter(cooperative_id=case.cooperative_id)
        .order_by("raised_on", "rule")
    ]
    steps = list(case.steps.select_related("recorded_by", "visit").order_by("date", "pk"))
    commitments = [
        {"commitment": c, "state": commitment_state(c, today)}
        for c in case.commitments.order_by("deadline", "pk")
    ]
    return {
        "flags": flags,
        "steps": steps,
        "commitments": commitments,
        "overdue": case.status == CaseStatus.OPEN and case.deadline < today,
    }


def commitment_state(commitment: Commitment, today: datetime.date) -> str:
    """ "fulfilled", "broken" (deadline passed, not fulfilled) or "pending"."""
    if commitment.fulfilled_on:
        return "fulfilled"
    return "broken" if commitment.deadline < today else "pending"


def cooperative_cases(*, user: User, cooperative: Cooperative) -> list[Case]:
    """The cooperative's cases, the open one first, then the decided ones, newest first."""
    return list(
        Case.objects.for_user(user)
        .filter(cooperative=cooperative)
        .select_related("assigned_to")
        .annotate(
            open_first=When_(
                When(status=CaseStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("open_first", "-opened_on", "-pk")
    )


def overdue_cases(
    *, user: User, today: datetime.date | None = None, assigned_to: User | None = None
) -> QuerySet[Case]:
    """Open cases past their deadline (the oldest deadline first)."""
    qs = Case.objects.for_user(user).filter(status=CaseStatus.OPEN, deadline__lt=_today(today))
    if assigned_to is not None:
        qs = qs.filter(assigned_to=assigned_to)
    return qs.select_related("cooperative__county", "assigned_to").order_by("deadline", "pk")


def broken_commitments(
    *, user: User, today: datetime.date | None = None, assigned_to: User | None = None
) -> QuerySet[Commitment]:
    """Commitments of revival plans whose deadline passed without the matching record."""
    qs = Commitment.objects.for_user(user).filter(_broken(_today(today)))
    if assigned_to is not None:
        qs = qs.filter(case__assigned_to=assigned_to)
    return qs.select_related("case__cooperative__county").order_by("deadline", "pk")


def my_open_cases(*, user: User, today: datetime.date | None = None) -> QuerySet[Case]:
    """The user's open cases, overdue first (soonest deadline first)."""
    today = _today(today)
    return (
        Case.objects.for_user(user)
        .filter(status=CaseStatus.OPEN, assigned_to=user)
        .select_related("cooperative__county")
        .annotate(
            is_overdue=When_(
                When(deadline__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("deadline", "pk")
    )


def home_officer(*, user: User, today: datetime.date | None = None) -> dict:
    today = _today(today)
    mine = my_open_cases(user=user, today=today)
    return {
        "cases": list(mine[:PANEL_SIZE]),
        "open_count": mine.count(),
        "overdue_count": mine.filter(deadline__lt=today).count(),
        "broken": list(broken_commitments(user=user, today=today, assigned_to=user)[:PANEL_SIZE]),
        "today": today,
    }


def home_manager(*, user: User, today: datetime.date | None = None) -> dict:
    today = _today(today)
    overdue = overdue_cases(user=user, today=today)
    broken = broken_commitments(user=user, today=today)
    return {
        "overdue": list(overdue[:PANEL_SIZE]),
        "overdue_count": overdue.count(),
        "broken": list(broken[:PANEL_SIZE]),
        "broken_count": broken.count(),
        "today": today,
    }


# --- who a case may be assigned to -----------------------------------------------------------------------------------


def _changers() -> Q:
    return Q(is_active=True) & (Q(role__in=(Role.COUNTY, Role.PROVINCIAL, Role.ADMIN)) | Q(is_superuser=True))


def assignable_users(*, user: User, cooperative: Cooperative | None = None) -> QuerySet[User]:
    """Staff a case may be assigned to: those who may change the records of the cooperative's county (its county
    officers, its province's staff, the national staff); without a cooperative, those of the user's counties.
    Administrators are offered only to an administrator."""
    if cooperative is not None:
        counties = [cooperative.county_id]
        provinces = [cooperative.county.province_id]
    else:
        s = scope_of(user)
        if s.everywhere:
            counties = provinces = None
        else:
            rows = list(counties_for(user).values_list("pk", "province_id"))
            counties = [c for c, _ in rows]
            provinces = sorted({p for _, p in rows})
    admins = Q(role=Role.ADMIN) | Q(is_superuser=True)
    if counties is None:
        where = Q(role__in=(Role.COUNTY, Role.PROVINCIAL))
    else:
        where = (
            Q(county_id__in=counties)
            | Q(county__isnull=True, province_id__in=provinces)
            | Q(county__isnull=True, province__isnull=True)
        ) & Q(role__in=(Role.COUNTY, Role.PROVINCIAL))
    if is_admin(user):
        where |= admins
    return (
        User.objects.filter(_changers() & where)
        .select_related("county", "province")
        .order_by("role", "last_name", "first_name", "username")
    )


__all__ = [
    "CaseFilters",
    "assignable_users",
    "broken_commitments",
    "case_get",
    "case_list",
    "case_page",
    "commitment_state",
    "cooperative_cases",
    "home_manager",
    "home_officer",
    "my_open_cases",
    "overdue_cases",
]
