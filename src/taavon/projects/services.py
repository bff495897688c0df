"""Writes to projects: one transaction each, `acting_user` always, an audit row (history or StageChange)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taavon.accounts.jurisdiction import ensure_can_change_in
from taavon.accounts.models import User
from taavon.core.concurrency import check_unchanged, merge
from taavon.core.formatting import date as format_date
from taavon.core.history import restore_from_history
from taavon.core.transitions import allowed, check_transition
from taavon.persian import search_key
from taavon.projects import summary
from taavon.projects.models import Facility, Project, Stage, StageChange
from taavon.registry.models import Cooperative, Status

STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.STUDY: frozenset({Stage.LICENSING, Stage.CONSTRUCTION, Stage.STALLED, Stage.CANCELLED}),
    Stage.LICENSING: frozenset({Stage.STUDY, Stage.CONSTRUCTION, Stage.STALLED, Stage.CANCELLED}),
    Stage.CONSTRUCTION: frozenset({Stage.READY, Stage.STALLED, Stage.CANCELLED}),
    Stage.READY: frozenset({Stage.OPENED, Stage.CONSTRUCTION, Stage.STALLED}),
    Stage.OPENED: frozenset({Stage.STALLED}),
    Stage.STALLED: frozenset(
        {Stage.STUDY, Stage.LICENSING, Stage.CONSTRUCTION, Stage.READY, Stage.CANCELLED}
    ),
    Stage.CANCELLED: frozenset(),
}
PROJECT_FIELDS = (
    "cooperative",
    "title",
    "sector",
    "activity",
    "county",
    "investment_rial",
    "members_contribution_rial",
    "jobs_direct_planned",
    "jobs_indirect_planned",
    "jobs_women_planned",
    "jobs_direct_actual",
    "jobs_indirect_actual",
    "jobs_women_actual",
    "start_date",
    "expected_opening_date",
    "progress_percent",
    "notes",
)
FACILITY_FIELDS = (
    "bank",
    "scheme",
    "requested_rial",
    "approved_rial",
    "paid_rial",
    "requested_date",
    "approved_date",
    "paid_date",
)
CLOSED_COOPERATIVE = {Status.DISSOLVED, Status.LIQUIDATING}


def _stored_reason(message: str, *, stage: str | None = None) -> str:
    """A change reason the service writes into the audit trail: stored text, so always in the site's language
    (Persian), whoever acted and in whichever language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message)
        return text % {"stage": Stage(stage).label} if stage else text


def allowed_stages(stage: str) -> list[str]:
    return allowed(STAGE_TRANSITIONS, stage, Stage.values)


def project_validate(project: Project, *, new_cooperative: bool = True) -> None:
    """The project's rules across fields (also called by the form, so errors land on the fields)."""
    errors: dict[str, list[str]] = {}
    if project.members_contribution_rial > project.investment_rial:
        errors.setdefault("members_contribution_rial", []).append(
            _("The members' contribution cannot be more than the total investment.")
        )
    if new_cooperative and project.cooperative_id and project.cooperative.status in CLOSED_COOPERATIVE:
        errors.setdefault("cooperative", []).append(
            _("A project cannot be registered for a cooperative whose status is “%(status)s”.")
            % {"status": project.cooperative.get_status_display()}
        )
    if project.activity_id and project.activity.sector_id != project.sector_id:
        errors.setdefault("activity", []).append(
            _("The activity “%(activity)s” does not belong to the sector “%(sector)s”.")
            % {"activity": project.activity, "sector": project.sector}
        )
    if (
        project.start_date
        and project.actual_opening_date
        and project.actual_opening_date < project.start_date
    ):
        errors.setdefault("start_date", []).append(
            _("The start date cannot be after the project's opening date.")
        )
    if (
        project.start_date
        and project.expected_opening_date
        and project.expected_opening_date < project.start_date
    ):
        errors.setdefault("expected_opening_date", []).append(
            _("The expected opening date cannot be before the start date.")
        )
    for kind in ("planned", "actual"):
        women, direct = getattr(project, f"jobs_women_{kind}"), getattr(project, f"jobs_direct_{kind}")
        indirect = getattr(project, f"jobs_indirect_{kind}")
        if women is not None and women > (direct or 0) + (indirect or 0):
            errors.setdefault(f"jobs_women_{kind}", []).append(
                _("Jobs for women cannot be more than the total jobs.")
            )
    if errors:
        raise ValidationError(errors)


def facility_validate(facility: Facility) -> None:
    """The facility's rules: requested ≥ approved ≥ paid, dates in order (also called by the form)."""
    errors: dict[str, list[str]] = {}
    if facility.approved_rial > facility.requested_rial:
        errors.setdefault("approved_rial", []).append(
            _("The amount approved cannot be more than the amount requested.")
        )
    if facility.paid_rial > facility.approved_rial:
        errors.setdefault("paid_rial", []).append(
            _("The amount paid cannot be more than the amount approved.")
        )
    dates = [
        ("requested_date", facility.requested_date),
        ("approved_date", facility.approved_date),
        ("paid_date", facility.paid_date),
    ]
    known = [(n, d) for n, d in dates if d]
    for (_n1, d1), (n2, d2) in zip(known, known[1:], strict=False):
        if d2 < d1:
            errors.setdefault(n2, []).append(_("The dates must be in the order requested, approved, paid."))
    today = timezone.localdate()
    for name, d in dates:
        if d and d > today:
            errors.setdefault(name, []).append(_("The date cannot be in the future."))
    if facility.paid_rial and not facility.paid_date:
        errors.setdefault("paid_date", []).append(_("Enter the date paid for the amount paid."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, acting_user: User, **fields) -> Project:
    """Register a project (in the study stage; later stages through project_change_stage)."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    ensure_can_change_in(acting_user, fields["county"])
    coop: Cooperative = fields["cooperative"]
    ensure_can_change_in(acting_user, coop.county)
    project = Project(**fields)
    project.title_key = search_key(project.title)
    project_validate(project, new_cooperative=True)
    project.full_clean()
    project._history_user = acting_user
    project._change_reason = _stored_reason(gettext_noop("Project registered"))
    project.save()
    summary.sums_moved(None, None, after=summary.sums_key(project, facilities=False))
    return project


@transaction.atomic
def project_update(
    *, acting_user: User, project: Project, expected_version: int | None = None, **fields
) -> Project:
    """Edit a project; expected_version: the version the user's form showed (core.concurrency: what others changed
    since is kept, a field both changed is a ConflictError)."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    current = Project.objects.select_for_update().select_related("county", "cooperative").get(pk=project.pk)
    before = summary.sums_key(current)
    ensure_can_change_in(acting_user, current.county)
    fields = merge(current, expected_version, fields)
    if "county" in fields:
        ensure_can_change_in(acting_user, fields["county"])
    changed = [k for k, v in fields.items() if getattr(current, k) != v]
    if not changed:
        return current
    for k in changed:
        setattr(current, k, fields[k])
    current.title_key = search_key(current.title)
    if current.stage == Stage.OPENED:
        current.progress_percent = 100  # an opened project is complete, whatever the form says
    project_validate(current, new_cooperative="cooperative" in changed)
    current.full_clean()
    current.version += 1
    current._history_user = acting_user
    current._change_reason = _stored_reason(gettext_noop("Project edited"))
    current.save()
    summary.sums_moved(before, current)
    return current


@transaction.atomic
def project_change_stage(
    *,
    acting_user: User,
    project: Project,
    to_stage: str,
    date: datetime.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> StageChange:
    """Move a project to another stage (opening records the opening date). Allowed edges: STAGE_TRANSITIONS."""
    current = Project.objects.select_for_update().select_related("county", "cooperative").get(pk=project.pk)
    before = summary.sums_key(current)
    ensure_can_change_in(acting_user, current.county)
    check_unchanged(current, expected_version, "stage")
    today = timezone.localdate()
    date = date or today
    check_transition(
        STAGE_TRANSITIONS,
        current.stage,
        to_stage,
        labels=dict(Stage.choices),
        field="to_stage",
        already=_("The project is already at the “%(label)s” stage."),
        refused=_("Moving from the “%(current)s” stage to “%(target)s” is not allowed."),
    )
    if date > today:
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    if to_stage == Stage.OPENED and current.start_date and date < current.start_date:
        raise ValidationError({"date": [_("The opening date cannot be before the project's start date.")]})
    last = current.stage_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last and date < last:
        raise ValidationError(
            {
                "date": [
                    _("The date cannot be before the last stage change (%(date)s).")
                    % {"date": format_date(last)}
                ]
            }
        )
    change = StageChange(
        project=current,
        from_stage=current.stage,
        to_stage=to_stage,
        date=date,
        reason=(reason or "").strip(),
        changed_by=acting_user,
        changed_at=timezone.now(),
    )
    change.full_clean()
    change.save()
    current.stage = to_stage
    current.actual_opening_date = date if to_stage == Stage.OPENED else None
    if to_stage == Stage.OPENED:
        current.progress_percent = 100
    current.version += 1
    current._history_user = acting_user
    current._change_reason = _stored_reason(gettext_noop("Stage changed to %(stage)s"), stage=to_stage)
    current.save()
    summary.sums_moved(before, current)
    return change


@transaction.atomic
def facility_add(*, acting_user: User, project: Project, **fields) -> Facility:
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    ensure_can_change_in(acting_user, project.county)
    facility = Facility(project=project, **fields)
    facility_validate(facility)
    facility.full_clean()
    facility._history_user = acting_user
    facility.save()
    summary.facility_moved(None, facility)
    return facility


@transaction.atomic
def facility_update(
    *, acting_user: User, facility: Facility, expected_version: int | None = None, **fields
) -> Facility:
    current = Facility.objects.select_for_update().select_related("project__county").get(pk=facility.pk)
    before = summary.facility_key(current)
    ensure_can_change_in(acting_user, current.project.county)
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for k, v in merge(current, expected_version, fields).items():
        setattr(current, k, v)
    facility_validate(current)
    current.full_clean()
    current.version += 1
    current._history_user = acting_user
    current.save()
    summary.facility_moved(before, current)
    return current


RESTORED_FIELDS = (*PROJECT_FIELDS, "actual_opening_date")


@transaction.atomic
def project_restore(*, acting_user: User, project: Project, history_id: int, reason: str) -> Project:
    """Put a project back as it was in one of its history versions (the undo of an import's changes). A stage it
    goes back to is recorded as a StageChange with the reason: the reversal of steps that were each allowed, so not
    checked against STAGE_TRANSITIONS."""
    current = Project.objects.select_for_update().select_related("county").get(pk=project.pk)
    before = summary.sums_key(current)
    ensure_can_change_in(acting_user, current.county)
    version = restore_from_history(current, history_id, RESTORED_FIELDS)
    if version.stage != current.stage:
        StageChange.objects.create(
            project=current,
            from_stage=current.stage,
            to_stage=version.stage,
            date=timezone.localdate(),
            reason=reason,
            changed_by=acting_user,
            changed_at=timezone.now(),
        )
        current.stage = version.stage
    current.progress_percent = version.progress_percent
    current.title_key = search_key(current.title)
    current.full_clean()
    current.version += 1
    current._history_user = acting_user
    current._change_reason = reason
    current.save()
    summary.sums_moved(before, current)
    return current


@transaction.atomic
def project_delete(*, acting_user: User, project: Project, reason: str) -> None:
    """Remove a project (the undo of an import that created it); refused while it has bank facilities. Its stage
    changes go with it; its history keeps a "deleted" row with the user and the reason."""
    current = Project.objects.select_for_update().select_related("county").get(pk=project.pk)
    ensure_can_change_in(acting_user, current.county)
    if current.facilities.exists():
        raise ValidationError(
            _("The project “%(title)s” has bank facilities and cannot be deleted.") % {"title": current.title}
        )
    before = summary.sums_key(current, facilities=False)
    current._history_user = acting_user
    current._change_reason = reason
    current.delete()
    summary.sums_moved(before, None)


@transaction.atomic
def facility_restore(*, acting_user: User, facility: Facility, history_id: int, reason: str) -> Facility:
    """Put a facility's amounts and dates back as they were in one of its history versions (undo)."""
    current = Facility.objects.select_for_update().select_related("project__county").get(pk=facility.pk)
    before = summary.facility_key(current)
    ensure_can_change_in(acting_user, current.project.county)
    restore_from_history(current, history_id, FACILITY_FIELDS)
    facility_validate(current)
    current.full_clean()
    current.version += 1
    current._history_user = acting_user
    current._change_reason = reason
    current.save()
    summary.facility_moved(before, current)
    return current


@transaction.atomic
def facility_delete(*, acting_user: User, facility: Facility, reason: str) -> None:
    current = Facility.objects.select_for_update().select_related("project__county").get(pk=facility.pk)
    before = summary.facility_key(current)
    ensure_can_change_in(acting_user, current.project.county)
    current._history_user = acting_user
    current._change_reason = reason
    current.delete()
    summary.facility_moved(before, None)
