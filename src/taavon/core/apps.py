from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "taavon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.utils import translation

        from taavon import persian
        from taavon.core import collation

        collation.connect()
        # the Persian core's errors (dates, amounts, identifiers) speak the interface's language
        persian.errors.use_language(translation.get_language)
