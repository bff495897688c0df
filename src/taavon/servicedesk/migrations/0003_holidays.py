"""Seed the holiday calendar with Iran's official holidays (the `holidays` package, country IR, Persian names) for
the Jalali years around today: Gregorian 2020–2030, the lunar holidays included. Future lunar dates are the
package's estimates: an administrator corrects a day in /admin/ when the official announcement differs."""

from django.db import migrations

YEARS = range(2020, 2031)


def _official_days():
    import holidays

    calendar = holidays.country_holidays("IR", years=YEARS, language="fa_IR")
    return {day: "، ".join(calendar.get_list(day)) for day in sorted(calendar)}


def forwards(apps, schema_editor):
    Holiday = apps.get_model("servicedesk", "Holiday")
    days = _official_days()
    known = set(Holiday.objects.filter(date__in=days).values_list("date", flat=True))
    Holiday.objects.bulk_create(
        [Holiday(date=day, name=name[:200]) for day, name in days.items() if day not in known]
    )


def backwards(apps, schema_editor):
    Holiday = apps.get_model("servicedesk", "Holiday")
    for day, name in _official_days().items():
        Holiday.objects.filter(date=day, name=name[:200]).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0002_categories")]
    operations = [migrations.RunPython(forwards, backwards)]
