"""Reads of members, organs, assemblies and returns; warnings on the record; missing and late returns."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from taavon.accounts.jurisdiction import is_staff
from taavon.accounts.models import User
from taavon.core.collation import PersianOrder
from taavon.core.formatting import digits, legal_date, number
from taavon.members.models import (
    AnnualReturn,
    AssemblyKind,
    Gender,
    Membership,
    Officer,
    Person,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from taavon.members.services import fiscal_year_end, return_deadline
from taavon.persian import mask_national_code
from taavon.registry.models import Cooperative, Status

LEGAL_MINIMUM_MEMBERS = 7


def member_list(*, cooperative: Cooperative, include_former: bool = False) -> QuerySet[Membership]:
    qs = (
        cooperative.memberships.select_related("person")
        .annotate(contributed=Coalesce(Sum("contributions__amount_rial"), 0))
        .order_by(PersianOrder("person__last_name"), PersianOrder("person__first_name"), "id")
    )
    return qs if include_former else qs.filter(leave_date__isnull=True)


def masked(person: Person) -> dict:
    """What a list may show of a person: the national code and the mobile masked (in the language's digits)."""
    mobile = person.mobile
    return {
        "national_code": digits(mask_national_code(person.national_code)),
        "mobile": digits(mobile[:4] + "****" + mobile[-3:]) if mobile else "",
    }


def person_get(*, user: User, pk: int) -> Person:
    """A person, for staff whose jurisdiction covers one of the person's cooperatives (else DoesNotExist)."""
    if not is_staff(user):
        raise Person.DoesNotExist
    return Person.objects.for_user(user).get(pk=pk)


def officers_current(*, cooperative: Cooperative, on: datetime.date | None = None) -> QuerySet[Officer]:
    on = on or timezone.localdate()
    return cooperative.officers.select_related("person").filter(start__lte=on).order_by("role", "-end")


@dataclass
class Warning:
    code: str
    text: str


def cooperative_warnings(*, cooperative: Cooperative, today: datetime.date | None = None) -> list[Warning]:
    """What the record must flag: an expired board, no ordinary assembly in 12 months, too few members."""
    today = today or timezone.localdate()
    if cooperative.status in (Status.DISSOLVED,):
        return []
    out = []
    if cooperative.board_term_end and cooperative.board_term_end < today:
        out.append(
            Warning(
                "board_expired",
                _("The board's term ended on %(date)s.") % {"date": legal_date(cooperative.board_term_end)},
            )
        )
    last = cooperative.last_general_assembly
    if last is None or last < today - datetime.timedelta(days=365):
        out.append(
            Warning(
                "no_assembly",
                _("No ordinary general assembly has been held in the last %(months)s months.")
                % {"months": number(12)},
            )
        )
    if cooperative.members_total < LEGAL_MINIMUM_MEMBERS:
        out.append(
            Warning(
                "few_members",
                _("The number of members (%(count)s) is below the legal minimum (%(minimum)s).")
                % {"count": number(cooperative.members_total), "minimum": number(LEGAL_MINIMUM_MEMBERS)},
            )
        )
    if cooperative.capital_paid_rial > cooperative.capital_registered_rial > 0:
        out.append(
            Warning(
                "capital",
                _(
                    "The paid-up capital is more than the registered capital; a capital increase should be registered."
                ),
            )
        )
    return out


def assemblies(*, cooperative: Cooperative) -> QuerySet:
    return cooperative.assemblies.all()


def returns_status(*, user: User, fiscal_year: int, county: int | None = None) -> dict:
    """Per county: the cooperatives whose return for `fiscal_year` is missing, and those filed late.
    Dissolved cooperatives and those registered after the year are not expected to file."""
    end = fiscal_year_end(fiscal_year)
    deadline = return_deadline(fiscal_year)
    expected = (
        Cooperative.objects.for_user(user)
        .exclude(status=Status.DISSOLVED)
        .filter(Q(registration_date__isnull=True) | Q(registration_date__lte=end))
    )
    if county:
        expected = expected.filter(county_id=county)
    # jurisdiction: a subquery of `expected`, already the user's
    filed = AnnualReturn.objects.filter(cooperative=OuterRef("pk"), fiscal_year=fiscal_year)
    missing = (
        expected.filter(~Exists(filed))
        .select_related("county")
        .order_by(PersianOrder("county__name_fa"), PersianOrder("name"), "id")
    )
    late = (
        # jurisdiction: of `expected`, already the user's
        AnnualReturn.objects.filter(cooperative__in=expected, fiscal_year=fiscal_year, filed_on__gt=deadline)
        .select_related("cooperative__county")
        .order_by(PersianOrder("cooperative__county__name_fa"), "filed_on")
    )
    per_county = {
        r["county__name_fa"]: r["n"]
        for r in expected.order_by().values("county__name_fa").annotate(n=Count("id"))
    }
    return {"missing": missing, "late": late, "deadline": deadline, "expected": per_county}


def review_queue(*, user: User) -> QuerySet[Proposal]:
    return (
        Proposal.objects.for_user(user)
        .filter(status=ProposalStatus.PENDING)
        .select_related("cooperative__county", "submitted_by")
        .order_by("created_at")
    )


MEMBERS_ON_RECORD = 10


def member_sections(
    cooperative: Cooperative,
    *,
    members: int | None = MEMBERS_ON_RECORD,
    recent: int = 5,
    present: dict[str, bool] | None = None,
) -> dict:
    """What the identity record (or the portal: every member, more assemblies) shows of members and governance:
    a fixed number of queries. National codes and mobiles masked. `present`: which of "members" (memberships, former
    ones too), "officers", "assemblies" and "returns" the cooperative has (the record page asks once for all its
    sections): a part known to be empty is not read."""
    known = present or {}

    def has(part: str) -> bool:
        return known.get(part, True)

    listed = member_list(cooperative=cooperative)
    rows = (
        [(m, masked(m.person)) for m in (listed[:members] if members else listed)] if has("members") else []
    )
    return {
        "rows": rows,
        # a member listed is a membership on record: the query only when none is and it is not known
        "derived_members": known["members"]
        if "members" in known
        else bool(rows) or cooperative.memberships.exists(),
        "officers": list(officers_current(cooperative=cooperative)[:20]) if has("officers") else [],
        "assemblies": list(cooperative.assemblies.all()[:recent]) if has("assemblies") else [],
        "returns": list(cooperative.returns.all()[:recent]) if has("returns") else [],
        "warnings": cooperative_warnings(cooperative=cooperative),
        "today": timezone.localdate(),
    }


PAYLOAD_LABELS = {
    "national_code": gettext_lazy("National code"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "gender": gettext_lazy("Gender"),
    "birth_year": gettext_lazy("Birth year"),
    "mobile": gettext_lazy("Mobile"),
    "join_date": gettext_lazy("Membership date"),
    "shares": gettext_lazy("Shares"),
    "contribution_rial": gettext_lazy("Contribution (rials)"),
    "membership": gettext_lazy("Member"),
    "leave_date": gettext_lazy("Leaving date"),
    "reason": gettext_lazy("Reason"),
    "date": gettext_lazy("Date"),
    "kind": gettext_lazy("Kind"),
    "quorum_present": gettext_lazy("Quorum"),
    "attendees": gettext_lazy("Attending"),
    "decisions": gettext_lazy("Decisions"),
    "fiscal_year": gettext_lazy("Fiscal year"),
    "filed_on": gettext_lazy("Filing date"),
    "revenue_rial": gettext_lazy("Revenue (rials)"),
    # the proposal's short labels: "دارایی" where the form and the file say "دارایی‌ها"
    "assets_rial": pgettext_lazy("proposal field", "Assets (rials)"),
    "liabilities_rial": pgettext_lazy("proposal field", "Liabilities (rials)"),
    "profit_rial": gettext_lazy("Profit/loss (rials)"),
    "employees": gettext_lazy("Employees"),
    "members_year_end": gettext_lazy("Members at year end"),
    "address": gettext_lazy("Address"),
    "phone": gettext_lazy("Phone"),
    "postal_code": gettext_lazy("Postal code"),
}


def _shown(key: str, value) -> str:
    """A payload value as the reviewer reads it: labels, dates and digits in the interface's language, codes
    masked."""
    if key == "national_code" and value:
        value = mask_national_code(str(value))
    elif key == "mobile" and value:
        value = str(value)[:4] + "****" + str(value)[-3:]
    if isinstance(value, datetime.date):
        value = legal_date(value)
    elif key in DATE_KEYS and isinstance(value, str):
        # only the date fields are read as dates, and a value that is not one is shown as it is (a proposal is the
        # representative's text: it must never break the reviewers' page)
        try:
            value = legal_date(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    elif isinstance(value, bool):
        value = _("Yes") if value else _("No")
    elif key == "kind" and value:
        value = dict(AssemblyKind.choices).get(value, value)
    elif key == "gender" and value:
        value = dict(Gender.choices).get(value, value)
    if value in (None, ""):
        value = "—"
    return digits(value)


NEW = gettext_lazy("(new)")
DATE_KEYS = {"join_date", "leave_date", "date", "filed_on"}


def _current(proposal: Proposal, key: str, memberships: dict) -> str:
    """What the registry holds now for this field of the proposal ("" when the field has no current value)."""
    coop = proposal.cooperative
    if proposal.kind == ProposalKind.CONTACT and key in ("address", "phone", "postal_code"):
        return _shown(key, getattr(coop, key))
    if proposal.kind == ProposalKind.MEMBER_LEAVE:
        membership = memberships.get(proposal.payload.get("membership"))
        if key == "membership" and membership is not None:
            return _("%(person)s, a member since %(date)s") % {
                "person": membership.person,
                "date": _shown("join_date", membership.join_date),
            }
        if key == "leave_date":
            return "—"
    if proposal.kind == ProposalKind.ASSEMBLY and key == "date":
        return _("Last ordinary assembly: %(date)s") % {"date": _shown("date", coop.last_general_assembly)}
    if proposal.kind in (ProposalKind.MEMBER_JOIN, ProposalKind.RETURN):
        return str(NEW)
    return ""


def proposal_rows(proposals: list[Proposal]) -> None:
    """For each proposal, `rows`: (label, current value, proposed value, changed?) — the reviewer sees what the
    registry holds beside what is proposed. One query for all the proposals' memberships."""
    ids = [p.payload.get("membership") for p in proposals if p.kind == ProposalKind.MEMBER_LEAVE]
    # jurisdiction: the members named by proposals of the user's queue
    memberships = Membership.objects.select_related("person").in_bulk([i for i in ids if isinstance(i, int)])
    for proposal in proposals:
        rows = []
        for key, value in proposal.payload.items():
            proposed = _shown(key, value)
            if key == "membership":
                membership = memberships.get(value)
                proposed = str(membership.person) if membership else proposed
            current = _current(proposal, key, memberships)
            changed = bool(current) and current not in (proposed, str(NEW))
            rows.append((PAYLOAD_LABELS.get(key, key), current, proposed, changed))
        proposal.rows = rows


def returns_filed(*, user: User, fiscal_year: int) -> QuerySet[AnnualReturn]:
    """The returns filed for a year by the cooperatives the user may see."""
    return (
        AnnualReturn.objects.for_user(user)
        .filter(fiscal_year=fiscal_year)
        .select_related("cooperative")
        .order_by(PersianOrder("cooperative__county__name_fa"), PersianOrder("cooperative__name"), "id")
    )
