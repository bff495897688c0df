"""Data: recompute the stored search keys (the key function now keeps separated numbers apart and folds ھ and ە)."""

from django.db import migrations

from taavon.core.keys import migration


class Migration(migrations.Migration):
    dependencies = [("members", "0003_unguessable_document_names")]

    operations = [
        migrations.RunPython(
            migration("members", "Person", "name_key", "first_name", "last_name"), migrations.RunPython.noop
        ),
    ]
