from django.conf import settings
from django.db.models import QuerySet

from taavon.persian import search_key
from taavon.places.models import County, Province


def home_province() -> Province:
    return Province.objects.get(code=settings.TAAVON_HOME_PROVINCE)


def county_find(*, name: str, province: Province | None = None) -> County | None:
    """A county by its name however it is typed ("خرم‌آباد", "خرم آباد", "خرماباد" with Arabic letters...)."""
    qs = County.objects.select_related("province").filter(name_key=search_key(name))
    if province is not None:
        qs = qs.filter(province=province)
    return qs.first()


def county_list(*, province: Province | None = None) -> QuerySet[County]:
    qs = County.objects.select_related("province")
    return qs.filter(province=province) if province is not None else qs
