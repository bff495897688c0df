"""The one reader of the public site, the open data API and the bulk downloads: public fields of public records.

Nothing public reads a model directly: every page, endpoint and file takes its rows from here, as plain dicts built
from `.values()` of the fields listed below — never a model instance a template could walk from (a cooperative's
phone, a member's national code, a note). What is never public: national codes, phones, addresses and postal codes,
member names and lists, notes of any kind, dormancy cases, the service desk, visits and their findings, candidates
and scores of unpublished festival results.

Public records: every cooperative of the register (its status says whether it is active); every project of a
cooperative except a cancelled one; festival awards of published editions only (the first three of a category).

Good standing (as BC Registries and the UK mutuals register show it): the cooperative is active, its ordinary
general assembly is up to date (triage's `assembly_overdue` threshold, 15 months by default) and the annual return of
the last due fiscal year is filed (or none is due yet). When it is missing, the reasons say which, in public terms.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits
from taavon.core.models import english
from taavon.festival.models import Ranking
from taavon.festival.scoring import TOP
from taavon.members.models import AnnualReturn
from taavon.persian import to_ascii_digits, to_gregorian
from taavon.projects.models import Project, Stage
from taavon.registry.models import Cooperative, Status, StatusChange
from taavon.triage.rules import last_due_fiscal_year, months_before
from taavon.triage.settings import effective_settings

# the cooperative's public fields (the model's names → the names rows carry)
COOPERATIVE_VALUES = {
    "id": "id",  # internal: never shown or sent; links rows of other tables to the cooperative
    "shenasnameh": "shenasnameh",
    "legal_id": "legal_id",
    "registration_number": "registration_number",
    "registration_date": "registration_date",
    "name": "name",
    "type_code": "type__code",
    "type_fa": "type__name_fa",
    "type_en": "type__name_en",
    "sector_code": "sector__code",
    "sector_fa": "sector__name_fa",
    "sector_en": "sector__name_en",
    "activity_fa": "activity__name_fa",
    "activity_en": "activity__name_en",
    "membership": "membership",
    "county_id": "county_id",
    "county_fa": "county__name_fa",
    "county_en": "county__name_en",
    "province_code": "county__province__code",
    "province_fa": "county__province__name_fa",
    "province_en": "county__province__name_en",
    "status": "status",
    "status_changed_at": "status_changed_at",
    "members_women": "members_women",
    "members_men": "members_men",
    "capital_registered_rial": "capital_registered_rial",
    "last_general_assembly": "last_general_assembly",  # read for good standing; shown only as «up to date» or not
    "updated_at": "updated_at",
}
PROJECT_VALUES = {
    "id": "id",
    "title": "title",
    "cooperative_id": "cooperative_id",
    "shenasnameh": "cooperative__shenasnameh",
    "cooperative_name": "cooperative__name",
    "sector_code": "sector__code",
    "sector_fa": "sector__name_fa",
    "sector_en": "sector__name_en",
    "county_id": "county_id",
    "county_fa": "county__name_fa",
    "county_en": "county__name_en",
    "province_code": "county__province__code",
    "stage": "stage",
    "investment_rial": "investment_rial",
    "jobs_direct_planned": "jobs_direct_planned",
    "jobs_direct_actual": "jobs_direct_actual",
    "jobs_indirect_actual": "jobs_indirect_actual",
    "jobs_women_actual": "jobs_women_actual",
    "start_date": "start_date",
    "expected_opening_date": "expected_opening_date",
    "actual_opening_date": "actual_opening_date",
    "progress_percent": "progress_percent",
    "updated_at": "updated_at",
}


ANNOTATED = {
    "return_filed": "return_filed",
    "status_effective": "status_effective",
    "status_changed_on": "status_changed_on",
}


def status_since(row: dict) -> datetime.date | None:
    """Since when the cooperative has its status: the last change's effective date (else the day it was recorded);
    a cooperative whose status never changed after its record was entered has it since its registration."""
    if row.get("status_effective"):
        return row["status_effective"]
    if row.get("status_changed_on"):
        return timezone.localdate(row["status_changed_on"])
    if row.get("registration_date"):
        return row["registration_date"]
    changed = row.get("status_changed_at")
    return timezone.localdate(changed) if changed else None


def _shown(row: dict, key: str) -> str:
    """The name in the reader's language (English when there is one and the page is English)."""
    if english() and row.get(f"{key}_en"):
        return row[f"{key}_en"]
    return row.get(f"{key}_fa") or ""


# --- good standing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    good: bool
    reasons: list[str] = field(default_factory=list)  # codes: not_active, assembly_overdue, return_missing
    return_year: int | None = None
    assembly_cutoff: datetime.date | None = None
    assembly_months: int = 15

    @property
    def messages(self) -> list[str]:
        return [standing_message(code, self) for code in self.reasons]


def standing_message(code: str, standing: Standing) -> str:
    if code == "not_active":
        return _("The cooperative is not active.")
    if code == "assembly_overdue":
        return _(
            "No ordinary general assembly is recorded on or after %(date)s (one is due at least every %(months)s months)."
        ) % {
            "date": show_date(standing.assembly_cutoff),
            "months": digits(standing.assembly_months),
        }
    if code == "return_missing":
        return _("The annual return of fiscal year %(year)s is not filed.") % {
            "year": digits(standing.return_year)
        }
    return code


@dataclass(frozen=True)
class StandingRule:
    today: datetime.date
    return_year: int
    return_year_start: datetime.date
    assembly_cutoff: datetime.date
    assembly_months: int = 15

    @classmethod
    def now(cls, today: datetime.date | None = None) -> "StandingRule":
        today = today or timezone.localdate()
        year = last_due_fiscal_year(today)
        months = effective_settings().get("assembly_overdue")
        threshold = months.threshold if months and months.threshold else 15
        return cls(today, year, to_gregorian(year, 1, 1), months_before(today, threshold), threshold)

    def annotate(self, qs: QuerySet) -> QuerySet:
        """The facts from other tables, one subquery each per row (no query per cooperative): whether the return is
        filed (standing), and the last change of status after the record was entered (its «since»)."""
        # jurisdiction: public register — the status's dates only (never the reason, the evidence or who)
        last_change = (
            StatusChange.objects.filter(cooperative=OuterRef("pk"))
            .exclude(from_status=Status.UNKNOWN)
            .order_by("-changed_at", "-id")
        )
        qs = qs.annotate(
            status_effective=Subquery(last_change.values("effective_date")[:1]),
            status_changed_on=Subquery(last_change.values("changed_at")[:1]),
        )
        # whether the return is filed, one index probe per row: `(SELECT id … LIMIT 1) IS NOT NULL`, not EXISTS —
        # PostgreSQL hashes an EXISTS in the select list over every return of the year before the first row of a
        # page (104 ms against 12 ms for the API's page at 1M)
        return qs.annotate(return_filed=IsNull(Subquery(self._filed().values("pk")[:1]), False))

    def _filed(self) -> QuerySet:
        # jurisdiction: public register — whether a cooperative's return is filed (nothing of it is shown)
        return AnnualReturn.objects.filter(cooperative=OuterRef("pk"), fiscal_year=self.return_year)

    def of(self, row: dict) -> Standing:
        if row["status"] != Status.ACTIVE:  # the status says it all: a dissolved cooperative owes no assembly
            return Standing(
                False, ["not_active"], self.return_year, self.assembly_cutoff, self.assembly_months
            )
        reasons = []
        assembly = row.get("last_general_assembly")
        registered = row.get("registration_date")
        if (assembly and assembly < self.assembly_cutoff) or (
            not assembly and (registered is None or registered < self.assembly_cutoff)
        ):
            reasons.append("assembly_overdue")
        return_due = registered is None or registered < self.return_year_start
        if return_due and not row.get("return_filed"):
            reasons.append("return_missing")
        return Standing(not reasons, reasons, self.return_year, self.assembly_cutoff, self.assembly_months)

    def good_q(self) -> Q:
        """The same rule as a filter (the register's «in good standing» filter and counts)."""
        assembly_ok = Q(last_general_assembly__gte=self.assembly_cutoff) | Q(
            last_general_assembly__isnull=True, registration_date__gte=self.assembly_cutoff
        )
        # as EXISTS here: a filter over many rows is one semi-join (the annotation's probe per row would be slower)
        return_ok = Q(Exists(self._filed())) | Q(registration_date__gte=self.return_year_start)
        return Q(status=Status.ACTIVE) & assembly_ok & return_ok


# --- cooperatives ----------------------------------------------------------------------------------------------------


def _values(qs: QuerySet, mapping: dict) -> QuerySet:
    plain = [v for k, v in mapping.items() if k == v]
    renamed = {k: F(v) for k, v in mapping.items() if k != v}
    return qs.values(*plain, **renamed)


def cooperative_rows(qs: QuerySet | None = None, *, rule: StandingRule | None = None) -> QuerySet:
    """Public rows of cooperatives (a queryset of Cooperative, already filtered, or all), with `return_filed` for
    good standing. Iterate with `public_row` to get the shown names and the standing."""
    # jurisdiction: the public register — only the public fields leave (COOPERATIVE_VALUES)
    base = Cooperative.objects.all() if qs is None else qs
    rule = rule or StandingRule.now()
    return _values(rule.annotate(base), {**COOPERATIVE_VALUES, **ANNOTATED})


def public_row(row: dict, rule: StandingRule) -> dict:
    """A row as pages and the API show it: names in the reader's language, members total, status since, standing."""
    out = dict(row)
    out["type"] = _shown(row, "type")
    out["sector"] = _shown(row, "sector")
    out["activity"] = _shown(row, "activity")
    out["county"] = _shown(row, "county")
    out["province"] = _shown(row, "province")
    out["status_label"] = Status(row["status"]).label if row["status"] in Status.values else row["status"]
    out["status_since"] = status_since(row)
    out["members_total"] = (row.get("members_women") or 0) + (row.get("members_men") or 0)
    out["standing"] = rule.of(row)
    out.pop("last_general_assembly", None)  # read for the standing, not shown
    return out


def cooperative_public(shenasnameh: str) -> dict | None:
    """One cooperative's public row by its shenasnameh (any digits), or None."""
    number = to_ascii_digits(shenasnameh or "").strip()
    if not number or len(number) > 20 or "\x00" in number:
        return None
    rule = StandingRule.now()
    # jurisdiction: the public register — one record's public fields
    row = cooperative_rows(Cooperative.objects.filter(shenasnameh=number), rule=rule).first()
    return public_row(row, rule) if row else None


# --- projects --------------------------------------------------------------------------------------------------------


def public_projects() -> QuerySet:
    """Public rows of projects: every project but a cancelled one (no notes, no facilities' bank details)."""
    # jurisdiction: the public register — a project's public fields (title, stage, investment, jobs, dates)
    qs = Project.objects.exclude(stage=Stage.CANCELLED)
    return _values(qs, PROJECT_VALUES)


def project_row(row: dict) -> dict:
    out = dict(row)
    out["sector"] = _shown(row, "sector")
    out["county"] = _shown(row, "county")
    out["stage_label"] = Stage(row["stage"]).label if row["stage"] in Stage.values else row["stage"]
    return out


def cooperative_projects(cooperative_id: int) -> list[dict]:
    return [
        project_row(r)
        for r in public_projects()
        .filter(cooperative_id=cooperative_id)
        .order_by(F("actual_opening_date").desc(nulls_last=True), "-id")
    ]


# --- festival awards -------------------------------------------------------------------------------------------------


def public_awards(cooperative_ids: list[int] | None = None) -> list[dict]:
    """The first three of each category of published festival editions (edition, year, category, rank)."""
    # jurisdiction: published festival results are public (the winners list shows the same)
    qs = Ranking.objects.filter(rank__lte=TOP, candidate__edition__results_published_at__isnull=False)
    if cooperative_ids is not None:
        qs = qs.filter(candidate__cooperative_id__in=cooperative_ids)
    rows = qs.values(
        "rank",
        cooperative_id=F("candidate__cooperative_id"),
        edition=F("candidate__edition__number"),
        year=F("candidate__edition__year"),
        category_fa=F("candidate__category__name_fa"),
        category_en=F("candidate__category__name_en"),
    ).order_by("-candidate__edition__number", "rank")
    return [{**r, "category": _shown(r, "category")} for r in rows]


# --- the register's search -------------------------------------------------------------------------------------------


class FilterError(ValueError):
    """A filter's value is not known (the message names it, in the reader's language)."""


@dataclass
class RegisterFilters:
    q: str = ""
    province: str = ""  # ISO 3166-2 code, e.g. IR-15
    county: int | None = None  # places: the county's id (the `places` endpoint lists them)
    sector: str = ""  # the sector's code
    type: str = ""  # the type's code
    status: str = ""
    good_standing: bool | None = None


MAX_QUERY = 200


def register_filters(params) -> RegisterFilters:
    """The filters from a query string (a page's or the API's), checked: an unknown value raises FilterError."""
    from taavon.places.models import County, Province
    from taavon.registry.models import CooperativeType, Sector

    f = RegisterFilters()
    f.q = (params.get("q") or params.get("search") or "").strip()
    if len(f.q) > MAX_QUERY:
        raise FilterError(
            _("The search text is too long (at most %(n)s characters).") % {"n": digits(MAX_QUERY)}
        )
    if "\x00" in f.q:
        raise FilterError(_("The search text is not valid."))
    province = (params.get("province") or "").strip().upper()
    if province:
        if not Province.objects.filter(code=province).exists():
            raise FilterError(_("The province “%(value)s” is not known.") % {"value": province[:20]})
        f.province = province
    county = to_ascii_digits(params.get("county") or "").strip()
    if county:
        if not county.isdigit() or len(county) > 9 or not County.objects.filter(pk=int(county)).exists():
            raise FilterError(_("The county “%(value)s” is not known.") % {"value": county[:20]})
        f.county = int(county)
    sector = (params.get("sector") or "").strip()
    if sector:
        if not Sector.objects.filter(code=sector).exists():
            raise FilterError(_("The sector “%(value)s” is not known.") % {"value": sector[:40]})
        f.sector = sector
    kind = (params.get("type") or "").strip()
    if kind:
        if not CooperativeType.objects.filter(code=kind).exists():
            raise FilterError(_("The type “%(value)s” is not known.") % {"value": kind[:40]})
        f.type = kind
    status = (params.get("status") or "").strip()
    if status:
        if status not in Status.values:
            raise FilterError(_("The status “%(value)s” is not known.") % {"value": status[:20]})
        f.status = status
    standing = (params.get("good_standing") or "").strip().lower()
    if standing:
        if standing not in {"1", "true", "yes", "0", "false", "no"}:
            raise FilterError(_("good_standing is true or false."))
        f.good_standing = standing in {"1", "true", "yes"}
    return f


def register_counter(filters: RegisterFilters):
    """A cheaper count of `register_search` for its pager: a name search that is the only filter is counted on the
    search index alone (registry.search.dense_count); None otherwise."""
    from taavon.registry.search import dense_count

    others = (
        filters.province,
        filters.county,
        filters.sector,
        filters.type,
        filters.status,
        filters.good_standing,
    )
    if not filters.q or any(v not in ("", None) for v in others):
        return None
    return lambda cap: dense_count(filters.q, cap)


def register_search(filters: RegisterFilters, *, rule: StandingRule | None = None) -> QuerySet:
    """The register's cooperatives that match, as public rows (`cooperative_rows`), in the order of their names."""
    from taavon.places.models import County
    from taavon.registry.selectors import search_q

    rule = rule or StandingRule.now()
    # jurisdiction: the public register — filtered here, only public fields leave (cooperative_rows)
    qs = rule.annotate(Cooperative.objects.all())
    if filters.q:
        qs = qs.filter(search_q(filters.q, within=County.objects.all()))
    if filters.province:
        qs = qs.filter(county__province__code=filters.province)
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    if filters.sector:
        qs = qs.filter(sector__code=filters.sector)
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.good_standing is not None:
        qs = qs.filter(rule.good_q()) if filters.good_standing else qs.exclude(rule.good_q())
    return _values(qs, {**COOPERATIVE_VALUES, **ANNOTATED})
