"""The cooperatives' names in Persian alphabetical order by an index (issue 17): `name_sort` holds ICU's Persian
sort key of the name (taavon.persian.collation.sort_key), filled here for the records already there, in batches."""

from django.db import migrations, models

from taavon.persian.collation import sort_key

BATCH = 20_000


def fill(apps, schema_editor):
    Cooperative = apps.get_model("registry", "Cooperative")
    table = Cooperative._meta.db_table
    connection = schema_editor.connection
    last = 0
    with connection.cursor() as cursor:
        while True:
            rows = list(
                Cooperative.objects.filter(id__gt=last).order_by("id").values_list("id", "name")[:BATCH]
            )
            if not rows:
                break
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(table)} SET name_sort = %s WHERE id = %s",  # noqa: S608
                [(sort_key(name), pk) for pk, name in rows],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_cooperative_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="cooperative",
            name="name_sort",
            field=models.BinaryField(db_default=b"", default=b"", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name="cooperative",
            options={
                "ordering": ["name_sort", "id"],
                "verbose_name": "cooperative",
                "verbose_name_plural": "cooperatives",
            },
        ),
        migrations.AddIndex(
            model_name="cooperative",
            index=models.Index(fields=["name_sort", "id"], name="coop_name_sort"),
        ),
        migrations.AddIndex(
            model_name="cooperative",
            index=models.Index(fields=["county", "name_sort"], name="coop_county_name_sort"),
        ),
    ]
