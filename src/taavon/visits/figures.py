"""The visits' figures (the /visits/figures/ page), always within the user's jurisdiction and aggregated in the
database: visits per county and Jalali month of the current Jalali year against the plan, open findings by category
and by age, the problems most often seen this year (findings by category), and the action items overdue (how many,
and the oldest of them). A handful of queries whatever the number of counties or visits.

«Planned» in a month: the visits put in the plan for a day of that month (cancelled ones left out); «reported»: the
visits reported with a visit day in that month (planned or not)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from taavon.core.models import english
from taavon.persian import jalali_year, to_gregorian
from taavon.persian.jalali import MONTHS_FA, MONTHS_LATIN
from taavon.visits.models import Action, Finding, FindingCategory, FindingStatus, Visit, VisitStatus

AGE_BUCKETS = ((0, 30), (31, 90), (91, 180), (181, None))  # days since the finding was opened


@dataclass
class VisitFigures:
    year: int
    months: list[str]  # the Jalali months' names, in the reader's language
    planned: list[int] = field(default_factory=list)  # per month, over the jurisdiction
    reported: list[int] = field(default_factory=list)
    by_county: list[dict] = field(
        default_factory=list
    )  # id, name, months [(planned, reported)], planned, reported
    open_by_category: list[dict] = field(default_factory=list)  # code, label, total
    open_by_age: list[dict] = field(default_factory=list)  # label, total
    open_total: int = 0
    year_by_category: list[dict] = field(default_factory=list)  # code, label, total (most seen first)
    overdue_count: int = 0

    @property
    def planned_total(self) -> int:
        return sum(self.planned)

    @property
    def reported_total(self) -> int:
        return sum(self.reported)

    oldest_overdue: list = field(default_factory=list)


def month_bounds(year: int) -> list[tuple[datetime.date, datetime.date]]:
    """The first and last (Gregorian) day of each month of a Jalali year."""
    starts = [to_gregorian(year, m, 1) for m in range(1, 13)] + [to_gregorian(year + 1, 1, 1)]
    return [(starts[i], starts[i + 1] - datetime.timedelta(days=1)) for i in range(12)]


def age_label(low: int, high: int | None) -> str:
    from django.utils.translation import gettext as _

    from taavon.core.formatting import number

    if high is None:
        return _("over %(days)s days") % {"days": number(low - 1)}
    return _("%(low)s–%(high)s days") % {"low": number(low), "high": number(high)}


def visit_figures(
    *, user, county: int | None = None, today: datetime.date | None = None, oldest: int = 10
) -> VisitFigures:
    today = today or timezone.localdate()
    year = jalali_year(today)
    bounds = month_bounds(year)
    visits = Visit.objects.for_user(user)
    findings = Finding.objects.for_user(user)
    actions = Action.objects.for_user(user)
    if county:
        visits = visits.filter(county_id=county)
        findings = findings.filter(visit__county_id=county)
        actions = actions.filter(finding__visit__county_id=county)
    f = VisitFigures(year=year, months=list(MONTHS_LATIN if english() else MONTHS_FA))

    # visits per county and month against the plan: one query
    monthly = {}
    for i, (start, end) in enumerate(bounds):
        monthly[f"p{i}"] = Count(
            "pk", filter=Q(planned_on__range=(start, end)) & ~Q(status=VisitStatus.CANCELLED)
        )
        monthly[f"r{i}"] = Count("pk", filter=Q(status=VisitStatus.REPORTED, visited_on__range=(start, end)))
    year_q = Q(planned_on__range=(bounds[0][0], bounds[-1][1])) | Q(
        visited_on__range=(bounds[0][0], bounds[-1][1])
    )
    name = "county__name_en" if english() else "county__name_fa"
    rows = (
        visits.filter(year_q)
        .order_by()
        .values("county_id", "county__name_fa", "county__name_en")
        .annotate(**monthly)
        .order_by(name)
    )
    f.planned, f.reported = [0] * 12, [0] * 12
    for r in rows:
        planned = [r[f"p{i}"] for i in range(12)]
        reported = [r[f"r{i}"] for i in range(12)]
        f.by_county.append(
            {
                "id": r["county_id"],
                "name": (english() and r["county__name_en"]) or r["county__name_fa"],
                "months": list(zip(planned, reported, strict=True)),
                "planned": sum(planned),
                "reported": sum(reported),
            }
        )
        f.planned = [a + b for a, b in zip(f.planned, planned, strict=True)]
        f.reported = [a + b for a, b in zip(f.reported, reported, strict=True)]

    # open findings by category and by age: two queries
    labels = dict(FindingCategory.choices)
    open_findings = findings.filter(status=FindingStatus.OPEN).order_by()
    counts = dict(open_findings.values("category").annotate(n=Count("pk")).values_list("category", "n"))
    f.open_by_category = [
        {"code": c, "label": str(labels[c]), "total": counts[c]}
        for c in FindingCategory.values
        if counts.get(c)
    ]
    ages = {}
    for i, (low, high) in enumerate(AGE_BUCKETS):
        newest = today - datetime.timedelta(days=low)
        q = Q(opened_on__lte=newest)
        if high is not None:
            q &= Q(opened_on__gte=today - datetime.timedelta(days=high))
        ages[f"a{i}"] = Count("pk", filter=q)
    ages["total"] = Count("pk")
    by_age = open_findings.aggregate(**ages)
    f.open_total = by_age.pop("total")
    f.open_by_age = [
        {"label": age_label(low, high), "total": by_age[f"a{i}"]} for i, (low, high) in enumerate(AGE_BUCKETS)
    ]

    # the problems most often seen this year: one query
    seen = (
        findings.filter(opened_on__range=(bounds[0][0], bounds[-1][1]))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")
    )
    f.year_by_category = [
        {"code": r["category"], "label": str(labels[r["category"]]), "total": r["n"]} for r in seen
    ]

    # the action items overdue: a count and the oldest
    overdue = actions.overdue(today)
    f.overdue_count = overdue.count()
    f.oldest_overdue = list(
        overdue.select_related("finding__visit__cooperative", "finding__visit__county", "officer").order_by(
            "due_on", "id"
        )[:oldest]
    )
    for a in f.oldest_overdue:
        a.days_late = (today - a.due_on).days
    return f


def chart_data(f: VisitFigures) -> dict:
    """The charts' series (labels already in the reader's language), for <script type="application/json">."""
    from django.utils.translation import gettext as _

    return {
        "ui": {"digits": "latn" if english() else "fa"},
        "plan": {
            "labels": f.months,
            "planned": f.planned,
            "reported": f.reported,
            "planned_label": _("Planned"),
            "reported_label": _("Reported"),
        },
        "open_category": {
            "labels": [r["label"] for r in f.open_by_category],
            "values": [r["total"] for r in f.open_by_category],
        },
        "open_age": {
            "labels": [r["label"] for r in f.open_by_age],
            "values": [r["total"] for r in f.open_by_age],
        },
        "year_category": {
            "labels": [r["label"] for r in f.year_by_category],
            "values": [r["total"] for r in f.year_by_category],
        },
    }
