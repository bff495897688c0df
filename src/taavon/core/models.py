from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def english() -> bool:
    """Is the interface in English now? (Persian is the default, for every other case.)"""
    return (translation.get_language() or "fa").startswith("en")


class TimeStampedModel(models.Model):
    """Base for every Taavon record: when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record people edit: its version rises with every save through a service (core.concurrency)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class BilingualName(models.Model):
    """A reference record with a Persian and an English name (provinces, counties, sectors, types, activities):
    `name` (and str()) is the one of the interface's language — the English one when there is one."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if english() and getattr(self, "name_en", ""):
            return self.name_en
        return self.name_fa
