"""Members and annual returns as files (staff with jurisdiction only; never public). A member with several
contributions has a row per contribution, so the file imports back unchanged."""

from django.utils.translation import gettext_lazy as _

from taavon.core.exports import Column

MEMBER_COLUMNS = [
    Column("shenasnameh", _("Cooperative's shenasnameh number"), lambda r: r["m"].cooperative.shenasnameh),
    Column("national_code", _("National code"), lambda r: r["m"].person.national_code),
    Column("first_name", _("First name"), lambda r: r["m"].person.first_name),
    Column("last_name", _("Last name"), lambda r: r["m"].person.last_name),
    Column("gender", _("Gender"), lambda r: r["m"].person.get_gender_display()),
    Column("birth_year", _("Birth year"), lambda r: r["m"].person.birth_year, "int"),
    Column("mobile", _("Mobile phone"), lambda r: r["m"].person.mobile),
    Column("join_date", _("Membership date"), lambda r: r["m"].join_date, "date"),
    Column("shares", _("Number of shares"), lambda r: r["m"].shares, "int"),
    Column(
        "contribution_rial",
        _("Contribution (rials)"),
        lambda r: r["c"].amount_rial if r["c"] else None,
        "int",
    ),
    Column(
        "contribution_date", _("Contribution payment date"), lambda r: r["c"].date if r["c"] else None, "date"
    ),
]

RETURN_COLUMNS = [
    Column("shenasnameh", _("Cooperative's shenasnameh number"), lambda a: a.cooperative.shenasnameh),
    Column("coop_name", _("Cooperative name"), lambda a: a.cooperative.name),
    Column("fiscal_year", _("Fiscal year"), lambda a: a.fiscal_year, "int"),
    Column("filed_on", _("Filing date"), lambda a: a.filed_on, "date"),
    Column("revenue_rial", _("Revenue (rials)"), lambda a: a.revenue_rial, "int"),
    Column("assets_rial", _("Assets (rials)"), lambda a: a.assets_rial, "int"),
    Column("liabilities_rial", _("Liabilities (rials)"), lambda a: a.liabilities_rial, "int"),
    Column("profit_rial", _("Profit (loss) (rials)"), lambda a: a.profit_rial, "int"),
    Column("employees", _("Employees"), lambda a: a.employees, "int"),
    Column("members_year_end", _("Members at year end"), lambda a: a.members_year_end, "int"),
]


def masked_columns() -> list:
    """The members' columns for staff who read but do not change them: codes and mobiles masked (such a file does
    not import back: it is for reading)."""
    from taavon.members.selectors import masked

    out = []
    for c in MEMBER_COLUMNS:
        if c.name in ("national_code", "mobile"):
            c = Column(c.name, c.header, lambda r, name=c.name: masked(r["m"].person)[name], c.kind)
        out.append(c)
    return out


def member_rows(memberships):
    """One row per contribution (a member without any has one row with the amount empty)."""
    for m in memberships:
        contributions = list(m.contributions.all())
        for c in contributions or [None]:
            yield {"m": m, "c": c}
