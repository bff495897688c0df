"""Who may take part in an edition: five checks, each with a stable code, a result and the figures behind it (JSON,
stored on the candidate), explained in the reader's language when a page shows it — never a bare "not eligible".

- `active`: the cooperative's status is active.
- `no_open_case`: no open dormancy case (triage.models.Case) about it.
- `last_return`: the annual return of the last due fiscal year (triage.rules.last_due_fiscal_year) is filed; a
  cooperative registered after that fiscal year began owes none (as triage reads it).
- `record_health`: the record's health (triage.health: the share of the required facts present and up to date,
  0–100) is at least the edition's minimum.
- `record_updated`: the identity record was last changed (Cooperative.updated_at) on or after the edition's
  `record_updated_since`.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits, number
from taavon.members.models import AnnualReturn
from taavon.persian import to_gregorian
from taavon.registry.models import Cooperative, Status
from taavon.triage.health import cooperative_health
from taavon.triage.models import Case, CaseStatus
from taavon.triage.rules import last_due_fiscal_year

CODES = ("active", "no_open_case", "last_return", "record_health", "record_updated")


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return check_message(self.code, self.ok, self.params)

    def as_json(self) -> dict:
        return {"code": self.code, "ok": self.ok, "params": self.params}

    @classmethod
    def from_json(cls, row: dict) -> "Check":
        return cls(row["code"], bool(row["ok"]), row.get("params") or {})


def _day(value: str | None):
    return datetime.date.fromisoformat(value) if value else None


def check_message(code: str, ok: bool, params: dict) -> str:
    """A check's explanation in the reader's language (built when shown, from the stored figures)."""
    p = params
    if code == "active":
        if ok:
            return _("The cooperative is active.")
        return _("The cooperative is not active (its status: %(status)s).") % {
            "status": Status(p["status"]).label if p.get("status") in Status.values else p.get("status")
        }
    if code == "no_open_case":
        if ok:
            return _("No dormancy case is open about the cooperative.")
        return _("A dormancy case about the cooperative is open (since %(date)s).") % {
            "date": show_date(_day(p.get("opened_on")))
        }
    if code == "last_return":
        if p.get("not_due"):
            return _("No annual return is due yet (registered after fiscal year %(year)s began).") % {
                "year": digits(p["year"])
            }
        if ok:
            return _("The annual return of fiscal year %(year)s is filed.") % {"year": digits(p["year"])}
        return _("The annual return of fiscal year %(year)s is not filed.") % {"year": digits(p["year"])}
    if code == "record_health":
        values = {"score": number(p["score"]), "minimum": number(p["minimum"])}
        if ok:
            return _("The record's health is %(score)s%%, at least the %(minimum)s%% required.") % values
        return _("The record's health is %(score)s%%, below the %(minimum)s%% required.") % values
    if code == "record_updated":
        values = {"date": show_date(_day(p.get("updated"))), "since": show_date(_day(p["since"]))}
        if ok:
            return _("The record was updated on %(date)s, on or after %(since)s.") % values
        return _("The record was last updated on %(date)s, before %(since)s.") % values
    return code


def eligibility_check(
    *, edition, cooperative: Cooperative, today: datetime.date | None = None
) -> list[Check]:
    """The five checks, in order (see the module's text). Dates are judged as of `today`, but never later than the
    edition's close of applications: a return that fell due after the edition does not count against it."""
    today = min(today or timezone.localdate(), edition.applications_close)
    checks = [Check("active", cooperative.status == Status.ACTIVE, {"status": cooperative.status})]

    # jurisdiction: the festival's check of one cooperative (a service, not a user's read)
    case = Case.objects.filter(cooperative=cooperative, status=CaseStatus.OPEN).order_by("opened_on").first()
    checks.append(
        Check("no_open_case", case is None, {"opened_on": case.opened_on.isoformat()} if case else {})
    )

    year = last_due_fiscal_year(today)
    if cooperative.registration_date and cooperative.registration_date >= to_gregorian(year, 1, 1):
        checks.append(Check("last_return", True, {"year": year, "not_due": True}))
    else:
        # jurisdiction: the festival's check of one cooperative
        filed = AnnualReturn.objects.filter(cooperative=cooperative, fiscal_year=year).exists()
        checks.append(Check("last_return", filed, {"year": year}))

    health = cooperative_health(cooperative, today=today)
    ok = health.score >= edition.min_record_health
    params = {"score": health.score, "minimum": edition.min_record_health}
    checks.append(Check("record_health", ok, params))

    updated = timezone.localdate(cooperative.updated_at) if cooperative.updated_at else None
    checks.append(
        Check(
            "record_updated",
            updated is not None and updated >= edition.record_updated_since,
            {
                "updated": updated.isoformat() if updated else None,
                "since": edition.record_updated_since.isoformat(),
            },
        )
    )
    return checks


def is_eligible(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def failed(rows: list[dict]) -> list[Check]:
    """The failed checks of a candidate's stored list."""
    return [c for c in (Check.from_json(r) for r in rows or []) if not c.ok]
