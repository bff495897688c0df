"""The name search's substring index (issue 17): filled in by the search work; a placeholder keeps the order of the
registry's migrations (0016 builds on it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0014_english_source_strings")]
    operations = []
