"""The request categories the directorate's desk uses (an administrator extends the list in /admin/)."""

from django.db import migrations

CATEGORIES = [
    ("financing", "تسهیلات و تأمین مالی", "Financing and bank facilities"),
    ("permits", "مجوزها", "Permits"),
    ("insurance", "بیمه", "Insurance"),
    ("tax", "مالیات", "Tax"),
    ("registration", "ثبت و تغییرات", "Registration and changes"),
    ("disputes", "اختلاف میان اعضا", "Disputes among members"),
    ("training", "آموزش", "Training"),
    ("other", "سایر", "Other"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("servicedesk", "Category")
    for order, (code, fa, en) in enumerate(CATEGORIES):
        Category.objects.update_or_create(code=code, defaults={"name_fa": fa, "name_en": en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
