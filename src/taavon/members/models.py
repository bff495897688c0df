"""People, memberships and capital contributions; the organs (board, managing director, inspectors) with their
terms; general assemblies; annual returns. The cooperative's member counts, paid-up capital, board term end and last
assembly date are recomputed from these records by the services whenever the records exist."""

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel
from taavon.core.validators import validate_no_markup
from taavon.registry.models import MAX_RIAL, Cooperative

DOCUMENT_EXTENSIONS = FileExtensionValidator(
    ["pdf", "jpg", "jpeg", "png"], _("Only a PDF or an image is accepted.")
)
mobile_validator = RegexValidator(r"^09\d{9}$", _("A mobile number has 11 digits and starts with 09."))


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class PersonQuerySet(models.QuerySet):
    def for_user(self, user):
        """The people with a membership or an office in a cooperative inside the user's jurisdiction."""
        return self.filter(
            models.Exists(Membership.objects.for_user(user).filter(person=models.OuterRef("pk")))
            | models.Exists(Officer.objects.for_user(user).filter(person=models.OuterRef("pk")))
        )


class Person(TimeStampedModel):
    national_code = models.CharField(
        _("national code"), max_length=10, unique=True, help_text=_("10 digits, the last a check digit.")
    )
    first_name = models.CharField(_("first name"), max_length=80, validators=[validate_no_markup])
    last_name = models.CharField(_("last name"), max_length=80, validators=[validate_no_markup])
    name_key = models.CharField(max_length=170, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year (Solar Hijri)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1290), MaxValueValidator(1500)],
    )
    mobile = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[mobile_validator])

    objects = PersonQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MembershipQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Membership(TimeStampedModel):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    join_date = models.DateField(_("membership date"))
    leave_date = models.DateField(_("leaving date"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=200, blank=True, validators=[validate_no_markup]
    )
    shares = models.PositiveIntegerField(_("number of shares"), default=0)

    objects = MembershipQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["person__last_name", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "person"],
                condition=models.Q(leave_date__isnull=True),
                name="one_open_membership_per_cooperative",
                violation_error_message=_("This person is already a member of this cooperative."),
            ),
            models.CheckConstraint(
                condition=models.Q(leave_date__isnull=True) | models.Q(leave_date__gte=models.F("join_date")),
                name="membership_leave_after_join",
                violation_error_message=_("The leaving date cannot be before the membership date."),
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "leave_date"], name="membership_coop_open")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.cooperative_id}"


class ContributionQuerySet(ScopedQuerySet):
    county_path = "membership__cooperative__county"
    cooperative_path = "membership__cooperative"


class Contribution(TimeStampedModel):
    """A dated payment of capital by a member (آورده), in rials."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="contributions")
    date = models.DateField(_("payment date"))
    amount_rial = models.PositiveBigIntegerField(
        _("amount (rials)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RIAL)]
    )
    note = models.CharField(_("description"), max_length=200, blank=True, validators=[validate_no_markup])

    objects = ContributionQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("capital contribution")
        verbose_name_plural = _("capital contributions")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.amount_rial}"


class OfficeRole(models.TextChoices):
    BOARD = "board", _("Board member")
    MANAGING_DIRECTOR = "managing_director", _("Managing director")
    INSPECTOR = "inspector", _("Inspector")


class OfficerQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Officer(TimeStampedModel):
    """A person in one of the cooperative's organs for a term."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="officers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offices")
    role = models.CharField(_("position"), max_length=20, choices=OfficeRole.choices)
    start = models.DateField(_("term start"))
    end = models.DateField(_("term end"))

    objects = OfficerQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["role", "-start", "id"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="officer_end_after_start",
                violation_error_message=_("The term must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", pgettext_lazy("assembly", "Ordinary")
    EXTRAORDINARY = "extraordinary", pgettext_lazy("assembly", "Extraordinary")


class GeneralAssemblyQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class GeneralAssembly(TimeStampedModel):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="assemblies")
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=AssemblyKind.choices, default=AssemblyKind.ORDINARY
    )
    quorum_present = models.BooleanField(_("quorum present"), default=True)
    attendees = models.PositiveIntegerField(_("number attending"), null=True, blank=True)
    decisions = models.TextField(_("decisions"), blank=True, max_length=5000, validators=[validate_no_markup])
    minutes = models.FileField(
        _("minutes"), upload_to=UnguessablePath("minutes"), blank=True, validators=[DOCUMENT_EXTENSIONS]
    )

    objects = GeneralAssemblyQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class AnnualReturnQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class AnnualReturn(TimeStampedModel):
    """A cooperative's yearly return for a Jalali fiscal year (ending at the end of Esfand)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="returns")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(1300), MaxValueValidator(1500)]
    )
    revenue_rial = models.BigIntegerField(
        _("revenue (rials)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    assets_rial = models.BigIntegerField(
        _("assets (rials)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    liabilities_rial = models.BigIntegerField(
        _("liabilities (rials)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    profit_rial = models.BigIntegerField(
        _("profit (loss) (rials)"),
        default=0,
        validators=[MinValueValidator(-MAX_RIAL), MaxValueValidator(MAX_RIAL)],
    )
    employees = models.PositiveIntegerField(_("employees"), default=0)
    members_year_end = models.PositiveIntegerField(_("members at year end"), default=0)
    statements = models.FileField(
        _("financial statements"),
        upload_to=UnguessablePath("returns"),
        blank=True,
        validators=[DOCUMENT_EXTENSIONS],
    )
    filed_on = models.DateField(_("filing date"))

    objects = AnnualReturnQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-fiscal_year", "id"]
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "fiscal_year"],
                name="one_return_per_year",
                violation_error_message=_("The return for this year has already been filed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id}/{self.fiscal_year}"


class ProposalKind(models.TextChoices):
    CONTACT = "contact", _("Change of address and contact details")
    MEMBER_JOIN = "member_join", _("A new member joining")
    MEMBER_LEAVE = "member_leave", _("A member leaving")
    ASSEMBLY = "assembly", _("General assembly")
    RETURN = "return", _("Annual return")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("proposal", "Pending review")
    ACCEPTED = "accepted", pgettext_lazy("proposal", "Accepted")
    REFUSED = "refused", pgettext_lazy("proposal", "Refused")


class ProposalQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Proposal(TimeStampedModel):
    """A change a cooperative's representative proposes; only an accepted one changes the registry."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    payload = models.JSONField(_("proposal"), default=dict)
    document = models.FileField(
        _("attachment"), upload_to=UnguessablePath("proposals"), blank=True, validators=[DOCUMENT_EXTENSIONS]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(
        _("reason"), blank=True, max_length=2000, validators=[validate_no_markup]
    )

    objects = ProposalQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.cooperative_id}"


class PersonalDataDownload(models.Model):
    """A download of whole national codes and mobiles (a cooperative's members as a file): who, which cooperative,
    how many rows, when. Written by members.services.personal_data_download_record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(_("rows"))
    format = models.CharField(_("format"), max_length=10)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data download")
        verbose_name_plural = _("personal data downloads")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.cooperative_id} ({self.rows})"
