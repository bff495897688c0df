"""Users and their roles. A user works within a part of the place hierarchy (jurisdiction)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from taavon.places.models import County, Province


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCIAL = "provincial", _("Provincial officer")
    COUNTY = "county", _("County officer")
    VIEWER = "viewer", _("Viewer (read only)")
    REPRESENTATIVE = "representative", _("Cooperative representative")
    JUROR = "juror", _("Festival juror")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("province"),
        help_text=_("Provincial officers and viewers work in this province; empty means the whole country."),
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("county"),
        help_text=_("A county officer works in this county only."),
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("cooperative"),
        help_text=_("A representative sees this cooperative only, in the portal."),
    )
    is_inspector = models.BooleanField(
        _("field inspector"),
        default=False,
        help_text=_("County staff who visit cooperative units; they are given visits in the plan."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The interface's language chosen by the user; empty: the browser's choice, else Persian."
        ),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
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
