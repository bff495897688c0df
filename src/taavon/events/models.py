"""Cooperative Week (هفته تعاون, 11–17 Shahrivar): the week's programme per year, the exhibition of the sector's
capabilities (booths, exhibiting cooperatives and their products, visitors per day), and project openings as events
that list the projects opened.

An event belongs to a province and, when it is a county's, to that county: the province's staff plan the week, a
county office its own events. The programme is published: staff read every event; changes are scoped. Every model
keeps its history: the week's figures (events, openings, exhibitors, visitors) can be reproduced as of any date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup
from taavon.places.models import County, Province
from taavon.registry.models import Cooperative


class EventKind(models.TextChoices):
    CEREMONY = "ceremony", _("Ceremony")
    OPENING = "opening", _("Project opening")
    EXHIBITION = "exhibition", _("Exhibition")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class EventQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """A county's event: that county's jurisdiction; a province's (no county): whoever works in the province —
        its county offices read the province's programme too."""
        from taavon.accounts.jurisdiction import q

        county_events = Q(county__isnull=False) & q(user, county="county")
        province_events = Q(county__isnull=True) & q(user, county="province__counties", province="province")
        return self.filter(county_events | province_events).distinct()


class Event(Versioned, TimeStampedModel):
    """An event of the week's programme: a Jalali date and time, a place, its organiser, its county (none: the
    province's). An opening lists the projects it opens."""

    year = models.PositiveSmallIntegerField(_("Jalali year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_markup])
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_no_markup])
    organiser = models.CharField(_("organiser"), max_length=200, blank=True, validators=[validate_no_markup])
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    description = models.TextField(
        _("description"), max_length=3000, blank=True, validators=[validate_no_markup]
    )
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="opening_events", verbose_name=_("projects opened")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = EventQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"], m2m_fields=[projects])

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="events_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["province", "year", "starts_at"], name="events_programme")]

    def __str__(self) -> str:
        return self.title


class ExhibitionQuerySet(ScopedQuerySet):
    def for_user(self, user):
        from taavon.accounts.jurisdiction import q

        return self.filter(q(user, county="province__counties", province="province")).distinct()


class Exhibition(Versioned, TimeStampedModel):
    """The exhibition of the sector's capabilities (نمایشگاه توانمندی‌ها) of a year's Cooperative Week."""

    year = models.PositiveSmallIntegerField(_("Jalali year"), db_index=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_markup])
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_no_markup])
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ExhibitionQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="events_exhibition_days"
            ),
            models.UniqueConstraint(fields=["province", "year"], name="events_one_exhibition_a_year"),
        ]

    def __str__(self) -> str:
        return self.title


class BoothQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Booth(TimeStampedModel):
    """A cooperative's booth at the exhibition, with the products it shows."""

    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="booths", verbose_name=_("exhibition")
    )
    number = models.CharField(_("booth"), max_length=10)
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="booths", verbose_name=_("cooperative")
    )
    products = models.TextField(_("products shown"), max_length=2000, validators=[validate_no_markup])

    objects = BoothQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["exhibition", "number"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "number"], name="events_booth_number"),
            models.UniqueConstraint(
                fields=["exhibition", "cooperative"], name="events_one_booth_a_cooperative"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class VisitorCount(TimeStampedModel):
    """How many people visited the exhibition on a day."""

    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="visitor_counts", verbose_name=_("exhibition")
    )
    date = models.DateField(_("day"))
    visitors = models.PositiveIntegerField(_("visitors"))
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["exhibition", "date"]
        verbose_name = _("visitors of a day")
        verbose_name_plural = _("visitors per day")
        constraints = [models.UniqueConstraint(fields=["exhibition", "date"], name="events_one_count_a_day")]

    def __str__(self) -> str:
        return f"{self.date}: {self.visitors}"
