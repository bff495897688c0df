"""Events made through the services for the events' tests."""

import datetime as dt

from django.utils import timezone

from taavon.events import services
from taavon.persian import to_gregorian


def at(day: int, hour: int = 10, year: int = 1404, month: int = 6) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(to_gregorian(year, month, day), dt.time(hour, 0)))


def make_event(
    *, acting_user, province, county=None, kind="meeting", title="نشست تعاونی‌ها", day=11, hour=10, **more
):
    return services.event_add(
        acting_user=acting_user,
        kind=kind,
        title=title,
        starts_at=at(day, hour),
        ends_at=at(day, hour + 2),
        province=province,
        county=county,
        place=more.pop("place", "سالن اجتماعات"),
        **more,
    )


def make_exhibition(*, acting_user, province, first=11, last=17):
    return services.exhibition_add(
        acting_user=acting_user,
        province=province,
        title="نمایشگاه توانمندی‌های بخش تعاون",
        starts_on=to_gregorian(1404, 6, first),
        ends_on=to_gregorian(1404, 6, last),
        place="محل دائمی نمایشگاه‌ها",
    )
