"""Country > province > county. Every record belongs to one county; every user works within a part of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel


class Province(TimeStampedModel):
    code = models.CharField(
        "کد", max_length=8, unique=True, help_text=_("کد استان در ISO 3166-2، مثلاً IR-15 برای لرستان.")
    )
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
    osm_relation = models.BigIntegerField(
        null=True, blank=True, help_text=_("شمارهٔ رابطهٔ این شهرستان در OpenStreetMap.")
    )
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


class AliasKind(models.TextChoices):
    FORMER = "former", "نام پیشین شهرستان"
    CAPITAL = "capital", "نام مرکز شهرستان"
    OTHER = "other", "نام دیگر"


class CountyAlias(TimeStampedModel):
    """Another name a county is known by: its former name («دوره» for چگنی), its capital's («الشتر» for سلسله).
    Imports and search recognise them. Seeded for Lorestan; an administrator adds others in /admin/."""

    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="aliases", verbose_name="شهرستان"
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("نام دیگر", max_length=80)
    name_key = models.CharField(max_length=80, editable=False)
    kind = models.CharField("نوع", max_length=10, choices=AliasKind.choices, default=AliasKind.OTHER)

    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["province__name_fa", "county__name_fa", "name"]
        verbose_name = "نام دیگر شهرستان"
        verbose_name_plural = "نام‌های دیگر شهرستان‌ها"
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name_key"],
                name="county_alias_unique_in_province",
                violation_error_message="این نام در همین استان برای شهرستان دیگری ثبت شده است.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county})"
