from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "taavon.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from taavon.servicedesk import contributions

        contributions.register()
