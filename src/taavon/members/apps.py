from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "taavon.members"
    label = "members"
    verbose_name = _("Members and officers")

    def ready(self):
        from taavon.members import contributions

        contributions.register()
