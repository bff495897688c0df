"""Writes to members, organs, assemblies, returns and proposals. One transaction each, `acting_user` always,
audit rows through django-simple-history; the cooperative's derived figures are recomputed in the same transaction."""

import datetime
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taavon.accounts.jurisdiction import can_change, ensure_can_change_in, is_own_work, scope_of, sees_county
from taavon.accounts.models import User
from taavon.core.files import validate_document
from taavon.core.formatting import digits, legal_date
from taavon.members.models import (
    AnnualReturn,
    AssemblyKind,
    Contribution,
    Gender,
    GeneralAssembly,
    Membership,
    Officer,
    OfficeRole,
    Person,
    PersonalDataDownload,
)
from taavon.persian import (
    IdentifierError,
    jalali_year,
    normalize_national_code,
    search_key,
    to_gregorian,
)
from taavon.registry.models import Cooperative
from taavon.registry.services import cooperative_set_derived, declared_before_records

HOUSING_SECTOR = "housing"
security_log = logging.getLogger("taavon.security")


def stored_text(message: str) -> str:
    """A change reason or a note that a service writes into the records (message marked with gettext_noop): stored
    text, so always in the site's language (Persian), whoever acted and in whichever language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message)


def _save(obj, acting_user: User, reason: str = "") -> None:
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.save()


def refresh_cooperative_figures(*, acting_user: User, cooperative: Cooperative) -> Cooperative:
    """Recompute the cooperative's member counts, paid-up capital, board term end and last ordinary assembly
    from the records (only those kinds of records that exist), so there is no second copy to drift."""
    derived = {}
    open_ = Q(leave_date__isnull=True)
    counts = cooperative.memberships.aggregate(
        total=Count("id"),
        women=Count("id", filter=open_ & Q(person__gender=Gender.FEMALE)),
        men=Count("id", filter=open_ & Q(person__gender=Gender.MALE)),
    )
    if counts["total"]:
        capital = Contribution.objects.filter(
            membership__cooperative=cooperative, membership__leave_date__isnull=True
        ).aggregate(s=Sum("amount_rial"))["s"]
        derived.update(
            members_women=counts["women"], members_men=counts["men"], capital_paid_rial=capital or 0
        )
    board = cooperative.officers.filter(role=OfficeRole.BOARD).aggregate(
        n=Count("id"), end=Max("end", filter=Q(start__lte=timezone.localdate()))
    )
    if board["n"]:
        derived["board_term_end"] = board["end"]
    ordinary = cooperative.assemblies.filter(kind=AssemblyKind.ORDINARY).aggregate(
        n=Count("id"), last=Max("date")
    )
    if ordinary["n"]:
        derived["last_general_assembly"] = ordinary["last"]
    if derived:
        return cooperative_set_derived(acting_user=acting_user, cooperative=cooperative, **derived)
    return cooperative


def person_mismatch(existing: Person, *, first_name: str, last_name: str, gender: str, user: User) -> str:
    """A message when a name or gender given with a national code is not the registered person's ("" when
    they agree): a typo in a code must not attach a row to somebody else. The registered name is told only to a
    user who can see the person (a membership or office in their jurisdiction); anyone else gets a message that
    reveals nothing of the person, so that a national code is never an oracle for a name."""
    given = search_key(f"{first_name} {last_name}")
    # no name (or a name of dots and dashes) or no gender is not "agreeing": it would attach anything to the code
    if given == existing.name_key and gender == existing.gender and _has_letters(given):
        return ""
    if Person.objects.for_user(user).filter(pk=existing.pk).exists():
        return _(
            "This national code is registered to “%(person)s” (%(gender)s); check the name or the national code."
        ) % {"person": existing, "gender": existing.get_gender_display()}
    # a trail for the provincial office: many of these from one user is somebody probing codes
    security_log.warning("national code refused for another name (user %s)", getattr(user, "pk", None))
    return _(
        "The name or gender given with this national code does not match the code's earlier registration; check "
        "the national code and the name. If they are right, the provincial directorate-general will look into the "
        "mismatch."
    )


def _has_letters(key: str) -> bool:
    return bool(re.search(r"[^\W\d_]", key))


def person_name_errors(first_name: str, last_name: str) -> dict[str, list[str]]:
    """A person's name must have letters (a name of dots, dashes or digits is refused)."""
    errors = {}
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if not _has_letters(search_key(value or "")):
            errors[field] = [_("A name must have letters.")]
    return errors


@transaction.atomic
def person_register(
    *,
    acting_user: User,
    national_code: str,
    first_name: str,
    last_name: str,
    gender: str,
    birth_year: int | None = None,
    mobile: str = "",
) -> Person:
    """The person with this national code (created when new). Invalid codes are refused, never stored."""
    try:
        code = normalize_national_code(national_code)
    except IdentifierError as exc:
        raise ValidationError({"national_code": [str(exc)]}) from exc
    name_errors = person_name_errors(first_name, last_name)
    if name_errors:
        raise ValidationError(name_errors)
    existing = Person.objects.filter(national_code=code).first()
    if existing:
        mismatch = person_mismatch(
            existing, first_name=first_name, last_name=last_name, gender=gender, user=acting_user
        )
        if mismatch:
            raise ValidationError({"national_code": [mismatch]})
        return existing
    person = Person(
        national_code=code,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        gender=gender,
        birth_year=birth_year,
        mobile=mobile or "",
    )
    person.name_key = search_key(f"{person.first_name} {person.last_name}")
    person.full_clean(
        validate_unique=False
    )  # the code was looked up just above; the database's unique holds it
    _save(person, acting_user, stored_text(gettext_noop("Person registered")))
    return person


def _check_membership(
    cooperative: Cooperative, person: Person, join_date: datetime.date, acting_user: User
) -> None:
    errors: dict[str, list[str]] = {}
    try:
        membership_dates_check(cooperative, join_date)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if Membership.objects.filter(cooperative=cooperative, person=person, leave_date__isnull=True).exists():
        errors["person"] = [_("%(person)s is already a member of this cooperative.") % {"person": person}]
    if cooperative.sector.code == HOUSING_SECTOR:
        other = (
            Membership.objects.filter(
                person=person, leave_date__isnull=True, cooperative__sector__code=HOUSING_SECTOR
            )
            .exclude(cooperative=cooperative)
            .select_related("cooperative__county")
            .first()
        )
        if other and sees_county(acting_user, other.cooperative.county):
            errors.setdefault("person", []).append(
                _(
                    "%(person)s is a member of the housing cooperative “%(other)s” (shenasnameh %(shenasnameh)s) "
                    "and cannot be a member of the housing cooperative “%(coop)s” at the same time."
                )
                % {
                    "person": person,
                    "other": other.cooperative.name,
                    "shenasnameh": digits(other.cooperative.shenasnameh),
                    "coop": cooperative.name,
                }
            )
        elif other:  # a housing cooperative elsewhere: the rule applies, the other cooperative is not named
            errors.setdefault("person", []).append(
                _(
                    "%(person)s is a member of another housing cooperative and cannot be a member of the housing "
                    "cooperative “%(coop)s” at the same time; the provincial directorate-general sees the other "
                    "membership."
                )
                % {
                    "person": person
                    if Person.objects.for_user(acting_user).filter(pk=person.pk).exists()
                    else _("This person"),
                    "coop": cooperative.name,
                }
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_add(
    *,
    acting_user: User,
    cooperative: Cooperative,
    person: Person,
    join_date: datetime.date,
    shares: int = 0,
    contribution_rial: int = 0,
    refresh: bool = True,
) -> Membership:
    """A person joins a cooperative (with an optional first capital contribution on the join date)."""
    cooperative = (
        Cooperative.objects.select_for_update().select_related("county", "sector").get(pk=cooperative.pk)
    )
    ensure_can_change_in(acting_user, cooperative.county)
    _check_membership(cooperative, person, join_date, acting_user)
    membership = Membership(cooperative=cooperative, person=person, join_date=join_date, shares=shares)
    # the one-open-membership constraint was checked by _check_membership, the leave-date one holds (no leave
    # date), the cooperative was just read under lock: not asked again (the database enforces all three anyway)
    membership.full_clean(exclude=["cooperative"], validate_constraints=False)
    _save(membership, acting_user, stored_text(gettext_noop("Membership")))
    if contribution_rial:
        contribution = Contribution(
            membership=membership,
            date=join_date,
            amount_rial=contribution_rial,
            note=stored_text(gettext_noop("Contribution on joining")),
        )
        contribution.full_clean(exclude=["membership"])
        _save(contribution, acting_user)
    if refresh:
        refresh_cooperative_figures(acting_user=acting_user, cooperative=cooperative)
    return membership


@transaction.atomic
def membership_end(
    *, acting_user: User, membership: Membership, leave_date: datetime.date, reason: str
) -> Membership:
    membership = (
        Membership.objects.select_for_update().select_related("cooperative__county").get(pk=membership.pk)
    )
    ensure_can_change_in(acting_user, membership.cooperative.county)
    if membership.leave_date:
        raise ValidationError({"leave_date": [_("This membership has already ended.")]})
    if leave_date < membership.join_date:
        raise ValidationError({"leave_date": [_("The leaving date cannot be before the membership date.")]})
    if leave_date > timezone.localdate():
        raise ValidationError({"leave_date": [_("The leaving date cannot be in the future.")]})
    if not (reason or "").strip():
        raise ValidationError({"leave_reason": [_("Write the reason for leaving.")]})
    membership.leave_date = leave_date
    membership.leave_reason = reason.strip()
    membership.full_clean()
    _save(membership, acting_user, stored_text(gettext_noop("Member left")))
    refresh_cooperative_figures(acting_user=acting_user, cooperative=membership.cooperative)
    return membership


@transaction.atomic
def contribution_add(
    *,
    acting_user: User,
    membership: Membership,
    date: datetime.date,
    amount_rial: int,
    note: str = "",
    refresh: bool = True,
) -> Contribution:
    """A member pays capital. refresh=False: the caller recomputes the cooperative's figures once at the end of
    several (the demo; every call from a page or an import refreshes)."""
    membership = Membership.objects.select_related("cooperative__county").get(pk=membership.pk)
    ensure_can_change_in(acting_user, membership.cooperative.county)
    if date < membership.join_date:
        raise ValidationError(
            {"date": [_("A contribution cannot have been paid before the membership date.")]}
        )
    contribution = Contribution(membership=membership, date=date, amount_rial=amount_rial, note=note)
    contribution.full_clean(exclude=["membership"])
    _save(contribution, acting_user)
    if refresh:
        refresh_cooperative_figures(acting_user=acting_user, cooperative=membership.cooperative)
    return contribution


@transaction.atomic
def officer_appoint(
    *,
    acting_user: User,
    cooperative: Cooperative,
    person: Person,
    role: str,
    start: datetime.date,
    end: datetime.date,
    refresh: bool = True,
) -> Officer:
    """Appoint a person to an organ for a term. Terms may not overlap for the same person in the same role,
    and the managing director's seat holds one person at a time."""
    ensure_can_change_in(acting_user, cooperative.county)
    if end <= start:
        raise ValidationError({"end": [_("The term must end after it starts.")]})
    overlapping = Officer.objects.filter(cooperative=cooperative, role=role, start__lt=end, end__gt=start)
    if overlapping.filter(person=person).exists():
        raise ValidationError(
            {
                "start": [
                    _("The term of %(person)s in this position overlaps another of their terms.")
                    % {"person": person}
                ]
            }
        )
    if role == OfficeRole.MANAGING_DIRECTOR and overlapping.exists():
        other = overlapping.select_related("person").first()
        raise ValidationError(
            {
                "start": [
                    _("%(person)s is managing director in this period; the terms overlap.")
                    % {"person": other.person}
                ]
            }
        )
    officer = Officer(cooperative=cooperative, person=person, role=role, start=start, end=end)
    officer.full_clean(validate_constraints=False)  # end > start: checked above
    _save(officer, acting_user, stored_text(gettext_noop("Appointment")))
    if refresh:
        refresh_cooperative_figures(acting_user=acting_user, cooperative=cooperative)
    return officer


@transaction.atomic
def assembly_record(
    *,
    acting_user: User,
    cooperative: Cooperative,
    date: datetime.date,
    kind: str = AssemblyKind.ORDINARY,
    quorum_present: bool = True,
    attendees: int | None = None,
    decisions: str = "",
    minutes: UploadedFile | None = None,
    refresh: bool = True,
) -> GeneralAssembly:
    ensure_can_change_in(acting_user, cooperative.county)
    assembly_check(cooperative, date)
    validate_document(minutes, field="minutes")
    assembly = GeneralAssembly(
        cooperative=cooperative,
        date=date,
        kind=kind,
        quorum_present=quorum_present,
        attendees=attendees,
        decisions=decisions,
    )
    if minutes is not None:
        assembly.minutes = minutes
    assembly.full_clean()
    _save(assembly, acting_user, stored_text(gettext_noop("Assembly recorded")))
    if refresh:
        refresh_cooperative_figures(acting_user=acting_user, cooperative=cooperative)
    return assembly


def fiscal_year_end(year: int) -> datetime.date:
    return to_gregorian(year + 1, 1, 1) - datetime.timedelta(days=1)


def return_deadline(year: int) -> datetime.date:
    """The last day a return is on time: the fiscal year's end plus TAAVON_RETURN_DEADLINE_MONTHS months."""
    months = settings.TAAVON_RETURN_DEADLINE_MONTHS
    return to_gregorian(year + 1, months + 1, 1) - datetime.timedelta(days=1)


@transaction.atomic
def return_file(
    *,
    acting_user: User,
    cooperative: Cooperative,
    fiscal_year: int,
    filed_on: datetime.date,
    revenue_rial: int = 0,
    assets_rial: int = 0,
    liabilities_rial: int = 0,
    profit_rial: int = 0,
    employees: int = 0,
    members_year_end: int = 0,
    statements: UploadedFile | None = None,
) -> AnnualReturn:
    ensure_can_change_in(acting_user, cooperative.county)
    return_check(cooperative, fiscal_year, filed_on)
    validate_document(statements, field="statements")
    annual = AnnualReturn(
        cooperative=cooperative,
        fiscal_year=fiscal_year,
        filed_on=filed_on,
        revenue_rial=revenue_rial,
        assets_rial=assets_rial,
        liabilities_rial=liabilities_rial,
        profit_rial=profit_rial,
        employees=employees,
        members_year_end=members_year_end,
    )
    if statements is not None:
        annual.statements = statements
    annual.full_clean(validate_constraints=False)  # one return a year: return_check asked just above
    _save(annual, acting_user, stored_text(gettext_noop("Return filed")))
    return annual


def assembly_check(cooperative: Cooperative, date: datetime.date) -> None:
    """The dates an assembly may have (also checked when a representative proposes one)."""
    if date > timezone.localdate():
        raise ValidationError({"date": [_("The assembly date cannot be in the future.")]})
    if cooperative.registration_date and date < cooperative.registration_date:
        raise ValidationError(
            {"date": [_("The assembly date cannot be before the cooperative's registration.")]}
        )


def return_check(cooperative: Cooperative, fiscal_year: int, filed_on: datetime.date) -> None:
    """The year and date an annual return may have (also checked when a representative proposes one)."""
    errors: dict[str, list[str]] = {}
    if cooperative.registration_date and fiscal_year < jalali_year(cooperative.registration_date):
        errors["fiscal_year"] = [
            _("The cooperative was registered in %(registered)s; a return for %(year)s is not accepted.")
            % {"registered": digits(jalali_year(cooperative.registration_date)), "year": digits(fiscal_year)}
        ]
    if filed_on > timezone.localdate():
        errors["filed_on"] = [_("The filing date cannot be in the future.")]
    elif filed_on <= fiscal_year_end(fiscal_year):
        errors["filed_on"] = [_("A return is filed after the end of the fiscal year.")]
    if AnnualReturn.objects.filter(cooperative=cooperative, fiscal_year=fiscal_year).exists():
        errors["fiscal_year"] = [
            _("The return for %(year)s has already been filed.") % {"year": digits(fiscal_year)}
        ]
    if errors:
        raise ValidationError(errors)


def membership_dates_check(cooperative: Cooperative, join_date: datetime.date) -> None:
    """The dates a membership may start (also checked when a representative proposes a member)."""
    errors: dict[str, list[str]] = {}
    if cooperative.registration_date and join_date < cooperative.registration_date:
        errors["join_date"] = [
            _("A membership cannot start before the cooperative's registration on %(date)s.")
            % {"date": legal_date(cooperative.registration_date)}
        ]
    if join_date > timezone.localdate():
        errors.setdefault("join_date", []).append(_("The membership date cannot be in the future."))
    if errors:
        raise ValidationError(errors)


# Removing records (the undo of an import that created them): each refused while something hangs on the record,
# each leaving a "deleted" history row with the acting user and the reason; the cooperative's figures recomputed.


def _delete(obj, acting_user: User, reason: str) -> None:
    obj._history_user = acting_user
    obj._change_reason = reason
    obj.delete()


@transaction.atomic
def contribution_delete(*, acting_user: User, contribution: Contribution, reason: str) -> None:
    contribution = Contribution.objects.select_related("membership__cooperative__county").get(
        pk=contribution.pk
    )
    cooperative = contribution.membership.cooperative
    ensure_can_change_in(acting_user, cooperative.county)
    _delete(contribution, acting_user, reason)
    refresh_cooperative_figures(acting_user=acting_user, cooperative=cooperative)


@transaction.atomic
def membership_delete(*, acting_user: User, membership: Membership, reason: str) -> None:
    membership = Membership.objects.select_related("cooperative__county").get(pk=membership.pk)
    ensure_can_change_in(acting_user, membership.cooperative.county)
    if membership.contributions.exists():
        raise ValidationError(
            _("The membership of %(person)s has contributions and is not removed.")
            % {"person": membership.person}
        )
    _delete(membership, acting_user, reason)
    cooperative = membership.cooperative
    if not cooperative.memberships.exists():
        # no member records left: the figures they gave go back to what staff had declared before them
        cooperative_set_derived(
            acting_user=acting_user,
            cooperative=cooperative,
            **declared_before_records(cooperative, ("members_women", "members_men", "capital_paid_rial")),
        )
    refresh_cooperative_figures(acting_user=acting_user, cooperative=cooperative)


@transaction.atomic
def person_delete(*, acting_user: User, person: Person, reason: str) -> None:
    """A person with no membership and no office left (the last of them was just removed by the same undo)."""
    person = Person.objects.get(pk=person.pk)
    # a person without memberships is in nobody's county: only who registered them (an import being undone) or an
    # administrator removes them
    maker = person.history.filter(history_type="+").values_list("history_user_id", flat=True).first()
    if not can_change(acting_user) or not (
        is_own_work(acting_user, maker) or scope_of(acting_user).everywhere
    ):
        raise PermissionDenied(_("Your role may not change records."))
    if person.memberships.exists() or person.offices.exists():
        raise ValidationError(
            _("%(person)s has a membership or an office and is not removed.") % {"person": person}
        )
    _delete(person, acting_user, reason)


@transaction.atomic
def return_delete(*, acting_user: User, annual_return: AnnualReturn, reason: str) -> None:
    annual_return = AnnualReturn.objects.select_related("cooperative__county").get(pk=annual_return.pk)
    ensure_can_change_in(acting_user, annual_return.cooperative.county)
    _delete(annual_return, acting_user, reason)


@transaction.atomic
def personal_data_download_record(
    *, acting_user: User, cooperative: Cooperative, rows: int, fmt: str
) -> PersonalDataDownload:
    """The audit row of a download of whole national codes (only staff who may change the cooperative get them)."""
    ensure_can_change_in(acting_user, cooperative.county)
    return PersonalDataDownload.objects.create(
        user=acting_user, cooperative=cooperative, rows=rows, format=fmt, at=timezone.now()
    )
