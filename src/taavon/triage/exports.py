"""The flagged list as a file. Its CSV columns are stable (scripts read them): shenasnameh, name, county, status,
score, flags (the raised rules' codes joined by ";"), case_status (empty when there is no open case)."""

from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column
from taavon.triage.flag_selectors import flag_codes

COLUMNS = [
    Column("shenasnameh", _("Shenasnameh number"), lambda c: c.shenasnameh),
    Column("name", _("Cooperative name"), lambda c: c.name),
    Column("county", _("County"), lambda c: c.county.name),
    Column("status", _("Status"), lambda c: c.get_status_display()),
    Column("score", _("Score"), lambda c: c.score, "int"),
    Column("flags", _("Warnings"), flag_codes),
    Column("case_status", _("Case"), lambda c: c.open_case_status or ""),
]
CSV_HEADER = [c.name for c in COLUMNS]
