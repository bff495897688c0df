"""English names the source data lacked or misspelt (the three counties had none; Khalkhal was «Kahlkhal»)."""

from django.db import migrations

NAMES = {"جازموریان": "Jazmurian", "گنبکی": "Gonbaki", "مروست": "Marvast"}


def forwards(apps, schema_editor):
    County = apps.get_model("places", "County")
    for name_fa, name_en in NAMES.items():
        County.objects.filter(name_fa=name_fa, name_en="").update(name_en=name_en)
    County.objects.filter(name_en="Kahlkhal").update(name_en="Khalkhal")


class Migration(migrations.Migration):
    dependencies = [("places", "0008_english_source_strings")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
