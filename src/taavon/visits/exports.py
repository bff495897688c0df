"""`taavon export findings`: the field visits' findings as a file, one row a finding, with the stable English CSV
columns `visit_date, shenasnameh, county, category, severity, status, opened_at, closed_at, actions_open` (codes for
category, severity and status; dates Jalali in Persian, Gregorian in English, like the other exports' dates;
actions_open: its action items still to do or in progress)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column
from taavon.visits.models import ACTION_OPEN, Finding

COLUMNS = [
    Column("visit_date", _("Visited on"), lambda f: f.visit.visited_on, "date"),
    Column("shenasnameh", _("Cooperative's shenasnameh number"), lambda f: f.visit.cooperative.shenasnameh),
    Column("county", _("County office"), lambda f: f.visit.county.name),
    Column("category", _("Category"), lambda f: f.category),
    Column("severity", _("Severity"), lambda f: f.severity),
    Column("status", _("Status"), lambda f: f.status),
    Column("opened_at", _("Opened on"), lambda f: f.opened_on, "date"),
    Column("closed_at", _("Closed on"), lambda f: f.closed_on, "date"),
    Column("actions_open", _("Open action items"), lambda f: f.actions_open, "int"),
]


def finding_export_list(*, province_code: str | None = None):
    """Every finding (the command is run by the operator, not a user: the whole country, or one province)."""
    # jurisdiction: the export command runs for the operator, over the whole database (like the other export kinds)
    qs = (
        Finding.objects.select_related("visit", "visit__cooperative", "visit__county")
        .annotate(actions_open=Count("actions", filter=Q(actions__status__in=ACTION_OPEN)))
        .order_by("visit__visited_on", "visit_id", "pk")
    )
    if province_code:
        qs = qs.filter(visit__county__province__code=province_code.upper())
    return qs
