"""Publications (issue 18): a press paragraph frozen with the moment its figures were taken, its filters, its
figures and a checksum of the records behind them; read back by a public permalink, with what changed since.

The figures of a publication are never computed again to be shown: they are what was published. What is computed
is the proof (the checksum of the records as of that moment, which the history keeps) and the difference with
today (the records whose later changes move a figure)."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import can_publish_for_province
from taavon.accounts.models import User
from taavon.core.formatting import date as show_date
from taavon.core.formatting import number, toman
from taavon.core.history import history_now, rows_as_of
from taavon.events.selectors import year_openings
from taavon.persian import format_jalali
from taavon.places.models import Province
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.selectors import ProjectFilters, paid_by_project, project_facilities, project_queryset
from taavon.registry.models import Cooperative
from taavon.reports.models import Publication, PublicationKind
from taavon.reports.press import period_text
from taavon.reports.selectors import press_summary
from taavon.triage.figures import settled_cases

# the figures a press publication keeps, with their labels (the order the pages show them in)
FIGURES = {
    "count": gettext_lazy("Projects"),
    "opened": gettext_lazy("Projects opened"),
    "investment_rial": gettext_lazy("Investment"),
    "members_contribution_rial": gettext_lazy("Members' contribution"),
    "facilities_paid_rial": gettext_lazy("Facilities paid"),
    "jobs_direct": gettext_lazy("Direct jobs"),
    "jobs_indirect": gettext_lazy("Indirect jobs"),
}
# figures the public register shows only as totals, never a project by project
PRIVATE_PER_PROJECT = ("members_contribution_rial", "facilities_paid_rial", "jobs_indirect")
MONEY = {"investment_rial", "members_contribution_rial", "facilities_paid_rial"}
GROUPS = ("count", "investment_rial", "facilities_paid_rial", "jobs")


def figure_text(key: str, value) -> str:
    if value is None:
        return "—"
    return toman(value) if key in MONEY else number(value)


def _dates(start, end) -> dict:
    return {
        "opening_from": format_jalali(start, "iso") if start else "",
        "opening_to": format_jalali(end, "iso") if end else "",
    }


def press_filters(pub: Publication) -> tuple:
    """(province, start, end) of a press publication."""
    from taavon.persian import parse_jalali

    f = pub.filters
    start = parse_jalali(f["opening_from"]) if f.get("opening_from") else None
    end = parse_jalali(f["opening_to"]) if f.get("opening_to") else None
    return pub.province, start, end


def _figures(totals: dict) -> dict:
    figures = {k: totals[k] for k in FIGURES}
    for group in ("by_county", "by_sector"):
        figures[group] = [{"name": g["name"], **{k: g[k] for k in GROUPS}} for g in totals[group]]
    return figures


def _projects(province: Province, start, end, as_of: datetime.datetime | None):
    filters = ProjectFilters(province=province.pk, opening_from=start, opening_to=end)
    return project_queryset(user=None, filters=filters, as_of=as_of)


def records_behind(*, province: Province, start, end, as_of: datetime.datetime) -> list[tuple[str, int, int]]:
    """(record kind, id, version) of every record a press paragraph's figures and sentences come from, as of
    `as_of`: the projects, their facilities, the cases settled in the period, the opening events. The version is
    the history row's id, so the list names exactly what was read."""
    projects = _projects(province, start, end, as_of)
    rows = [("project", pk, v) for pk, v in projects.values_list("id", "history_id")]
    rows += [
        ("facility", pk, v) for pk, v in project_facilities(projects, as_of).values_list("id", "history_id")
    ]
    if start and end:
        # the cases settled in the window (with their cooperatives' rows, which place each case in the province)
        # and the opening events: what the paragraph's sentences read
        cases = settled_cases(province_id=province.pk, start=start, end=end, as_of=as_of)
        rows += [("case", pk, v) for pk, v in cases.values_list("id", "history_id")]
        rows += [
            ("cooperative", pk, v)
            for pk, v in rows_as_of(Cooperative, as_of)
            .filter(id__in=cases.values("cooperative_id"))
            .values_list("id", "history_id")
        ]
        rows += [
            ("event", e.id, e.history_id)
            for e in year_openings(province_id=province.pk, start=start, end=end, as_of=as_of)
        ]
    return sorted(rows)


def checksum(rows: list[tuple[str, int, int]]) -> str:
    """SHA-256 of the records behind the figures (kind, id, version a line): the same records read give the same
    sum, any other record or version another."""
    text = "\n".join(f"{kind}:{pk}:{version}" for kind, pk, version in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def publication_publish_press(
    *,
    acting_user: User,
    province: Province,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.datetime | None = None,
) -> Publication:
    """Publish the press paragraph of a province's openings from `start` to `end`, with its figures as of `as_of`
    (now when not given), in the publisher's language. The province's staff and administrators only."""
    if not can_publish_for_province(acting_user, province.pk):
        raise PermissionDenied(_("Only the province's staff may publish its figures."))
    now = history_now()
    as_of = as_of or now
    if as_of > now:
        raise ValidationError(_("Figures cannot be published as of a moment still to come."))
    summary = press_summary(province=province, start=start, end=end, as_of=as_of)
    rows = records_behind(province=province, start=start, end=end, as_of=as_of)
    period = period_text(start, end)
    pub = Publication(
        token=secrets.token_urlsafe(9),
        kind=PublicationKind.PRESS,
        title=(
            _("Press paragraph: %(province)s, %(period)s") % {"province": province.name, "period": period}
            if period
            else _("Press paragraph: %(province)s") % {"province": province.name}
        )[:200],
        language=get_language() or "fa",
        province=province,
        as_of=as_of,
        filters={"province": province.code, **_dates(start, end)},
        figures=_figures(summary["totals"]),
        text=summary["paragraph"],
        checksum=checksum(rows),
        records=len(rows),
        published_at=now,
        published_by=acting_user,
    )
    pub._history_user = acting_user
    pub._change_reason = "Published"
    pub.full_clean()
    pub.save()
    return pub


# --- reading back -------------------------------------------------------------------------------------------------


def publication_get(token: str) -> Publication:
    """A publication by its permalink (public: what was published is public)."""
    return Publication.objects.select_related("province").get(token=token)


def recent_publications(*, province: Province | None, limit: int = 10) -> list[Publication]:
    qs = Publication.objects.select_related("province")
    if province is not None:
        qs = qs.filter(province=province)
    return list(qs[:limit])


def verify(pub: Publication) -> bool:
    """Whether the records behind the figures, read again as of the publication's moment, are those it was
    computed from (the history holds every version: True unless the history itself was altered)."""
    province, start, end = press_filters(pub)
    return checksum(records_behind(province=province, start=start, end=end, as_of=pub.as_of)) == pub.checksum


def regenerate(pub: Publication) -> dict:
    """The paragraph and figures computed again as of the publication's moment, in its language."""
    province, start, end = press_filters(pub)
    with translation.override(pub.language):
        summary = press_summary(province=province, start=start, end=end, as_of=pub.as_of)
        return {"paragraph": summary["paragraph"], "figures": _figures(summary["totals"])}


_FIELDS = (
    "title",
    "cooperative__name",
    "stage",
    "investment_rial",
    "members_contribution_rial",
    "jobs_direct_planned",
    "jobs_direct_actual",
    "jobs_indirect_planned",
    "jobs_indirect_actual",
    "expected_opening_date",
    "actual_opening_date",
    "county__name_fa",
    "county__name_en",
)


def _rows(qs) -> dict:
    return {r["id"]: r for r in qs.values("id", *_FIELDS)}


def _jobs(row: dict, kind: str) -> int:
    actual = row[f"jobs_{kind}_actual"]
    return actual if actual is not None else (row[f"jobs_{kind}_planned"] or 0)


def _changed_on(project_ids: set[int], after: datetime.datetime) -> dict[int, list[datetime.datetime]]:
    """{project: the moments its record or its facilities were changed after `after`}."""
    out: dict = {}
    for pk, moment in (
        Project.history.model.objects.filter(id__in=project_ids, history_date__gt=after)
        .order_by("history_date")
        .values_list("id", "history_date")
    ):
        out.setdefault(pk, []).append(moment)
    for pk, moment in (
        Facility.history.model.objects.filter(project_id__in=project_ids, history_date__gt=after)
        .order_by("history_date")
        .values_list("project_id", "history_date")
    ):
        out.setdefault(pk, []).append(moment)
    return {pk: sorted(moments) for pk, moments in out.items()}


def changes_since(pub: Publication, *, public: bool) -> dict:
    """What moved the publication's figures since it was published: each figure then (as published) and now, and
    the projects whose later changes move them, with the changes — in public terms for the public (`public`: a
    project no longer public is counted, not named)."""
    province, start, end = press_filters(pub)
    with translation.override(pub.language):
        now = press_summary(province=province, start=start, end=end)
    now_figures = _figures(now["totals"])
    figures = [
        {
            "key": key,
            "label": label,
            "then": pub.figures.get(key),
            "now": now_figures[key],
            "then_text": figure_text(key, pub.figures.get(key)),
            "now_text": figure_text(key, now_figures[key]),
            "moved": pub.figures.get(key) != now_figures[key],
        }
        for key, label in FIGURES.items()
    ]
    then_qs, now_qs = _projects(province, start, end, pub.as_of), _projects(province, start, end, None)
    then_rows, now_rows = _rows(then_qs), _rows(now_qs)
    then_paid, now_paid = paid_by_project(then_qs, pub.as_of), paid_by_project(now_qs)
    ids = set(then_rows) | set(now_rows)
    when = _changed_on(ids, pub.as_of)
    stages = dict(Stage.choices)
    gone = set(then_rows) - set(now_rows)
    # a project that left the figures: is it still public (its stage changed, or it moved) — a cancelled or removed
    # one is not named to the public (the register's rule)
    # jurisdiction: public figures (a publication's projects), only their stage read
    public_now = set(
        Project.objects.filter(id__in=gone).exclude(stage=Stage.CANCELLED).values_list("id", flat=True)
    )
    records = []
    hidden = 0
    for pk in sorted(ids):
        a, b = then_rows.get(pk), now_rows.get(pk)
        changes = []
        if a is None:
            changes.append((_("In the figures"), _("no"), _("yes")))
        elif b is None:
            changes.append((_("In the figures"), _("yes"), _("no")))
        if a and b:
            if a["stage"] != b["stage"]:
                changes.append((_("Stage"), str(stages.get(a["stage"], a["stage"])), str(stages[b["stage"]])))
            if a["investment_rial"] != b["investment_rial"]:
                changes.append(
                    (
                        str(FIGURES["investment_rial"]),
                        toman(a["investment_rial"]),
                        toman(b["investment_rial"]),
                    )
                )
            if _jobs(a, "direct") != _jobs(b, "direct"):
                changes.append(
                    (str(FIGURES["jobs_direct"]), number(_jobs(a, "direct")), number(_jobs(b, "direct")))
                )
            # the fields the public register does not show a project by project (their totals it does)
            if not public:
                if a["members_contribution_rial"] != b["members_contribution_rial"]:
                    changes.append(
                        (
                            str(FIGURES["members_contribution_rial"]),
                            toman(a["members_contribution_rial"]),
                            toman(b["members_contribution_rial"]),
                        )
                    )
                if _jobs(a, "indirect") != _jobs(b, "indirect"):
                    changes.append(
                        (
                            str(FIGURES["jobs_indirect"]),
                            number(_jobs(a, "indirect")),
                            number(_jobs(b, "indirect")),
                        )
                    )
                paid_then, paid_now = then_paid.get(pk) or 0, now_paid.get(pk) or 0
                if paid_then != paid_now:
                    changes.append((str(FIGURES["facilities_paid_rial"]), toman(paid_then), toman(paid_now)))
        if not changes:
            continue
        row = b or a
        if public and b is None and pk not in public_now:
            hidden += 1  # a cancelled project is not public (the register's rule): counted, not named
            continue
        records.append(
            {
                "title": row["title"],
                "cooperative": row["cooperative__name"],
                "changes": changes,
                "when": pgettext("list separator", ", ").join(
                    show_date(d) for d in sorted({timezone.localtime(m).date() for m in when.get(pk, [])})
                ),
            }
        )
    # moved figures whose records the public is not shown one by one (only their totals, above)
    totals_only = pgettext("list separator", ", ").join(
        str(FIGURES[k])
        for k in PRIVATE_PER_PROJECT
        if public and any(f["moved"] for f in figures if f["key"] == k)
    )
    return {
        "figures": figures,
        "totals_only": totals_only,
        "moved": any(f["moved"] for f in figures),
        "records": records,
        "hidden": hidden,
        "paragraph_now": now["paragraph"],
        "paragraph_moved": now["paragraph"] != pub.text,
    }
