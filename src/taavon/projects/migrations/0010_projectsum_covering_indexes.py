"""Covering indexes on the projects' summary: the dashboard's groupings by county and stage and by sector read the
index alone (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0009_english_names"),
        ("projects", "0009_fill_projectsum_jobs_direct_created"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="projectsum",
            index=models.Index(
                fields=[
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
                ],
                name="projectsum_county_stage",
            ),
        ),
        migrations.AddIndex(
            model_name="projectsum",
            index=models.Index(
                fields=[
                    "sector",
                    "stage",
                    "projects",
                    "investment_rial",
                    "jobs_direct",
                    "facilities_paid_rial",
                ],
                name="projectsum_sector_stage",
            ),
        ),
    ]
