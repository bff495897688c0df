from django.conf import settings
from django.db.models import QuerySet

from taavon.persian import search_key
from taavon.places.models import County, CountyAlias, Province


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
    """{search key: ids of the counties so named or so known (alias)} for the given keys; `within`: a County
    queryset to look in (a user's counties). Two lookups by key (names by their index; the aliases are a few
    dozen rows), and the jurisdiction asked only when a key names a county: a search runs this for every word."""
    keys = set(keys)
    if not keys:
        return {}
    # jurisdiction: candidates only; `within` decides below which of them the caller may use
    pairs = list(County.objects.filter(name_key__in=keys).values_list("pk", "name_key"))
    pairs += CountyAlias.objects.filter(name_key__in=keys).values_list("county_id", "name_key")
    if not pairs:
        return {}
    ids = {pk for pk, _ in pairs}
    if within is not None:
        ids = set(within.filter(pk__in=ids).values_list("pk", flat=True))
    found: dict[str, set[int]] = {}
    for pk, key in pairs:
        if pk in ids:
            found.setdefault(key, set()).add(pk)
    return found


def county_list(*, province: Province | None = None) -> QuerySet[County]:
    qs = County.objects.select_related("province")
    return qs.filter(province=province) if province is not None else qs
