from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "taavon.projects"
    label = "projects"
    verbose_name = _("Cooperative projects")

    def ready(self):
        from taavon.projects import contributions

        contributions.register()
