"""Writes to places: the counties' other names (an administrator's configuration, audited like any other edit)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taavon.persian import search_key
from taavon.places.models import AliasKind, County, CountyAlias


@transaction.atomic
def county_alias_add(*, acting_user, county: County, name: str, kind: str = AliasKind.OTHER) -> CountyAlias:
    """Teach imports and search another name of a county. Refused when the name is already a county's name or
    another county's alias in the same province (a name must lead to one county)."""
    if not (acting_user.is_superuser or getattr(acting_user, "role", "") == "admin"):
        raise PermissionDenied(_("Only a system administrator records the other names of counties."))
    key = search_key(name)
    if not key:
        raise ValidationError({"name": [_("Enter the name.")]})
    clash = County.objects.filter(province_id=county.province_id, name_key=key).exclude(pk=county.pk).first()
    if clash:
        raise ValidationError(
            {"name": [_("“%(name)s” is the name of %(county)s County.") % {"name": name, "county": clash}]}
        )
    alias = CountyAlias(
        county=county, province_id=county.province_id, name=name.strip(), name_key=key, kind=kind
    )
    alias.full_clean()
    alias._history_user = acting_user
    alias.save()
    return alias


@transaction.atomic
def county_alias_remove(*, acting_user, alias: CountyAlias) -> None:
    if not (acting_user.is_superuser or getattr(acting_user, "role", "") == "admin"):
        raise PermissionDenied(_("Only a system administrator records the other names of counties."))
    alias._history_user = acting_user
    alias.delete()
