from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "taavon.registry"
    label = "registry"
    verbose_name = "ثبت تعاونی‌ها"

    def ready(self):
        from taavon.registry import contributions

        contributions.register()
