"""The cooperative registry: every cooperative's identity record (shenasnameh) and its status history."""

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinLengthValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import BilingualName, TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup, validate_phone, validate_registration_number
from taavon.places.models import County, Province

MAX_RIAL = 10**17  # a sanity bound (10 million billion toman): larger figures are typing mistakes
MAX_MEMBERS = 10_000_000


class Sector(BilingualName, TimeStampedModel):
    """A sector (گرایش): the official festival categories, which also serve as the registry's sector list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "name_fa"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Activity(BilingualName, TimeStampedModel):
    """What a cooperative does (clothing, handicrafts, fuel station...): finer than the sector, and belongs to it."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="activities", verbose_name=_("sector")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")


class CooperativeType(BilingualName, TimeStampedModel):
    """The law's types: producer (تولیدی) and distribution (توزیعی); configurable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("cooperative type")
        verbose_name_plural = _("cooperative types")


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("cooperative status", "Active")
    DORMANT = "dormant", pgettext_lazy("cooperative status", "Dormant")
    LIQUIDATING = "liquidating", pgettext_lazy("cooperative status", "Under liquidation")
    DISSOLVED = "dissolved", pgettext_lazy("cooperative status", "Dissolved")
    UNKNOWN = "unknown", pgettext_lazy("cooperative status", "Unknown")


class Membership(models.TextChoices):
    OPEN = "open", pgettext_lazy("membership", "Open")
    CLOSED = "closed", pgettext_lazy("membership", "Closed")


phone_validator = validate_phone  # a name other modules import


class CooperativeQuerySet(ScopedQuerySet):
    county_path = "county"
    cooperative_path = "pk"


class Cooperative(Versioned, TimeStampedModel):
    """A cooperative's identity record. Its status changes only through `cooperative_change_status`."""

    shenasnameh = models.CharField(
        _("shenasnameh number"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_(
            "Issued by the system: the province's number, the year of issue, a sequence number (15-1404-00001)."
        ),
    )
    legal_id = models.CharField(
        _("national ID"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[MinLengthValidator(11)],
        help_text=_("The legal entity's national ID: 11 digits, the last a check digit."),
    )
    registration_number = models.CharField(
        _("registration number"),
        max_length=20,
        blank=True,
        db_index=True,
        validators=[validate_registration_number],
    )
    # indexed by coop_regdate (below)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_markup])  # stored as typed
    name_key = models.CharField(max_length=200, db_index=True, editable=False)  # search_key(name)
    # persian.name_sort_key(name): ICU's Persian collation as bytes (the name without its leading «شرکت تعاونی»), so
    # that an index gives the alphabetical order (a collation callback cannot be indexed on SQLite, and sorting
    # thousands of matches through it is the slow part)
    name_sort = models.BinaryField(editable=False, default=b"", db_default=b"")
    # type and activity are not indexed: no page looks records up by them (two types; activities are shown, not
    # searched), and each index is paid on every write. Deleting a type or an activity scans once (admin, rare).
    type = models.ForeignKey(
        CooperativeType, on_delete=models.PROTECT, verbose_name=_("type"), related_name="+", db_index=False
    )
    sector = models.ForeignKey(  # indexed by coop_sector_status (below)
        Sector,
        on_delete=models.PROTECT,
        verbose_name=_("sector"),
        related_name="cooperatives",
        db_index=False,
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("activity"),
        related_name="cooperatives",
        db_index=False,
    )
    membership = models.CharField(
        _("membership"), max_length=10, choices=Membership.choices, default=Membership.CLOSED
    )
    county = models.ForeignKey(  # indexed by coop_county_status and coop_county_name (below)
        County,
        on_delete=models.PROTECT,
        verbose_name=_("county"),
        related_name="cooperatives",
        db_index=False,
    )
    address = models.CharField(_("address"), max_length=300, blank=True, validators=[validate_no_markup])
    postal_code = models.CharField(
        _("postal code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", _("The postal code must be 10 digits."))],
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    members_women = models.PositiveIntegerField(
        _("women members"), default=0, validators=[MaxValueValidator(MAX_MEMBERS)]
    )
    members_men = models.PositiveIntegerField(
        _("men members"), default=0, validators=[MaxValueValidator(MAX_MEMBERS)]
    )
    founding_members = models.PositiveIntegerField(
        _("founding members"), default=0, validators=[MaxValueValidator(MAX_MEMBERS)]
    )
    capital_registered_rial = models.PositiveBigIntegerField(
        _("registered capital (rials)"), default=0, validators=[MaxValueValidator(MAX_RIAL)]
    )
    capital_paid_rial = models.PositiveBigIntegerField(
        _("paid-up capital (rials)"), default=0, validators=[MaxValueValidator(MAX_RIAL)]
    )
    board_term_end = models.DateField(_("end of the board's term"), null=True, blank=True)
    last_general_assembly = models.DateField(_("date of the last general assembly"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000, validators=[validate_no_markup])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.UNKNOWN,
        db_index=True,
        editable=False,
    )
    status_changed_at = models.DateTimeField(
        _("last status change at"), null=True, blank=True, editable=False
    )

    objects = CooperativeQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["name_key", "name_sort", "updated_at"])

    class Meta:
        ordering = ["name_sort", "id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        indexes = [
            models.Index(fields=["county", "status"], name="coop_county_status"),
            models.Index(fields=["sector", "status"], name="coop_sector_status"),
            models.Index(fields=["county", "name_key"], name="coop_county_name"),
            models.Index(fields=["-registration_date", "id"], name="coop_regdate"),
            models.Index(fields=["name_sort", "id"], name="coop_name_sort"),
            models.Index(fields=["county", "name_sort"], name="coop_county_name_sort"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capital_paid_rial__gte=0),
                name="coop_capital_paid_nonneg",
                violation_error_message=_("Paid-up capital cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(capital_registered_rial__gte=0),
                name="coop_capital_reg_nonneg",
                violation_error_message=_("Registered capital cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="coop_status_valid",
                violation_error_message=_("The status is not valid."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def members_total(self) -> int:
        return self.members_women + self.members_men

    @property
    def province(self) -> Province:
        return self.county.province


class StatusChangeQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class StatusChange(models.Model):
    """One step of a cooperative's status lifecycle: who, when, from, to, why, and the evidence."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from status"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices)
    reason = models.TextField(_("reason"), max_length=2000, validators=[validate_no_markup])
    evidence = models.FileField(
        _("evidence"),
        upload_to=UnguessablePath("evidence"),
        blank=True,
        validators=[
            FileExtensionValidator(
                ["pdf", "jpg", "jpeg", "png"], _("Only a PDF file or an image (JPG, PNG) is accepted.")
            )
        ],
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    changed_at = models.DateTimeField(_("recorded at"), db_index=True)
    effective_date = models.DateField(
        _("effective date"), null=True, blank=True, help_text=_("If the change took effect earlier.")
    )

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.cooperative_id}: {self.from_status} → {self.to_status}"


class ShenasnamehSequence(models.Model):
    """The last sequence number issued per province and Jalali year (locked while a number is issued)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT)
    jalali_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "jalali_year"], name="shenasnameh_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.jalali_year}: {self.last}"


# the dashboard's summary tables live in their own module (kept current by the services; see summary.py)
from taavon.registry.summary import CooperativeCount, SummaryState  # noqa: E402,F401
