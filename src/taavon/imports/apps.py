from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "taavon.imports"
    label = "imports"
    verbose_name = "ورود از فایل"

    def ready(self):
        from taavon.imports import contributions

        contributions.register()
