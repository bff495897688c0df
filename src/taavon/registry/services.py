"""Writes to the registry. Each runs in one transaction, names its acting user and leaves an audit row
(django-simple-history for every create and edit, StatusChange for every step of the lifecycle)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from taavon.accounts.jurisdiction import ensure_can_change_in, sees_county
from taavon.accounts.models import User
from taavon.core.concurrency import check_unchanged, merge
from taavon.core.files import validate_document
from taavon.core.formatting import digits, number
from taavon.core.history import restore_from_history
from taavon.core.transitions import allowed, check_transition
from taavon.persian import jalali_year, search_key
from taavon.persian.collation import name_sort_key
from taavon.places.models import County
from taavon.registry import summary
from taavon.registry.models import Cooperative, ShenasnamehSequence, Status, StatusChange

# The lifecycle: which status may follow which. Nothing else changes Cooperative.status.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNKNOWN: frozenset({Status.ACTIVE, Status.DORMANT, Status.LIQUIDATING, Status.DISSOLVED}),
    Status.ACTIVE: frozenset({Status.DORMANT, Status.LIQUIDATING}),
    Status.DORMANT: frozenset({Status.ACTIVE, Status.LIQUIDATING}),
    Status.LIQUIDATING: frozenset({Status.ACTIVE, Status.DISSOLVED}),
    Status.DISSOLVED: frozenset(),
}

# The fields staff edit on the identity record (status and shenasnameh are not among them).
EDITABLE_FIELDS = (
    "name",
    "legal_id",
    "registration_number",
    "registration_date",
    "type",
    "sector",
    "activity",
    "membership",
    "county",
    "address",
    "postal_code",
    "phone",
    "members_women",
    "members_men",
    "founding_members",
    "capital_registered_rial",
    "capital_paid_rial",
    "board_term_end",
    "last_general_assembly",
    "notes",
)


MIN_REASON = 5  # characters of a status change's reason


def allowed_transitions(status: str) -> list[str]:
    return allowed(TRANSITIONS, status, Status.values)


def _issue_shenasnameh(county: County, on: datetime.date) -> str:
    """The next shenasnameh number of the county's province for the Jalali year of `on` (row-locked)."""
    year = jalali_year(on)
    seq, _ = ShenasnamehSequence.objects.get_or_create(province=county.province, jalali_year=year)
    seq = ShenasnamehSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{county.province.number}-{year}-{seq.last:05d}"


def cooperative_field_errors(
    coop: Cooperative, *, has_members: bool = False, today: datetime.date | None = None
) -> dict[str, list[str]]:
    """The rules across one record's fields (no uniqueness); Persian messages by field."""
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()
    if (
        coop.capital_paid_rial
        and coop.capital_registered_rial
        and coop.capital_paid_rial > coop.capital_registered_rial
        and not has_members  # from contributions: a warning on the record instead
    ):
        errors.setdefault("capital_paid_rial", []).append(
            _("Paid-up capital cannot exceed the registered capital.")
        )
    if coop.registration_date and coop.registration_date > today:
        errors.setdefault("registration_date", []).append(_("The registration date cannot be in the future."))
    if coop.last_general_assembly and coop.last_general_assembly > today:
        errors.setdefault("last_general_assembly", []).append(_("The assembly date cannot be in the future."))
    if (
        coop.registration_date
        and coop.last_general_assembly
        and coop.last_general_assembly < coop.registration_date
    ):
        errors.setdefault("last_general_assembly", []).append(
            _("The assembly date cannot be before the registration date.")
        )
    if coop.activity_id and coop.sector_id and coop.activity.sector_id != coop.sector_id:
        errors.setdefault("activity", []).append(
            _("The activity “%(activity)s” does not belong to the sector “%(sector)s”.")
            % {"activity": coop.activity, "sector": coop.sector}
        )
    return errors


def legal_id_taken_message(clash: Cooperative, user: User) -> str:
    """A legal ID already registered: the other cooperative is named only to a user who may see it; anyone else
    learns that the ID is taken and nothing about by whom or where."""
    if sees_county(user, clash.county):
        return _("This national ID is already registered to “%(name)s” (shenasnameh %(shenasnameh)s).") % {
            "name": clash.name,
            "shenasnameh": digits(clash.shenasnameh),
        }
    return _(
        "This national ID is already registered to another cooperative; contact the provincial "
        "directorate-general to look into it."
    )


def _check_rules(coop: Cooperative, user: User) -> None:
    """Rules across fields and uniqueness; raised as field errors with Persian messages."""
    errors = cooperative_field_errors(coop, has_members=bool(coop.pk and coop.memberships.exists()))
    if coop.legal_id:
        clash = (
            Cooperative.objects.filter(legal_id=coop.legal_id)
            .exclude(pk=coop.pk)
            .select_related("county")
            .first()
        )
        if clash:
            errors.setdefault("legal_id", []).append(legal_id_taken_message(clash, user))
    clash = (
        Cooperative.objects.filter(county_id=coop.county_id, name_key=coop.name_key)
        .exclude(pk=coop.pk)
        .first()
    )
    if clash:
        errors.setdefault("name", []).append(
            _(
                "A cooperative named “%(name)s” is already registered in this county (shenasnameh %(shenasnameh)s)."
            )
            % {"name": clash.name, "shenasnameh": digits(clash.shenasnameh)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cooperative_register(
    *,
    acting_user: User,
    initial_status: str = Status.ACTIVE,
    reason: str = "ثبت در سامانه",
    issued_on: datetime.date | None = None,
    **fields,
) -> Cooperative:
    """Give a cooperative its identity record: issue a shenasnameh number, validate, save, audit."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    county = fields["county"]
    ensure_can_change_in(acting_user, county)
    if initial_status not in Status.values:
        raise ValidationError({"status": [_("The status is not valid.")]})
    coop = Cooperative(**fields)
    coop.legal_id = coop.legal_id or None
    coop.name_key = search_key(coop.name)
    coop.name_sort = name_sort_key(coop.name)
    coop.status = initial_status
    coop.shenasnameh = _issue_shenasnameh(county, issued_on or timezone.localdate())
    coop.full_clean(validate_unique=False)
    _check_rules(coop, acting_user)
    if initial_status != Status.UNKNOWN:
        coop.status_changed_at = timezone.now()
    coop._history_user = acting_user
    coop._change_reason = "ثبت"
    coop.save()
    summary.counts_moved(None, coop)
    if initial_status != Status.UNKNOWN:
        StatusChange.objects.create(
            cooperative=coop,
            from_status=Status.UNKNOWN,
            to_status=initial_status,
            reason=reason,
            changed_by=acting_user,
            changed_at=coop.status_changed_at,
        )
    return coop


@transaction.atomic
def cooperative_update(
    *,
    acting_user: User,
    cooperative: Cooperative,
    reason: str = "",
    expected_version: int | None = None,
    **fields,
) -> Cooperative:
    """Edit the identity record. Status and shenasnameh cannot be changed here. expected_version: the version the
    user's form showed — what others changed since is kept, a field both changed is a ConflictError
    (core.concurrency), never a lost update."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    coop = Cooperative.objects.select_for_update().select_related("county").get(pk=cooperative.pk)
    before = summary.counts_key(coop)
    ensure_can_change_in(acting_user, coop.county)
    fields = merge(coop, expected_version, fields)
    if "county" in fields and fields["county"].pk != coop.county_id:
        ensure_can_change_in(acting_user, fields["county"])
    changed = [name for name, value in fields.items() if getattr(coop, name) != value]
    if not changed:
        return coop
    locked = set(changed) & derived_from_records(coop)
    if locked:
        raise ValidationError(
            {
                name: [
                    _(
                        "This figure is computed from the records of members, organs and assemblies and is not "
                        "changed by hand."
                    )
                ]
                for name in locked
            }
        )
    for name in changed:
        setattr(coop, name, fields[name])
    coop.legal_id = coop.legal_id or None
    coop.name_key = search_key(coop.name)
    coop.name_sort = name_sort_key(coop.name)
    coop.full_clean(validate_unique=False)
    _check_rules(coop, acting_user)
    coop.version += 1
    coop._history_user = acting_user
    coop._change_reason = reason or "ویرایش"
    coop.save()
    summary.counts_moved(before, coop)
    return coop


@transaction.atomic
def cooperative_change_status(
    *,
    acting_user: User,
    cooperative: Cooperative,
    to_status: str,
    reason: str,
    evidence: UploadedFile | None = None,
    effective_date: datetime.date | None = None,
    expected_version: int | None = None,
) -> StatusChange:
    """Move a cooperative along its lifecycle, if TRANSITIONS allows the step; record who, when, why, evidence.
    expected_version: the version the user's page showed — a status changed since is a ConflictError."""
    coop = Cooperative.objects.select_for_update().select_related("county").get(pk=cooperative.pk)
    before = summary.counts_key(coop)
    ensure_can_change_in(acting_user, coop.county)
    check_unchanged(coop, expected_version, "status")
    check_transition(
        TRANSITIONS,
        coop.status,
        to_status,
        labels=dict(Status.choices),
        field="to_status",
        already=_("This cooperative's status is already “%(label)s”."),
        refused=_("Changing the status from “%(current)s” to “%(target)s” is not allowed."),
    )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        message = ngettext(
            "Write the reason for the status change (at least %(count)s character).",
            "Write the reason for the status change (at least %(count)s characters).",
            MIN_REASON,
        )
        raise ValidationError({"reason": [message % {"count": number(MIN_REASON)}]})
    if effective_date and effective_date > timezone.localdate():
        raise ValidationError({"effective_date": [_("The effective date cannot be in the future.")]})
    validate_document(evidence, field="evidence")
    now = timezone.now()
    change = StatusChange(
        cooperative=coop,
        from_status=coop.status,
        to_status=to_status,
        reason=reason,
        changed_by=acting_user,
        changed_at=now,
        effective_date=effective_date,
    )
    if evidence is not None:
        change.evidence = evidence
    change.full_clean()
    change.save()
    coop.status = to_status
    coop.status_changed_at = now
    coop._history_user = acting_user
    coop._change_reason = f"تغییر وضعیت: {reason}"
    coop.version += 1
    coop.save(update_fields=["status", "status_changed_at", "version", "updated_at"])
    summary.counts_moved(before, coop)
    return change


DERIVED_FIELDS = (
    "members_women",
    "members_men",
    "capital_paid_rial",
    "board_term_end",
    "last_general_assembly",
)


@transaction.atomic
def cooperative_set_derived(*, acting_user: User, cooperative: Cooperative, **fields) -> Cooperative:
    """Store figures recomputed from member, organ and assembly records (called by taavon.members.services)."""
    unknown = set(fields) - set(DERIVED_FIELDS)
    if unknown:
        raise TypeError(f"not derived: {sorted(unknown)}")
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    before = summary.counts_key(coop)
    changed = [k for k, v in fields.items() if getattr(coop, k) != v]
    if not changed:
        return coop
    for k in changed:
        setattr(coop, k, fields[k])
    coop.version += 1
    coop._history_user = acting_user
    coop._change_reason = DERIVED_REASON
    coop.save(update_fields=[*changed, "version", "updated_at"])
    summary.counts_moved(before, coop)
    return coop


DERIVED_REASON = "محاسبه از سوابق اعضا، ارکان و مجامع"


def declared_before_records(cooperative: Cooperative, fields) -> dict:
    """The figures staff had declared before records first replaced them (the version before the first
    recomputation), or zeros: what the record says once the last of those records is removed (an undone import)."""
    history = cooperative.history.order_by("history_id")
    first = history.filter(history_change_reason=DERIVED_REASON).values_list("history_id", flat=True).first()
    before = history.filter(history_id__lt=first).last() if first is not None else None
    return {name: getattr(before, name) if before is not None else 0 for name in fields}


def derived_from_records(coop: Cooperative) -> set[str]:
    """The identity-record fields that come from records for this cooperative (not typed by staff)."""
    fields: set[str] = set()
    if coop.memberships.exists():
        fields |= {"members_women", "members_men", "capital_paid_rial"}
    if coop.officers.filter(role="board").exists():
        fields.add("board_term_end")
    if coop.assemblies.filter(kind="ordinary").exists():
        fields.add("last_general_assembly")
    return fields


@transaction.atomic
def cooperative_restore(
    *, acting_user: User, cooperative: Cooperative, history_id: int, reason: str
) -> Cooperative:
    """Put a record back as it was in one of its history versions (undo of an import's changes)."""
    coop = Cooperative.objects.select_for_update().select_related("county").get(pk=cooperative.pk)
    before = summary.counts_key(coop)
    ensure_can_change_in(acting_user, coop.county)
    version = restore_from_history(coop, history_id, EDITABLE_FIELDS)
    # the status goes back too, with its own StatusChange row: the undo of steps the import made (each of them was
    # an allowed step), so the reversal is recorded, not checked against TRANSITIONS
    coop.name_key = search_key(coop.name)
    coop.name_sort = name_sort_key(coop.name)
    if coop.status != version.status:
        StatusChange.objects.create(
            cooperative=coop,
            from_status=coop.status,
            to_status=version.status,
            reason=reason,
            changed_by=acting_user,
            changed_at=timezone.now(),
        )
        coop.status = version.status
        coop.status_changed_at = timezone.now()
    coop.version += 1
    coop._history_user = acting_user
    coop._change_reason = reason
    coop.save()
    summary.counts_moved(before, coop)
    return coop
