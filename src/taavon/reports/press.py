"""The press summary: the paragraph a public-relations office publishes, written from the records.

The sentences are messages (Persian from the catalogue, exactly as the Persian press writes them); the figures are
rounded the press's way (taavon.persian.press) and written with the language's digits: "حدود ۱۹۵ میلیارد تومان" /
"about 195 billion toman"."""

import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from taavon.core.formatting import date, digits, number
from taavon.core.models import english
from taavon.persian import MONTHS_FA
from taavon.persian.jalali import MONTHS_GREGORIAN
from taavon.persian.money import MINUS
from taavon.persian.press import Rounded, number_text, rounded_about, rounded_count, rounded_more_than


def _jparts(d: datetime.date) -> tuple[int, int, int]:
    import jdatetime

    j = jdatetime.date.fromgregorian(date=d)
    return j.year, j.month, j.day


def _parts(d: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) in the calendar the language shows: Jalali in Persian, Gregorian in English."""
    return (d.year, d.month, d.day) if english() else _jparts(d)


def _month_name(month: int) -> str:
    return (MONTHS_GREGORIAN if english() else MONTHS_FA)[month - 1]


def period_text(start: datetime.date | None, end: datetime.date | None) -> str:
    """ "۱۱ تا ۱۷ شهریور ۱۴۰۴" / "2–8 September 2025" within one month; "از ۱ مهر ۱۴۰۳ تا ۲۹ اسفند ۱۴۰۳" /
    "from 22 September 2024 to 19 March 2025" otherwise."""
    if start and end:
        (y1, m1, d1), (y2, m2, d2) = _parts(start), _parts(end)
        if (y1, m1) == (y2, m2):
            if d1 == d2:
                return date(start)
            return _("%(start_day)s–%(end_day)s %(month)s %(year)s") % {
                "start_day": digits(d1),
                "end_day": digits(d2),
                "month": _month_name(m1),
                "year": digits(y1),
            }
        return _("from %(start)s to %(end)s") % {"start": date(start), "end": date(end)}
    if start:
        return _("from %(start)s") % {"start": date(start)}
    if end:
        return _("until %(end)s") % {"end": date(end)}
    return ""


def is_cooperative_week(start: datetime.date | None, end: datetime.date | None) -> bool:
    """Cooperative Week is 11–17 Shahrivar."""
    if not (start and end):
        return False
    (y1, m1, d1), (y2, m2, d2) = _jparts(start), _jparts(end)
    return y1 == y2 and (m1, d1, m2, d2) == (6, 11, 6, 17)


# --- figures ----------------------------------------------------------------------------------------------------


def _number(value) -> str:
    return number_text(value, persian=not english())


def _qualified(r: Rounded, text: str) -> str:
    if r.qualifier == "about":
        return pgettext("press figure", "about %(figure)s") % {"figure": text}
    if r.qualifier == "more_than":
        return pgettext("press figure", "more than %(figure)s") % {"figure": text}
    if r.qualifier == "less_than":
        return pgettext("press figure", "less than %(figure)s") % {"figure": text}
    return text


def _money(r: Rounded) -> str:
    number = (MINUS if r.negative and r.number != 0 else "") + _number(r.number)
    if r.scale == 10**12:
        text = _("%(number)s trillion toman") % {"number": number}
    elif r.scale == 10**9:
        text = _("%(number)s billion toman") % {"number": number}
    elif r.scale == 10**6:
        text = _("%(number)s million toman") % {"number": number}
    else:
        text = _("%(number)s toman") % {"number": number}
    return _qualified(r, text)


def money_about(rials: int) -> str:
    """ "حدود ۱۹۵ میلیارد تومان" / "about 195 billion toman"."""
    return _money(rounded_about(rials))


def money_more_than(rials: int) -> str:
    """ "بیش از ۶ میلیارد تومان" / "more than 6 billion toman"."""
    return _money(rounded_more_than(rials))


def jobs_more_than(n: int) -> str:
    """ "بیش از ۲۰۰ فرصت شغلی" / "more than 200 jobs"; "۷ فرصت شغلی" / "7 jobs"."""
    r = rounded_count(n)
    text = ngettext("%(number)s job", "%(number)s jobs", int(r.number)) % {"number": _number(r.number)}
    return _qualified(r, text)


def join_list(items: list[str]) -> str:
    """ "الف، ب و ج" / "A, B, and C" """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return pgettext("list of two", "%(first)s and %(last)s") % {"first": items[0], "last": items[1]}
    return pgettext("list of three or more", "%(items)s, and %(last)s") % {
        "items": pgettext("list separator", ", ").join(items[:-1]),
        "last": items[-1],
    }


# --- the paragraph ----------------------------------------------------------------------------------------------


def _opening_sentence(*, count: int, opened: int, province: str, when: str) -> str:
    values = {"count": number(count), "opened": number(opened), "province": province, "when": when}
    if opened == count:
        if when:
            text = ngettext(
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative project of the province was opened "
                "%(when)s.",
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative projects of the province were opened "
                "%(when)s.",
                count,
            )
        else:
            text = ngettext(
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative project of the province was opened.",
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative projects of the province were "
                "opened.",
                count,
            )
    elif opened == 0:
        if when:
            text = ngettext(
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative project of the province is ready to "
                "open %(when)s.",
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative projects of the province are ready "
                "to open %(when)s.",
                count,
            )
        else:
            text = ngettext(
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative project of the province is ready to "
                "open.",
                "According to the public relations office of the Directorate-General of Cooperatives, Labour and "
                "Social Welfare of %(province)s Province, %(count)s cooperative projects of the province are ready "
                "to open.",
                count,
            )
    elif when:
        text = ngettext(
            "According to the public relations office of the Directorate-General of Cooperatives, Labour and Social "
            "Welfare of %(province)s Province, %(count)s cooperative project of the province is being opened "
            "%(when)s; %(opened)s of them are already in operation.",
            "According to the public relations office of the Directorate-General of Cooperatives, Labour and Social "
            "Welfare of %(province)s Province, %(count)s cooperative projects of the province are being opened "
            "%(when)s; %(opened)s of them are already in operation.",
            count,
        )
    else:
        text = ngettext(
            "According to the public relations office of the Directorate-General of Cooperatives, Labour and Social "
            "Welfare of %(province)s Province, %(count)s cooperative project of the province is being opened; "
            "%(opened)s of them are already in operation.",
            "According to the public relations office of the Directorate-General of Cooperatives, Labour and Social "
            "Welfare of %(province)s Province, %(count)s cooperative projects of the province are being opened; "
            "%(opened)s of them are already in operation.",
            count,
        )
    return text % values


def _fields_sentence(*, count: int, fields: list[str], counties: list[str]) -> str:
    values = {
        "fields": join_list(fields),
        "county": counties[0] if counties else "",
        "counties": join_list(counties),
    }
    if len(counties) > 1:
        text = _(
            "These units work in the fields of %(fields)s; they are located in the counties of %(counties)s."
        )
    elif counties:
        text = ngettext(
            "This unit works in the field of %(fields)s and is located in %(county)s County.",
            "These units work in the fields of %(fields)s; they are located in %(county)s County.",
            count,
        )
    else:
        text = ngettext(
            "This unit works in the field of %(fields)s.",
            "These units work in the fields of %(fields)s.",
            count,
        )
    return text % values


def press_paragraph(
    *, totals: dict, province_name: str, start: datetime.date | None, end: datetime.date | None, opened: int
) -> str:
    """The paragraph. `opened`: how many of the projects are already open (changes the verbs' tense)."""
    period = period_text(start, end)
    if is_cooperative_week(start, end):
        when = _("during Cooperative Week (%(period)s)") % {"period": period}
    else:
        when = _("in the period %(period)s") % {"period": period} if period else ""
    count = totals["count"]
    if count == 0:
        if when:
            text = _(
                "%(when)s, no cooperative project in %(province)s Province has opened or is ready to open; there "
                "is no news to publish for these criteria."
            )
        else:
            text = _(
                "No cooperative project in %(province)s Province has opened or is ready to open; there is no news "
                "to publish for these criteria."
            )
        return capfirst(text % {"when": when, "province": province_name})
    all_open = opened == count
    sentences = [_opening_sentence(count=count, opened=opened, province=province_name, when=when)]
    investment = money_about(totals["investment_rial"])
    if totals["members_contribution_rial"]:
        sentences.append(
            ngettext(
                "The total investment in this project is %(investment)s, of which %(contribution)s came from the "
                "contributions of the cooperative's members.",
                "The total investment in these projects is %(investment)s, of which %(contribution)s came from the "
                "contributions of the cooperatives' members.",
                count,
            )
            % {"investment": investment, "contribution": money_about(totals["members_contribution_rial"])}
        )
    else:
        sentences.append(
            ngettext(
                "The total investment in this project is %(investment)s.",
                "The total investment in these projects is %(investment)s.",
                count,
            )
            % {"investment": investment}
        )
    if totals["facilities_paid_rial"]:
        sentences.append(
            ngettext(
                "This project has received %(facilities)s in bank facilities.",
                "These projects have received %(facilities)s in bank facilities.",
                count,
            )
            % {"facilities": money_more_than(totals["facilities_paid_rial"])}
        )
    jobs = totals["jobs_direct"]
    if jobs:
        if all_open:
            text = ngettext(
                "Putting this project into operation has created %(jobs)s.",
                "Putting these projects into operation has created %(jobs)s.",
                count,
            )
        else:
            text = ngettext(
                "Putting this project into operation will create %(jobs)s.",
                "Putting these projects into operation will create %(jobs)s.",
                count,
            )
        sentences.append(text % {"jobs": jobs_more_than(jobs)})
    fields = totals.get("activities") or [s["name"] for s in totals["by_sector"]]
    if fields:
        counties = [c["name"] for c in totals["by_county"]]
        sentences.append(_fields_sentence(count=count, fields=fields, counties=counties))
    return " ".join(sentences)


def triage_sentence(by_outcome: dict[str, int]) -> str:
    """«X تعاونی راکد تعیین تکلیف شد», with the outcomes: the fate of the dormant cooperatives settled in the period
    (empty when none was)."""
    total = sum(by_outcome.values())
    if not total:
        return ""
    parts = {
        "revived": ngettext("%(count)s revived", "%(count)s revived", by_outcome.get("revived", 0)),
        "merged": ngettext(
            "%(count)s merged into another cooperative",
            "%(count)s merged into other cooperatives",
            by_outcome.get("merged", 0),
        ),
        "liquidation": ngettext(
            "%(count)s referred to liquidation",
            "%(count)s referred to liquidation",
            by_outcome.get("liquidation", 0),
        ),
        "dissolved": ngettext("%(count)s dissolved", "%(count)s dissolved", by_outcome.get("dissolved", 0)),
        "not_dormant": ngettext(
            "%(count)s found not to be dormant",
            "%(count)s found not to be dormant",
            by_outcome.get("not_dormant", 0),
        ),
    }
    shown = [
        text % {"count": _number(by_outcome[code])} for code, text in parts.items() if by_outcome.get(code)
    ]
    sentence = ngettext(
        "The fate of %(count)s dormant cooperative was settled (%(outcomes)s).",
        "The fate of %(count)s dormant cooperatives was settled (%(outcomes)s).",
        total,
    ) % {"count": _number(total), "outcomes": _("; ").join(shown)}
    return sentence
