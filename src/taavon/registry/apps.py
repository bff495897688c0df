from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "taavon.registry"
    label = "registry"
    verbose_name = _("Cooperative registry")

    def ready(self):
        from django.db.models.signals import post_migrate

        from taavon.registry import contributions
        from taavon.registry.search import fts_repair

        contributions.register()
        # SQLite rebuilds a table to alter it, which drops its triggers: the name index's are put back after every
        # migrate (registry.search.fts_repair; nothing to do on PostgreSQL)
        post_migrate.connect(
            lambda sender, using="default", **kw: fts_repair(using),
            sender=self,
            dispatch_uid="registry-fts-repair",
            weak=False,
        )
