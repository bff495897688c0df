"""Stage 1's indicators: one function per computed criterion (festival.defaults), each `compute(cooperative, edition)
→ (raw value or None, evidence)`, and the exact formula the pages print beside the value.

**The reference window.** An edition of Jalali year Y looks at the records of Y−2, Y−1 and Y: from 1 Farvardin Y−2
(`window_start`) to the day its applications close (`reference_day`), so that a candidate's figures do not move while
the committee reads them. Fiscal years are Jalali years (a return for fiscal year F is due by return_deadline(F), the
triage rule: 31 Tir F+1).

**Evidence** names the source records of a value, each a dict (JSON-safe): `kind` (project, return, assembly,
membership-count, booth, cooperative), `id`, `label` (a date, a title: data, not text to translate), `value` (the
figure the formula uses, as text), and `url` + `args` (a URL name and its arguments, resolved when the page is shown;
a link that does not resolve is shown as text). None means "no value" (normalised to 0 by festival.scoring).
"""

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from taavon.core.history import rows_as_of
from taavon.events.models import Booth
from taavon.members.models import AnnualReturn, AssemblyKind, Gender, GeneralAssembly, Membership
from taavon.persian import to_gregorian
from taavon.projects.models import Project, Stage
from taavon.registry.models import Cooperative
from taavon.triage.rules import months_before, return_deadline

HUNDRED = Decimal(100)
ASSEMBLY_MONTHS = (
    15  # an ordinary general assembly is due within 15 months of the last (triage's assembly rule)
)
WINDOW_YEARS = 3  # Y−2, Y−1, Y


_AS_OF: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "festival_as_of", default=None
)


def _records(model):
    """A model's records, or — inside `criteria_as_of` — their history rows as Taavon knew them at that moment."""
    as_of = _AS_OF.get()
    # jurisdiction: a candidate's own records, for the festival's computation (not a user's read)
    return model.objects.all() if as_of is None else rows_as_of(model, as_of)


def criteria_as_of(cooperative_id: int, edition, as_of: datetime.datetime) -> dict[str, tuple]:
    """Every computed criterion of a cooperative for an edition, from the records as Taavon knew them at `as_of`
    (issue 18): {code: (raw value or None, evidence)} — the values stage 1 computed that day, reproduced."""
    coop = rows_as_of(Cooperative, as_of).get(id=cooperative_id).instance
    token = _AS_OF.set(as_of)
    try:
        return {code: indicator.compute(coop, edition) for code, indicator in INDICATORS.items()}
    finally:
        _AS_OF.reset(token)


def window_start(edition) -> datetime.date:
    """1 Farvardin of the edition's year minus two."""
    return to_gregorian(edition.year - (WINDOW_YEARS - 1), 1, 1)


def reference_day(edition) -> datetime.date:
    """The day the records are read as of: the edition's last day of applications."""
    return edition.applications_close


def _dec(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


def _ev(kind: str, pk, label, value, url: str = "", args=()) -> dict:
    return {
        "kind": kind,
        "id": pk,
        "label": str(label),
        "value": str(value),
        "url": url,
        "args": [str(a) for a in args],
    }


@dataclass(frozen=True)
class Indicator:
    code: str
    formula: object  # lazy text: the exact formula, printed on the pages
    compute: Callable[[Cooperative, object], tuple[Decimal | None, list[dict]]]


# --- the indicators ---------------------------------------------------------------------------------------------


def years_active(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    if coop.registration_date is None:
        return None, []
    day = reference_day(edition)
    years = day.year - coop.registration_date.year
    if (day.month, day.day) < (coop.registration_date.month, coop.registration_date.day):
        years -= 1
    years = max(years, 0)
    return _dec(years), [
        _ev(
            "cooperative",
            coop.pk,
            coop.registration_date.isoformat(),
            years,
            "registry:detail",
            [coop.shenasnameh],
        )
    ]


def members_on(coop: Cooperative, day: datetime.date) -> int:
    """Members on a day, from the membership records: joined on or before it, not left by it."""
    # jurisdiction: a candidate's own records, for the festival's computation (not a user's read)
    return (
        _records(Membership).filter(cooperative=coop, join_date__lte=day).exclude(leave_date__lte=day).count()
    )


def member_growth(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    # jurisdiction: a candidate's own records, for the festival's computation
    if not _records(Membership).filter(cooperative=coop).exists():
        return None, []
    start, end = window_start(edition), reference_day(edition)
    before, after = members_on(coop, start), members_on(coop, end)
    evidence = [
        _ev("membership-count", coop.pk, start.isoformat(), before, "members:members", [coop.shenasnameh]),
        _ev("membership-count", coop.pk, end.isoformat(), after, "members:members", [coop.shenasnameh]),
    ]
    if before == 0:
        return None, evidence
    return _dec(HUNDRED * (after - before) / before), evidence


def _opened(coop: Cooperative, edition):
    # jurisdiction: a candidate's own records, for the festival's computation
    return (
        _records(Project)
        .filter(
            cooperative=coop,
            stage=Stage.OPENED,
            actual_opening_date__gte=window_start(edition),
            actual_opening_date__lte=reference_day(edition),
        )
        .order_by("actual_opening_date", "id")
    )


def jobs_created(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    total, evidence = 0, []
    for p in _opened(coop, edition):
        jobs = (p.jobs_direct_actual or 0) + (p.jobs_indirect_actual or 0)
        total += jobs
        evidence.append(_ev("project", p.id, p.title, jobs, "projects:detail", [p.id]))
    return _dec(total), evidence


def projects_opened(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    evidence = [
        _ev("project", p.id, p.title, p.actual_opening_date.isoformat(), "projects:detail", [p.id])
        for p in _opened(coop, edition)
    ]
    return _dec(len(evidence)), evidence


def revenue_growth(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    # jurisdiction: a candidate's own records, for the festival's computation
    returns = {
        r.fiscal_year: r
        for r in _records(AnnualReturn).filter(
            cooperative=coop, fiscal_year__gte=edition.year - 3, fiscal_year__lte=edition.year - 1
        )
    }
    last = next((y for y in (edition.year - 1, edition.year - 2) if y in returns), None)
    if last is None:
        return None, []
    current = returns[last]
    evidence = [_ev("return", current.id, last, current.revenue_rial, "members:members", [coop.shenasnameh])]
    previous = returns.get(last - 1)
    if previous is None:
        return None, evidence
    evidence.insert(
        0, _ev("return", previous.id, last - 1, previous.revenue_rial, "members:members", [coop.shenasnameh])
    )
    if previous.revenue_rial == 0:
        return None, evidence
    return _dec(HUNDRED * (current.revenue_rial - previous.revenue_rial) / previous.revenue_rial), evidence


def assemblies_on_time(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    start, end = window_start(edition), reference_day(edition)
    # jurisdiction: a candidate's own records, for the festival's computation
    held = list(
        _records(GeneralAssembly)
        .filter(cooperative=coop, kind=AssemblyKind.ORDINARY, date__lte=end)
        .order_by("date", "pk")
    )
    previous = coop.registration_date
    on_time, evidence = 0, []
    for a in held:
        if a.date >= start:
            ok = previous is not None and months_before(a.date, ASSEMBLY_MONTHS) <= previous
            on_time += ok
            evidence.append(
                _ev("assembly", a.id, a.date.isoformat(), int(ok), "members:members", [coop.shenasnameh])
            )
        previous = a.date
    return _dec(min(HUNDRED, HUNDRED * on_time / WINDOW_YEARS)), evidence


def returns_on_time(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    end = reference_day(edition)
    due = [
        y
        for y in range(edition.year - WINDOW_YEARS, edition.year)
        if return_deadline(y) <= end
        and (coop.registration_date is None or coop.registration_date < to_gregorian(y, 1, 1))
    ]
    if not due:
        return None, []
    # jurisdiction: a candidate's own records, for the festival's computation
    filed = {r.fiscal_year: r for r in _records(AnnualReturn).filter(cooperative=coop, fiscal_year__in=due)}
    on_time, evidence = 0, []
    for y in due:
        r = filed.get(y)
        ok = r is not None and r.filed_on <= return_deadline(y)
        on_time += ok
        if r is not None:
            evidence.append(_ev("return", r.id, y, int(ok), "members:members", [coop.shenasnameh]))
        else:
            evidence.append(_ev("return", None, y, 0, "members:members", [coop.shenasnameh]))
    return _dec(HUNDRED * on_time / len(due)), evidence


def women_share(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    end = reference_day(edition)
    # jurisdiction: a candidate's own records, for the festival's computation
    members = _records(Membership).filter(cooperative=coop, join_date__lte=end).exclude(leave_date__lte=end)
    if _records(Membership).filter(cooperative=coop).exists():
        total = members.count()
        women = members.filter(person__gender=Gender.FEMALE).count()
        url = "members:members"
    else:
        women, total = coop.members_women, coop.members_women + coop.members_men
        url = "registry:detail"
    evidence = [
        _ev("membership-count", coop.pk, "women", women, url, [coop.shenasnameh]),
        _ev("membership-count", coop.pk, "all", total, url, [coop.shenasnameh]),
    ]
    if not total:
        return None, evidence
    return _dec(HUNDRED * women / total), evidence


def exhibitions(coop: Cooperative, edition) -> tuple[Decimal | None, list[dict]]:
    booths = (
        _records(Booth)
        .filter(
            cooperative=coop,
            exhibition__year__gte=edition.year - (WINDOW_YEARS - 1),
            exhibition__year__lte=edition.year,
            exhibition__starts_on__lte=reference_day(edition),
        )
        .select_related("exhibition")
        .order_by("exhibition__starts_on", "id")
    )
    evidence = [
        _ev("booth", b.id, b.exhibition.title, b.number, "events:exhibition", [b.exhibition_id])
        for b in booths
    ]
    return _dec(len(evidence)), evidence


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "years_active",
            _(
                "Years of activity = whole years from the registration date to the last day of applications "
                "(from the identity record)"
            ),
            years_active,
        ),
        Indicator(
            "member_growth",
            _(
                "Growth of the membership = (members on the last day of applications − members on 1 Farvardin "
                "two years before the edition's year) ÷ the members on that day × 100, from the membership records"
            ),
            member_growth,
        ),
        Indicator(
            "jobs_created",
            _(
                "Jobs created = Σ (direct + indirect jobs created) of the cooperative's projects opened in the "
                "window (1 Farvardin of the edition's year − 2 to the last day of applications)"
            ),
            jobs_created,
        ),
        Indicator(
            "revenue_growth",
            _(
                "Growth of sales = (sales of the last fiscal year − sales of the year before it) ÷ sales of the "
                "year before it × 100, from the annual returns (the last fiscal year: the edition's year − 1, "
                "else − 2)"
            ),
            revenue_growth,
        ),
        Indicator(
            "assemblies_on_time",
            _(
                "General assemblies on time = the ordinary general assemblies held in the window within 15 "
                "months of the previous one (or of registration) ÷ 3 × 100, at most 100"
            ),
            assemblies_on_time,
        ),
        Indicator(
            "returns_on_time",
            _(
                "Annual returns on time = the returns of the fiscal years due in the window (the edition's "
                "year − 3 to − 1, deadline 31 Tir of the next year) filed by their deadline ÷ the returns due "
                "× 100"
            ),
            returns_on_time,
        ),
        Indicator(
            "women_share",
            _(
                "Women's share of the members = women members ÷ all members × 100 on the last day of "
                "applications (from the membership records; without them, from the identity record's counts)"
            ),
            women_share,
        ),
        Indicator(
            "projects_opened",
            _(
                "Projects opened = the number of the cooperative's projects opened in the window (1 Farvardin "
                "of the edition's year − 2 to the last day of applications)"
            ),
            projects_opened,
        ),
        Indicator(
            "exhibitions",
            _(
                "Exhibitions attended = the number of exhibitions of the edition's year and the two before it "
                "at which the cooperative had a booth"
            ),
            exhibitions,
        ),
    )
}
