"""Who may see and change what: the one place that decides. Selectors, services, views and the import engine ask
here; nothing else looks at a user's role or places to decide.

Roles × scopes:
- administrator: everything, everywhere;
- provincial staff: read and change within their province (or the whole country when none is set);
- county staff: read and change within their county only;
- viewer: read within their province (or county, when set), change nothing;
- a cooperative's representative: their own cooperative, in the portal; changes only as proposals;
- a festival juror: nothing of the registry — only the candidates assigned to them, on the jury's pages
  (festival.jury decides which, by assignment and declared conflicts).
Scopes are ids (counties, provinces, cooperatives), so this module imports no app above accounts; a scoped model
declares the paths from itself to its county and its cooperative (`ScopedQuerySet`), and
`Model.objects.for_user(user)` is its only way to be read for a user.

Records outside a user's jurisdiction do not exist for that user (404, and no message names them); a change they
may not make is 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from taavon.accounts.models import Role, User
from taavon.places.models import County

STAFF_ROLES = frozenset({Role.ADMIN, Role.PROVINCIAL, Role.COUNTY, Role.VIEWER})
CHANGE_ROLES = frozenset({Role.ADMIN, Role.PROVINCIAL, Role.COUNTY})


@dataclass(frozen=True)
class Scope:
    """The part of the country a user works in, as ids."""

    everywhere: bool = False
    provinces: frozenset[int] = frozenset()
    counties: frozenset[int] = frozenset()
    cooperatives: frozenset[int] = frozenset()

    @property
    def nothing(self) -> bool:
        return not (self.everywhere or self.provinces or self.counties or self.cooperatives)

    def covers_county(self, county_id: int | None, province_id: int | None) -> bool:
        """Whether a record in this county (of this province) is inside the scope (cooperatives aside)."""
        return (
            self.everywhere
            or (county_id is not None and county_id in self.counties)
            or (province_id is not None and province_id in self.provinces)
        )


NOWHERE = Scope()


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def scope_of(user) -> Scope:
    """Where the user works: the country, a province, a county, or one cooperative (a representative)."""
    if not _active(user):
        return NOWHERE
    if _is_admin(user):
        return Scope(everywhere=True)
    if user.role == Role.REPRESENTATIVE:
        return Scope(cooperatives=frozenset({user.cooperative_id})) if user.cooperative_id else NOWHERE
    if user.role == Role.JUROR:
        return NOWHERE
    if user.county_id:
        return Scope(counties=frozenset({user.county_id}))
    if user.role == Role.COUNTY:
        return NOWHERE  # county staff without a county see nothing (the database forbids it anyway)
    if user.province_id:
        return Scope(provinces=frozenset({user.province_id}))
    if user.role in STAFF_ROLES:
        return Scope(everywhere=True)
    return NOWHERE


def q(user, *, county: str = "county", cooperative: str | None = None, province: str | None = None) -> Q:
    """A filter limiting a queryset to the user's jurisdiction. `county`: the path from the model to its County;
    `cooperative`: the path to its Cooperative (for a representative's scope; None: representatives see none);
    `province`: the path to its Province (default: through the county)."""
    s = scope_of(user)
    if s.everywhere:
        return Q()
    found = Q(pk__in=[])
    if s.counties:
        found |= Q(**{f"{county}__in": sorted(s.counties)})
    if s.provinces:
        found |= Q(**{f"{province or county + '__province'}__in": sorted(s.provinces)})
    if s.cooperatives and cooperative is not None:
        found |= Q(**{f"{cooperative}__in": sorted(s.cooperatives)})
    return found


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to a user's jurisdiction: `Model.objects.for_user(user)`.
    Subclasses name the paths to the record's county and cooperative."""

    county_path = "county"
    cooperative_path: str | None = None
    # more counties the record belongs to, all of which must be in the jurisdiction (a project lies in one county
    # and belongs to a cooperative of another: both must be the user's, or the project would name that cooperative)
    also_county_paths: tuple[str, ...] = ()

    def for_user(self, user):
        found = q(user, county=self.county_path, cooperative=self.cooperative_path)
        for path in self.also_county_paths:
            found &= q(user, county=path, cooperative=self.cooperative_path)
        return self.filter(found)


def _q_as_of(user, model, as_of, county: str, cooperative: str | None) -> Q:
    """`q` on a history row of `model`: a path through another record that keeps history (a project's cooperative)
    goes through that record as it was at `as_of` — its county then, not now. On a history row `pk` is the row's own
    id: the record's is `id`."""
    if cooperative == "pk":
        cooperative = "id"
    head, _sep, rest = county.partition("__")
    related = model._meta.get_field(head).related_model if rest else None
    if (
        related is not None
        and (rest == "county" or rest.endswith("__county"))
        and hasattr(related, "history")
    ):
        if cooperative == head:
            inner = "id"
        elif cooperative and cooperative.startswith(head + "__"):
            inner = cooperative[len(head) + 2 :]
        else:
            inner = None
        # the related record's newest row recorded by then (no newer one by then), not deleted, inside the scope:
        # looked up a row at a time by the record's id (an index), not by grouping its whole history
        from django.db.models import Exists, OuterRef

        history = related.history.model
        newer = history.objects.filter(
            id=OuterRef("id"), history_id__gt=OuterRef("history_id"), history_date__lte=as_of
        )
        then = (
            history.objects.filter(id=OuterRef(f"{head}_id"), history_date__lte=as_of)
            .exclude(history_type="-")
            .filter(~Exists(newer))
            .filter(_q_as_of(user, related, as_of, rest, inner))
        )
        return Q(Exists(then))
    return q(user, county=county, cooperative=cooperative)


def as_of_for_user(model, user, as_of):
    """`Model.objects.for_user(user)` as Taavon knew the records at `as_of` (figures reproduced later, issue 18):
    the history rows of core.history.rows_as_of, limited to the jurisdiction by where each record was then."""
    from taavon.core.history import rows_as_of

    rows = rows_as_of(model, as_of)
    if scope_of(user).everywhere:
        return rows
    scoped = model.objects.all()
    found = _q_as_of(user, model, as_of, scoped.county_path, scoped.cooperative_path)
    for path in scoped.also_county_paths:
        found &= _q_as_of(user, model, as_of, path, scoped.cooperative_path)
    return rows.filter(found)


def users_q(user, *, path: str = "created_by") -> Q:
    """Whose work (imports and other per-user records, which hold what their maker's jurisdiction showed) the user
    may see: administrators everyone's; provincial staff that of the users who work inside their province (county
    staff of its counties, its provincial staff and viewers — not an administrator's, whose work may reach the whole
    country); everybody else their own. `path`: the path to the User who made it."""
    if not _active(user):
        return Q(pk__in=[])
    if _is_admin(user):
        return Q()
    if user.role == Role.PROVINCIAL and user.province_id and not user.county_id:
        inside = Q(**{f"{path}__county__province": user.province_id}) | Q(
            **{f"{path}__province": user.province_id, f"{path}__county__isnull": True}
        )
        admins = Q(**{f"{path}__role": Role.ADMIN}) | Q(**{f"{path}__is_superuser": True})
        return inside & ~admins
    return Q(**{path: user.pk})


def is_own_work(user, maker_id: int) -> bool:
    return _active(user) and user.pk == maker_id


def ensure_own_work(user, maker_id: int) -> None:
    """A piece of work (an import) is carried on by the one who started it: its results were computed within their
    jurisdiction, and another user would act on, or be shown, what theirs covers."""
    if not is_own_work(user, maker_id):
        raise PermissionDenied(
            _("This work is carried on by the person who started it; you can only see it.")
        )


def counties_for(user):
    """The counties a staff member works in (for filter and form choices)."""
    if not is_staff(user):
        return County.objects.none()
    return County.objects.select_related("province").filter(q(user, county="pk", province="province"))


def sees_county(user, county: County | None) -> bool:
    """Whether records of this county are inside the user's jurisdiction (for staff)."""
    return (
        county is not None and is_staff(user) and scope_of(user).covers_county(county.pk, county.province_id)
    )


def sees_cooperative(user, *, cooperative_id: int, county: County) -> bool:
    """Whether this cooperative is inside the user's jurisdiction (staff by county, a representative their own)."""
    s = scope_of(user)
    return cooperative_id in s.cooperatives or sees_county(user, county)


# -- roles -----------------------------------------------------------------------------------------------------


def is_admin(user) -> bool:
    """A system administrator: changes settings that apply to everyone (triage's rules)."""
    return _active(user) and _is_admin(user)


def is_staff(user) -> bool:
    """Staff of the cooperative offices (every role but the representative), active and signed in."""
    return _active(user) and (user.is_superuser or user.role in STAFF_ROLES)


def can_change(user) -> bool:
    """Whether the user's role may change records at all (viewers and representatives may not)."""
    return _active(user) and (user.is_superuser or user.role in CHANGE_ROLES)


def can_change_in(user, county: County) -> bool:
    return can_change(user) and scope_of(user).covers_county(county.pk, county.province_id)


def sees_whole_province(user, province_id: int) -> bool:
    """Whether the user's jurisdiction holds every record of the province (staff of the province or the country):
    what a province-wide page may show them beyond what the public sees."""
    s = scope_of(user)
    return is_staff(user) and (s.everywhere or province_id in s.provinces)


def can_publish_for_province(user, province_id: int) -> bool:
    """Whether the user may publish the province's figures (a press paragraph): staff who change records, of the
    whole province (an administrator, the province's staff) — not a county's."""
    s = scope_of(user)
    return can_change(user) and (s.everywhere or province_id in s.provinces)


def ensure_can_change_in(user, county: County) -> None:
    if not can_change_in(user, county):
        raise PermissionDenied(_("You may not change the records of this county."))


def sees_personal_data(user, county: County) -> bool:
    """Whole national codes and mobiles: only staff who may change the records of that county (a viewer reads
    them masked)."""
    return can_change_in(user, county)


def represented_cooperative_id(user) -> int | None:
    """The cooperative a representative speaks for (None for everyone else)."""
    if _active(user) and user.role == Role.REPRESENTATIVE and user.cooperative_id:
        return user.cooperative_id
    return None


def ensure_can_propose(user) -> int:
    """A representative's cooperative, for a proposal; anybody else is refused."""
    cooperative_id = represented_cooperative_id(user)
    if cooperative_id is None:
        raise PermissionDenied(_("Only a cooperative's representative can send a proposal."))
    return cooperative_id


def ensure_staff(user) -> None:
    """Staff pages: a representative is told where their pages are; anybody else without a staff role is refused."""
    if is_staff(user):
        return
    if represented_cooperative_id(user) is not None:
        raise PermissionDenied(
            _("This page is for the directorate's staff; your page is the «cooperative portal».")
        )
    if is_juror(user):
        raise PermissionDenied(_("This page is for the directorate's staff; your page is the «jury's page»."))
    raise PermissionDenied(_("Your role may not see this page."))


def ensure_can_change(user, county: County | None = None) -> None:
    """A page that changes records: the role must allow changes, and the county (when given) be the user's."""
    ensure_staff(user)
    if not can_change(user) or (county is not None and not can_change_in(user, county)):
        raise PermissionDenied(_("You may not make this change."))


def is_inspector(user) -> bool:
    """A field inspector: county staff marked as one (no jurisdiction of their own: their county's)."""
    return _active(user) and user.role == Role.COUNTY and user.is_inspector and user.county_id is not None


def inspectors_q(county_id: int) -> Q:
    """The users who may be sent to visit the units of a county: its active county staff marked as inspectors."""
    return Q(is_active=True, is_inspector=True, role=Role.COUNTY, county_id=county_id)


def changers_q(county: County) -> Q:
    """The users who may change the records of a county (its officers, the province's and the country's staff who
    change records, administrators): who may own an action item there. The same rule as `can_change_in`."""
    admins = Q(is_superuser=True) | Q(role=Role.ADMIN)
    staff = Q(role__in=[Role.PROVINCIAL, Role.COUNTY])
    where = (
        Q(county_id=county.pk)
        | Q(county__isnull=True, province_id=county.province_id)
        | Q(county__isnull=True, province__isnull=True, role=Role.PROVINCIAL)
    )
    return Q(is_active=True) & (admins | staff & where)


def can_run_province(user, province_id: int | None = None) -> bool:
    """What a province runs for itself (its Cooperative Week's programme and exhibition, its festival):
    administrators, and the provincial staff of that province — not its county offices, not viewers. Without a
    province: whether the user runs some province's."""
    if not can_change(user):
        return False
    s = scope_of(user)
    if s.everywhere:
        return True
    if user.county_id:
        return False
    return bool(s.provinces) if province_id is None else province_id in s.provinces


def ensure_can_run_province(user, province_id: int | None = None) -> None:
    if not can_run_province(user, province_id):
        raise PermissionDenied(_("This is run by the province's staff."))


def is_juror(user) -> bool:
    """A festival juror: sees the candidates assigned to them (festival.jury), nothing else."""
    return _active(user) and user.role == Role.JUROR


def ensure_juror(user) -> None:
    if not is_juror(user):
        raise PermissionDenied(_("This page is for the festival's jurors."))


def is_representative(user) -> bool:
    return represented_cooperative_id(user) is not None


__all__ = [
    "CHANGE_ROLES",
    "STAFF_ROLES",
    "Scope",
    "ScopedQuerySet",
    "User",
    "can_change",
    "can_change_in",
    "counties_for",
    "ensure_can_change",
    "ensure_can_change_in",
    "ensure_can_propose",
    "ensure_own_work",
    "is_admin",
    "can_run_province",
    "changers_q",
    "ensure_can_run_province",
    "is_inspector",
    "is_juror",
    "ensure_juror",
    "inspectors_q",
    "is_own_work",
    "ensure_staff",
    "is_representative",
    "is_staff",
    "q",
    "represented_cooperative_id",
    "scope_of",
    "sees_cooperative",
    "sees_county",
    "sees_personal_data",
    "users_q",
]
