"""Public forms of the supervision mailbox and the admin's action form."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disclosures import selectors as disclosure_selectors
from portal.chinese import LocalizedModelChoiceField
from portal.citizen_secrets import SecretInput
from portal.models import Department
from portal.challenge import ChallengeForm
from portal.uploads import CheckedFilesField, check_upload
from supervision.models import Channel, Kind, Satisfaction


class ComplaintForm(ChallengeForm):
    kind = forms.ChoiceField(label=_("What is it?"), choices=Kind.choices, widget=forms.RadioSelect)
    department = LocalizedModelChoiceField(
        label=_("Department concerned"), queryset=Department.objects.all(), empty_label=_("— choose —")
    )
    summary = forms.CharField(label=_("Subject"), max_length=200)
    details = forms.CharField(
        label=_("What happened"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who, what, where and when, as precisely as you can."),
    )
    happened_on = forms.DateField(
        label=_("When it happened"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approval_item_code = forms.CharField(label=_("Approval item code"), max_length=40, required=False)
    fee_item_code = forms.CharField(label=_("Fee item"), max_length=40, required=False)
    disclosure = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachments = CheckedFilesField(
        label=_("Attachments"), required=False,
        help_text=_("Up to 5 files: PDF, images, Word, Excel or CSV, 20 MB each."),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously"), required=False,
        help_text=_("Your name is not asked. Keep the tracking code and secret you get: an anonymous filer's secret "
                    "cannot be issued again."),
    )
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("We tell you here when there is a reply."))

    def clean_disclosure(self):
        pk = self.cleaned_data.get("disclosure")
        if pk is None:
            return None
        disclosure = disclosure_selectors.readable().filter(pk=pk).first()
        if disclosure is None:
            raise ValidationError(_("That disclosure does not exist."))
        return disclosure

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give your name, or tick “File anonymously”."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)
    secret = forms.CharField(
        label=_("Secret"), max_length=40, required=False,
        help_text=_("As on your slip, e.g. K7Q2-M9XD-4HTW. Capitals, spaces and hyphens do not matter."),
        widget=SecretInput,
    )


class RateForm(TrackForm):
    satisfaction = forms.ChoiceField(label=_("How satisfied are you with the reply?"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)
    reopen = forms.BooleanField(label=_("I am not satisfied: please handle it again"), required=False)


class ComplaintActionForm(ActionForm):
    department = LocalizedModelChoiceField(label=_("Assign to"), queryset=Department.objects.all(), required=False)
    text = forms.CharField(label=_("Reason / reply"), required=False, max_length=10000)


class StaffComplaintForm(ComplaintForm):
    """What the supervision office types in for a phone call, letter, visit or window filing."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    field_order = ["channel", "received_on"]


# --- Inspections, rectification orders, accountability (supervision.admin.inspections) ---------


class OversightActionForm(ActionForm):
    text = forms.CharField(label=_("Conclusion / reason"), required=False, max_length=5000)


def _checked(uploaded):
    """``(file, CheckedFile)``: judged by its content (``portal.uploads``)."""
    return uploaded, check_upload(uploaded)


class FindingForm(forms.ModelForm):
    def clean_evidence_file(self):
        uploaded = self.cleaned_data.get("evidence_file")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            _checked(uploaded)
            self.instance.evidence_file_name = uploaded.name[:200]
        return uploaded


class RectificationReportForm(forms.Form):
    response = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was put right, when, and how it can be checked."),
    )
    files = CheckedFilesField(label=_("Evidence files"), required=False,
                              help_text=_("Up to 5 files: PDF, images, Word, Excel or CSV, 20 MB each."))


class AccountabilityMeasureForm(forms.ModelForm):
    """The overdue item, if that is the cause, is one of a registered deadline kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "overdue_type" in self.fields:
            from django.contrib.contenttypes.models import ContentType

            from portal import deadlines

            models = [kind.open_items().model for kind in deadlines.kinds()]
            self.fields["overdue_type"].queryset = ContentType.objects.filter(
                pk__in=[ContentType.objects.get_for_model(model).pk for model in models])
