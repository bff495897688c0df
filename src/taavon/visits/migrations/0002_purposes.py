"""The visits' purposes the directorate starts with (an administrator extends the list in /admin/)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from taavon.visits.lists import seed_purposes

    seed_purposes(apps.get_model("visits", "Purpose"))


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
