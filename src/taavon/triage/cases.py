"""Writes to cases: opening, assigning, steps, the summons letter, the decision, and the revival plan's commitments.

One transaction each, `acting_user` always, history rows naming the user and the reason. Jurisdiction through
accounts.jurisdiction (`ensure_can_change_in`); a cooperative's status changes only through the registry's status
service, along its lifecycle (registry.services.TRANSITIONS), with the case as its evidence. A refused decision
saves nothing: the status change and the case's rows are one transaction.

Members' records (assemblies, board elections, returns) are read through core.contributions.FACTS: triage does not
import members.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taavon.accounts.jurisdiction import can_change_in, ensure_can_change_in, is_staff
from taavon.accounts.models import User
from taavon.core.concurrency import check_unchanged, merge
from taavon.core.contributions import FACTS
from taavon.core.files import validate_document
from taavon.core.formatting import date as show_date
from taavon.registry.models import Cooperative, Status
from taavon.registry.services import TRANSITIONS, cooperative_change_status
from taavon.triage.models import (
    Case,
    CaseStatus,
    CaseStep,
    Channel,
    Commitment,
    CommitmentKind,
    Flag,
    Outcome,
    StepKind,
)

CLOSED = (Status.LIQUIDATING, Status.DISSOLVED)
MAX_DEADLINE_YEARS = 5  # a case's or a commitment's deadline further away is a typing mistake
REASON_CHARS = 2000  # a status change's reason (registry.StatusChange.reason)


def stored_text(message: str, **values) -> str:
    """Text a service writes into the records (a change reason, a step's note, a status change's reason): stored,
    so in the site's language (Persian) whoever acted and in whichever language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message)
        return text % values if values else text


def _save(obj, acting_user: User, reason: str) -> None:
    obj._history_user = acting_user
    obj._change_reason = reason
    obj.full_clean()
    obj.save()


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("cooperative__county__province").get(pk=case.pk)


def _today() -> datetime.date:
    return timezone.localdate()


def _far(day: datetime.date, today: datetime.date) -> bool:
    return day > today + datetime.timedelta(days=366 * MAX_DEADLINE_YEARS)


def may_be_assigned(user: User | None, cooperative: Cooperative) -> bool:
    """A case is assigned to staff who may change the records of the cooperative's county: its county officers, the
    province's staff, an administrator."""
    return user is not None and is_staff(user) and can_change_in(user, cooperative.county)


def _assignment_errors(cooperative: Cooperative, assigned_to: User | None, deadline, today) -> dict:
    errors: dict[str, list[str]] = {}
    if not may_be_assigned(assigned_to, cooperative):
        errors["assigned_to"] = [
            _("A case is assigned to a staff member who may change the records of the cooperative's county.")
        ]
    if deadline is None:
        errors["deadline"] = [_("Set the case's deadline.")]
    elif deadline < today:
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    elif _far(deadline, today):
        errors["deadline"] = [
            _("The deadline is more than %(years)s years away; check the date.")
            % {"years": MAX_DEADLINE_YEARS}
        ]
    return errors


def _one_open_case_message() -> str:
    return _("This cooperative already has an open case; carry it on instead of opening another.")


# --- opening and assigning -------------------------------------------------------------------------------------------


def case_open(
    *,
    acting_user: User,
    cooperative: Cooperative,
    assigned_to: User | None,
    deadline: datetime.date | None,
    reason: str,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case on a cooperative (from its flags or by hand), assigned to an officer with a deadline. Refused:
    outside the user's county (PermissionDenied), a second open case, a deadline in the past, an assignee who may
    not change the county's records, a cooperative already in liquidation or dissolved.

    opened_on: when the case was opened, if earlier than today (a case opened on paper, entered now; the demo's);
    never in the future."""
    ensure_can_change_in(acting_user, cooperative.county)
    today = _today()
    opened_on = opened_on or today
    with transaction.atomic():
        coop = Cooperative.objects.select_for_update().select_related("county").get(pk=cooperative.pk)
        errors = _assignment_errors(coop, assigned_to, deadline, today)
        if opened_on > today:
            errors["opened_on"] = [_("The date cannot be in the future.")]
        if coop.status in CLOSED:
            errors["cooperative"] = [
                _("A case cannot be opened for a cooperative whose status is “%(status)s”.")
                % {"status": coop.get_status_display()}
            ]
        elif Case.objects.filter(cooperative=coop, status=CaseStatus.OPEN).exists():
            errors["cooperative"] = [_one_open_case_message()]
        if not (reason or "").strip():
            errors["reason"] = [_("Write why the case is opened.")]
        if errors:
            raise ValidationError(errors)
        flags = sorted(set(Flag.objects.raised().filter(cooperative=coop).values_list("rule", flat=True)))
        case = Case(
            cooperative=coop,
            opened_on=opened_on,
            opened_by=acting_user,
            reason=reason.strip(),
            flags_at_opening=flags,
            assigned_to=assigned_to,
            deadline=deadline,
        )
        case.full_clean(validate_constraints=False)  # one open case: the database's constraint, just below
        case._history_user = acting_user
        case._change_reason = stored_text(gettext_noop("Case opened"))
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as exc:  # another officer opened one meanwhile
            raise ValidationError({"cooperative": [_one_open_case_message()]}) from exc
    return case


def _ensure_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case has been decided; it cannot be changed."))


@transaction.atomic
def case_assign(
    *,
    acting_user: User,
    case: Case,
    assigned_to: User | None,
    deadline: datetime.date | None,
    expected_version: int | None = None,
) -> Case:
    """Assign the case to another officer, or give it a new deadline."""
    current = _locked(case)
    ensure_can_change_in(acting_user, current.cooperative.county)
    _ensure_open(current)
    errors = _assignment_errors(current.cooperative, assigned_to, deadline, _today())
    if errors:
        raise ValidationError(errors)
    fields = merge(current, expected_version, {"assigned_to": assigned_to, "deadline": deadline})
    changed = [k for k, v in fields.items() if getattr(current, k) != v]
    if not changed:
        return current
    for k in changed:
        setattr(current, k, fields[k])
    current.version += 1
    _save(current, acting_user, stored_text(gettext_noop("Case assigned")))
    return current


# --- steps -----------------------------------------------------------------------------------------------------------


def _step_date_errors(case: Case, date: datetime.date | None, today: datetime.date) -> list[str]:
    if date is None:
        return [_("Enter the date of the step.")]
    if date < case.opened_on:
        return [
            _("The step cannot be dated before the case was opened (%(date)s).")
            % {"date": show_date(case.opened_on)}
        ]
    if date > today:
        return [_("The date cannot be in the future.")]
    return []


@transaction.atomic
def case_step_add(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    date: datetime.date | None,
    channel: str = "",
    reached: bool | None = None,
    note: str = "",
    document: UploadedFile | File | None = None,
) -> CaseStep:
    """Record a dated step of an open case: a contact attempt (its channel, and whether the board was reached), a
    summons letter, a meeting, documents received."""
    current = _locked(case)
    ensure_can_change_in(acting_user, current.cooperative.county)
    _ensure_open(current)
    errors: dict[str, list[str]] = {}
    if kind not in StepKind.values:
        errors["kind"] = [_("Choose the kind of step.")]
    date_errors = _step_date_errors(current, date, _today())
    if date_errors:
        errors["date"] = date_errors
    if kind == StepKind.CONTACT:
        if channel not in Channel.values:
            errors["channel"] = [_("Say how the contact was attempted (phone, letter, visit).")]
        if reached is None:
            errors["reached"] = [_("Say whether the board was reached.")]
    else:
        channel, reached = "", None
    if kind == StepKind.DOCUMENTS and document is None and not (note or "").strip():
        errors["document"] = [_("Attach the documents received, or describe them in the note.")]
    try:
        validate_document(document, field="document")
    except ValidationError as exc:
        _add(errors, exc)
    if errors:
        raise ValidationError(errors)
    step = CaseStep(
        case=current,
        kind=kind,
        date=date,
        channel=channel or "",
        reached=reached,
        note=(note or "").strip(),
        recorded_by=acting_user,
    )
    if document is not None:
        step.document = document
    _save(step, acting_user, stored_text(gettext_noop("Case step recorded")))
    return step


@dataclass(frozen=True)
class Meeting:
    """The meeting a summons letter calls the board to."""

    date: datetime.date
    time: str
    place: str


def latest_meeting(case: Case) -> CaseStep | None:
    """The case's latest meeting step (its date and note suggest the next summons' meeting)."""
    return case.steps.filter(kind=StepKind.MEETING).order_by("-date", "-id").first()


def summons_issue(
    *, acting_user: User, case: Case, meeting: Meeting, date: datetime.date | None = None
) -> CaseStep:
    """Issue the summons letter: the PDF (triage.letters) is made and kept as the document of a "summons" step, so it
    can be downloaded again as it was sent. The meeting cannot be before the letter."""
    from taavon.triage.letters import summons_pdf

    date = date or _today()
    ensure_can_change_in(acting_user, case.cooperative.county)
    errors: dict[str, list[str]] = {}
    if meeting.date is None:
        errors["meeting_date"] = [_("Enter the date of the meeting.")]
    elif meeting.date < date:
        errors["meeting_date"] = [_("The meeting cannot be before the letter's date.")]
    if not (meeting.place or "").strip():
        errors["meeting_place"] = [_("Enter where the meeting is held.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(case)
        _ensure_open(current)
        pdf = summons_pdf(case=current, meeting=meeting, officer=acting_user, issued_on=date)
        with translation.override(settings.LANGUAGE_CODE):
            when = show_date(meeting.date)
        note = (
            stored_text(
                gettext_noop("Summoned to a meeting on %(date)s at %(time)s, %(place)s"),
                date=when,
                time=meeting.time.strip(),
                place=meeting.place.strip(),
            )
            if meeting.time.strip()
            else stored_text(
                gettext_noop("Summoned to a meeting on %(date)s, %(place)s"),
                date=when,
                place=meeting.place.strip(),
            )
        )
        return case_step_add(
            acting_user=acting_user,
            case=current,
            kind=StepKind.SUMMONS,
            date=date,
            note=note,
            document=ContentFile(pdf, name="summons.pdf"),
        )


# --- the decision ----------------------------------------------------------------------------------------------------

# the status each outcome moves the cooperative to (None: no change)
OUTCOME_STATUS = {
    Outcome.REVIVED: Status.ACTIVE,
    Outcome.NOT_DORMANT: Status.ACTIVE,
    Outcome.MERGED: Status.LIQUIDATING,
    Outcome.LIQUIDATION: Status.LIQUIDATING,
    Outcome.DISSOLVED: Status.DISSOLVED,
}
OUTCOME_REASON = {
    Outcome.REVIVED: gettext_noop("Settled: revived, with a revival plan (case %(case)s)"),
    Outcome.NOT_DORMANT: gettext_noop("Settled: not dormant after all (case %(case)s)"),
    Outcome.MERGED: gettext_noop("Settled: merged into “%(other)s” (case %(case)s)"),
    Outcome.LIQUIDATION: gettext_noop("Settled: referred to liquidation (case %(case)s)"),
    Outcome.DISSOLVED: gettext_noop("Settled: dissolved (case %(case)s)"),
}


def target_status(outcome: str, current: str) -> str | None:
    """The status an outcome moves a cooperative of status `current` to; None when it stays as it is (already
    there; "not dormant after all" moves only a dormant or unknown one)."""
    target = OUTCOME_STATUS.get(outcome)
    if target == current:
        return None  # the decision records what the status says already (put in liquidation meanwhile, say)
    if outcome == Outcome.NOT_DORMANT and current not in (Status.DORMANT, Status.UNKNOWN):
        return None
    return target


def _plan_errors(
    plan, decided_on: datetime.date, today: datetime.date
) -> tuple[dict, list[tuple[str, datetime.date]]]:
    errors: dict[str, list[str]] = {}
    items: list[tuple[str, datetime.date]] = []
    seen = set()
    for item in plan or []:
        kind, deadline = (item["kind"], item.get("deadline")) if isinstance(item, dict) else item
        if kind not in CommitmentKind.values or deadline is None:
            continue
        field = f"plan_{kind}"
        if kind in seen:
            errors.setdefault(field, []).append(_("Each commitment appears once in the plan."))
            continue
        seen.add(kind)
        if deadline < today or deadline < decided_on:
            errors.setdefault(field, []).append(_("A commitment's deadline cannot be in the past."))
        elif _far(deadline, today):
            errors.setdefault(field, []).append(
                _("The deadline is more than %(years)s years away; check the date.")
                % {"years": MAX_DEADLINE_YEARS}
            )
        items.append((kind, deadline))
    if not items and not errors:
        errors["plan"] = [
            _("A revival plan needs at least one commitment (assembly, board, return) with its deadline.")
        ]
    return errors, items


def _status_evidence(evidence, step: CaseStep | None):
    """The file the status change keeps as its evidence: the decision's document, else the referenced step's."""
    if evidence is not None:
        evidence.seek(0)
        return evidence
    if step is not None and step.document:
        step.document.open("rb")
        content = step.document.read()
        step.document.close()
        name = step.document.name.rsplit("/", 1)[-1]
        return ContentFile(content, name=name)
    return None


@transaction.atomic
def case_decide(
    *,
    acting_user: User,
    case: Case,
    outcome: str,
    decided_on: datetime.date | None,
    note: str,
    evidence: UploadedFile | CaseStep | None = None,
    evidence_step: CaseStep | None = None,
    merged_into: Cooperative | None = None,
    plan: Iterable[tuple[str, datetime.date | None]] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Decide the case. The decision rests on evidence (a document, or a step of the case); the outcome moves the
    cooperative's status through the registry's status service along its lifecycle (revived / not dormant: active;
    merged, liquidation: in liquidation — a merged one with the merger as its reason; dissolved: only from
    liquidation). A forbidden step of the lifecycle is refused with its message and nothing is saved.

    evidence: an uploaded document (or a CaseStep of the case, as `evidence_step`). plan: the revival plan,
    (kind, deadline) pairs or {"kind", "deadline"} dicts — at least one, none in the past. merged_into: the
    cooperative it merges into (in the user's jurisdiction, not itself, not closed). expected_version: the case's
    version the decision form showed (a case decided meanwhile is a ConflictError)."""
    if isinstance(evidence, CaseStep):  # the evidence named as a step of the case
        evidence, evidence_step = None, evidence
    current = _locked(case)
    coop = current.cooperative
    ensure_can_change_in(acting_user, coop.county)
    check_unchanged(current, expected_version, "status")
    _ensure_open(current)
    today = _today()
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome.")]})
    if decided_on is None:
        errors["decided_on"] = [_("Enter the date of the decision.")]
    elif decided_on < current.opened_on:
        errors["decided_on"] = [
            _("The decision cannot be dated before the case was opened (%(date)s).")
            % {"date": show_date(current.opened_on)}
        ]
    elif decided_on > today:
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if evidence_step is not None and evidence_step.case_id != current.pk:
        errors["evidence_step"] = [_("Choose a step of this case.")]
        evidence_step = None
    if evidence is None and evidence_step is None:
        errors["evidence"] = [
            _("A decision needs its evidence: attach a document or choose the step of the case it rests on.")
        ]
    try:
        validate_document(evidence, field="evidence")
    except ValidationError as exc:
        _add(errors, exc)
    if not (note or "").strip():
        errors["note"] = [_("Write the grounds of the decision.")]
    items: list[tuple[str, datetime.date]] = []
    if outcome == Outcome.REVIVED:
        plan_errors, items = _plan_errors(plan, decided_on or today, today)
        for k, v in plan_errors.items():
            errors.setdefault(k, []).extend(v)
    other = None
    if outcome == Outcome.MERGED:
        other = _merge_target_check(acting_user, coop, merged_into, errors)
    if outcome == Outcome.DISSOLVED and coop.status != Status.LIQUIDATING:
        errors["outcome"] = [
            _(
                "A cooperative is dissolved only after its liquidation; its status is “%(status)s”. Refer it to "
                "liquidation first."
            )
            % {"status": coop.get_status_display()}
        ]
    target = target_status(outcome, coop.status)
    if target is not None and "outcome" not in errors and target not in TRANSITIONS.get(coop.status, ()):
        errors["outcome"] = [
            _(
                "This outcome would change the status from “%(current)s” to “%(target)s”, which is not allowed."
            )
            % {"current": coop.get_status_display(), "target": Status(target).label}
        ]
    if errors:
        raise ValidationError(errors)

    reason = (
        stored_text(OUTCOME_REASON[outcome], case=current.pk, other=other.name if other is not None else "")
        + " — "
        + note.strip()
    )[:REASON_CHARS]
    if target is not None:
        _change_status(
            acting_user=acting_user,
            cooperative=coop,
            to_status=target,
            reason=reason,
            evidence=_status_evidence(evidence, evidence_step),
            effective_date=decided_on,
        )
    current.status = CaseStatus.DECIDED
    current.outcome = outcome
    current.decided_on = decided_on
    current.decided_by = acting_user
    current.decision_note = note.strip()
    current.evidence_step = evidence_step
    current.merged_into = other
    if evidence is not None:
        evidence.seek(0)
        current.evidence = evidence
    current.version += 1
    _save(current, acting_user, stored_text(gettext_noop("Case decided")))
    for kind, deadline in items:
        _save(
            Commitment(case=current, kind=kind, deadline=deadline),
            acting_user,
            stored_text(gettext_noop("Revival plan")),
        )
    if items:
        commitments_refresh(acting_user=acting_user, case=current)
    return current


def _merge_target_check(acting_user: User, coop: Cooperative, merged_into, errors: dict):
    if merged_into is None:
        errors["merged_into"] = [_("Name the cooperative it merges into.")]
        return None
    # jurisdiction: the cooperative merged into must be one the user sees (else it is "not found", never named)
    other = Cooperative.objects.for_user(acting_user).filter(pk=merged_into.pk).first()
    if other is None:
        errors["merged_into"] = [_("No cooperative with this shenasnameh number in your jurisdiction.")]
        return None
    if other.pk == coop.pk:
        errors["merged_into"] = [_("A cooperative cannot merge into itself.")]
        return None
    if other.status in CLOSED:
        errors["merged_into"] = [
            _("A cooperative cannot merge into one whose status is “%(status)s”.")
            % {"status": other.get_status_display()}
        ]
        return None
    return other


# the status service's fields → the decision form's
STATUS_FIELDS = {
    "to_status": "outcome",
    "reason": "note",
    "effective_date": "decided_on",
    "evidence": "evidence",
}


def _change_status(**kwargs) -> None:
    """The registry's status service; its refusal (a step the lifecycle forbids, a status changed meanwhile) lands
    on the decision's fields, and rolls the whole decision back."""
    try:
        cooperative_change_status(**kwargs)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        _add(errors, exc, STATUS_FIELDS, default="outcome")
        raise ValidationError(errors) from exc


def _add(errors: dict, exc: ValidationError, fields: dict | None = None, default: str = "__all__") -> None:
    """A ValidationError's messages added to `errors` (field names renamed by `fields`)."""
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            name = (fields or {}).get(field, field if fields is None else default)
            errors.setdefault(name, []).extend(m for e in items for m in e.messages)
    else:
        errors.setdefault(default, []).extend(exc.messages)


# --- the revival plan's commitments ----------------------------------------------------------------------------------


def _fulfilling_dates(kind: str, cooperative_ids) -> dict[int, list[datetime.date]]:
    """The dates of the records that fulfil a commitment of this kind, per cooperative (FACTS of the same kind:
    assemblies held, board terms starting, returns filed)."""
    out: dict[int, list[datetime.date]] = {}
    for fact in FACTS.values():
        if fact.kind != kind:
            continue
        for row in fact.rows(cooperative_ids):
            day = row[-1]
            if isinstance(day, datetime.datetime):
                day = day.date()
            if day:
                out.setdefault(row[0], []).append(day)
    return out


def _refresh(acting_user: User | None, commitments) -> int:
    pending = list(commitments.select_related("case"))
    if not pending:
        return 0
    coop_ids = sorted({c.case.cooperative_id for c in pending})
    by_kind = {kind: _fulfilling_dates(kind, coop_ids) for kind in sorted({c.kind for c in pending})}
    reason = stored_text(gettext_noop("Commitment fulfilled by the record that arrived"))
    closed = 0
    for commitment in pending:
        plan_made = commitment.case.decided_on or commitment.created_at.date()
        dates = [
            d for d in by_kind[commitment.kind].get(commitment.case.cooperative_id, []) if d >= plan_made
        ]
        if not dates:
            continue
        commitment.fulfilled_on = min(dates)
        commitment._history_user = acting_user
        commitment._change_reason = reason
        commitment.save(update_fields=["fulfilled_on", "updated_at"])
        closed += 1
    return closed


@transaction.atomic
def commitments_refresh(*, acting_user: User | None, case: Case) -> int:
    """Close the case's pending commitments whose matching record has arrived since the plan was made (an ordinary
    general assembly held, a board elected, a return filed on or after the decision). Returns how many closed."""
    return _refresh(acting_user, Commitment.objects.filter(case=case, fulfilled_on__isnull=True))


@transaction.atomic
def commitments_refresh_all(*, acting_user: User | None) -> int:
    """Every revival plan's pending commitments (the nightly run's last step)."""
    return _refresh(
        acting_user,
        # jurisdiction: the nightly run over every plan, as the scheduler's system user
        Commitment.objects.filter(fulfilled_on__isnull=True, case__outcome=Outcome.REVIVED),
    )


# --- a field visit for the case ---------------------------------------------------------------------------------------


@transaction.atomic
def case_plan_visit(
    *, acting_user: User, case: Case, planned_on: datetime.date | None, inspectors, note: str = ""
) -> CaseStep:
    """Plan a field visit to the case's cooperative (purpose «dormancy case») and record it as the case's step — a
    contact attempt by visit, linked to the visit (whose page then shows what it found). One transaction: no visit
    without its step, no step without its visit."""
    from taavon.visits.models import Purpose
    from taavon.visits.services import visit_plan

    current = _locked(case)
    ensure_can_change_in(acting_user, current.cooperative.county)
    _ensure_open(current)
    today = _today()
    errors: dict[str, list[str]] = {}
    # the day (not past, not a year ahead, not a second visit that day) is visits.services.visit_plan's to check
    purpose = Purpose.objects.filter(code="dormancy_case").first()
    if purpose is None:
        errors["__all__"] = [_("The visit purpose «dormancy case» is missing; an administrator restores it.")]
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    visit = visit_plan(
        acting_user=acting_user,
        cooperative=current.cooperative,
        planned_on=planned_on,
        purpose=purpose,
        inspectors=inspectors,
        plan_note=note[:300],
        today=today,
    )
    step = CaseStep(
        case=current,
        kind=StepKind.CONTACT,
        date=today,
        channel=Channel.VISIT,
        reached=None,  # not yet: the visit's report says what was found
        note=note,
        visit=visit,
        recorded_by=acting_user,
    )
    _save(step, acting_user, stored_text(gettext_noop("Field visit planned")))
    return step
