"""Fill the projects' summary's new column from the records already there (one grouped query), so the summary is
never behind them."""

from django.db import migrations
from django.db.models import Sum
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ProjectSum = apps.get_model("projects", "ProjectSum")
    rows = (
        Project.objects.order_by()
        .values_list("county_id", "sector_id", "stage")
        .annotate(n=Coalesce(Sum("jobs_direct_actual"), 0))
    )
    for county_id, sector_id, stage, n in rows:
        if n:
            ProjectSum.objects.filter(county_id=county_id, sector_id=sector_id, stage=stage).update(
                jobs_direct_created=n
            )


def empty(apps, schema_editor):
    apps.get_model("projects", "ProjectSum").objects.update(jobs_direct_created=0)


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_projectsum_jobs_direct_created")]

    operations = [migrations.RunPython(fill, empty)]
