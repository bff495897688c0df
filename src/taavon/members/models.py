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

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import TimeStampedModel
from taavon.core.validators import validate_no_markup
from taavon.registry.models import MAX_RIAL, Cooperative

DOCUMENT_EXTENSIONS = FileExtensionValidator(
    ["pdf", "jpg", "jpeg", "png"], "فقط فایل PDF یا تصویر پذیرفته می‌شود."
)
mobile_validator = RegexValidator(r"^09\d{9}$", "شمارهٔ همراه باید ۱۱ رقم و با ۰۹ آغاز شود.")


class Gender(models.TextChoices):
    FEMALE = "female", "زن"
    MALE = "male", "مرد"


class PersonQuerySet(models.QuerySet):
    def for_user(self, user):
        """The people with a membership or an office in a cooperative inside the user's jurisdiction."""
        return self.filter(
            models.Exists(Membership.objects.for_user(user).filter(person=models.OuterRef("pk")))
            | models.Exists(Officer.objects.for_user(user).filter(person=models.OuterRef("pk")))
        )


class Person(TimeStampedModel):
    national_code = models.CharField(
        "کد ملی", max_length=10, unique=True, help_text=_("۱۰ رقم با رقم کنترل.")
    )
    first_name = models.CharField("نام", max_length=80, validators=[validate_no_markup])
    last_name = models.CharField("نام خانوادگی", max_length=80, validators=[validate_no_markup])
    name_key = models.CharField(max_length=170, db_index=True, editable=False)
    gender = models.CharField("جنسیت", max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        "سال تولد (شمسی)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1290), MaxValueValidator(1500)],
    )
    mobile = models.CharField("تلفن همراه", max_length=11, blank=True, validators=[mobile_validator])

    objects = PersonQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at", "name_key"])

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = "شخص"
        verbose_name_plural = "اشخاص"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MembershipQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Membership(TimeStampedModel):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    join_date = models.DateField("تاریخ عضویت")
    leave_date = models.DateField("تاریخ خروج", null=True, blank=True)
    leave_reason = models.CharField("دلیل خروج", max_length=200, blank=True, validators=[validate_no_markup])
    shares = models.PositiveIntegerField("تعداد سهام", default=0)

    objects = MembershipQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["person__last_name", "id"]
        verbose_name = "عضویت"
        verbose_name_plural = "عضویت‌ها"
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "person"],
                condition=models.Q(leave_date__isnull=True),
                name="one_open_membership_per_cooperative",
                violation_error_message="این شخص هم‌اکنون عضو این تعاونی است.",
            ),
            models.CheckConstraint(
                condition=models.Q(leave_date__isnull=True) | models.Q(leave_date__gte=models.F("join_date")),
                name="membership_leave_after_join",
                violation_error_message="تاریخ خروج نمی‌تواند پیش از تاریخ عضویت باشد.",
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
    date = models.DateField("تاریخ پرداخت")
    amount_rial = models.PositiveBigIntegerField(
        "مبلغ (ریال)", validators=[MinValueValidator(1), MaxValueValidator(MAX_RIAL)]
    )
    note = models.CharField("شرح", max_length=200, blank=True, validators=[validate_no_markup])

    objects = ContributionQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "آوردهٔ سرمایه"
        verbose_name_plural = "آورده‌های سرمایه"

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.amount_rial}"


class OfficeRole(models.TextChoices):
    BOARD = "board", "عضو هیئت‌مدیره"
    MANAGING_DIRECTOR = "managing_director", "مدیرعامل"
    INSPECTOR = "inspector", "بازرس"


class OfficerQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Officer(TimeStampedModel):
    """A person in one of the cooperative's organs for a term."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="officers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offices")
    role = models.CharField("سمت", max_length=20, choices=OfficeRole.choices)
    start = models.DateField("آغاز دوره")
    end = models.DateField("پایان دوره")

    objects = OfficerQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["role", "-start", "id"]
        verbose_name = "عضو ارکان"
        verbose_name_plural = "ارکان"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="officer_end_after_start",
                violation_error_message="پایان دوره باید پس از آغاز آن باشد.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", "عادی"
    EXTRAORDINARY = "extraordinary", "فوق‌العاده"


class GeneralAssemblyQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class GeneralAssembly(TimeStampedModel):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="assemblies")
    date = models.DateField("تاریخ")
    kind = models.CharField("نوع", max_length=20, choices=AssemblyKind.choices, default=AssemblyKind.ORDINARY)
    quorum_present = models.BooleanField("حد نصاب حاضر بود", default=True)
    attendees = models.PositiveIntegerField("تعداد حاضران", null=True, blank=True)
    decisions = models.TextField("تصمیمات", blank=True, max_length=5000, validators=[validate_no_markup])
    minutes = models.FileField(
        "صورت‌جلسه", upload_to=UnguessablePath("minutes"), blank=True, validators=[DOCUMENT_EXTENSIONS]
    )

    objects = GeneralAssemblyQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "مجمع عمومی"
        verbose_name_plural = "مجامع عمومی"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class AnnualReturnQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class AnnualReturn(TimeStampedModel):
    """A cooperative's yearly return for a Jalali fiscal year (ending at the end of Esfand)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="returns")
    fiscal_year = models.PositiveSmallIntegerField(
        "سال مالی", validators=[MinValueValidator(1300), MaxValueValidator(1500)]
    )
    revenue_rial = models.BigIntegerField(
        "درآمد (ریال)", default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    assets_rial = models.BigIntegerField(
        "دارایی‌ها (ریال)", default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    liabilities_rial = models.BigIntegerField(
        "بدهی‌ها (ریال)", default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_RIAL)]
    )
    profit_rial = models.BigIntegerField(
        "سود (زیان) (ریال)", default=0, validators=[MinValueValidator(-MAX_RIAL), MaxValueValidator(MAX_RIAL)]
    )
    employees = models.PositiveIntegerField("کارکنان", default=0)
    members_year_end = models.PositiveIntegerField("اعضا در پایان سال", default=0)
    statements = models.FileField(
        "صورت‌های مالی", upload_to=UnguessablePath("returns"), blank=True, validators=[DOCUMENT_EXTENSIONS]
    )
    filed_on = models.DateField("تاریخ ارائه")

    objects = AnnualReturnQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-fiscal_year", "id"]
        verbose_name = "اظهارنامهٔ سالانه"
        verbose_name_plural = "اظهارنامه‌های سالانه"
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "fiscal_year"],
                name="one_return_per_year",
                violation_error_message="اظهارنامهٔ این سال پیش‌تر ثبت شده است.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id}/{self.fiscal_year}"


class ProposalKind(models.TextChoices):
    CONTACT = "contact", "تغییر نشانی و تماس"
    MEMBER_JOIN = "member_join", "عضویت عضو جدید"
    MEMBER_LEAVE = "member_leave", "خروج عضو"
    ASSEMBLY = "assembly", "مجمع عمومی"
    RETURN = "return", "اظهارنامهٔ سالانه"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "در انتظار بررسی"
    ACCEPTED = "accepted", "پذیرفته‌شده"
    REFUSED = "refused", "ردشده"


class ProposalQuerySet(ScopedQuerySet):
    county_path = "cooperative__county"
    cooperative_path = "cooperative"


class Proposal(TimeStampedModel):
    """A change a cooperative's representative proposes; only an accepted one changes the registry."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField("نوع", max_length=20, choices=ProposalKind.choices)
    payload = models.JSONField("پیشنهاد", default=dict)
    document = models.FileField(
        "پیوست", upload_to=UnguessablePath("proposals"), blank=True, validators=[DOCUMENT_EXTENSIONS]
    )
    status = models.CharField(
        "وضعیت", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField("دلیل", blank=True, max_length=2000, validators=[validate_no_markup])

    objects = ProposalQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "پیشنهاد تغییر"
        verbose_name_plural = "پیشنهادهای تغییر"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.cooperative_id}"


class PersonalDataDownload(models.Model):
    """A download of whole national codes and mobiles (a cooperative's members as a file): who, which cooperative,
    how many rows, when. Written by members.services.personal_data_download_record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField("ردیف‌ها")
    format = models.CharField("قالب", max_length=10)
    at = models.DateTimeField("زمان", db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "دریافت اطلاعات شخصی"
        verbose_name_plural = "دریافت‌های اطلاعات شخصی"

    def __str__(self) -> str:
        return f"{self.user_id} → {self.cooperative_id} ({self.rows})"
