"""Cooperative Week's writes: an event of the programme (added, changed, removed), the projects an opening opens, the
exhibition, its booths and its visitors per day. Each `(*, acting_user, ...)`, one transaction, its history row
naming the user.

Who changes what: a county's event, the staff of that county who change records (and the province's, and
administrators); a province's event (no county), the province's own staff (provincial officers of that province)
and administrators — a county office reads the province's programme but does not change it. The exhibition is the
province's, and so are its booths and its visitors."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import can_change_in, can_run_province
from taavon.accounts.models import User
from taavon.core.concurrency import merge
from taavon.core.formatting import date as show_date
from taavon.events.models import Booth, Event, EventKind, Exhibition, VisitorCount
from taavon.persian import jalali_year
from taavon.places.models import County, Province
from taavon.projects.models import Project, Stage
from taavon.registry.models import Cooperative

OPENABLE = (Stage.READY, Stage.OPENED)
EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "organiser", "county", "description")


def _save(obj, acting_user: User, reason: str = "") -> None:
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save()


def can_change_province(user, province: Province) -> bool:
    """The province's own programme: administrators, and provincial staff of that province (not its county offices):
    accounts.jurisdiction.can_run_province decides."""
    return can_run_province(user, province.pk)


def can_change_event(user, event: Event) -> bool:
    if event.county_id:
        return can_change_in(user, event.county)
    return can_change_province(user, event.province)


def _ensure_can_change_event(user, province: Province, county: County | None) -> None:
    allowed = can_change_in(user, county) if county is not None else can_change_province(user, province)
    if not allowed:
        raise PermissionDenied(_("You may not change this event."))


def _ensure_can_change_province(user, province: Province) -> None:
    if not can_change_province(user, province):
        raise PermissionDenied(_("The exhibition is run by the province's staff."))


def _event_errors(*, starts_at, ends_at, province: Province, county: County | None) -> dict:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = [_("Give the day and time the event starts.")]
    elif ends_at is not None and ends_at < starts_at:
        errors["ends_at"] = [_("An event cannot end before it starts.")]
    if county is not None and county.province_id != province.pk:
        errors["county"] = [_("The county must be one of the event's province.")]
    return errors


def event_add(
    *,
    acting_user: User,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    province: Province,
    county: County | None = None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    organiser: str = "",
    description: str = "",
) -> Event:
    """An event of the programme; its Jalali year is its start's."""
    _ensure_can_change_event(acting_user, province, county)
    errors = _event_errors(starts_at=starts_at, ends_at=ends_at, province=province, county=county)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = Event(
            year=jalali_year(timezone.localtime(starts_at).date()),
            kind=kind,
            title=(title or "").strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            place=(place or "").strip(),
            organiser=(organiser or "").strip(),
            province=province,
            county=county,
            description=(description or "").strip(),
            created_by=acting_user,
        )
        _save(event, acting_user)
    return event


def event_update(*, acting_user: User, event: Event, version: int | None = None, **fields) -> Event:
    """Change an event (the fields of EVENT_FIELDS); a county's event moved to another county must stay the acting
    user's. An opening no longer an opening lists no project."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update: unknown fields {sorted(unknown)}")
    _ensure_can_change_event(acting_user, event.province, event.county)
    with transaction.atomic():
        current = (
            Event.objects.select_for_update(of=("self",))
            .select_related("province", "county")
            .get(pk=event.pk)
        )
        for name in ("title", "place", "organiser", "description"):
            if name in fields:
                fields[name] = (fields[name] or "").strip()
        apply = merge(current, version, fields)
        for name, value in apply.items():
            setattr(current, name, value)
        _ensure_can_change_event(acting_user, current.province, current.county)
        errors = _event_errors(
            starts_at=current.starts_at,
            ends_at=current.ends_at,
            province=current.province,
            county=current.county,
        )
        if errors:
            raise ValidationError(errors)
        current.year = jalali_year(timezone.localtime(current.starts_at).date())
        current.version += 1
        _save(current, acting_user)
        if current.kind != EventKind.OPENING and current.projects.exists():
            current.projects.clear()
        elif current.county_id and current.projects.exclude(county_id=current.county_id).exists():
            current.projects.remove(*current.projects.exclude(county_id=current.county_id))
    return current


def event_delete(*, acting_user: User, event: Event) -> None:
    _ensure_can_change_event(acting_user, event.province, event.county)
    with transaction.atomic():
        event._history_user = acting_user
        event.delete()


def event_set_projects(*, acting_user: User, event: Event, projects) -> Event:
    """The projects an opening opens: projects of its county (of its province, for a province's opening) that the
    acting user sees, opened or ready to open. The list replaces the one before."""
    _ensure_can_change_event(acting_user, event.province, event.county)
    if event.kind != EventKind.OPENING:
        raise ValidationError({"projects": [_("Only a project opening lists the projects it opens.")]})
    ids = {p.pk if isinstance(p, Project) else int(p) for p in projects}
    found = {
        p.pk: p for p in Project.objects.for_user(acting_user).filter(pk__in=ids).select_related("county")
    }
    errors = []
    if ids - set(found):
        errors.append(_("A project you chose is not one you can see."))
    for p in sorted(found.values(), key=lambda p: p.pk):
        if event.county_id and p.county_id != event.county_id:
            errors.append(
                _("«%(project)s» is a project of %(county)s County, not of this event's county.")
                % {"project": p.title, "county": p.county.name}
            )
        elif not event.county_id and p.county.province_id != event.province_id:
            errors.append(
                _("«%(project)s» is not a project of this event's province.") % {"project": p.title}
            )
        elif p.stage not in OPENABLE:
            errors.append(
                _(
                    "«%(project)s» is %(stage)s: only a project opened or ready to open can be opened at an event."
                )
                % {"project": p.title, "stage": p.get_stage_display()}
            )
    if errors:
        raise ValidationError({"projects": errors})
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        current.version += 1
        _save(current, acting_user, _("Projects opened set"))
        current.projects.set(list(found.values()))
    return current


# --- the exhibition ----------------------------------------------------------------------------------------------


def exhibition_add(
    *,
    acting_user: User,
    province: Province,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    place: str = "",
) -> Exhibition:
    """The year's exhibition of the province (one a year); its Jalali year is its first day's."""
    _ensure_can_change_province(acting_user, province)
    errors = {}
    if starts_on is None:
        errors["starts_on"] = [_("Give the exhibition's first day.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the exhibition's last day.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    if not errors:
        year = jalali_year(starts_on)
        if Exhibition.objects.filter(province=province, year=year).exists():
            errors["starts_on"] = [_("The province already has its exhibition this year.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        exhibition = Exhibition(
            year=jalali_year(starts_on),
            title=(title or "").strip(),
            province=province,
            place=(place or "").strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=acting_user,
        )
        _save(exhibition, acting_user)
    return exhibition


def booth_add(
    *, acting_user: User, exhibition: Exhibition, number: str, cooperative: Cooperative, products: str
) -> Booth:
    """A cooperative's booth: a cooperative of the exhibition's province, once per exhibition; booth numbers unique."""
    _ensure_can_change_province(acting_user, exhibition.province)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = [_("Give the booth's number.")]
    elif Booth.objects.filter(exhibition=exhibition, number=number).exists():
        errors["number"] = [_("Booth %(number)s is already taken.") % {"number": number}]
    if cooperative.county.province_id != exhibition.province_id:
        errors["cooperative"] = [_("The cooperative must be one of the exhibition's province.")]
    elif Booth.objects.filter(exhibition=exhibition, cooperative=cooperative).exists():
        errors["cooperative"] = [_("This cooperative already has a booth at the exhibition.")]
    if not (products or "").strip():
        errors["products"] = [_("Name the products the cooperative shows.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        booth = Booth(
            exhibition=exhibition, number=number, cooperative=cooperative, products=products.strip()
        )
        _save(booth, acting_user)
    return booth


def booth_remove(*, acting_user: User, booth: Booth) -> None:
    _ensure_can_change_province(acting_user, booth.exhibition.province)
    with transaction.atomic():
        booth._history_user = acting_user
        booth.delete()


def visitors_record(
    *, acting_user: User, exhibition: Exhibition, date: datetime.date, visitors: int
) -> VisitorCount:
    """The visitors of one day of the exhibition (recorded again: the count replaces the one before)."""
    _ensure_can_change_province(acting_user, exhibition.province)
    errors = {}
    if date is None:
        errors["date"] = [_("Give the day.")]
    elif not exhibition.starts_on <= date <= exhibition.ends_on:
        errors["date"] = [
            _("The exhibition is open from %(start)s to %(end)s; %(day)s is not one of its days.")
            % {
                "start": show_date(exhibition.starts_on),
                "end": show_date(exhibition.ends_on),
                "day": show_date(date),
            }
        ]
    if visitors is None or visitors < 0:
        errors["visitors"] = [_("Give the number of visitors (zero or more).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        count = VisitorCount.objects.select_for_update().filter(
            exhibition=exhibition, date=date
        ).first() or VisitorCount(exhibition=exhibition, date=date)
        count.visitors = visitors
        _save(count, acting_user)
    return count
