"""Data: recompute the stored search keys (the key function now keeps separated numbers apart and folds ھ and ە)."""

from django.db import migrations

from taavon.core.keys import migration


class Migration(migrations.Migration):
    dependencies = [("places", "0002_load_places")]

    operations = [
        migrations.RunPython(migration("places", "Province", "name_key", "name_fa"), migrations.RunPython.noop),
        migrations.RunPython(migration("places", "County", "name_key", "name_fa"), migrations.RunPython.noop),
    ]
