"""Data: recompute the stored search keys (the key function now keeps separated numbers apart and folds ھ and ە)."""

from django.db import migrations

from taavon.core.keys import migration


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_unguessable_document_names")]

    operations = [
        migrations.RunPython(migration("registry", "Cooperative", "name_key", "name"), migrations.RunPython.noop),
    ]
