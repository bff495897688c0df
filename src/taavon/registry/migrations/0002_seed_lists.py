"""Data: the official sectors, the two types and the activities (taavon.registry.lists)."""

from django.db import migrations


def seed(apps, schema_editor):
    from taavon.registry.lists import ACTIVITIES, SECTORS, TYPES

    Sector = apps.get_model("registry", "Sector")
    Activity = apps.get_model("registry", "Activity")
    CooperativeType = apps.get_model("registry", "CooperativeType")
    sectors = {}
    for order, (code, fa, en) in enumerate(SECTORS, start=1):
        sectors[code], _ = Sector.objects.update_or_create(code=code, defaults={"name_fa": fa, "name_en": en, "order": order})
    for code, fa, en in TYPES:
        CooperativeType.objects.update_or_create(code=code, defaults={"name_fa": fa, "name_en": en})
    for code, fa, en, sector in ACTIVITIES:
        Activity.objects.update_or_create(code=code, defaults={"name_fa": fa, "name_en": en, "sector": sectors[sector]})


def unseed(apps, schema_editor):
    from taavon.registry.lists import ACTIVITIES, SECTORS, TYPES

    apps.get_model("registry", "Activity").objects.filter(code__in=[a[0] for a in ACTIVITIES]).delete()
    apps.get_model("registry", "CooperativeType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("registry", "Sector").objects.filter(code__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
