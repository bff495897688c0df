"""Publications: a figure published on a day (the press paragraph), frozen with the moment its figures were taken,
its filters, the figures and a checksum of the records behind them — so that "where did 195 come from?" has an
answer any later day (issue 18)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel
from taavon.places.models import Province


class PublicationKind(models.TextChoices):
    PRESS = "press", _("Press paragraph")


class Publication(TimeStampedModel):
    """What was published, exactly: the text and figures as the records stood at `as_of`. Never edited: a
    correction is a new publication. Public by its permalink (`token`)."""

    token = models.CharField(_("permalink"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=PublicationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    as_of = models.DateTimeField(_("figures as of"))
    filters = models.JSONField(_("filters"), default=dict)
    figures = models.JSONField(_("figures"), default=dict)
    text = models.TextField(_("text"))
    checksum = models.CharField(_("checksum of the records behind the figures"), max_length=64)
    records = models.PositiveIntegerField(_("records behind the figures"), default=0)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title
