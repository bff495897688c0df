"""The cooperatives listed by their names without the leading legal-form words (persian.collation.name_sort_key):
«شرکت تعاونی زاگرس» beside «تعاونی زاگرس» under ز. The keys of the records already there computed again, in
batches (about a minute at 1,000,000 records)."""

from django.db import migrations

from taavon.persian.collation import name_sort_key

BATCH = 20_000


def fill(apps, schema_editor):
    Cooperative = apps.get_model("registry", "Cooperative")
    table = schema_editor.connection.ops.quote_name(Cooperative._meta.db_table)
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            rows = list(
                Cooperative.objects.using(schema_editor.connection.alias)
                .filter(id__gt=last)
                .order_by("id")
                .values_list("id", "name")[:BATCH]
            )
            if not rows:
                break
            cursor.executemany(
                f"UPDATE {table} SET name_sort = %s WHERE id = %s",  # noqa: S608
                [(name_sort_key(name), pk) for pk, name in rows],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_cooperativecount_covering_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
