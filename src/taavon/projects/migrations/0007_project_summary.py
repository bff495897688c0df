"""The dashboard's summary of projects per (county, sector, stage) (issue 17), filled from the records already
there (grouped queries), so the summary is never behind them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import Coalesce


def _jobs(kind):
    return Coalesce(
        F(f"jobs_{kind}_actual"), F(f"jobs_{kind}_planned"), Value(0), output_field=IntegerField()
    )


def fill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Facility = apps.get_model("projects", "Facility")
    ProjectSum = apps.get_model("projects", "ProjectSum")
    sums = {}
    for r in (
        Project.objects.order_by()
        .values("county_id", "sector_id", "stage")
        .annotate(
            projects=Count("id"),
            investment_rial=Coalesce(Sum("investment_rial"), 0),
            members_contribution_rial=Coalesce(Sum("members_contribution_rial"), 0),
            jobs_direct=Coalesce(Sum(_jobs("direct")), 0),
            jobs_indirect=Coalesce(Sum(_jobs("indirect")), 0),
            jobs_women=Coalesce(Sum(_jobs("women")), 0),
        )
    ):
        key = (r.pop("county_id"), r.pop("sector_id"), r.pop("stage"))
        sums[key] = r
    for r in (
        Facility.objects.order_by()
        .values("project__county_id", "project__sector_id", "project__stage")
        .annotate(
            facilities_requested_rial=Coalesce(Sum("requested_rial"), 0),
            facilities_approved_rial=Coalesce(Sum("approved_rial"), 0),
            facilities_paid_rial=Coalesce(Sum("paid_rial"), 0),
        )
    ):
        key = (r.pop("project__county_id"), r.pop("project__sector_id"), r.pop("project__stage"))
        sums.setdefault(key, {}).update(r)
    ProjectSum.objects.bulk_create(
        [ProjectSum(county_id=k[0], sector_id=k[1], stage=k[2], **v) for k, v in sums.items()],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0009_english_names"),
        ("registry", "0016_cooperative_summary"),
        ("projects", "0006_english_source_strings"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectSum",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                ("projects", models.BigIntegerField(default=0)),
                ("investment_rial", models.BigIntegerField(default=0)),
                ("members_contribution_rial", models.BigIntegerField(default=0)),
                ("jobs_direct", models.BigIntegerField(default=0)),
                ("jobs_indirect", models.BigIntegerField(default=0)),
                ("jobs_women", models.BigIntegerField(default=0)),
                ("facilities_requested_rial", models.BigIntegerField(default=0)),
                ("facilities_approved_rial", models.BigIntegerField(default=0)),
                ("facilities_paid_rial", models.BigIntegerField(default=0)),
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
                "ordering": ("county", "sector", "stage"),
                "constraints": [
                    models.UniqueConstraint(fields=("county", "sector", "stage"), name="projectsum_key")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
