"""Data: the other names of Lorestan's counties (former names and capitals), so that imports and search know them."""

from django.db import migrations


def seed(apps, schema_editor):
    from taavon.places.loading import load_aliases

    load_aliases(apps.get_model("places", "County"), apps.get_model("places", "CountyAlias"))


def unseed(apps, schema_editor):
    apps.get_model("places", "CountyAlias").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0004_county_aliases")]
    operations = [migrations.RunPython(seed, unseed)]
