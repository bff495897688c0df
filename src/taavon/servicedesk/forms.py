"""Forms of the staff's desk: they parse the input (a mobile typed with any digits, a national code, files checked
by their content); the services in servicedesk.services apply the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import can_change_in, counties_for
from taavon.accounts.models import User
from taavon.core.files import validate_document
from taavon.core.forms import IdField, NationalCodeField, VersionField
from taavon.core.forms_style import style_fields
from taavon.registry.models import Cooperative
from taavon.servicedesk.models import Category, Channel, Priority, Request, RequestStatus
from taavon.servicedesk.selectors import QUEUES, WINDOWS, QueueFilters, assignable_users, transfer_counties
from taavon.servicedesk.services import TRANSITIONS

S = RequestStatus
TEXT_CHARS = 5000
MAX_FILES = 5


def clean_mobile(value: str) -> str:
    """A mobile number typed with any digits and separators → 09xxxxxxxxx (services.normalize_mobile)."""
    from taavon.servicedesk.services import normalize_mobile

    return normalize_mobile(value) if value else ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once, each a PDF or an image by its content, within the size limit."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(FilesField, self).clean(f, initial) for f in files if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)s files at once.") % {"n": MAX_FILES})
        for f in files:
            try:
                validate_document(f, field="attachments")
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["attachments"]) from exc
        return files


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        place = user.county or user.province
        name = user.get_full_name() or user.username
        return name + (f" ({place.name})" if place else "")


class QueueForm(forms.Form):
    queue = forms.ChoiceField(required=False, choices=[(q, q) for q in QUEUES])
    category = IdField()
    county = IdField()
    within = forms.ChoiceField(required=False, choices=[(w, w) for w in WINDOWS])

    def filters(self) -> QueueFilters:
        """The filters that are valid (an invalid one is left out, the others still apply)."""
        self.is_valid()
        d = self.cleaned_data
        return QueueFilters(
            queue=d.get("queue") or "county",
            category=d.get("category"),
            county=d.get("county"),
            window=d.get("within") or "2h",
        )


class FastForm(forms.Form):
    """The desk officer's fast form: the cooperative found as they type (or a person's name, mobile and national
    code), the category, the subject; the rest has its defaults."""

    cooperative = IdField(label=_("cooperative"))
    requester_name = forms.CharField(
        label=_("requester's name"),
        required=False,
        max_length=120,
        help_text=_("The person who asks (required when no cooperative is chosen)."),
    )
    requester_mobile = forms.CharField(
        label=_("requester's mobile"),
        max_length=20,
        help_text=_("Replies are sent to it by SMS; the request's status is looked up with it."),
    )
    requester_national_code = NationalCodeField(label=_("requester's national code"), required=False)
    county = forms.ModelChoiceField(
        label=_("county office"),
        required=False,
        queryset=None,
        help_text=_("For a person without a cooperative: the office that answers."),
    )
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices, initial=Channel.DESK)
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.filter(is_active=True))
    subject = forms.CharField(label=_("subject"), max_length=200)
    description = forms.CharField(
        label=_("description"),
        required=False,
        max_length=TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL)
    attachments = FilesField(label=_("attachments (PDF or image)"))
    assign_to_me = forms.BooleanField(label=_("assign to me"), required=False, initial=True)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        counties = counties_for(user).order_by("name_fa")
        self.fields["county"].queryset = counties
        self.fields["county"].label_from_instance = lambda c: c.name
        if user.county_id:
            self.fields["county"].initial = user.county_id
        self.fields["requester_mobile"].widget.attrs.update({"dir": "ltr", "inputmode": "tel"})
        self.chosen: Cooperative | None = None
        style_fields(self)

    def clean_requester_mobile(self):
        return clean_mobile(self.cleaned_data.get("requester_mobile"))

    def clean_cooperative(self):
        pk = self.cleaned_data.get("cooperative")
        if not pk:
            return None
        found = (
            Cooperative.objects.for_user(self.user).select_related("county__province").filter(pk=pk).first()
        )
        if found is None or not can_change_in(self.user, found.county):
            raise ValidationError(_("No such cooperative in your jurisdiction."))
        self.chosen = found
        return found

    def clean(self):
        d = super().clean()
        if not d.get("cooperative") and "cooperative" not in self.errors:
            if not (d.get("requester_name") or "").strip():
                self.add_error(
                    "requester_name", _("Choose the cooperative, or enter the name of the person who asks.")
                )
            if not d.get("county"):
                self.add_error("county", _("Choose the county office that answers the person."))
        return d


class ReplyForm(forms.Form):
    THEN = [
        (S.ANSWERED, _("answered")),
        (S.WAITING, _("waiting for the cooperator")),
        (S.IN_PROGRESS, _("in progress")),
    ]
    body = forms.CharField(label=_("reply"), max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 4}))
    then = forms.ChoiceField(label=_("then the request is"), choices=THEN, initial=S.ANSWERED, required=False)
    internal = forms.BooleanField(
        label=_("internal note (never shown to the cooperator)"), required=False, widget=forms.HiddenInput
    )
    attachments = FilesField(label=_("attachments (PDF or image)"))

    def __init__(self, *args, internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if internal:
            self.fields["body"].label = _("internal note")
            self.fields["internal"].initial = True
            del self.fields["then"]
        style_fields(self)


class StatusForm(forms.Form):
    version = VersionField()
    to_status = forms.ChoiceField(label=_("new status"), choices=())
    reason = forms.CharField(label=_("reason"), required=False, max_length=100)

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(S.choices)
        self.fields["to_status"].choices = [
            (s, labels[s]) for s in S.values if s in TRANSITIONS[request.status]
        ]
        self.fields["version"].initial = request.version
        style_fields(self)


class AssignForm(forms.Form):
    version = VersionField()

    def __init__(self, *args, user: User, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = AssigneeField(
            label=_("assignee"),
            required=False,
            empty_label=_("— unassigned —"),
            queryset=assignable_users(user=user, county=request.county),
            initial=request.assignee_id,
        )
        self.fields["version"].initial = request.version
        style_fields(self)


class TransferForm(forms.Form):
    to_county = forms.ModelChoiceField(label=_("to the county office"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_county"].queryset = transfer_counties(request=request)
        self.fields["to_county"].label_from_instance = lambda c: f"{c.name} — {c.province.name}"
        style_fields(self)
