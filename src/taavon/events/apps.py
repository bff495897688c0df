from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "taavon.events"
    label = "events"
    verbose_name = _("Cooperative Week")

    def ready(self):
        from taavon.events import contributions

        contributions.register()
