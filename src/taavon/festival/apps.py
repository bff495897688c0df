from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "taavon.festival"
    label = "festival"
    verbose_name = _("Festival of top cooperatives")

    def ready(self):
        from taavon.festival import contributions

        contributions.register()
