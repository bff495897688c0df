"""The project list as a file; its CSV names are the projects import's field names, so it imports back unchanged."""

from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column

COLUMNS = [
    Column("coop_shenasnameh", _("Cooperative's shenasnameh number"), lambda p: p.cooperative.shenasnameh),
    Column("coop_name", _("Cooperative name"), lambda p: p.cooperative.name),
    Column("title", _("Project title"), lambda p: p.title),
    Column("sector", _("Sector"), lambda p: p.sector.name),
    Column("activity", _("Activity"), lambda p: p.activity.name if p.activity else ""),
    Column("stage", _("Stage"), lambda p: p.get_stage_display()),
    Column("investment_rial", _("Investment (rials)"), lambda p: p.investment_rial, "int"),
    Column(
        "members_contribution_rial",
        _("Members' contribution (rials)"),
        lambda p: p.members_contribution_rial,
        "int",
    ),
    Column("jobs_direct", _("Direct jobs"), lambda p: p.jobs_direct_planned, "int"),
    Column("jobs_indirect", _("Indirect jobs"), lambda p: p.jobs_indirect_planned, "int"),
    Column("jobs_women", _("Jobs for women"), lambda p: p.jobs_women_planned, "int"),
    Column("start_date", _("Start date"), lambda p: p.start_date, "date"),
    Column("expected_opening_date", _("Expected opening date"), lambda p: p.expected_opening_date, "date"),
    Column("opening_date", _("Opening date"), lambda p: p.actual_opening_date, "date"),
    Column("progress", _("Physical progress"), lambda p: p.progress_percent, "int"),
    Column("facilities_paid_total", _("Total facilities paid (rials)"), lambda p: p.facilities_paid, "int"),
]
