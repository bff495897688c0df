"""The service desk (میز خدمت): cooperators' requests, answered within working-day deadlines.

A request belongs to a county office (the county's staff are its desk agents: no new jurisdiction) and moves
through the status machine in servicedesk.services (TRANSITIONS) only. Every model here keeps its history: the
figures (answered within the deadline, median times) can be reproduced as of any date."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import ScopedQuerySet
from taavon.core.files import UnguessablePath
from taavon.core.history import AuditHistory
from taavon.core.models import BilingualName, TimeStampedModel, Versioned
from taavon.core.validators import validate_no_markup, validate_phone
from taavon.places.models import County
from taavon.registry.models import Cooperative

ATTACHMENT_TYPES = FileExtensionValidator(
    ["pdf", "jpg", "jpeg", "png"], _("Only a PDF file or an image (JPG, PNG) is accepted.")
)


class Category(BilingualName, TimeStampedModel):
    """What a request is about (financing, permits, insurance...): a list an administrator extends in /admin/."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = AuditHistory()

    class Meta:
        ordering = ["order", "name_fa"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")


class Channel(models.TextChoices):
    DESK = "desk", _("In person at the desk")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    PORTAL = "portal", _("Portal")
    WEEK = "week", _("Cooperative Week desk")
    VISIT = "visit", _("Field visit")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class RequestStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("request", "New")
    ASSIGNED = "assigned", pgettext_lazy("request", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("request", "In progress")
    WAITING = "waiting", pgettext_lazy("request", "Waiting for the cooperator")
    ANSWERED = "answered", pgettext_lazy("request", "Answered")
    CLOSED = "closed", pgettext_lazy("request", "Closed")


class DeadlinePolicy(TimeStampedModel):
    """Working hours allowed for the first answer and for the resolution, per category and priority (a row with no
    category applies to every category without its own). Defaults (servicedesk.deadlines): first answer 2 working
    days, resolution 10."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_answer_hours = models.PositiveSmallIntegerField(
        _("first answer within (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    resolution_hours = models.PositiveSmallIntegerField(
        _("resolution within (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    history = AuditHistory()

    class Meta:
        ordering = ["category", "priority"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="servicedesk_one_policy"),
            models.UniqueConstraint(
                fields=["priority"], condition=Q(category__isnull=True), name="servicedesk_one_default_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'} / {self.priority}"


class Holiday(TimeStampedModel):
    """A day the offices are closed (official holidays, seeded from the `holidays` package; an administrator adds
    or removes days in /admin/)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RequestSequence(models.Model):
    """The last tracking number issued per Jalali year (locked while a number is issued)."""

    jalali_year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.jalali_year}: {self.last}"


class RequestQuerySet(ScopedQuerySet):
    county_path = "county"
    cooperative_path = "cooperative"

    def open(self):
        return self.exclude(status=RequestStatus.CLOSED)


class Request(Versioned, TimeStampedModel):
    """A cooperator's request at the service desk, with its deadlines and its clock (paused while waiting for the
    cooperator)."""

    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("cooperative"),
    )
    requester_name = models.CharField(
        _("requester's name"), max_length=120, blank=True, validators=[validate_no_markup]
    )
    requester_mobile = models.CharField(_("requester's mobile"), max_length=20, validators=[validate_phone])
    requester_national_code = models.CharField(_("requester's national code"), max_length=10, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("category"))
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_no_markup])
    description = models.TextField(
        _("description"), max_length=5000, blank=True, validators=[validate_no_markup]
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="service_requests", verbose_name=_("county office")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("assignee"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW, db_index=True
    )
    opened_at = models.DateTimeField(_("opened at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    first_answer_due = models.DateTimeField(_("first answer due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("working minutes waited"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(
        _("comment on the answer"), max_length=2000, blank=True, validators=[validate_no_markup]
    )

    objects = RequestQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="servicedesk_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(cooperative__isnull=False) | ~Q(requester_name=""),
                name="servicedesk_cooperative_or_person",
            ),
        ]
        indexes = [models.Index(fields=["county", "status"], name="servicedesk_county_status")]

    def __str__(self) -> str:
        return self.code


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")
    COOPERATOR = "cooperator", _("From the cooperator")


class MessageQuerySet(ScopedQuerySet):
    county_path = "request__county"
    cooperative_path = "request__cooperative"

    def shown_to_cooperator(self):
        return self.exclude(kind=MessageKind.NOTE)


class Message(TimeStampedModel):
    """A reply to the cooperator (shown in the portal, sent by SMS), an internal note (never shown to them), or a
    message from the cooperator (the portal)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    body = models.TextField(_("text"), max_length=5000, validators=[validate_no_markup])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class AttachmentQuerySet(ScopedQuerySet):
    county_path = "request__county"
    cooperative_path = "request__cooperative"


class Attachment(TimeStampedModel):
    """A file given with a request or a message (checked by its content, size-limited: core.files)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=UnguessablePath("servicedesk"), validators=[ATTACHMENT_TYPES]
    )
    name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AttachmentQuerySet.as_manager()
    history = AuditHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name or str(self.pk)


class Transfer(models.Model):
    """A request moved from one county office to another, with the reason."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transfers")
    from_county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    reason = models.TextField(_("reason"), max_length=2000, validators=[validate_no_markup])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    history = AuditHistory()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_county_id} → {self.to_county_id}"
