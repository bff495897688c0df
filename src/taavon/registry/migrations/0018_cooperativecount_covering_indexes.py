"""Covering indexes on the cooperatives' summary: the dashboard's groupings by county and by sector read the index
alone (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0009_english_names"),
        ("registry", "0017_cooperative_name_sort"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cooperativecount",
            index=models.Index(
                fields=[
                    "county",
                    "status",
                    "cooperatives",
                    "members_women",
                    "members_men",
                    "capital_paid_rial",
                ],
                name="coopcount_county_status",
            ),
        ),
        migrations.AddIndex(
            model_name="cooperativecount",
            index=models.Index(fields=["sector", "status", "cooperatives"], name="coopcount_sector_status"),
        ),
    ]
