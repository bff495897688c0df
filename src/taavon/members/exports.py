"""Members and annual returns as files (staff with jurisdiction only; never public). A member with several
contributions has a row per contribution, so the file imports back unchanged."""

from taavon.core.exports import Column

MEMBER_COLUMNS = [
    Column("shenasnameh", "شمارهٔ شناسنامهٔ تعاونی", lambda r: r["m"].cooperative.shenasnameh),
    Column("national_code", "کد ملی", lambda r: r["m"].person.national_code),
    Column("first_name", "نام", lambda r: r["m"].person.first_name),
    Column("last_name", "نام خانوادگی", lambda r: r["m"].person.last_name),
    Column("gender", "جنسیت", lambda r: r["m"].person.get_gender_display()),
    Column("birth_year", "سال تولد", lambda r: r["m"].person.birth_year, "int"),
    Column("mobile", "تلفن همراه", lambda r: r["m"].person.mobile),
    Column("join_date", "تاریخ عضویت", lambda r: r["m"].join_date, "date"),
    Column("shares", "تعداد سهام", lambda r: r["m"].shares, "int"),
    Column("contribution_rial", "آورده (ریال)", lambda r: r["c"].amount_rial if r["c"] else None, "int"),
    Column("contribution_date", "تاریخ پرداخت آورده", lambda r: r["c"].date if r["c"] else None, "date"),
]

RETURN_COLUMNS = [
    Column("shenasnameh", "شمارهٔ شناسنامهٔ تعاونی", lambda a: a.cooperative.shenasnameh),
    Column("coop_name", "نام تعاونی", lambda a: a.cooperative.name),
    Column("fiscal_year", "سال مالی", lambda a: a.fiscal_year, "int"),
    Column("filed_on", "تاریخ ارائه", lambda a: a.filed_on, "date"),
    Column("revenue_rial", "درآمد (ریال)", lambda a: a.revenue_rial, "int"),
    Column("assets_rial", "دارایی‌ها (ریال)", lambda a: a.assets_rial, "int"),
    Column("liabilities_rial", "بدهی‌ها (ریال)", lambda a: a.liabilities_rial, "int"),
    Column("profit_rial", "سود (زیان) (ریال)", lambda a: a.profit_rial, "int"),
    Column("employees", "کارکنان", lambda a: a.employees, "int"),
    Column("members_year_end", "اعضا در پایان سال", lambda a: a.members_year_end, "int"),
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
