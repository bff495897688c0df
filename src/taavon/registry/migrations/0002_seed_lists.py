"""Data: the official sectors, the two types and the activities (taavon.registry.lists)."""

from django.db import migrations


def seed(apps, schema_editor):
    from taavon.registry.lists import seed_lists

    seed_lists(
        apps.get_model("registry", "Sector"),
        apps.get_model("registry", "Activity"),
        apps.get_model("registry", "CooperativeType"),
    )


def unseed(apps, schema_editor):
    from taavon.registry.lists import ACTIVITIES, SECTORS, TYPES

    apps.get_model("registry", "Activity").objects.filter(code__in=[a[0] for a in ACTIVITIES]).delete()
    apps.get_model("registry", "CooperativeType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("registry", "Sector").objects.filter(code__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
