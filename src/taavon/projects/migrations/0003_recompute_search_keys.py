"""Data: recompute the stored search keys (the key function now keeps separated numbers apart and folds ھ and ە)."""

from django.db import migrations

from taavon.core.keys import migration


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_history_indexes")]

    operations = [
        migrations.RunPython(migration("projects", "Project", "title_key", "title"), migrations.RunPython.noop),
    ]
