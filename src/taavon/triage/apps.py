from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "taavon.triage"
    label = "triage"
    verbose_name = _("Settling dormant cooperatives")

    def ready(self):
        from taavon.triage import contributions

        contributions.register()
