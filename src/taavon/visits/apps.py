from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "taavon.visits"
    label = "visits"
    verbose_name = _("Field visits")

    def ready(self):
        from taavon.visits import contributions

        contributions.register()
