from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "taavon.public"
    label = "public"
    verbose_name = _("Public register and open data")
