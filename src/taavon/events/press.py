"""The press summary's sentence naming the events at which the projects were opened: «افتتاح‌ها در مراسم … در
تاریخ … برگزار شد» / "The openings were held at … on …"."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from taavon.core.formatting import date as show_date
from taavon.core.formatting import number
from taavon.events.selectors import year_openings

MAX_NAMED = 3  # more events than this: counted, not named (a press paragraph, not the programme)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return pgettext("list of two", "%(first)s and %(last)s") % {
        "first": pgettext("list separator", ", ").join(items[:-1]),
        "last": items[-1],
    }


def openings_sentence(
    *,
    province_id: int,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.datetime | None = None,
) -> str:
    """The events of the province's openings between `start` and `end` that list projects, each with its day (more
    than MAX_NAMED: how many, and from which day to which); "" when there is none (or no period)."""
    if not (start and end):
        return ""
    events = year_openings(province_id=province_id, start=start, end=end, as_of=as_of)
    if not events:
        return ""
    if len(events) > MAX_NAMED:
        days = [timezone.localtime(e.starts_at).date() for e in events]
        return ngettext(
            "The projects were opened at %(count)s ceremony from %(start)s to %(end)s.",
            "The projects were opened at %(count)s ceremonies from %(start)s to %(end)s.",
            len(events),
        ) % {"count": number(len(events)), "start": show_date(min(days)), "end": show_date(max(days))}
    held = [
        _("%(event)s on %(date)s")
        % {"event": e.title, "date": show_date(timezone.localtime(e.starts_at).date())}
        for e in events
    ]
    return _("The projects were opened at %(events)s.") % {"events": _join(held)}
