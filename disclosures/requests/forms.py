"""The public forms of information requests and the admin's action form."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosures.models.requests import (
    InformationRequest,
    Outcome,
    ReplyForm,
    RequestChannel,
    RequesterType,
    SubReason,
)
from portal.challenge import ChallengeForm
from portal.chinese import LocalizedModelChoiceField
from portal.citizen_secrets import SecretInput
from portal.models import Department
from portal.uploads import CheckedFilesField


class RequestForm(ChallengeForm):
    department = LocalizedModelChoiceField(
        label=_("Department asked"), queryset=Department.objects.all(), empty_label=_("— choose —"),
        help_text=_("The department that made or keeps the information."),
    )
    description = forms.CharField(
        label=_("Information wanted"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Name the document or describe the information as precisely as you can: its title, document "
                    "number, subject and period."),
    )
    purpose = forms.CharField(label=_("Purpose (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    reply_form = forms.ChoiceField(label=_("Preferred form"), choices=ReplyForm.choices, widget=forms.RadioSelect,
                                   initial=ReplyForm.ELECTRONIC)
    files = CheckedFilesField(
        label=_("Attachments"), required=False,
        help_text=_("Up to 5 files: PDF, images, Word, Excel or CSV, 20 MB each."),
    )
    requester_type = forms.ChoiceField(label=_("You are"), choices=RequesterType.choices, initial=RequesterType.PERSON)
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Yours, or the contact person's. Never published."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("If you ask for a company or another organisation."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("We tell you here when there is a reply."))
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False,
                              help_text=_("Needed for a reply on paper."))

    def clean(self):
        data = super().clean()
        _check_reachable(self, data)
        return data


def _check_reachable(form, data) -> None:
    """What a reply needs: a way to reach the requester, an address for paper, the
    organisation of one who is not a natural person (the public form and the staff's)."""
    if not any((data.get(name) or "").strip() for name in ("phone", "email", "address")):
        form.add_error("phone", _("Give at least one way to reach you: phone, e-mail or postal address."))
    if data.get("reply_form") == ReplyForm.PAPER and not (data.get("address") or "").strip():
        form.add_error("address", _("A reply on paper needs a postal address."))
    if data.get("requester_type") not in (None, RequesterType.PERSON) and not (data.get("organisation") or "").strip():
        form.add_error("organisation", _("Name the organisation you ask for."))


#: The requester's fields of both forms (the request's own fields are the model's).
IDENTITY_FIELDS = ("name", "organisation", "phone", "email", "address")


class RequestRegisterForm(forms.ModelForm):
    """The admin's form for a request received by letter, fax, e-mail or in person: what the
    public form asks, plus how and when it arrived. The service files it
    (``services.request_register``); the form saves nothing itself."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("The requester's, or the contact person's."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("When the requester is not a natural person."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("The requester is told there when there is news."))
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False,
                              help_text=_("Needed for a reply on paper."))
    files = CheckedFilesField(label=_("Attachments"), required=False,
                              help_text=_("The letter as scanned, and what came with it: up to 5 files."))

    class Meta:
        model = InformationRequest
        fields = ["department", "channel", "received_on", "requester_type", "description", "purpose", "reply_form"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "purpose": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"received_on": _("A request received on a day off counts from the next working day.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(value, label) for value, label in RequestChannel.choices
                                          if value != RequestChannel.WEB]
        self.fields["channel"].initial = RequestChannel.LETTER
        self.fields["received_on"].initial = timezone.localdate

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("A request cannot have been received after today."))
        return received

    def clean(self):
        data = super().clean()
        _check_reachable(self, data)
        return data

    def identity(self) -> dict:
        return {name: self.cleaned_data[name].strip() for name in IDENTITY_FIELDS}


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)
    secret = forms.CharField(
        label=_("Secret"), max_length=40,
        help_text=_("As on your slip, e.g. K7Q2-M9XD-4HTW. Capitals, spaces and hyphens do not matter."),
        widget=SecretInput,
    )


class RequestActionForm(ActionForm):
    """The inputs of the request admin's steps: one set shared by every step, each reads its own."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    sub_reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *SubReason.choices], required=False)
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20, required=False)
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Text (notice, reason, reply, third party)"), required=False, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 3}))
