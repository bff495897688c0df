"""Data: all 31 provinces and 479 counties of Iran (OpenStreetMap, ODbL 1.0)."""

from django.db import migrations


def load(apps, schema_editor):
    from taavon.places.loading import load_places

    load_places(apps.get_model("places", "Province"), apps.get_model("places", "County"))


def unload(apps, schema_editor):
    apps.get_model("places", "County").objects.all().delete()
    apps.get_model("places", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
