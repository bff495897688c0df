"""The press summary: the paragraph a public-relations office publishes, written from the records."""

import datetime

from taavon.persian import MONTHS_FA, format_jalali, to_persian_digits
from taavon.persian.press import count_more_than, join_fa, money_about, money_more_than


def _jparts(d: datetime.date) -> tuple[int, int, int]:
    import jdatetime

    j = jdatetime.date.fromgregorian(date=d)
    return j.year, j.month, j.day


def period_text(start: datetime.date | None, end: datetime.date | None) -> str:
    """ "۱۱ تا ۱۷ شهریور ۱۴۰۴" within one month; "از ۱ مهر ۱۴۰۳ تا ۲۹ اسفند ۱۴۰۳" otherwise."""
    if start and end:
        (y1, m1, d1), (y2, m2, d2) = _jparts(start), _jparts(end)
        if (y1, m1) == (y2, m2):
            if d1 == d2:
                return format_jalali(start)
            return f"{to_persian_digits(d1)} تا {to_persian_digits(d2)} {MONTHS_FA[m1 - 1]} {to_persian_digits(y1)}"
        return f"از {format_jalali(start)} تا {format_jalali(end)}"
    if start:
        return f"از {format_jalali(start)}"
    if end:
        return f"تا {format_jalali(end)}"
    return ""


def is_cooperative_week(start: datetime.date | None, end: datetime.date | None) -> bool:
    """Cooperative Week is 11–17 Shahrivar."""
    if not (start and end):
        return False
    (y1, m1, d1), (y2, m2, d2) = _jparts(start), _jparts(end)
    return y1 == y2 and (m1, d1, m2, d2) == (6, 11, 6, 17)


def press_paragraph(
    *, totals: dict, province_name: str, start: datetime.date | None, end: datetime.date | None, opened: int
) -> str:
    """The paragraph. `opened`: how many of the projects are already open (changes the verbs' tense)."""
    period = period_text(start, end)
    when = (
        f"در هفتهٔ تعاون ({period})"
        if is_cooperative_week(start, end)
        else (f"در بازهٔ {period}" if period else "")
    )
    if totals["count"] == 0:
        return (
            f"{when} هیچ طرح تعاونی‌ای در استان {province_name} افتتاح نشده و آمادهٔ افتتاح نیست؛ "
            "با این مشخصات خبری برای انتشار وجود ندارد."
        ).strip()
    n = to_persian_digits(totals["count"])
    all_open = opened == totals["count"]
    verb = "افتتاح شد" if all_open else "آمادهٔ افتتاح است"
    if not all_open and opened:
        verb = f"افتتاح می‌شود (از این تعداد {to_persian_digits(opened)} طرح به بهره‌برداری رسیده است)"
    sentences = [
        f"به گزارش روابط عمومی اداره کل تعاون، کار و رفاه اجتماعی استان {province_name}، "
        f"{n} طرح تعاونی این استان {when} {verb}.".replace("  ", " "),
        f"کل سرمایه‌گذاری این طرح‌ها {money_about(totals['investment_rial'])} است"
        + (
            f" که {money_about(totals['members_contribution_rial'])} از آن با آوردهٔ اعضای تعاونی‌ها تأمین شده است"
            if totals["members_contribution_rial"]
            else ""
        )
        + ".",
    ]
    if totals["facilities_paid_rial"]:
        sentences.append(
            f"این طرح‌ها {money_more_than(totals['facilities_paid_rial'])} تسهیلات بانکی دریافت کرده‌اند."
        )
    jobs = totals["jobs_direct"]
    if jobs:
        future = "ایجاد شده است" if all_open else "ایجاد خواهد شد"
        sentences.append(f"با بهره‌برداری از این طرح‌ها {count_more_than(jobs, 'فرصت شغلی')} {future}.")
    fields = totals.get("activities") or [s["name"] for s in totals["by_sector"]]
    if fields:
        sentences.append(f"این واحدها در زمینهٔ {join_fa(fields)} فعالیت می‌کنند")
        counties = [c["name"] for c in totals["by_county"]]
        if len(counties) > 1:
            sentences[-1] += f" و در شهرستان‌های {join_fa(counties)} قرار دارند"
        elif counties:
            sentences[-1] += f" و در شهرستان {counties[0]} قرار دارند"
        sentences[-1] += "."
    return " ".join(sentences)
