"""Users and their roles. A user works within a part of the place hierarchy (jurisdiction)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.places.models import County, Province


class Role(models.TextChoices):
    ADMIN = "admin", "مدیر سامانه"
    PROVINCIAL = "provincial", "کارشناس استان"
    COUNTY = "county", "کارشناس شهرستان"
    VIEWER = "viewer", "ناظر (فقط خواندن)"
    REPRESENTATIVE = "representative", "نمایندهٔ تعاونی"


class User(AbstractUser):
    role = models.CharField("نقش", max_length=20, choices=Role.choices, default=Role.VIEWER)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="استان",
        help_text=_("کارشناسان استان و ناظران در این استان کار می‌کنند؛ خالی یعنی همهٔ کشور."),
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="شهرستان",
        help_text=_("کارشناس شهرستان فقط در این شهرستان کار می‌کند."),
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name="تعاونی",
        help_text=_("نماینده فقط همین تعاونی را، در درگاه، می‌بیند."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="county") | models.Q(county__isnull=False),
                name="county_staff_has_county",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="representative") | models.Q(cooperative__isnull=False),
                name="representative_has_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
