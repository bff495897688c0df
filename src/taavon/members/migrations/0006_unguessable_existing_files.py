"""Data: documents uploaded before names were random get random names (and their rows and history rows follow)."""

from django.db import migrations

from taavon.core.files import rename_to_unguessable


def forward(apps, schema_editor):
    for model, field, folder in (
        ("GeneralAssembly", "minutes", "minutes"),
        ("AnnualReturn", "statements", "returns"),
        ("Proposal", "document", "proposals"),
    ):
        rename_to_unguessable(
            apps.get_model("members", model), field, folder, apps.get_model("members", f"Historical{model}")
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0005_persian_help_texts")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
