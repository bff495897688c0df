"""On PostgreSQL, a trigram index on the normalised name, so that substring search stays fast at 1,000,000 rows.

SQLite has no such index type; there the B-tree index on name_key serves prefix lookups and the search scans.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS coop_name_key_trgm ON registry_cooperative USING gin (name_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS coop_name_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_seed_lists")]
    operations = [migrations.RunPython(forwards, backwards)]
