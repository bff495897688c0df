"""The service desk's writes: filing a request, its status machine, replies and notes, assignment and transfer,
the cooperator's rating. Each `(*, acting_user, ...)`, one transaction, its history row naming the user.

The status machine (TRANSITIONS): new → assigned → in progress → waiting for the cooperator (the clock pauses) →
answered → closed; a closed request reopens within TAAVON_REOPEN_DAYS days of closing."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import ensure_can_change_in, is_staff, represented_cooperative_id
from taavon.accounts.models import User
from taavon.core.concurrency import check_unchanged
from taavon.core.formatting import number
from taavon.core.transitions import check_transition
from taavon.persian import IdentifierError, jalali_year, normalize_national_code, to_ascii_digits
from taavon.places.models import County
from taavon.registry.models import Cooperative
from taavon.servicedesk.deadlines import (
    DEFAULT_FIRST_ANSWER_HOURS,
    DEFAULT_RESOLUTION_HOURS,
    add_working_minutes,
    office_calendar,
    working_minutes_between,
)
from taavon.servicedesk.models import (
    Category,
    Channel,
    DeadlinePolicy,
    Message,
    MessageKind,
    Priority,
    Request,
    RequestSequence,
    RequestStatus,
    Transfer,
)

S = RequestStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.ANSWERED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.WAITING, S.ANSWERED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING, S.ANSWERED, S.CLOSED}),
    S.WAITING: frozenset({S.IN_PROGRESS, S.ANSWERED, S.CLOSED}),
    S.ANSWERED: frozenset({S.IN_PROGRESS, S.WAITING, S.CLOSED}),
    S.CLOSED: frozenset({S.IN_PROGRESS}),  # reopened, within TAAVON_REOPEN_DAYS of closing
}
OPEN = frozenset(s for s in S.values if s != S.CLOSED)


def normalize_mobile(value: str) -> str:
    """A mobile number typed with any digits and separators (+98, 98, spaces, dashes) → 09xxxxxxxxx; a ValidationError
    when it is not one. The public lookup compares what is stored in this form."""
    value = to_ascii_digits(value or "").strip()
    for sep in (" ", "-", "(", ")", "\u200c"):
        value = value.replace(sep, "")
    if value.startswith("+98"):
        value = "0" + value[3:]
    elif value.startswith("98") and len(value) == 12:
        value = "0" + value[2:]
    if len(value) != 11 or not value.startswith("09") or not value.isdigit():
        raise ValidationError(_("A mobile number has 11 digits and starts with 09."), code="mobile")
    return value


def policy_hours(category: Category, priority: str) -> tuple[int, int]:
    """(first answer, resolution) working hours for a category and priority: its own policy, else the default row
    for the priority, else the defaults (2 and 10 working days)."""
    rows = {
        p.category_id: p
        for p in DeadlinePolicy.objects.filter(
            Q(category=category) | Q(category__isnull=True), priority=priority
        )
    }
    row = rows.get(category.pk) or rows.get(None)
    if row is None:
        return DEFAULT_FIRST_ANSWER_HOURS, DEFAULT_RESOLUTION_HOURS
    return row.first_answer_hours, row.resolution_hours


def _issue_code(on: datetime.date) -> str:
    """The next tracking code of the Jalali year: MK-1405-0042 (shown with the reader's digits)."""
    year = jalali_year(on)
    seq, _created = RequestSequence.objects.get_or_create(jalali_year=year)
    seq = RequestSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"MK-{year}-{seq.last:04d}"


def _save(request: Request, acting_user: User, reason: str = "") -> None:
    request._history_user = acting_user
    if reason:
        request._change_reason = reason
    request.full_clean()
    request.save()


def request_file(
    *,
    acting_user: User,
    channel: str,
    category: Category,
    subject: str,
    mobile: str,
    cooperative: Cooperative | None = None,
    county: County | None = None,
    requester_name: str = "",
    national_code: str = "",
    description: str = "",
    priority: str = Priority.NORMAL,
    assignee: User | None = None,
    opened_at: datetime.datetime | None = None,
) -> Request:
    """File a request: for a cooperative (its county's office answers it) or for a person not yet a member of one
    (name and mobile; the national code is validated when given, for `county`'s office). Staff file within their
    jurisdiction; a representative files for their own cooperative (channel: portal)."""
    opened_at = opened_at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        mobile = normalize_mobile(mobile)
    except ValidationError as exc:
        errors["requester_mobile"] = exc.messages
    if cooperative is not None:
        county = cooperative.county
        if is_staff(acting_user):
            ensure_can_change_in(acting_user, county)
        elif represented_cooperative_id(acting_user) != cooperative.pk:
            raise PermissionDenied(_("You may file requests for your own cooperative only."))
    elif county is None:
        errors["cooperative"] = [_("Choose the cooperative, or the county office for a person.")]
    else:
        ensure_can_change_in(acting_user, county)
        if not requester_name.strip():
            errors["requester_name"] = [_("Enter the requester's name.")]
    if national_code:
        try:
            national_code = normalize_national_code(national_code)
        except IdentifierError as exc:
            errors["requester_national_code"] = [str(exc)]
    if not category.is_active:
        errors["category"] = [_("This category is no longer in use.")]
    if assignee is not None and county is not None and not _may_answer(assignee, county):
        errors["assignee"] = [_("The assignee must be a staff member of this county office.")]
    if errors:
        raise ValidationError(errors)
    first, resolution = policy_hours(category, priority)
    calendar = office_calendar()
    local = timezone.localtime(opened_at)
    with transaction.atomic():
        request = Request(
            code=_issue_code(local.date()),
            cooperative=cooperative,
            requester_name=requester_name.strip(),
            requester_mobile=mobile,
            requester_national_code=national_code,
            channel=channel,
            category=category,
            subject=subject,
            description=description,
            county=county,
            assignee=assignee,
            priority=priority,
            status=S.ASSIGNED if assignee else S.NEW,
            opened_at=opened_at,
            filed_by=acting_user,
            first_answer_due=add_working_minutes(local, first * 60, calendar),
            resolution_due=add_working_minutes(local, resolution * 60, calendar),
        )
        _save(request, acting_user)
    return request


def _may_answer(user: User, county: County) -> bool:
    from taavon.accounts.jurisdiction import can_change_in

    return user.is_active and is_staff(user) and can_change_in(user, county)


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update().select_related("county", "category").get(pk=request.pk)


def _move(current: Request, to_status: str, now: datetime.datetime, *, same_ok: bool = True) -> None:
    """Change the status along TRANSITIONS, keeping the clock: entering «waiting» pauses it, leaving resumes it
    (the paused working minutes push the deadlines back); «answered» and «closed» stamp their times. Staying in the
    same status is nothing to do (`same_ok`) or refused."""
    if to_status == current.status and same_ok:
        return
    if current.status == S.CLOSED:
        days = settings.TAAVON_REOPEN_DAYS
        if current.closed_at and now - current.closed_at > datetime.timedelta(days=days):
            raise ValidationError(
                {"status": [_("A request reopens within %(days)s days of closing.") % {"days": number(days)}]}
            )
    check_transition(
        TRANSITIONS,
        current.status,
        to_status,
        labels=dict(S.choices),
        field="status",
        already=_("The request is already «%(label)s»."),
        refused=_("A request cannot go from «%(current)s» to «%(target)s»."),
    )
    if current.status == S.WAITING and current.paused_since:
        calendar = office_calendar()
        paused = working_minutes_between(
            timezone.localtime(current.paused_since), timezone.localtime(now), calendar
        )
        if paused:
            current.paused_minutes += paused
            current.first_answer_due = add_working_minutes(
                timezone.localtime(current.first_answer_due), paused, calendar
            )
            current.resolution_due = add_working_minutes(
                timezone.localtime(current.resolution_due), paused, calendar
            )
        current.paused_since = None
    if to_status == S.WAITING:
        current.paused_since = now
    if to_status == S.ANSWERED:
        current.answered_at = now
    if to_status == S.CLOSED:
        current.closed_at = now
    if current.status == S.CLOSED:  # reopened
        current.closed_at = None
        current.answered_at = None
        current.rating, current.rating_comment = (
            None,
            "",
        )  # the rating was of the closed answer (history keeps it)
    current.status = to_status


def request_change_status(
    *,
    acting_user: User,
    request: Request,
    to_status: str,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Request:
    """A staff member moves the request along the status machine."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(request)
        ensure_can_change_in(acting_user, current.county)
        check_unchanged(current, expected_version, "status")
        _move(current, to_status, now, same_ok=False)
        current.version += 1
        _save(current, acting_user, reason)
    return current


def request_reply(
    *,
    acting_user: User,
    request: Request,
    body: str,
    internal: bool = False,
    then: str | None = None,
    now: datetime.datetime | None = None,
) -> Message:
    """A reply to the cooperator (the first one stamps the first answer; sent by SMS through the configured
    backend after the commit) or an internal note (never shown to them). `then`: the status after the reply
    (answered, waiting for the cooperator, in progress). A closed request takes no reply."""
    now = now or timezone.now()
    if not body or not body.strip():
        raise ValidationError({"body": [_("Write the reply.")]})
    if then not in (None, S.ANSWERED, S.WAITING, S.IN_PROGRESS):
        raise ValidationError({"then": [_("After a reply the request is answered, waiting or in progress.")]})
    with transaction.atomic():
        current = _locked(request)
        ensure_can_change_in(acting_user, current.county)
        if current.status == S.CLOSED:
            raise ValidationError({"body": [_("The request is closed: reopen it before replying.")]})
        message = Message(
            request=current,
            kind=MessageKind.NOTE if internal else MessageKind.REPLY,
            body=body.strip(),
            author=acting_user,
        )
        message._history_user = acting_user
        message.full_clean()
        message.save()
        if not internal:
            if current.first_answer_at is None:
                current.first_answer_at = now
            if current.status in (S.NEW, S.ASSIGNED) and then is None:
                then = S.IN_PROGRESS
        if then:
            _move(current, then, now)
        current.version += 1
        _save(current, acting_user)
        if not internal:
            from taavon.servicedesk.sms import send_reply

            transaction.on_commit(lambda: send_reply(message))
    return message


def request_attach(*, acting_user: User, request: Request, files, message: Message | None = None) -> list:
    """Keep files with the request (or one of its messages): each already checked by its content and size
    (core.files.validate_document) by the form; staff of the request's county, or its cooperative's representative."""
    from taavon.servicedesk.models import Attachment

    if not files:
        return []
    if not (
        is_staff(acting_user)
        or (request.cooperative_id and represented_cooperative_id(acting_user) == request.cooperative_id)
    ):
        raise PermissionDenied(_("You may not add files to this request."))
    if is_staff(acting_user):
        ensure_can_change_in(acting_user, request.county)
    kept = []
    with transaction.atomic():
        for f in files:
            attachment = Attachment(
                request=request, message=message, file=f, name=(f.name or "")[:200], uploaded_by=acting_user
            )
            attachment._history_user = acting_user
            attachment.full_clean()
            attachment.save()
            kept.append(attachment)
    return kept


def request_assign(
    *, acting_user: User, request: Request, assignee: User | None, expected_version: int | None = None
) -> Request:
    """Give the request to a staff member of its county office (or take it back to unassigned)."""
    with transaction.atomic():
        current = _locked(request)
        ensure_can_change_in(acting_user, current.county)
        check_unchanged(current, expected_version, "assignee")
        if assignee is not None and not _may_answer(assignee, current.county):
            raise ValidationError(
                {"assignee": [_("The assignee must be a staff member of this county office.")]}
            )
        current.assignee = assignee
        if assignee is not None and current.status == S.NEW:
            current.status = S.ASSIGNED
        elif assignee is None and current.status == S.ASSIGNED:
            current.status = S.NEW
        current.version += 1
        _save(current, acting_user)
    return current


def request_transfer(*, acting_user: User, request: Request, to_county: County, reason: str) -> Request:
    """Move the request to another county office, with the reason; it arrives unassigned."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": [_("Say why the request moves to another office.")]})
    with transaction.atomic():
        current = _locked(request)
        ensure_can_change_in(acting_user, current.county)
        if to_county.pk == current.county_id:
            raise ValidationError({"to_county": [_("The request is already at this office.")]})
        if current.status == S.CLOSED:
            raise ValidationError({"to_county": [_("A closed request is not transferred.")]})
        transfer = Transfer(
            request=current,
            from_county=current.county,
            to_county=to_county,
            reason=reason.strip(),
            by=acting_user,
            at=timezone.now(),
        )
        transfer._history_user = acting_user
        transfer.full_clean()  # the reason is text people typed: no markup, no hidden controls
        transfer.save()
        current.county = to_county
        current.assignee = None
        if current.status == S.ASSIGNED:
            current.status = S.NEW
        current.version += 1
        _save(current, acting_user, reason.strip()[:100])
    return current


def request_rate(*, acting_user: User, request: Request, rating: int, comment: str = "") -> Request:
    """The cooperator rates the answer of a closed request of their cooperative, 1 to 5 (once)."""
    with transaction.atomic():
        current = _locked(request)
        if (
            current.cooperative_id is None
            or represented_cooperative_id(acting_user) != current.cooperative_id
        ):
            raise PermissionDenied(_("Only the cooperative's representative rates its requests."))
        if current.status != S.CLOSED:
            raise ValidationError({"rating": [_("A request is rated once it is closed.")]})
        if current.rating is not None:
            raise ValidationError({"rating": [_("This request has been rated already.")]})
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValidationError({"rating": [_("The rating is a whole number from 1 to 5.")]})
        current.rating = rating
        current.rating_comment = (comment or "").strip()
        current.version += 1
        _save(current, acting_user)
    return current


def request_cooperator_message(*, acting_user: User, request: Request, body: str) -> Message:
    """The representative writes on their cooperative's open request (the portal): a waiting request resumes."""
    if not body or not body.strip():
        raise ValidationError({"body": [_("Write the message.")]})
    with transaction.atomic():
        current = _locked(request)
        if (
            current.cooperative_id is None
            or represented_cooperative_id(acting_user) != current.cooperative_id
        ):
            raise PermissionDenied(_("Only the cooperative's representative writes on its requests."))
        if current.status == S.CLOSED:
            raise ValidationError({"body": [_("The request is closed.")]})
        message = Message(request=current, kind=MessageKind.COOPERATOR, body=body.strip(), author=acting_user)
        message._history_user = acting_user
        message.full_clean()
        message.save()
        if current.status in (S.WAITING, S.ANSWERED):
            _move(current, S.IN_PROGRESS, timezone.now())
        current.version += 1
        _save(current, acting_user)
    return message


__all__ = [
    "OPEN",
    "TRANSITIONS",
    "Channel",
    "policy_hours",
    "normalize_mobile",
    "request_assign",
    "request_attach",
    "request_change_status",
    "request_cooperator_message",
    "request_file",
    "request_rate",
    "request_reply",
    "request_transfer",
]
