"""The project list as a file; its CSV names are the projects import's field names, so it imports back unchanged."""

from taavon.core.exports import Column

COLUMNS = [
    Column("coop_shenasnameh", "شمارهٔ شناسنامهٔ تعاونی", lambda p: p.cooperative.shenasnameh),
    Column("coop_name", "نام تعاونی", lambda p: p.cooperative.name),
    Column("title", "عنوان طرح", lambda p: p.title),
    Column("sector", "گرایش", lambda p: p.sector.name_fa),
    Column("activity", "فعالیت", lambda p: p.activity.name_fa if p.activity else ""),
    Column("stage", "مرحله", lambda p: p.get_stage_display()),
    Column("investment_rial", "سرمایه‌گذاری (ریال)", lambda p: p.investment_rial, "int"),
    Column("members_contribution_rial", "آوردهٔ اعضا (ریال)", lambda p: p.members_contribution_rial, "int"),
    Column("jobs_direct", "اشتغال مستقیم", lambda p: p.jobs_direct_planned, "int"),
    Column("jobs_indirect", "اشتغال غیرمستقیم", lambda p: p.jobs_indirect_planned, "int"),
    Column("jobs_women", "اشتغال زنان", lambda p: p.jobs_women_planned, "int"),
    Column("start_date", "تاریخ شروع", lambda p: p.start_date, "date"),
    Column("expected_opening_date", "تاریخ پیش‌بینی افتتاح", lambda p: p.expected_opening_date, "date"),
    Column("opening_date", "تاریخ افتتاح", lambda p: p.actual_opening_date, "date"),
    Column("progress", "پیشرفت فیزیکی", lambda p: p.progress_percent, "int"),
    Column("facilities_paid_total", "جمع تسهیلات پرداخت‌شده (ریال)", lambda p: p.facilities_paid, "int"),
]
