"""Who may see and change what. Selectors and services call these, so a view cannot forget them.

- administrator: everything, everywhere;
- provincial staff: read and change within their province (or the whole country when none is set);
- county staff: read and change within their county only;
- viewer: read within their province (or county, when set), change nothing.
Records outside a user's jurisdiction do not exist for that user (404); a change they may not make is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from taavon.accounts.models import Role, User
from taavon.places.models import County


def county_filter(user: User, county_path: str = "county") -> Q:
    """A Q object limiting a queryset to the user's jurisdiction, through `county_path` (a FK to County)."""
    if not user.is_authenticated or not user.is_active or user.role == Role.REPRESENTATIVE:
        return Q(pk__in=[])
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.county_id:
        return Q(**{f"{county_path}_id": user.county_id})
    if user.role == Role.COUNTY:
        return Q(pk__in=[])
    if user.province_id:
        return Q(**{f"{county_path}__province_id": user.province_id})
    return Q()


def scope(qs: QuerySet, user: User, county_path: str = "county") -> QuerySet:
    return qs.filter(county_filter(user, county_path))


def counties_for(user: User) -> QuerySet[County]:
    """The counties a user works in (for filter and form choices)."""
    return County.objects.select_related("province").filter(_county_q(user))


def _county_q(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or user.role == Role.REPRESENTATIVE:
        return Q(pk__in=[])
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.county_id:
        return Q(pk=user.county_id)
    if user.role == Role.COUNTY:
        return Q(pk__in=[])
    if user.province_id:
        return Q(province_id=user.province_id)
    return Q()


def can_change(user: User) -> bool:
    """Whether the user's role may change records at all (viewers may not)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in {Role.ADMIN, Role.PROVINCIAL, Role.COUNTY})
    )


def can_change_in(user: User, county: County) -> bool:
    if not can_change(user):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role == Role.COUNTY:
        return user.county_id == county.pk
    return user.province_id is None or user.province_id == county.province_id


def ensure_can_change_in(user: User, county: County) -> None:
    if not can_change_in(user, county):
        raise PermissionDenied("شما اجازهٔ تغییر سوابق این شهرستان را ندارید.")
