"""The projects' summary keeps the direct jobs recorded as created (the actual figure only) too, so that the maps'
«jobs created» figure comes from it (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_project_summary")]

    operations = [
        migrations.AddField(
            model_name="projectsum",
            name="jobs_direct_created",
            field=models.BigIntegerField(default=0),
        ),
    ]
