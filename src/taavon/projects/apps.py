from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "taavon.projects"
    label = "projects"
    verbose_name = "طرح‌های تعاونی"

    def ready(self):
        from taavon.projects import contributions

        contributions.register()
