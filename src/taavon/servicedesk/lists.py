"""The request categories the directorate's desk starts with (an administrator extends the list in /admin/); the
holidays come from servicedesk/migrations/0003_holidays.py. `seed_categories` puts back what a flushed database
lost (tests that flush tables, the demo on such a database)."""

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


def seed_categories(category_model) -> int:
    """Create the starting categories that are missing (the model passed in: a migration's or the real one)."""
    made = 0
    for order, (code, fa, en) in enumerate(CATEGORIES):
        _obj, created = category_model.objects.get_or_create(
            code=code, defaults={"name_fa": fa, "name_en": en, "order": order}
        )
        made += created
    return made
