from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taavon.core"
    label = "core"
    verbose_name = "هسته"

    def ready(self):
        from taavon.core import collation

        collation.connect()
