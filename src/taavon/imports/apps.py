from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "taavon.imports"
    label = "imports"
    verbose_name = _("Imports from files")

    def ready(self):
        from taavon.imports import contributions

        contributions.register()
