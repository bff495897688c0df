from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "taavon.reports"
    label = "reports"
    verbose_name = "گزارش‌ها"
