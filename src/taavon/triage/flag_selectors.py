"""Reads of the flags: the flagged list (one row per cooperative with raised flags, its score the sum of their weights,
computed by the database), its download and `taavon export flagged`, a record's flags. Every read for a user goes
through their jurisdiction (Flag / Cooperative `.for_user`)."""

import datetime
from dataclasses import dataclass

from django.db.models import F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from taavon.accounts.models import User
from taavon.core.collation import PersianOrder
from taavon.core.contributions import TRIAGE_RULES
from taavon.registry.models import Cooperative, Status
from taavon.triage.models import Case, CaseStatus, Flag
from taavon.triage.rules import all_rules, explain

SORTS = {
    "-score": (F("score").desc(), PersianOrder("name"), "id"),
    "score": (F("score").asc(), PersianOrder("name"), "id"),
    "name": (PersianOrder("name"), "id"),
    "county": (PersianOrder("county__name_fa"), F("score").desc(), "id"),
    "status": ("status", F("score").desc(), "id"),
}
DEFAULT_SORT = "-score"


@dataclass
class FlagFilters:
    county: int | None = None
    sector: int | None = None
    status: str = ""
    rule: str = ""
    sort: str = DEFAULT_SORT


def _score():
    """The sum of the cooperative's raised flags' weights (a subquery: sortable, no GROUP BY over the row)."""
    return Coalesce(
        Subquery(
            # jurisdiction: the flags of a cooperative of an already scoped list
            Flag.objects.raised()
            .filter(cooperative=OuterRef("pk"))
            .order_by()
            .values("cooperative")
            .annotate(s=Sum("weight"))
            .values("s")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _open_case(field: str):
    # jurisdiction: the case of a cooperative of an already scoped list
    return Subquery(Case.objects.filter(cooperative=OuterRef("pk"), status=CaseStatus.OPEN).values(field)[:1])


def _listed(cooperatives: QuerySet[Cooperative], flags: QuerySet[Flag], filters: FlagFilters | None):
    f = filters or FlagFilters()
    raised = flags.raised()
    if f.rule:
        raised = raised.filter(rule=f.rule)
    qs = cooperatives.filter(pk__in=raised.values("cooperative_id"))
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.sector:
        qs = qs.filter(sector_id=f.sector)
    if f.status in Status.values:
        qs = qs.filter(status=f.status)
    return (
        qs.select_related("county", "sector")
        .annotate(
            score=_score(),
            open_case_id=_open_case("pk"),
            open_case_status=_open_case("status"),
            open_case_deadline=_open_case("deadline"),
        )
        .prefetch_related(
            # jurisdiction: the raised flags of the listed cooperatives
            Prefetch("triage_flags", queryset=Flag.objects.raised(), to_attr="raised_flags")
        )
        .order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))
    )


def flagged_list(*, user: User, filters: FlagFilters | None = None) -> QuerySet[Cooperative]:
    """The cooperatives with raised flags in the user's jurisdiction, filtered, highest score first; each with `score`,
    `open_case_id` / `open_case_status` / `open_case_deadline` and its `raised_flags` (one query for a page's flags)."""
    return _listed(Cooperative.objects.for_user(user), Flag.objects.for_user(user), filters)


def flagged_export_list(*, province_code: str | None = None) -> QuerySet[Cooperative]:
    """Every flagged cooperative (of a province), as the list shows it: for `taavon export flagged` (an operator's
    command on the server)."""
    # jurisdiction: `taavon export flagged`, an operator's command on the server
    qs = Cooperative.objects.all()
    if province_code:
        qs = qs.filter(county__province__code=province_code.upper())
    # jurisdiction: the operator's command, as above
    return _listed(qs, Flag.objects.all(), None).order_by(F("score").desc(), "shenasnameh")


def _rule_order() -> dict[str, int]:
    return {rule.code: i for i, rule in enumerate(all_rules())}


def ordered_flags(flags) -> list[Flag]:
    """Flags in the rules' order (a rule no longer known last)."""
    order = _rule_order()
    return sorted(flags, key=lambda f: (order.get(f.rule, len(order)), f.rule))


def flag_codes(cooperative) -> str:
    """The rule codes of a listed cooperative's raised flags, joined by ";" (the download's `flags`)."""
    return ";".join(f.rule for f in ordered_flags(cooperative.raised_flags))


@dataclass(frozen=True)
class ShownFlag:
    code: str
    label: str
    explanation: str
    raised_on: datetime.date
    weight: int


def shown_flags(flags, today: datetime.date | None = None) -> list[ShownFlag]:
    """Flags with their rule's label and explanation in the reader's language."""
    today = today or timezone.localdate()
    out = []
    for flag in ordered_flags(flags):
        rule = TRIAGE_RULES.get(flag.rule)
        out.append(
            ShownFlag(
                code=flag.rule,
                label=str(rule.label) if rule else flag.rule,
                explanation=explain(flag.rule, flag.params, today),
                raised_on=flag.raised_on,
                weight=flag.weight,
            )
        )
    return out


def record_flags(*, user: User, cooperative: Cooperative) -> QuerySet[Flag]:
    return Flag.objects.for_user(user).raised().filter(cooperative=cooperative)


def url_or_none(name: str, *args) -> str | None:
    """A page's address, or None while the page does not exist (the cases' pages are built beside this list)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
