from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set: above every app (it loads each app's part through that app's services)."""

    name = "taavon.demo"
    label = "demo"
    verbose_name = _("Demo data")
