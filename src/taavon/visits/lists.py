"""The visits' purposes the directorate starts with (an administrator extends the list in /admin/).
`seed_purposes` puts back what a flushed database lost (tests that flush tables, the demo on such a database)."""

PURPOSES = [
    ("routine", "بازدید دوره‌ای", "Routine visit"),
    ("follow_up", "پیگیری مشکلات", "Follow-up of problems"),
    ("dormancy_case", "پرونده تعاونی غیرفعال", "Dormancy case"),
    ("complaint", "رسیدگی به شکایت", "Complaint"),
    ("festival", "راستی‌آزمایی جشنواره", "Festival verification"),
]


def seed_purposes(purpose_model) -> int:
    """Create the starting purposes that are missing (the model passed in: a migration's or the real one)."""
    made = 0
    for order, (code, fa, en) in enumerate(PURPOSES):
        _obj, created = purpose_model.objects.get_or_create(
            code=code, defaults={"name_fa": fa, "name_en": en, "order": order}
        )
        made += created
    return made
