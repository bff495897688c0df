"""The dashboard's summary of cooperatives per (county, sector, status) and the summaries' stale flags (issue 17).
The table starts filled from the records already there (one grouped query), so the summary is never behind them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Cooperative = apps.get_model("registry", "Cooperative")
    CooperativeCount = apps.get_model("registry", "CooperativeCount")
    rows = (
        Cooperative.objects.order_by()
        .values("county_id", "sector_id", "status")
        .annotate(
            n=Count("id"),
            w=Coalesce(Sum("members_women"), 0),
            m=Coalesce(Sum("members_men"), 0),
            c=Coalesce(Sum("capital_paid_rial"), 0),
        )
    )
    CooperativeCount.objects.bulk_create(
        [
            CooperativeCount(
                county_id=r["county_id"],
                sector_id=r["sector_id"],
                status=r["status"],
                cooperatives=r["n"],
                members_women=r["w"],
                members_men=r["m"],
                capital_paid_rial=r["c"],
            )
            for r in rows
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0009_english_names"),
        ("registry", "0015_search_fts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SummaryState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                ("stale", models.BooleanField(default=False)),
                ("rebuilt_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"ordering": ("name",)},
        ),
        migrations.CreateModel(
            name="CooperativeCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("cooperatives", models.BigIntegerField(default=0)),
                ("members_women", models.BigIntegerField(default=0)),
                ("members_men", models.BigIntegerField(default=0)),
                ("capital_paid_rial", models.BigIntegerField(default=0)),
                (
                    "county",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="places.county"
                    ),
                ),
                (
                    "sector",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="registry.sector"
                    ),
                ),
            ],
            options={
                "ordering": ("county", "sector", "status"),
                "constraints": [
                    models.UniqueConstraint(fields=("county", "sector", "status"), name="coopcount_key")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
