"""The name search's substring index (issue 17).

SQLite: an external-content FTS5 table with the trigram tokenizer over registry_cooperative(name_key), kept current
by triggers on insert, update of name_key and delete, and filled from the existing rows (taavon.registry.search
queries it). Skipped when this SQLite has no FTS5 trigram tokenizer (before 3.34): the search then uses LIKE.
PostgreSQL: the trigram GIN index of 0003 serves `LIKE '%…%'` already; only ANALYZE, so that the planner knows it.
"""

from django.db import migrations

TABLE = "registry_cooperative_name_fts"

SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "name_key, content='registry_cooperative', content_rowid='id', tokenize='trigram case_sensitive 1')",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON registry_cooperative BEGIN
        INSERT INTO {TABLE}(rowid, name_key) VALUES (new.id, new.name_key);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON registry_cooperative BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF id, name_key ON registry_cooperative BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
        INSERT INTO {TABLE}(rowid, name_key) VALUES (new.id, new.name_key);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _sqlite_has_trigram() -> bool:
    import sqlite3

    try:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        db.close()
    except sqlite3.Error:
        return False
    return True


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite" and _sqlite_has_trigram():
        for sql in SQLITE_FORWARDS:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("ANALYZE registry_cooperative")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0014_english_source_strings")]
    operations = [migrations.RunPython(forwards, backwards)]
