"""The projects' summary table: projects per (county, sector, stage) with their investment, members' contribution,
jobs (the actual figure where recorded, else the planned one, as the totals count them; and the direct jobs recorded
as created alone, as the map counts them) and bank facilities, for the dashboard and the maps (issue 17).

Kept current by the projects' own services in the same transaction as the change: `sums_key(project)` before the
change, `sums_moved(before, project)` after; a facility's amounts by `facility_key` / `facility_moved`. F()
increments, so concurrent changes add up. A raw loader calls `sums_rebuild()` after it (or `sums_mark_stale()`).
"""

from django.db import models, transaction
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import Coalesce

from taavon.places.models import County
from taavon.projects.models import Facility, Project
from taavon.registry.models import Sector
from taavon.registry.summary import _differences, fetch_rows, summary_is_current, summary_mark_stale

NAME = "projects.sums"
KEY = ("county_id", "sector_id", "stage")
PROJECT_FIGURES = (
    "projects",
    "investment_rial",
    "members_contribution_rial",
    "jobs_direct",
    "jobs_indirect",
    "jobs_women",
    "jobs_direct_created",
)
FACILITY_FIGURES = ("facilities_requested_rial", "facilities_approved_rial", "facilities_paid_rial")
FIGURES = PROJECT_FIGURES + FACILITY_FIGURES


class ProjectSum(models.Model):
    """Projects of one county, sector and stage: how many, what they invest, the jobs, their bank facilities."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)
    projects = models.BigIntegerField(default=0)
    investment_rial = models.BigIntegerField(default=0)
    members_contribution_rial = models.BigIntegerField(default=0)
    jobs_direct = models.BigIntegerField(default=0)
    jobs_indirect = models.BigIntegerField(default=0)
    jobs_women = models.BigIntegerField(default=0)
    jobs_direct_created = models.BigIntegerField(default=0)  # the actual figure only, as the map counts them
    facilities_requested_rial = models.BigIntegerField(default=0)
    facilities_approved_rial = models.BigIntegerField(default=0)
    facilities_paid_rial = models.BigIntegerField(default=0)

    class Meta:
        app_label = "projects"
        ordering = ("county", "sector", "stage")
        constraints = [models.UniqueConstraint(fields=("county", "sector", "stage"), name="projectsum_key")]
        # covering indexes: the dashboard's two groupings read the index alone, in its order
        indexes = [
            models.Index(
                fields=(
                    "county",
                    "stage",
                    "projects",
                    "investment_rial",
                    "members_contribution_rial",
                    "jobs_direct",
                    "jobs_indirect",
                    "jobs_women",
                    "jobs_direct_created",
                    "facilities_requested_rial",
                    "facilities_approved_rial",
                    "facilities_paid_rial",
                ),
                name="projectsum_county_stage",
            ),
            models.Index(
                fields=(
                    "sector",
                    "stage",
                    "projects",
                    "investment_rial",
                    "jobs_direct",
                    "facilities_paid_rial",
                ),
                name="projectsum_sector_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.sector_id}/{self.stage}: {self.projects}"


def _job(actual, planned) -> int:
    return actual if actual is not None else (planned or 0)


def _project_figures(p: Project) -> tuple:
    return (
        1,
        p.investment_rial or 0,
        p.members_contribution_rial or 0,
        _job(p.jobs_direct_actual, p.jobs_direct_planned),
        _job(p.jobs_indirect_actual, p.jobs_indirect_planned),
        _job(p.jobs_women_actual, p.jobs_women_planned),
        p.jobs_direct_actual or 0,
    )


def sums_key(project: Project, *, facilities: bool = True) -> tuple:
    """What a project adds to the summary: its row's key and its figures (its facilities' sums: one query;
    `facilities=False` for a project just created, which has none)."""
    fac = (0, 0, 0)
    if facilities and project.pk:
        f = Facility.objects.filter(project_id=project.pk).aggregate(
            r=Coalesce(Sum("requested_rial"), 0),
            a=Coalesce(Sum("approved_rial"), 0),
            p=Coalesce(Sum("paid_rial"), 0),
        )
        fac = (f["r"], f["a"], f["p"])
    return (project.county_id, project.sector_id, project.stage), _project_figures(project) + fac


def _apply(delta: dict) -> None:
    delta = {k: v for k, v in delta.items() if any(v)}
    if not delta:
        return
    ProjectSum.objects.bulk_create(
        [ProjectSum(county_id=k[0], sector_id=k[1], stage=k[2]) for k in delta], ignore_conflicts=True
    )
    for (county_id, sector_id, stage), figures in delta.items():
        ProjectSum.objects.filter(county_id=county_id, sector_id=sector_id, stage=stage).update(
            **{name: F(name) + d for name, d in zip(FIGURES, figures, strict=True) if d}
        )


def _add(delta: dict, entry: tuple, sign: int) -> None:
    key, figures = entry
    row = delta.setdefault(key, [0] * len(FIGURES))
    for i, v in enumerate(figures):
        row[i] += sign * v


def sums_moved(before: tuple | None, project: Project | None, *, after: tuple | None = None) -> None:
    """After a service changed a project (`before=None`: created; `project=None`: deleted), move its share."""
    delta: dict = {}
    if before is not None:
        _add(delta, before, -1)
    if project is not None or after is not None:
        _add(delta, after if after is not None else sums_key(project), +1)
    _apply(delta)


def facility_key(facility: Facility) -> tuple:
    """What a facility adds: under its project's row as the database has it now (one query)."""
    key = Project.objects.filter(pk=facility.project_id).values_list(*KEY).get()
    return tuple(key), (0,) * len(PROJECT_FIGURES) + (
        facility.requested_rial or 0,
        facility.approved_rial or 0,
        facility.paid_rial or 0,
    )


def facility_moved(before: tuple | None, facility: Facility | None) -> None:
    """After a service added (`before=None`), changed or deleted (`facility=None`) a facility."""
    delta: dict = {}
    if before is not None:
        _add(delta, before, -1)
    if facility is not None:
        _add(delta, facility_key(facility), +1)
    _apply(delta)


def sums_add(projects, sign: int = +1) -> None:
    """Projects created in bulk without facilities (sign=-1: deleted)."""
    delta: dict = {}
    for p in projects:
        _add(delta, sums_key(p, facilities=False), sign)
    _apply(delta)


def sums_mark_stale() -> None:
    summary_mark_stale(NAME)


def sums_current() -> bool:
    return summary_is_current(NAME)


def _jobs(kind: str):
    return Coalesce(
        F(f"jobs_{kind}_actual"), F(f"jobs_{kind}_planned"), Value(0), output_field=IntegerField()
    )


def _recount() -> dict:
    out: dict = {}
    rows = (
        Project.objects.order_by()
        .values(*KEY)
        .annotate(
            n=Count("id"),
            inv=Coalesce(Sum("investment_rial"), 0),
            mem=Coalesce(Sum("members_contribution_rial"), 0),
            jd=Coalesce(Sum(_jobs("direct")), 0),
            ji=Coalesce(Sum(_jobs("indirect")), 0),
            jw=Coalesce(Sum(_jobs("women")), 0),
            jc=Coalesce(Sum("jobs_direct_actual"), 0),
        )
    )
    for r in rows:
        out[(r["county_id"], r["sector_id"], r["stage"])] = [
            r["n"],
            r["inv"],
            r["mem"],
            r["jd"],
            r["ji"],
            r["jw"],
            r["jc"],
        ]
    fac = (
        Facility.objects.order_by()
        .values("project__county_id", "project__sector_id", "project__stage")
        .annotate(
            r=Coalesce(Sum("requested_rial"), 0),
            a=Coalesce(Sum("approved_rial"), 0),
            p=Coalesce(Sum("paid_rial"), 0),
        )
    )
    for r in fac:
        key = (r["project__county_id"], r["project__sector_id"], r["project__stage"])
        out.setdefault(key, [0] * len(PROJECT_FIGURES))
        out[key] = out[key][: len(PROJECT_FIGURES)] + [r["r"], r["a"], r["p"]]
    return {k: tuple(v + [0] * (len(FIGURES) - len(v))) for k, v in out.items() if any(v)}


def _stored() -> dict:
    return {
        (r[0], r[1], r[2]): tuple(r[3:]) for r in ProjectSum.objects.values_list(*KEY, *FIGURES) if any(r[3:])
    }


def sums_check() -> list[dict]:
    """The differences between the summary and a full recount of the records (empty when they are equal)."""
    return _differences(_stored(), _recount(), FIGURES)


@transaction.atomic
def sums_rebuild() -> int:
    """Recompute the summary from the records, in one transaction; returns the number of rows."""
    counted = _recount()
    ProjectSum.objects.all().delete()
    ProjectSum.objects.bulk_create(
        [
            ProjectSum(county_id=k[0], sector_id=k[1], stage=k[2], **dict(zip(FIGURES, v, strict=True)))
            for k, v in counted.items()
        ],
        batch_size=1000,
    )
    summary_mark_stale(NAME, stale=False)
    return len(counted)


def sums_rows(*, where: models.Q, group: str | None = None) -> list[dict]:
    """Rows of the summary under `where` (jurisdiction and filters, in the database) summed by `group`
    ("county" or "sector", with its names; "stage"; or None): the dashboard's reads (taavon.reports.selectors)."""
    if group in ("county", "sector"):
        keys = [f"{group}_id", f"{group}__name_fa", f"{group}__name_en"]
    else:
        keys = [group] if group else []
    qs = ProjectSum.objects.filter(where).order_by()
    sums = {name: Sum(name) for name in FIGURES}
    if keys:
        return list(qs.values(*keys).annotate(**sums))
    return [qs.aggregate(**sums)]


def sums_grouped(*, where: models.Q, keys: tuple[str, ...]) -> list[tuple]:
    """Rows of the summary under `where`, grouped by `keys` (("county_id", "stage") or ("sector_id", "stage")):
    the keys then every figure of FIGURES, without the names (the caller has them), so the grouping reads the
    covering index alone (the sector grouping: the figures its index holds, the others 0)."""
    qs = ProjectSum.objects.filter(where).order_by().values_list(*keys)
    if keys[0] == "county_id":
        return fetch_rows(qs.annotate(**{f"s_{name}": Sum(name) for name in FIGURES}))
    held = ("projects", "investment_rial", "jobs_direct", "facilities_paid_rial")
    rows = fetch_rows(qs.annotate(**{f"s_{name}": Sum(name) for name in held}))
    out = []
    for row in rows:
        sums = dict(zip(held, row[len(keys) :], strict=True))
        out.append(tuple(row[: len(keys)]) + tuple(sums.get(name, 0) for name in FIGURES))
    return out
