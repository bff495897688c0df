"""The early-warning rules triage owns: each a named rule with a stable code, a threshold and weight an administrator
may change (triage.settings), a set-based `find` (one or two queries for every cooperative evaluated) and an
explanation that names the dates and figures behind it, in the reader's language.

Rules that depend on other capabilities read their records through core.contributions.FACTS (members: assemblies,
board elections, returns, activity; projects: activity) — triage imports neither. A later capability adds its own
rule to core.contributions.TRIAGE_RULES (visits: `visit_closed`) and its activity to FACTS (kind "activity").
"""

import calendar
import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from taavon.core.contributions import FACTS, TRIAGE_RULES, TriageRule
from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits, number
from taavon.core.models import english
from taavon.persian import jalali_year, to_gregorian

LEGAL_MINIMUM_MEMBERS = 7  # the cooperative law's minimum number of members


# --- dates -----------------------------------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from `earlier` to `later`."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _months_text(months: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": number(months)}


def return_deadline(fiscal_year: int) -> datetime.date:
    """When a fiscal year's annual return is due: the fiscal year's end plus TAAVON_RETURN_DEADLINE_MONTHS months
    (4: 31 Tir of the next Jalali year) — the deadline the annual returns' pages use."""
    months = settings.TAAVON_RETURN_DEADLINE_MONTHS
    return to_gregorian(fiscal_year + 1, months + 1, 1) - datetime.timedelta(days=1)


def last_due_fiscal_year(today: datetime.date) -> int:
    """The latest Jalali fiscal year whose return deadline has passed by `today`."""
    year = jalali_year(today) - 1
    return year if today > return_deadline(year) else year - 1


# --- the rules -------------------------------------------------------------------------------------------------------


def _assembly_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    cutoff = months_before(today, threshold)
    rows = cooperatives.filter(
        Q(last_general_assembly__lt=cutoff)
        | Q(last_general_assembly__isnull=True)
        & (Q(registration_date__lt=cutoff) | Q(registration_date__isnull=True))
    ).values_list("id", "last_general_assembly", "registration_date")
    return {pk: {"last": _iso(last), "registered": _iso(registered)} for pk, last, registered in rows}


def _assembly_explain(params: dict, today: datetime.date) -> str:
    last, registered = _day(params.get("last")), _day(params.get("registered"))
    if last:
        return _("Last ordinary general assembly %(date)s — %(months)s ago") % {
            "date": show_date(last),
            "months": _months_text(months_between(last, today)),
        }
    if registered:
        return _("No ordinary general assembly recorded since registration on %(date)s — %(months)s") % {
            "date": show_date(registered),
            "months": _months_text(months_between(registered, today)),
        }
    return _("No ordinary general assembly recorded")


def _board_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    cutoff = months_before(today, threshold)
    rows = cooperatives.filter(board_term_end__lt=cutoff).values_list("id", "board_term_end")
    return {pk: {"end": _iso(end)} for pk, end in rows}


def _board_explain(params: dict, today: datetime.date) -> str:
    end = _day(params["end"])
    return _("The board's term ended on %(date)s — %(months)s ago") % {
        "date": show_date(end),
        "months": _months_text(months_between(end, today)),
    }


def _facts(kind: str):
    return [fact for fact in FACTS.values() if fact.kind == kind]


def _returns_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    sources = _facts("return")
    if not sources or threshold < 1:
        return {}
    last_due = last_due_fiscal_year(today)
    years = list(range(last_due - threshold + 1, last_due + 1))
    filed = set()
    ids = cooperatives.values("id")
    for fact in sources:
        filed.update((row[0], row[1]) for row in fact.rows(ids) if row[1] in years)
    # the years a cooperative had to file for: from the year it was registered (registered in 1403: nothing due
    # for 1402); without a registration date, all of them
    first_year_start = to_gregorian(years[0], 1, 1)
    found = {}
    for pk in cooperatives.filter(
        Q(registration_date__lt=first_year_start) | Q(registration_date__isnull=True)
    ).values_list("id", flat=True):
        if not any((pk, y) in filed for y in years):
            found[pk] = {"years": years, "deadline": _iso(return_deadline(years[-1]))}
    return found


def _returns_explain(params: dict, today: datetime.date) -> str:
    years = (
        "، ".join(digits(y) for y in params["years"])
        if not english()
        else ", ".join(map(str, params["years"]))
    )
    return ngettext(
        "No annual return for fiscal year %(years)s (due by %(deadline)s)",
        "No annual returns for fiscal years %(years)s (the last due by %(deadline)s)",
        len(params["years"]),
    ) % {"years": years, "deadline": show_date(_day(params["deadline"]))}


def _members_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    from django.db.models import F

    rows = (
        cooperatives.annotate(total=F("members_women") + F("members_men"))
        .filter(total__lt=threshold)
        .values_list("id", "total")
    )
    return {pk: {"members": total, "minimum": threshold} for pk, total in rows}


def _members_explain(params: dict, today: datetime.date) -> str:
    return _("%(members)s members — fewer than the legal minimum of %(minimum)s") % {
        "members": number(params["members"]),
        "minimum": number(params["minimum"]),
    }


def _inactive_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    cutoff = months_before(today, threshold)
    last: dict[int, tuple[datetime.date, str]] = {}
    ids = cooperatives.values("id")
    for fact in _facts("activity"):
        for pk, day in fact.rows(ids):
            if day and (pk not in last or day > last[pk][0]):
                last[pk] = (day, fact.code)
    found = {}
    for pk, registered in cooperatives.values_list("id", "registration_date"):
        seen = last.get(pk)
        if seen is not None and registered and registered > seen[0]:
            seen = None
        if seen is None:
            if registered is None or registered < cutoff:
                found[pk] = {"last": None, "registered": _iso(registered)}
        elif seen[0] < cutoff:
            found[pk] = {"last": _iso(seen[0]), "source": seen[1]}
    return found


def _inactive_explain(params: dict, today: datetime.date) -> str:
    last = _day(params.get("last"))
    if last:
        fact = FACTS.get(params.get("source"))
        return _("No recorded activity since %(date)s (%(what)s) — %(months)s") % {
            "date": show_date(last),
            "what": str(fact.label) if fact else params.get("source", ""),
            "months": _months_text(months_between(last, today)),
        }
    registered = _day(params.get("registered"))
    if registered:
        return _("No recorded activity since registration on %(date)s — %(months)s") % {
            "date": show_date(registered),
            "months": _months_text(months_between(registered, today)),
        }
    return _("No recorded activity at all")


def _contact_find(cooperatives, threshold: int, today: datetime.date) -> dict:
    from taavon.triage.models import CaseStatus, CaseStep, StepKind

    if threshold < 1:
        return {}
    steps = defaultdict(list)
    for coop, reached, day in (
        CaseStep.objects.filter(
            kind=StepKind.CONTACT,
            case__status=CaseStatus.OPEN,
            case__cooperative__in=cooperatives.values("id"),
        )
        .order_by("case__cooperative_id", "date", "id")
        .values_list("case__cooperative_id", "reached", "date")
    ):
        steps[coop].append((reached, day))
    found = {}
    for coop, attempts in steps.items():
        recent = attempts[-threshold:]
        if len(recent) == threshold and all(reached is False for reached, _ in recent):
            found[coop] = {"attempts": threshold, "last": _iso(recent[-1][1])}
    return found


def _contact_explain(params: dict, today: datetime.date) -> str:
    return ngettext(
        "The last contact attempt failed (%(date)s)",
        "The last %(count)s contact attempts failed (the latest on %(date)s)",
        params["attempts"],
    ) % {"count": number(params["attempts"]), "date": show_date(_day(params["last"]))}


RULES = (
    TriageRule(
        code="assembly_overdue",
        label=gettext_lazy("Ordinary general assembly overdue"),
        find=_assembly_find,
        explain=_assembly_explain,
        default_threshold=15,
        threshold_unit="months",
        default_weight=3,
        order=10,
    ),
    TriageRule(
        code="board_expired",
        label=gettext_lazy("Board's term expired"),
        find=_board_find,
        explain=_board_explain,
        default_threshold=3,
        threshold_unit="months",
        default_weight=2,
        order=20,
    ),
    TriageRule(
        code="returns_missing",
        label=gettext_lazy("Annual returns missing"),
        find=_returns_find,
        explain=_returns_explain,
        default_threshold=1,
        threshold_unit="years",
        default_weight=2,
        order=30,
    ),
    TriageRule(
        code="below_min_members",
        label=gettext_lazy("Fewer members than the legal minimum"),
        find=_members_find,
        explain=_members_explain,
        default_threshold=LEGAL_MINIMUM_MEMBERS,
        threshold_unit="members",
        default_weight=3,
        order=40,
    ),
    TriageRule(
        code="inactive",
        label=gettext_lazy("No recorded activity"),
        find=_inactive_find,
        explain=_inactive_explain,
        default_threshold=24,
        threshold_unit="months",
        default_weight=4,
        order=50,
    ),
    TriageRule(
        code="contact_failed",
        label=gettext_lazy("Contact attempts failed"),
        find=_contact_find,
        explain=_contact_explain,
        default_threshold=2,
        threshold_unit="attempts",
        default_weight=3,
        order=70,
    ),
)


def register() -> None:
    for rule in RULES:
        TRIAGE_RULES.register(rule)


def all_rules() -> list[TriageRule]:
    """Every rule known (triage's and those later capabilities added), in their order."""
    return sorted(TRIAGE_RULES.values(), key=lambda r: (r.order, r.code))


def explain(rule_code: str, params: dict, today: datetime.date | None = None) -> str:
    """A flag's explanation in the reader's language (empty for a rule no longer known)."""
    from django.utils import timezone

    rule = TRIAGE_RULES.get(rule_code)
    if rule is None:
        return ""
    try:
        return rule.explain(params, today or timezone.localdate())
    except (KeyError, TypeError, ValueError):
        return str(rule.label)
