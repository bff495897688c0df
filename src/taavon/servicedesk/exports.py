"""`taavon export requests`: the service desk's requests as a file, with stable English CSV columns (see issue 13)
`code, shenasnameh, channel, category, county, status, opened_at, first_answer_at, closed_at, first_answer_due,
resolution_due, within_deadline, rating`. Times are local (Tehran) «YYYY-MM-DD HH:MM»: Jalali in Persian, Gregorian
in English, like the other exports' dates; within_deadline is yes, no, or empty while the first answer is not due."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column
from taavon.core.models import english
from taavon.persian import format_jalali


def moment(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    day = local.date().isoformat() if english() else format_jalali(local.date(), "iso")
    return f"{day} {local:%H:%M}"


def within_deadline(r, now=None) -> str:
    """yes: first answered by its deadline; no: answered late, or unanswered past it; empty: not yet due."""
    if r.first_answer_at is not None:
        return "yes" if r.first_answer_at <= r.first_answer_due else "no"
    return "no" if r.first_answer_due < (now or timezone.now()) else ""


COLUMNS = [
    Column("code", _("Tracking code"), lambda r: r.code),
    Column(
        "shenasnameh",
        _("Cooperative's shenasnameh number"),
        lambda r: r.cooperative.shenasnameh if r.cooperative else "",
    ),
    Column("channel", _("Channel"), lambda r: r.channel),
    Column("category", _("Category"), lambda r: r.category.code),
    Column("county", _("County office"), lambda r: r.county.name),
    Column("status", _("Status"), lambda r: r.status),
    Column("opened_at", _("Opened at"), lambda r: moment(r.opened_at)),
    Column("first_answer_at", _("First answered at"), lambda r: moment(r.first_answer_at)),
    Column("closed_at", _("Closed at"), lambda r: moment(r.closed_at)),
    Column("first_answer_due", _("First answer due"), lambda r: moment(r.first_answer_due)),
    Column("resolution_due", _("Resolution due"), lambda r: moment(r.resolution_due)),
    Column("within_deadline", _("First answered within the deadline"), within_deadline),
    Column("rating", _("Rating"), lambda r: r.rating, "int"),
]


def request_export_list(*, province_code: str | None = None):
    """Every request (the command is run by the operator, not a user: the whole country, or one province)."""
    from taavon.servicedesk.models import Request

    # jurisdiction: the export command runs for the operator, over the whole database (like the other export kinds)
    qs = Request.objects.select_related("cooperative", "category", "county").order_by("opened_at", "pk")
    if province_code:
        qs = qs.filter(county__province__code=province_code.upper())
    return qs
