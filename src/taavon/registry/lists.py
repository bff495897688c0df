"""The registry's configurable lists as first seeded: the official festival categories (sectors), the law's two
types, and the activities named in the seed report (and a few more), each under its sector."""

SECTORS = [
    ("agriculture", "کشاورزی", "Agriculture"),
    ("industry", "صنعتی", "Industry"),
    ("mining", "معدنی", "Mining"),
    ("construction", "عمرانی", "Construction"),
    ("producers-supply", "تأمین نیاز تولیدکنندگان", "Producers' supply"),
    ("consumers-supply", "تأمین نیاز مصرف‌کنندگان", "Consumers' supply"),
    ("services-supply", "تأمین نیاز خدمات‌گران و اصناف", "Service providers' and guilds' supply"),
    ("credit", "اعتبار", "Credit"),
    ("dehyari", "دهیاری‌ها", "Village administrations"),
    ("women", "زنان", "Women"),
    ("transport", "حمل و نقل", "Transport"),
    ("carpet", "فرش دستباف", "Handwoven carpet"),
    ("housing", "مسکن", "Housing"),
    ("border", "مرزنشینان", "Border residents"),
    ("knowledge-based", "دانش‌بنیان", "Knowledge-based"),
    ("public-joint-stock", "سهامی عام", "Public joint-stock"),
    ("national-inclusive", "فراگیر ملی", "National inclusive"),
]

TYPES = [
    ("producer", "تولیدی", "Producer"),
    ("distribution", "توزیعی", "Distribution"),
]

# (code, Persian, English, sector code); the first eight are the seed report's.
ACTIVITIES = [
    ("clothing", "پوشاک", "Clothing", "industry"),
    ("handicrafts", "صنایع دستی", "Handicrafts", "industry"),
    ("fuel-station", "پمپ بنزین", "Fuel station", "services-supply"),
    ("leather", "مصنوعات چرمی", "Leather goods", "industry"),
    ("education", "خدمات آموزشی", "Education services", "services-supply"),
    ("meat-poultry", "تولید گوشت قرمز و مرغ", "Red meat and poultry production", "agriculture"),
    ("medical", "خدمات پزشکی", "Medical services", "services-supply"),
    ("stone", "استخراج سنگ", "Stone extraction", "mining"),
    ("beekeeping", "زنبورداری", "Beekeeping", "agriculture"),
    ("carpet", "قالی‌بافی", "Carpet weaving", "carpet"),
    ("consumer", "مصرف کارکنان", "Employees' consumer goods", "consumers-supply"),
    ("credit", "اعتبار و قرض‌الحسنه", "Credit", "credit"),
    ("freight", "حمل و نقل بار و مسافر", "Freight and passengers", "transport"),
    ("housing", "مسکن کارکنان", "Employees' housing", "housing"),
    ("dairy", "فرآورده‌های لبنی", "Dairy products", "industry"),
    ("investment", "سرمایه‌گذاری", "Investment", "public-joint-stock"),
]


def seed_lists(sector_model, activity_model, type_model) -> None:
    """Create or update the seeded lists (used by the data migration and by tests that flush the database)."""
    sectors = {}
    for order, (code, fa, en) in enumerate(SECTORS, start=1):
        sectors[code], _ = sector_model.objects.update_or_create(
            code=code, defaults={"name_fa": fa, "name_en": en, "order": order}
        )
    for code, fa, en in TYPES:
        type_model.objects.update_or_create(code=code, defaults={"name_fa": fa, "name_en": en})
    for code, fa, en, sector in ACTIVITIES:
        activity_model.objects.update_or_create(
            code=code, defaults={"name_fa": fa, "name_en": en, "sector": sectors[sector]}
        )
