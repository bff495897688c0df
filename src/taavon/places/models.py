"""Country > province > county. Every record belongs to one county; every user works within a part of it."""

from django.db import models

from taavon.core.models import TimeStampedModel


class Province(TimeStampedModel):
    code = models.CharField("کد", max_length=8, unique=True, help_text="ISO 3166-2, e.g. IR-15 (Lorestan)")
    name_fa = models.CharField("نام", max_length=80)
    name_en = models.CharField("نام انگلیسی", max_length=80)
    name_key = models.CharField(max_length=80, db_index=True, editable=False)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = "استان"
        verbose_name_plural = "استان‌ها"

    def __str__(self) -> str:
        return self.name_fa

    @property
    def number(self) -> str:
        """The two digits of the ISO code ("15" for IR-15), used in shenasnameh numbers."""
        return self.code.split("-")[-1]

    @property
    def slug(self) -> str:
        return self.name_en.lower().replace(" ", "-")


class County(TimeStampedModel):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name="استان"
    )
    name_fa = models.CharField("نام", max_length=80)
    name_en = models.CharField("نام انگلیسی", max_length=80)
    name_key = models.CharField(max_length=80, db_index=True, editable=False)
    osm_relation = models.BigIntegerField(null=True, blank=True, help_text="OpenStreetMap relation id")
    wikidata = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["province__name_fa", "name_fa"]
        verbose_name = "شهرستان"
        verbose_name_plural = "شهرستان‌ها"
        constraints = [
            models.UniqueConstraint(fields=["province", "name_key"], name="county_unique_name_in_province")
        ]

    def __str__(self) -> str:
        return self.name_fa
