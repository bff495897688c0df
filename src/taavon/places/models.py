"""Country > province > county. Every record belongs to one county; every user works within a part of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.core.history import AuditHistory
from taavon.core.models import BilingualName, TimeStampedModel


class Province(BilingualName, TimeStampedModel):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("The province's ISO 3166-2 code, e.g. IR-15 for Lorestan."),
    )
    name_fa = models.CharField(_("Persian name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    name_key = models.CharField(max_length=80, db_index=True, editable=False)

    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def number(self) -> str:
        """The two digits of the ISO code ("15" for IR-15), used in shenasnameh numbers."""
        return self.code.split("-")[-1]

    @property
    def slug(self) -> str:
        return self.name_en.lower().replace(" ", "-")


class County(BilingualName, TimeStampedModel):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name=_("province")
    )
    name_fa = models.CharField(_("Persian name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    name_key = models.CharField(max_length=80, db_index=True, editable=False)
    osm_relation = models.BigIntegerField(
        null=True, blank=True, help_text=_("The county's relation number in OpenStreetMap.")
    )
    wikidata = models.CharField(max_length=20, blank=True)

    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["province__name_fa", "name_fa"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.UniqueConstraint(fields=["province", "name_key"], name="county_unique_name_in_province")
        ]


class AliasKind(models.TextChoices):
    FORMER = "former", _("Former name of the county")
    CAPITAL = "capital", _("Name of the county's capital")
    OTHER = "other", _("Other name")


class CountyAlias(TimeStampedModel):
    """Another name a county is known by: its former name («دوره» for چگنی), its capital's («الشتر» for سلسله).
    Imports and search recognise them. Seeded for Lorestan; an administrator adds others in /admin/."""

    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("county")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(_("other name"), max_length=80)
    name_key = models.CharField(max_length=80, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=AliasKind.choices, default=AliasKind.OTHER)

    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["province__name_fa", "county__name_fa", "name"]
        verbose_name = _("other name of a county")
        verbose_name_plural = _("other names of counties")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name_key"],
                name="county_alias_unique_in_province",
                violation_error_message=_(
                    "This name is already recorded for another county of the same province."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county})"
