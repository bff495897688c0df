"""The visits' writes: planning a visit (and reassigning or cancelling it), the inspector's report with its findings,
action items and photos (sent once or many times from a phone: the device's id makes a retry harmless), closing a
finding, an action's status, and an action made a service-desk request. Each `(*, acting_user, ...)`, one
transaction, its history row naming the user.

Rules: a visit is planned and reported within the acting user's jurisdiction (its cooperative's county); inspectors
are that county's staff marked as inspectors; an action is not due before its visit; a finding closes only when its
actions are done (or cancelled), with a note of the result."""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from taavon.accounts.jurisdiction import can_change_in, changers_q, ensure_can_change_in, inspectors_q
from taavon.accounts.models import User
from taavon.core.concurrency import check_unchanged, describe
from taavon.core.formatting import date as show_date
from taavon.core.formatting import number
from taavon.core.transitions import check_transition
from taavon.registry.models import Cooperative
from taavon.visits.models import (
    ACTION_OPEN,
    Action,
    ActionStatus,
    Finding,
    FindingCategory,
    FindingStatus,
    Owner,
    Photo,
    Purpose,
    Severity,
    UnitState,
    Visit,
    VisitStatus,
)
from taavon.visits.photos import check_photo

A = ActionStatus
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.OPEN: frozenset({A.IN_PROGRESS, A.DONE, A.CANCELLED}),
    A.IN_PROGRESS: frozenset({A.OPEN, A.DONE, A.CANCELLED}),
    A.DONE: frozenset({A.IN_PROGRESS}),  # reopened: the result did not hold
    A.CANCELLED: frozenset({A.OPEN}),
}
MAX_FINDINGS = 30
MAX_ACTIONS = 10
MAX_PHOTOS = 8


def _save(obj, acting_user: User, reason: str = "") -> None:
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save()


def _check_inspectors(cooperative: Cooperative, inspectors) -> list[User]:
    inspectors = list(inspectors or [])
    if not inspectors:
        raise ValidationError({"inspectors": [_("Choose at least one inspector.")]})
    allowed = set(
        User.objects.filter(
            inspectors_q(cooperative.county_id), pk__in=[u.pk for u in inspectors]
        ).values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in inspectors):
        raise ValidationError(
            {"inspectors": [_("An inspector must be a field inspector of the cooperative's county office.")]}
        )
    return inspectors


PLAN_AHEAD_DAYS = 366


def _plan_day_errors(
    cooperative: Cooperative, planned_on, today: datetime.date, *, moving: Visit | None = None
) -> list[str]:
    """Why a visit cannot be planned for that day: none given, a day past, more than a year ahead, or the
    cooperative already has a visit planned that day."""
    if planned_on is None:
        return [_("Give the day of the visit.")]
    if planned_on < today:
        return [_("A visit is planned for today or a later day.")]
    if planned_on > today + datetime.timedelta(days=PLAN_AHEAD_DAYS):
        return [_("A visit is planned at most a year ahead.")]
    same_day = Visit.objects.filter(
        cooperative=cooperative, planned_on=planned_on, status=VisitStatus.PLANNED
    )
    if moving is not None:
        same_day = same_day.exclude(pk=moving.pk)
    if same_day.exists():
        return [_("A visit to this cooperative is already planned for that day.")]
    return []


def visit_plan(
    *,
    acting_user: User,
    cooperative: Cooperative,
    planned_on: datetime.date,
    purpose: Purpose,
    inspectors,
    plan_note: str = "",
    today: datetime.date | None = None,
) -> Visit:
    """Put a visit in the plan: a cooperative of the acting user's jurisdiction, a day from `today` (the day the plan
    is made: today, or a day of the demo's past) to a year ahead, a purpose, its inspectors."""
    ensure_can_change_in(acting_user, cooperative.county)
    errors = {}
    if not purpose.is_active:
        errors["purpose"] = [_("This purpose is no longer in use.")]
    day_errors = _plan_day_errors(cooperative, planned_on, today or timezone.localdate())
    if day_errors:
        errors["planned_on"] = day_errors
    try:
        inspectors = _check_inspectors(cooperative, inspectors)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit(
            cooperative=cooperative,
            county=cooperative.county,
            purpose=purpose,
            planned_on=planned_on,
            plan_note=plan_note.strip(),
            planned_by=acting_user,
        )
        _save(visit, acting_user)
        visit.inspectors.set(inspectors)
    return visit


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("county", "cooperative").get(pk=visit.pk)


def visit_replan(
    *,
    acting_user: User,
    visit: Visit,
    planned_on: datetime.date,
    inspectors,
    plan_note: str | None = None,
    version: int | None = None,
) -> Visit:
    """Move a planned visit to another day or other inspectors (a device that cached the old plan learns of it as a
    conflict when it sends its report)."""
    ensure_can_change_in(acting_user, visit.county)
    with transaction.atomic():
        current = _locked(visit)
        check_unchanged(current, version, "status")
        if current.status != VisitStatus.PLANNED:
            raise ValidationError(_("Only a planned visit can be moved."))
        day_errors = _plan_day_errors(current.cooperative, planned_on, timezone.localdate(), moving=current)
        if day_errors:
            raise ValidationError({"planned_on": day_errors})
        inspectors = _check_inspectors(current.cooperative, inspectors)
        current.planned_on = planned_on
        if plan_note is not None:
            current.plan_note = plan_note.strip()
        current.version += 1
        _save(current, acting_user, _("Visit moved or reassigned"))
        current.inspectors.set(inspectors)
    return current


def visit_cancel(*, acting_user: User, visit: Visit, reason: str, version: int | None = None) -> Visit:
    ensure_can_change_in(acting_user, visit.county)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the visit is cancelled.")]})
    with transaction.atomic():
        current = _locked(visit)
        check_unchanged(current, version, "status")
        if current.status != VisitStatus.PLANNED:
            raise ValidationError(_("Only a planned visit can be cancelled."))
        current.status = VisitStatus.CANCELLED
        current.version += 1
        _save(current, acting_user, reason.strip())
    return current


# --- the report --------------------------------------------------------------------------------------------------


@dataclass
class FindingInput:
    category: str
    severity: str
    description: str
    actions: list[dict] = field(default_factory=list)


@dataclass
class ReportResult:
    visit: Visit
    created: bool  # False: the same report was received before (a retry)
    conflict: str = ""  # what changed on the server while the report waited on the device


def _decimal(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None


def _int(value, name: str, errors: dict, *, maximum: int = 5000):
    if value in (None, ""):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        errors[name] = [_("Enter a whole number.")]
        return None
    if n < 0 or n > maximum:
        errors[name] = [_("Enter a number from 0 to %(max)s.") % {"max": number(maximum)}]
        return None
    return n


def _clean_findings(findings, visited_on, errors: dict, officers: dict) -> list[FindingInput]:
    out = []
    if len(findings) > MAX_FINDINGS:
        errors["findings"] = [_("At most %(n)s findings in one report.") % {"n": number(MAX_FINDINGS)}]
        return out
    for i, f in enumerate(findings):
        prefix = f"findings.{i}"
        if not isinstance(f, dict):
            errors[prefix] = [_("Describe what was found.")]
            continue
        category = (f.get("category") or "").strip()
        severity = (f.get("severity") or "").strip()
        description = (f.get("description") or "").strip()
        if category not in FindingCategory.values:
            errors[f"{prefix}.category"] = [_("Choose the finding's category.")]
        if severity not in Severity.values:
            errors[f"{prefix}.severity"] = [_("Choose the finding's severity.")]
        if not description:
            errors[f"{prefix}.description"] = [_("Describe what was found.")]
        actions = list(f.get("actions") or [])
        if len(actions) > MAX_ACTIONS:
            errors[f"{prefix}.actions"] = [
                _("At most %(n)s actions for one finding.") % {"n": number(MAX_ACTIONS)}
            ]
            actions = []
        for j, a in enumerate(actions):
            if not isinstance(a, dict):
                errors[f"{prefix}.actions.{j}"] = [_("Say what is to be done.")]
                continue
            _clean_action(a, visited_on, errors, f"{prefix}.actions.{j}", officers)
        out.append(FindingInput(category, severity, description, actions))
    return out


def _clean_action(a: dict, visited_on, errors: dict, prefix: str, officers: dict) -> None:
    """Check an action's fields in place (a dict of the report): `what`, `owner`, `officer` (id), `agency`, `due_on`."""
    if not (a.get("what") or "").strip():
        errors[f"{prefix}.what"] = [_("Say what is to be done.")]
    a["officer"] = _officer_id(a.get("officer"))
    owner = a.get("owner") or ""
    if owner not in Owner.values:
        errors[f"{prefix}.owner"] = [_("Say who does it.")]
    elif owner == Owner.OFFICER and a.get("officer") not in officers:
        errors[f"{prefix}.officer"] = [_("Choose an officer of the county office.")]
    elif owner == Owner.AGENCY and not (a.get("agency") or "").strip():
        errors[f"{prefix}.agency"] = [_("Name the agency.")]
    due = a.get("due_on")
    if isinstance(due, str):
        try:
            due = datetime.date.fromisoformat(due)
        except ValueError:
            due = None
    if not isinstance(due, datetime.date):
        errors[f"{prefix}.due_on"] = [_("Give the due date.")]
    elif visited_on and due < visited_on:
        errors[f"{prefix}.due_on"] = [
            _("An action cannot be due before its visit (%(date)s).") % {"date": show_date(visited_on)}
        ]
    a["due_on"] = due


def _officer_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _officers(county, findings) -> dict:
    """The officers the report's actions name who may own an action in the county ({id: User})."""
    ids = set()
    for f in findings if isinstance(findings, list) else []:
        for a in (f.get("actions") or []) if isinstance(f, dict) else []:
            if isinstance(a, dict) and _officer_id(a.get("officer")) is not None:
                ids.add(_officer_id(a.get("officer")))
    if not ids:
        return {}
    found = User.objects.filter(changers_q(county), pk__in=ids)
    return {u.pk: u for u in found if can_change_in(u, county)}


def _digest(payload: dict, photo_digests: list[str]) -> str:
    """The report's content as one hash: the same report sent again has the same one."""
    canonical = json.dumps({"report": payload, "photos": photo_digests}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _coop_changes(cooperative: Cooperative, seen_version: int | None) -> list[str]:
    """The fields of the cooperative's record changed since the version the device cached (their labels)."""
    if seen_version is None or seen_version == cooperative.version:
        return []
    base = cooperative.history.filter(version=seen_version).order_by("-history_id").first()
    if base is None:
        return [str(_("the record"))]
    labels = []
    for f in Cooperative._meta.concrete_fields:
        if f.name in {"version", "updated_at", "created_at", "name_key", "status_changed_at"}:
            continue
        if getattr(base, f.attname, None) != getattr(cooperative, f.attname):
            labels.append(str(f.verbose_name))
    return labels


def _visit_conflict(visit: Visit, acting_user: User, seen_version: int | None) -> str:
    """Why the planned visit the report answers can no longer take it ("" when it can)."""
    if visit.status == VisitStatus.CANCELLED:
        return _("The planned visit of %(date)s was cancelled while this report waited on the device.") % {
            "date": show_date(visit.planned_on)
        }
    if visit.status == VisitStatus.REPORTED:
        return _("The planned visit of %(date)s was reported by someone else meanwhile.") % {
            "date": show_date(visit.planned_on)
        }
    inspectors = list(visit.inspectors.all())
    if seen_version is not None and seen_version != visit.version and acting_user not in inspectors:
        return _(
            "The planned visit of %(date)s was reassigned to %(who)s while this report waited on the device."
        ) % {
            "date": show_date(visit.planned_on),
            "who": "، ".join(str(u) for u in inspectors) or "—",
        }
    return ""


def visit_report(
    *,
    acting_user: User,
    cooperative: Cooperative,
    visited_on: datetime.date,
    unit_state: str,
    visit: Visit | None = None,
    workers_women=None,
    workers_men=None,
    latitude=None,
    longitude=None,
    accuracy=None,
    summary: str = "",
    findings: list[dict] | None = None,
    photos: list | None = None,
    client_id: str | uuid.UUID | None = None,
    seen_cooperative_version: int | None = None,
    seen_visit_version: int | None = None,
) -> ReportResult:
    """Receive a visit's report: the planned `visit` it answers (or none: a visit not in the plan), what was found,
    its findings (each with its actions: dicts of what, owner, officer id, agency, due_on) and photos.

    Sent again with the same `client_id` and the same content: the visit received before, nothing written. The same
    id with other content: refused. A planned visit cancelled, reported or reassigned meanwhile: the report is kept
    as a visit of its own, marked with the conflict to review; the cooperative's record changed meanwhile: the
    report is kept, marked with the fields that changed. Nothing of it is lost, nothing half-written."""
    ensure_can_change_in(acting_user, cooperative.county)
    if visit is not None and visit.cooperative_id != cooperative.pk:
        raise ValidationError({"visit": [_("The planned visit is of another cooperative.")]})
    errors: dict[str, list[str]] = {}
    if client_id not in (None, ""):
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError:
            errors["client_id"] = [_("The report's id is not valid.")]
    else:
        client_id = None
    today = timezone.localdate()
    if not isinstance(visited_on, datetime.date):
        errors["visited_on"] = [_("Give the day of the visit.")]
        visited_on = None
    elif visited_on > today:
        errors["visited_on"] = [_("A visit cannot be reported before its day.")]
    if unit_state not in UnitState.values:
        errors["unit_state"] = [_("Say whether the unit was operating.")]
    women = _int(workers_women, "workers_women", errors)
    men = _int(workers_men, "workers_men", errors)
    lat = _decimal(latitude, "latitude", errors)
    lon = _decimal(longitude, "longitude", errors)
    if lat is not None and not -90 <= lat <= 90:
        errors["latitude"] = [
            _("A latitude is between %(low)s and %(high)s.") % {"low": number(-90), "high": number(90)}
        ]
    if lon is not None and not -180 <= lon <= 180:
        errors["longitude"] = [
            _("A longitude is between %(low)s and %(high)s.") % {"low": number(-180), "high": number(180)}
        ]
    acc = _int(accuracy, "accuracy", errors, maximum=100000) if accuracy not in (None, "") else None
    officers = _officers(cooperative.county, findings)
    if findings is not None and not isinstance(findings, list):
        errors["findings"] = [_("Describe what was found.")]
        findings = []
    cleaned = _clean_findings(list(findings or []), visited_on, errors, officers)
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s photos in one report.") % {"n": number(MAX_PHOTOS)}]
    photo_info = []
    for i, upload in enumerate(photos[:MAX_PHOTOS]):
        try:
            photo_info.append(check_photo(upload))
        except ValidationError as exc:
            errors[f"photos.{i}"] = exc.messages
    if errors:
        raise ValidationError(errors)

    payload = {
        "cooperative": cooperative.pk,
        "visit": visit.pk if visit else None,
        "visited_on": visited_on.isoformat(),
        "unit_state": unit_state,
        "workers": [women, men],
        "location": [str(lat) if lat is not None else None, str(lon) if lon is not None else None],
        "summary": (summary or "").strip(),
        "findings": [
            {
                "category": f.category,
                "severity": f.severity,
                "description": f.description,
                "actions": [
                    {
                        "what": (a.get("what") or "").strip(),
                        "owner": a.get("owner"),
                        "officer": a.get("officer") if a.get("owner") == Owner.OFFICER else None,
                        "agency": (a.get("agency") or "").strip() if a.get("owner") == Owner.AGENCY else "",
                        "due_on": a["due_on"].isoformat(),
                    }
                    for a in f.actions
                ],
            }
            for f in cleaned
        ],
    }
    digest = _digest(payload, [p.digest for p in photo_info])

    if client_id is not None:
        seen = _received(client_id, digest, acting_user)
        if seen is not None:
            return seen
    try:
        with transaction.atomic():
            return _write_report(
                acting_user=acting_user,
                cooperative=cooperative,
                visit=visit,
                payload=payload,
                cleaned=cleaned,
                photo_info=photo_info,
                officers=officers,
                client_id=client_id,
                digest=digest,
                values={
                    "visited_on": visited_on,
                    "unit_state": unit_state,
                    "workers_women": women,
                    "workers_men": men,
                    "latitude": lat,
                    "longitude": lon,
                    "location_accuracy_m": acc,
                    "summary": payload["summary"],
                },
                seen_cooperative_version=seen_cooperative_version,
                seen_visit_version=seen_visit_version,
            )
    except IntegrityError:
        # the same report arrived twice at once: the other request wrote it
        if client_id is not None:
            seen = _received(client_id, digest, acting_user)
            if seen is not None:
                return seen
        raise


def _received(client_id: uuid.UUID, digest: str, acting_user: User) -> ReportResult | None:
    """The visit a report with this device id made before (None: never received)."""
    before = Visit.objects.filter(client_id=client_id).first()
    if before is None:
        return None
    if before.client_digest != digest or before.reported_by_id != acting_user.pk:
        raise ValidationError(
            {
                "client_id": [
                    ValidationError(
                        _(
                            "A different report with the same id was received before; this one was not saved. "
                            "Send it as a new report."
                        ),
                        code="client_id_reused",
                    )
                ]
            }
        )
    return ReportResult(before, created=False, conflict=before.conflict)


def _write_report(
    *,
    acting_user,
    cooperative,
    visit,
    payload,
    cleaned,
    photo_info,
    officers,
    client_id,
    digest,
    values,
    seen_cooperative_version,
    seen_visit_version,
) -> ReportResult:
    conflicts = []
    target = None
    if visit is not None:
        current = _locked(visit)
        why = _visit_conflict(current, acting_user, seen_visit_version)
        if why:
            conflicts.append(why + " " + _("The report is kept as a visit of its own."))
        else:
            target = current
    changed = _coop_changes(cooperative, seen_cooperative_version)
    if changed:
        conflicts.append(
            _("The cooperative's record changed while this report waited on the device: %(fields)s.")
            % {"fields": "، ".join(changed)}
        )
    if target is None:
        purpose = visit.purpose if visit is not None else Purpose.objects.get(code="routine")
        target = Visit(cooperative=cooperative, county=cooperative.county, purpose=purpose, planned_on=None)
        target.inspectors_to_set = [acting_user]
    else:
        target.version += 1
    for name, value in values.items():
        setattr(target, name, value)
    target.status = VisitStatus.REPORTED
    target.reported_by = acting_user
    target.reported_at = timezone.now()
    target.client_id = client_id
    target.client_digest = digest if client_id else ""
    target.conflict = "\n".join(conflicts)
    with transaction.atomic():  # a savepoint: a concurrent twice-sent report fails here alone
        _save(target, acting_user, _("Report received"))
    if getattr(target, "inspectors_to_set", None):
        target.inspectors.set(target.inspectors_to_set)
    elif not target.inspectors.filter(pk=acting_user.pk).exists() and acting_user.role == "county":
        target.inspectors.add(acting_user)
    for f in cleaned:
        finding = Finding(
            visit=target,
            category=f.category,
            severity=f.severity,
            description=f.description,
            opened_on=target.visited_on,
        )
        _save(finding, acting_user)
        for a in f.actions:
            action = Action(
                finding=finding,
                what=a["what"].strip(),
                owner=a["owner"],
                officer=officers.get(a.get("officer")) if a["owner"] == Owner.OFFICER else None,
                agency=(a.get("agency") or "").strip() if a["owner"] == Owner.AGENCY else "",
                due_on=a["due_on"],
                created_by=acting_user,
            )
            _save(action, acting_user)
    for info in photo_info:
        photo = Photo(visit=target, width=info.width, height=info.height, uploaded_by=acting_user, caption="")
        photo.file.save(info.name, info.content, save=False)
        _save(photo, acting_user)
    return ReportResult(target, created=True, conflict=target.conflict)


def visit_conflict_reviewed(*, acting_user: User, visit: Visit, version: int | None = None) -> Visit:
    """The conflict of a report that waited on a device has been looked at: the mark goes."""
    ensure_can_change_in(acting_user, visit.county)
    with transaction.atomic():
        current = _locked(visit)
        check_unchanged(current, version, "conflict")
        if not current.conflict:
            return current
        current.conflict = ""
        current.version += 1
        _save(current, acting_user, _("Conflict reviewed"))
    return current


# --- findings and actions ----------------------------------------------------------------------------------------


def finding_add(
    *, acting_user: User, visit: Visit, category: str, severity: str, description: str
) -> Finding:
    """A finding added to a reported visit from the office (the report forgot it)."""
    ensure_can_change_in(acting_user, visit.county)
    if visit.status != VisitStatus.REPORTED:
        raise ValidationError(_("Findings are added to a reported visit."))
    with transaction.atomic():
        finding = Finding(
            visit=visit,
            category=category,
            severity=severity,
            description=(description or "").strip(),
            opened_on=visit.visited_on,
        )
        _save(finding, acting_user)
    return finding


def _locked_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().select_related("visit", "visit__county").get(pk=finding.pk)


def finding_close(
    *,
    acting_user: User,
    finding: Finding,
    result: str,
    closed_on: datetime.date | None = None,
    version: int | None = None,
) -> Finding:
    """Close a finding with a note of its result: refused while any of its actions is still open."""
    ensure_can_change_in(acting_user, finding.visit.county)
    closed_on = closed_on or timezone.localdate()
    with transaction.atomic():
        current = _locked_finding(finding)
        check_unchanged(current, version, "status")
        if current.status == FindingStatus.CLOSED:
            raise ValidationError({"result": [_("This finding is closed already.")]})
        errors = {}
        still = current.actions.filter(status__in=ACTION_OPEN).count()
        if still:
            errors["result"] = [
                ngettext(
                    "%(count)s of its actions is still open: a finding closes when its actions are done or "
                    "cancelled.",
                    "%(count)s of its actions are still open: a finding closes when its actions are done or "
                    "cancelled.",
                    still,
                )
                % {"count": number(still)}
            ]
        if not (result or "").strip():
            errors.setdefault("result", []).append(_("Write the result: what was done, what changed."))
        if closed_on < current.opened_on:
            errors["closed_on"] = [_("A finding cannot close before its visit.")]
        if errors:
            raise ValidationError(errors)
        current.status = FindingStatus.CLOSED
        current.closed_on = closed_on
        current.closed_by = acting_user
        current.result = result.strip()
        current.version += 1
        _save(current, acting_user, _("Finding closed"))
    return current


def finding_reopen(
    *, acting_user: User, finding: Finding, reason: str, version: int | None = None
) -> Finding:
    """The problem came back (a re-visit saw it): the finding is open again."""
    ensure_can_change_in(acting_user, finding.visit.county)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the finding is opened again.")]})
    with transaction.atomic():
        current = _locked_finding(finding)
        check_unchanged(current, version, "status")
        if current.status != FindingStatus.CLOSED:
            raise ValidationError({"reason": [_("This finding is open.")]})
        current.status = FindingStatus.OPEN
        current.closed_on = None
        current.closed_by = None
        current.result = ""
        current.version += 1
        _save(current, acting_user, reason.strip())
    return current


def action_add(
    *,
    acting_user: User,
    finding: Finding,
    what: str,
    owner: str,
    due_on: datetime.date,
    officer: User | None = None,
    agency: str = "",
) -> Action:
    """An action item for a finding. Not due before the visit; an officer must work in the visit's county."""
    ensure_can_change_in(acting_user, finding.visit.county)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("The finding is closed; open it again to add an action."))
    errors: dict = {}
    officers = {officer.pk: officer} if officer and can_change_in(officer, finding.visit.county) else {}
    data = {
        "what": what,
        "owner": owner,
        "officer": officer.pk if officer else None,
        "agency": agency,
        "due_on": due_on,
    }
    _clean_action(data, finding.visit.visited_on, errors, "", officers)
    if errors:
        raise ValidationError({k.lstrip("."): v for k, v in errors.items()})
    with transaction.atomic():
        action = Action(
            finding=finding,
            what=what.strip(),
            owner=owner,
            officer=officer if owner == Owner.OFFICER else None,
            agency=agency.strip() if owner == Owner.AGENCY else "",
            due_on=data["due_on"],
            created_by=acting_user,
        )
        _save(action, acting_user)
    return action


def _locked_action(action: Action) -> Action:
    return (
        Action.objects.select_for_update()
        .select_related("finding", "finding__visit", "finding__visit__county")
        .get(pk=action.pk)
    )


def action_set_status(
    *,
    acting_user: User,
    action: Action,
    status: str,
    note: str = "",
    done_on: datetime.date | None = None,
    version: int | None = None,
) -> Action:
    """Move an action along ACTION_TRANSITIONS; «done» is dated (today unless given) and wants a note."""
    ensure_can_change_in(acting_user, action.finding.visit.county)
    with transaction.atomic():
        current = _locked_action(action)
        check_unchanged(current, version, "status")
        check_transition(
            ACTION_TRANSITIONS,
            current.status,
            status,
            labels=dict(ActionStatus.choices),
            field="status",
            already=_("The action is «%(label)s» already."),
            refused=_("An action cannot go from «%(current)s» to «%(target)s»."),
        )
        if current.finding.status == FindingStatus.CLOSED:
            raise ValidationError({"status": [_("The finding is closed; open it again first.")]})
        if status == A.DONE:
            done_on = done_on or timezone.localdate()
            if not (note or "").strip():
                raise ValidationError({"note": [_("Write what was done.")]})
            if current.finding.visit.visited_on and done_on < current.finding.visit.visited_on:
                raise ValidationError({"done_on": [_("An action cannot be done before its visit.")]})
            if done_on > timezone.localdate():
                raise ValidationError(
                    {"done_on": [_("An action is marked done on the day it was done, not later.")]}
                )
            current.done_on = done_on
        else:
            current.done_on = None
        if (note or "").strip():
            current.note = note.strip()
        current.status = status
        current.version += 1
        _save(current, acting_user, describe(Action._meta.get_field("status"), status))
    return current


def action_request_text(action: Action) -> str:
    """What the cooperative reads of an action made a request (the portal shows it): the action and its visit's day,
    never the inspector's finding (that stays an internal note)."""
    return _("From the field visit of %(date)s: %(what)s") % {
        "date": show_date(action.finding.visit.visited_on),
        "what": action.what,
    }


def action_to_request(
    *,
    acting_user: User,
    action: Action,
    category,
    mobile: str,
    subject: str = "",
    description: str | None = None,
    priority: str = "normal",
) -> Action:
    """Make an action a service-desk request of the cooperative (its county's desk carries it on, within its
    deadlines). The cooperative reads the subject and `description` in its portal (default: the action and its
    visit's day); the finding the action answers is added as an internal note, never shown to them. The action is
    «in progress» and links to the request."""
    from taavon.servicedesk.models import Channel
    from taavon.servicedesk.services import request_file, request_reply

    ensure_can_change_in(acting_user, action.finding.visit.county)
    with transaction.atomic():
        current = _locked_action(action)
        if current.request_id is not None:
            raise ValidationError(_("This action is a service desk request already."))
        if current.status not in ACTION_OPEN:
            raise ValidationError(_("Only an open action can become a request."))
        finding = current.finding
        visit = finding.visit
        request = request_file(
            acting_user=acting_user,
            channel=Channel.VISIT,
            category=category,
            subject=(subject.strip() or current.what)[:200],
            mobile=mobile,
            cooperative=visit.cooperative,
            description=action_request_text(current) if description is None else description.strip(),
            priority=priority,
        )
        request_reply(
            acting_user=acting_user,
            request=request,
            internal=True,
            body=_(
                "The field visit's finding (not shown to the cooperative) — %(category)s, %(severity)s: %(finding)s"
            )
            % {
                "category": finding.get_category_display(),
                "severity": finding.get_severity_display(),
                "finding": finding.description,
            },
        )
        request.refresh_from_db()
        current.request = request
        current.status = A.IN_PROGRESS
        current.version += 1
        _save(current, acting_user, _("Sent to the service desk as %(code)s") % {"code": request.code})
    return current


def photo_limit_mb() -> int:
    return settings.TAAVON_VISIT_PHOTO_MAX_BYTES // (1024 * 1024)
