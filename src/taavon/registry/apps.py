from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "taavon.registry"
    label = "registry"
    verbose_name = _("Cooperative registry")

    def ready(self):
        from taavon.registry import contributions

        contributions.register()
