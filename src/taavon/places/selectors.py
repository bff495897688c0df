from django.conf import settings
from django.db.models import Q, QuerySet

from taavon.persian import search_key
from taavon.places.models import County, Province


def home_province() -> Province:
    return Province.objects.get(code=settings.TAAVON_HOME_PROVINCE)


def county_find(*, name: str, province: Province | None = None) -> County | None:
    """A county by its name however it is typed ("خرم‌آباد", "خرم آباد", "خرماباد" with Arabic letters...), or by
    another name it is known by (a former name, its capital: «الشتر» is سلسله)."""
    key = search_key(name)
    qs = County.objects.select_related("province")
    if province is not None:
        qs = qs.filter(province=province)
    return qs.filter(name_key=key).first() or qs.filter(aliases__name_key=key).first()


def counties_named(keys, *, within=None) -> dict[str, set[int]]:
    """{search key: ids of the counties so named or so known (alias)} for the given keys, in one query; `within`:
    a County queryset to look in (a user's counties)."""
    keys = set(keys)
    if not keys:
        return {}
    qs = within if within is not None else County.objects.all()
    found: dict[str, set[int]] = {}
    rows = qs.filter(Q(name_key__in=keys) | Q(aliases__name_key__in=keys)).values_list(
        "pk", "name_key", "aliases__name_key"
    )
    for pk, name_key, alias_key in rows:
        for key in (name_key, alias_key):
            if key in keys:
                found.setdefault(key, set()).add(pk)
    return found


def county_list(*, province: Province | None = None) -> QuerySet[County]:
    qs = County.objects.select_related("province")
    return qs.filter(province=province) if province is not None else qs
