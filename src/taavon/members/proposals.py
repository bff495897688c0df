"""The portal's proposals: a representative proposes, the county's staff accept or refuse. Only an accepted
proposal changes the registry, through the same services (and audit) as staff edits."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taavon.accounts.jurisdiction import ensure_can_change_in, ensure_can_propose
from taavon.accounts.models import User
from taavon.core.files import validate_document
from taavon.members import services
from taavon.members.models import (
    AnnualReturn,
    Contribution,
    GeneralAssembly,
    Membership,
    Person,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from taavon.registry.models import Cooperative
from taavon.registry.services import cooperative_update


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@transaction.atomic
def proposal_submit(
    *,
    acting_user: User,
    kind: str,
    payload: dict,
    document: UploadedFile | None = None,
    document_field: str = "document",
) -> Proposal:
    """Record a representative's proposal for their own cooperative (the payload is already parsed by a form)."""
    cooperative_id = ensure_can_propose(acting_user)
    if kind not in ProposalKind.values:
        raise ValidationError({"kind": [_("Invalid kind of proposal.")]})
    if kind == ProposalKind.MEMBER_LEAVE:
        # jurisdiction: the representative's own cooperative
        if not Membership.objects.filter(
            pk=payload.get("membership"), cooperative_id=cooperative_id, leave_date__isnull=True
        ).exists():
            raise ValidationError(
                {"membership": [_("This person is not an active member of your cooperative.")]}
            )
    proposal_fields_check(kind, payload)
    _check(kind, payload, Cooperative.objects.for_user(acting_user).get(pk=cooperative_id))
    validate_document(document, field=document_field)
    proposal = Proposal(cooperative_id=cooperative_id, kind=kind, payload=payload, submitted_by=acting_user)
    if document is not None:
        proposal.document = document
    proposal.full_clean()
    proposal._history_user = acting_user
    proposal.save()
    return proposal


def _apply(proposal: Proposal, user: User) -> None:
    coop, p = proposal.cooperative, proposal.payload
    doc = proposal.document if proposal.document else None
    if proposal.kind == ProposalKind.CONTACT:
        cooperative_update(
            acting_user=user,
            cooperative=coop,
            reason=services.stored_text(gettext_noop("Proposal of the cooperative's representative")),
            **{k: p[k] for k in ("address", "phone", "postal_code") if k in p},
        )
    elif proposal.kind == ProposalKind.MEMBER_JOIN:
        person = services.person_register(
            acting_user=user,
            national_code=p["national_code"],
            first_name=p["first_name"],
            last_name=p["last_name"],
            gender=p["gender"],
            birth_year=p.get("birth_year"),
            mobile=p.get("mobile", ""),
        )
        services.membership_add(
            acting_user=user,
            cooperative=coop,
            person=person,
            join_date=_date(p["join_date"]),
            shares=p.get("shares") or 0,
            contribution_rial=p.get("contribution_rial") or 0,
        )
    elif proposal.kind == ProposalKind.MEMBER_LEAVE:
        # jurisdiction: the proposal's own cooperative, which the reviewer may change (_review)
        membership = Membership.objects.get(pk=p["membership"], cooperative=coop)
        services.membership_end(
            acting_user=user, membership=membership, leave_date=_date(p["leave_date"]), reason=p["reason"]
        )
    elif proposal.kind == ProposalKind.ASSEMBLY:
        services.assembly_record(
            acting_user=user,
            cooperative=coop,
            date=_date(p["date"]),
            kind=p["kind"],
            quorum_present=p.get("quorum_present", True),
            attendees=p.get("attendees"),
            decisions=p.get("decisions", ""),
            minutes=doc,
        )
    elif proposal.kind == ProposalKind.RETURN:
        services.return_file(
            acting_user=user,
            cooperative=coop,
            fiscal_year=p["fiscal_year"],
            filed_on=_date(p["filed_on"]),
            revenue_rial=p.get("revenue_rial", 0),
            assets_rial=p.get("assets_rial", 0),
            liabilities_rial=p.get("liabilities_rial", 0),
            profit_rial=p.get("profit_rial", 0),
            employees=p.get("employees", 0),
            members_year_end=p.get("members_year_end", 0),
            statements=doc,
        )


def _review(proposal: Proposal, user: User) -> Proposal:
    # jurisdiction: ensure_can_change_in just below, before anything is read from it
    proposal = Proposal.objects.select_for_update().select_related("cooperative__county").get(pk=proposal.pk)
    ensure_can_change_in(user, proposal.cooperative.county)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"status": [_("This proposal has already been reviewed.")]})
    return proposal


@transaction.atomic
def proposal_accept(*, acting_user: User, proposal: Proposal) -> Proposal:
    """Apply the proposal through the ordinary services (acting_user = the reviewer); all or nothing."""
    proposal = _review(proposal, acting_user)
    _apply(proposal, acting_user)
    proposal.status = ProposalStatus.ACCEPTED
    proposal.reviewed_by = acting_user
    proposal.reviewed_at = timezone.now()
    proposal._history_user = acting_user
    proposal.save()
    return proposal


@transaction.atomic
def proposal_refuse(*, acting_user: User, proposal: Proposal, reason: str) -> Proposal:
    proposal = _review(proposal, acting_user)
    if len((reason or "").strip()) < 3:
        raise ValidationError({"review_reason": [_("Write the reason for refusing the proposal.")]})
    proposal.status = ProposalStatus.REFUSED
    proposal.review_reason = reason.strip()
    proposal.reviewed_by = acting_user
    proposal.reviewed_at = timezone.now()
    proposal._history_user = acting_user
    proposal.save()
    return proposal


# Each proposal field is checked at submission by the rules of the record field it will become (markup, lengths,
# ranges, patterns): a proposal staff could never accept is refused to the representative at once.
PAYLOAD_FIELDS = {
    ProposalKind.CONTACT: {
        "address": (Cooperative, "address"),
        "phone": (Cooperative, "phone"),
        "postal_code": (Cooperative, "postal_code"),
    },
    ProposalKind.MEMBER_JOIN: {
        "first_name": (Person, "first_name"),
        "last_name": (Person, "last_name"),
        "birth_year": (Person, "birth_year"),
        "mobile": (Person, "mobile"),
        "shares": (Membership, "shares"),
        "contribution_rial": (Contribution, "amount_rial"),
    },
    ProposalKind.MEMBER_LEAVE: {"reason": (Membership, "leave_reason")},
    ProposalKind.ASSEMBLY: {
        "attendees": (GeneralAssembly, "attendees"),
        "decisions": (GeneralAssembly, "decisions"),
    },
    ProposalKind.RETURN: {
        name: (AnnualReturn, name)
        for name in (
            "revenue_rial",
            "assets_rial",
            "liabilities_rial",
            "profit_rial",
            "employees",
            "members_year_end",
        )
    },
}


def proposal_fields_check(kind: str, payload: dict) -> None:
    """The record fields' own rules for the proposal's values (errors keyed by the form's field names)."""
    errors: dict[str, list[str]] = {}
    for key, (model, name) in PAYLOAD_FIELDS.get(kind, {}).items():
        value = payload.get(key)
        if value in (None, "") or (key == "contribution_rial" and value == 0):
            continue
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as exc:
            errors[key] = exc.messages
    if kind == ProposalKind.MEMBER_JOIN:
        errors.update(
            services.person_name_errors(payload.get("first_name", ""), payload.get("last_name", ""))
        )
    if errors:
        raise ValidationError(errors)


def _check(kind: str, p: dict, coop: Cooperative) -> None:
    """The rules a proposal can be checked against before review (the services check everything on acceptance)."""
    if kind == ProposalKind.ASSEMBLY:
        services.assembly_check(coop, _date(p["date"]))
    elif kind == ProposalKind.RETURN:
        services.return_check(coop, p["fiscal_year"], _date(p["filed_on"]))
    elif kind == ProposalKind.MEMBER_JOIN:
        services.membership_dates_check(coop, _date(p["join_date"]))
    elif kind == ProposalKind.MEMBER_LEAVE:
        # jurisdiction: checked at submission to be a member of the representative's own cooperative
        membership = Membership.objects.get(pk=p["membership"])
        leave = _date(p["leave_date"])
        if leave < membership.join_date or leave > timezone.localdate():
            raise ValidationError(
                {"leave_date": [_("The leaving date must be between the membership date and today.")]}
            )
