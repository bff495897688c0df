"""The registry's summary table: cooperatives counted per (county, sector, status), with their members and paid-up
capital, for the dashboard (issue 17).

Kept current by the registry's own services, in the same transaction as the change: a service takes the record's
`counts_key` before it changes it and calls `counts_moved` after (or `counts_add` / `counts_remove` for records
created or deleted, in bulk too); the rows move by F() increments, so concurrent changes add up. A load that goes
around the services (raw SQL) calls `counts_rebuild()` after it, or `counts_mark_stale()` until it does: a stale
summary is not read (the dashboard says so and counts from the records).
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from taavon.places.models import County
from taavon.registry.models import Cooperative, Sector

FIGURES = ("cooperatives", "members_women", "members_men", "capital_paid_rial")
KEY = ("county_id", "sector_id", "status")
NAME = "registry.counts"


class CooperativeCount(models.Model):
    """Cooperatives of one county, sector and status: how many, their members and paid-up capital."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    cooperatives = models.BigIntegerField(default=0)
    members_women = models.BigIntegerField(default=0)
    members_men = models.BigIntegerField(default=0)
    capital_paid_rial = models.BigIntegerField(default=0)

    class Meta:
        app_label = "registry"
        ordering = ("county", "sector", "status")
        constraints = [
            models.UniqueConstraint(fields=("county", "sector", "status"), name="coopcount_key"),
        ]
        # covering indexes: the dashboard's two groupings read the index alone, in its order (no sort, no row
        # lookups) — a few milliseconds over the ~40,000 rows of a nation
        indexes = [
            models.Index(
                fields=(
                    "county",
                    "status",
                    "cooperatives",
                    "members_women",
                    "members_men",
                    "capital_paid_rial",
                ),
                name="coopcount_county_status",
            ),
            models.Index(fields=("sector", "status", "cooperatives"), name="coopcount_sector_status"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.sector_id}/{self.status}: {self.cooperatives}"


class SummaryState(models.Model):
    """Whether a summary table is known to be behind its records (a raw load not yet followed by a rebuild)."""

    name = models.CharField(max_length=40, unique=True)
    stale = models.BooleanField(default=False)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "registry"
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name}: {'stale' if self.stale else 'current'}"


def summary_is_current(name: str) -> bool:
    """False when the summary was marked stale (or never built over existing records: see the migration)."""
    return not SummaryState.objects.filter(name=name, stale=True).exists()


def summaries_stale() -> set[str]:
    """The names of the summaries marked stale (one query for all of them)."""
    return set(SummaryState.objects.filter(stale=True).values_list("name", flat=True))


def summary_mark_stale(name: str, stale: bool = True) -> None:
    state, _created = SummaryState.objects.get_or_create(name=name)
    state.stale = stale
    if not stale:
        state.rebuilt_at = timezone.now()
    state.save()


def counts_key(coop: Cooperative) -> tuple:
    """What a cooperative adds to the summary: its row's key and its figures."""
    return (
        (coop.county_id, coop.sector_id, coop.status),
        (1, coop.members_women or 0, coop.members_men or 0, coop.capital_paid_rial or 0),
    )


def _apply(delta: dict) -> None:
    """Add `delta` ({key: [figures]}) to the rows; rows that do not exist yet are created first (an upsert that
    works on SQLite and PostgreSQL alike), then every row moves by an F() increment."""
    delta = {k: v for k, v in delta.items() if any(v)}
    if not delta:
        return
    CooperativeCount.objects.bulk_create(
        [CooperativeCount(county_id=k[0], sector_id=k[1], status=k[2]) for k in delta],
        ignore_conflicts=True,
    )
    for (county_id, sector_id, status), figures in delta.items():
        CooperativeCount.objects.filter(county_id=county_id, sector_id=sector_id, status=status).update(
            **{name: F(name) + d for name, d in zip(FIGURES, figures, strict=True) if d}
        )


def _add(delta: dict, entry: tuple, sign: int) -> None:
    key, figures = entry
    row = delta.setdefault(key, [0] * len(FIGURES))
    for i, v in enumerate(figures):
        row[i] += sign * v


def counts_moved(before: tuple | None, coop: Cooperative) -> None:
    """After a service changed (or created, `before=None`) a cooperative: move its contribution."""
    delta: dict = {}
    if before is not None:
        _add(delta, before, -1)
    _add(delta, counts_key(coop), +1)
    _apply(delta)


def counts_add(coops: Iterable[Cooperative], sign: int = +1) -> None:
    """Cooperatives created in bulk (sign=-1: deleted): grouped in memory, one upsert and update per row touched."""
    delta: dict = {}
    for coop in coops:
        _add(delta, counts_key(coop), sign)
    _apply(delta)


def counts_remove(coops: Iterable[Cooperative]) -> None:
    counts_add(coops, sign=-1)


def counts_mark_stale() -> None:
    """For a loader that writes around the services: the dashboard counts live until counts_rebuild()."""
    summary_mark_stale(NAME)


def counts_current() -> bool:
    return summary_is_current(NAME)


def _recount() -> dict:
    rows = (
        Cooperative.objects.order_by()
        .values(*KEY)
        .annotate(
            n=Count("id"),
            w=Coalesce(Sum("members_women"), 0),
            m=Coalesce(Sum("members_men"), 0),
            c=Coalesce(Sum("capital_paid_rial"), 0),
        )
    )
    return {(r["county_id"], r["sector_id"], r["status"]): (r["n"], r["w"], r["m"], r["c"]) for r in rows}


def _stored() -> dict:
    return {
        (r[0], r[1], r[2]): tuple(r[3:])
        for r in CooperativeCount.objects.values_list(*KEY, *FIGURES)
        if any(r[3:])
    }


def counts_check() -> list[dict]:
    """The differences between the summary and a full recount of the records (empty when they are equal)."""
    return _differences(_stored(), _recount(), FIGURES)


def _differences(stored: dict, counted: dict, figures) -> list[dict]:
    zero = (0,) * len(figures)
    out = []
    for key in sorted(set(stored) | set(counted), key=str):
        s, c = stored.get(key, zero), counted.get(key, zero)
        if tuple(s) != tuple(c):
            out.append(
                {
                    "key": key,
                    "stored": dict(zip(figures, s, strict=True)),
                    "counted": dict(zip(figures, c, strict=True)),
                }
            )
    return out


@transaction.atomic
def counts_rebuild() -> int:
    """Recompute the summary from the records, in one transaction; returns the number of rows."""
    counted = _recount()
    CooperativeCount.objects.all().delete()
    CooperativeCount.objects.bulk_create(
        [
            CooperativeCount(
                county_id=k[0], sector_id=k[1], status=k[2], **dict(zip(FIGURES, v, strict=True))
            )
            for k, v in counted.items()
        ],
        batch_size=1000,
    )
    summary_mark_stale(NAME, stale=False)
    return len(counted)


def counts_totals(*, where: models.Q, group: str | None = None) -> list[dict]:
    """Rows of the summary under `where` (jurisdiction and filters, in the database), grouped by `group`
    ("county" or "sector", with its names) and status: the dashboard's reads (taavon.reports.selectors)."""
    keys = [f"{group}_id", f"{group}__name_fa", f"{group}__name_en", "status"] if group else ["status"]
    return list(
        CooperativeCount.objects.filter(where)
        .order_by()
        .values(*keys)
        .annotate(
            n=Sum("cooperatives"),
            women=Sum("members_women"),
            men=Sum("members_men"),
            capital=Sum("capital_paid_rial"),
        )
    )


def counts_grouped(*, where: models.Q, key: str) -> list[tuple]:
    """(key id, status, cooperatives, women, men, capital) rows of the summary under `where`, grouped by `key`
    ("county" or "sector") and status — without the names (the caller has them), so the grouping reads the
    covering index alone. The sector grouping carries the count only (the others are 0)."""
    qs = CooperativeCount.objects.filter(where).order_by().values_list(f"{key}_id", "status")
    if key == "county":
        qs = qs.annotate(
            n=Sum("cooperatives"), w=Sum("members_women"), m=Sum("members_men"), c=Sum("capital_paid_rial")
        )
        return fetch_rows(qs)
    return [(k, status, n, 0, 0, 0) for k, status, n in fetch_rows(qs.annotate(n=Sum("cooperatives")))]


def fetch_rows(qs) -> list[tuple]:
    """A values_list() queryset of ids, codes and integer sums, fetched on the cursor: the same tuples without
    Django's per-value converters (thousands of rows × a dozen sums on the dashboard)."""
    from django.db import connections

    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    connection = connections[qs.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # integer sums come back as int
        return rows
    from decimal import Decimal  # PostgreSQL's SUM(bigint) is numeric: whole numbers, as int

    return [tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in rows]


__all__ = [
    "CooperativeCount",
    "SummaryState",
    "counts_add",
    "counts_check",
    "counts_current",
    "counts_grouped",
    "counts_key",
    "counts_mark_stale",
    "counts_moved",
    "counts_rebuild",
    "counts_remove",
    "counts_totals",
    "fetch_rows",
]
