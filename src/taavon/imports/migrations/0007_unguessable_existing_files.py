"""Data: documents uploaded before names were random get random names (and their rows and history rows follow)."""

from django.db import migrations

from taavon.core.files import rename_to_unguessable


def forward(apps, schema_editor):
    rename_to_unguessable(apps.get_model("imports", "ImportBatch"), "file", "imports")


class Migration(migrations.Migration):
    dependencies = [("imports", "0006_persian_help_texts")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
