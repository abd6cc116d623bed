"""Forms of the approvals app: the public filters, tracking and rating, and the admin's."""

import unicodedata

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals import selectors
from approvals.models import (
    Application,
    ApprovalItem,
    FeeItem,
    ItemStatus,
    Kind,
    Material,
    RatingLevel,
)
from approvals.models.fees import STANDARD_FIELDS
from portal.admin_forms import LabelledInputsForm, NamedFileInput
from portal.chinese import LocalizedModelChoiceField
from portal.citizen_secrets import SecretInput
from portal.uploads import check_upload
from portal.widgets import QuickSelect

# --- public ---------------------------------------------------------------------------


class DepartmentChoiceField(LocalizedModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.only("code", "name"), to_field_name="code", required=False,
                         label=_("Department"), empty_label=_("All departments"), **kwargs)


ALL = "all"


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department = DepartmentChoiceField(selectors.departments_with_items())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices],
                             widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, widget=QuickSelect,
        choices=[("", _("Current (not cancelled)")), *ItemStatus.choices, (ALL, _("All, cancelled included"))],
    )

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("department"):
            queryset = queryset.filter(department=data["department"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        status = data.get("status")
        if not status:
            queryset = queryset.current()
        elif status != ALL:
            queryset = queryset.filter(status=status)
        return queryset


class ResultFilterForm(forms.Form):
    OUTCOMES = [("", _("All decisions")), ("granted", _("Granted")), ("rejected", _("Rejected"))]

    department = DepartmentChoiceField(selectors.departments_with_decisions())
    item = forms.CharField(label=_("Item code"), required=False, max_length=40)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    outcome = forms.ChoiceField(label=_("Decision"), required=False, choices=OUTCOMES, widget=QuickSelect)

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("department"):
            queryset = queryset.filter(item__department=data["department"])
        if data.get("item"):
            queryset = queryset.filter(item__code=data["item"])
        if data.get("year"):
            queryset = queryset.filter(decided_on__year=data["year"])
        if data.get("outcome") == "rejected":
            queryset = queryset.filter(status="rejected")
        elif data.get("outcome") == "granted":
            queryset = queryset.exclude(status="rejected")
        return queryset

    def count(self, queryset) -> int:
        """How many decisions ``filter`` leaves: an item's few are counted, any other choice
        is summed from the totals the database keeps (``selectors.decisions_total``)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("item"):
            return queryset.count()
        rejected = {"rejected": True, "granted": False}.get(data.get("outcome"))
        return selectors.decisions_total(department=data.get("department"), year=data.get("year"), rejected=rejected)


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=30, help_text=_("As printed on your receipt, e.g. 20261009-K7Q2M9XD.")
    )
    phone_last_four = forms.RegexField(
        label=_("Last four digits of your phone number"), regex=r"^\s*\d{4}\s*$", max_length=8,
        error_messages={"invalid": _("Enter four digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_phone_last_four(self):
        # Digits of any script count as the digits they are: a Chinese input method types
        # full-width ５６７８, and the comparison with the stored phone is of ASCII digits.
        return "".join(str(unicodedata.digit(char)) for char in self.cleaned_data["phone_last_four"] if char.isdigit())


class RatingForm(TrackForm):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you with this service?"), choices=RatingLevel.choices, coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    # Typed each time, never rendered back: no page carries it.
    secret = forms.CharField(
        label=_("Secret from your receipt"), max_length=40, widget=SecretInput,
        help_text=_("As printed on your receipt, e.g. K7Q2-M9XD-4HTW. Capitals, spaces and hyphens do not matter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_number"].widget = forms.HiddenInput()
        self.fields["phone_last_four"].widget = forms.HiddenInput()


# --- admin ----------------------------------------------------------------------------


class ChangeRecordForm(forms.ModelForm):
    """An item or fee form with the change-log fields: on creation they date the
    establishment; on a change of substance they are the adjustment's record."""

    #: Model fields whose change needs a reason (set by subclasses).
    substantive: tuple[str, ...] = ()

    change_effective_on = forms.DateField(label=_("Effective on"), required=False, widget=AdminDateWidget)
    change_document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    change_reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the change alters what is published as binding (limits, basis, conditions, standard)."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            cleaned["change_effective_on"] = cleaned.get("change_effective_on") or timezone.localdate()
        elif set(self.changed_data) & set(self.substantive) and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("This changes %(fields)s: give the reason and, if there is one, the document.") % {
                "fields": ", ".join(str(self.fields[name].label) for name in self.changed_data if name in self.substantive)
            })
        return cleaned

    def change_record(self) -> dict:
        return {
            "effective_on": self.cleaned_data.get("change_effective_on"),
            "document_number": self.cleaned_data.get("change_document_number") or "",
            "reason": self.cleaned_data.get("change_reason") or "",
        }


class ApprovalItemForm(ChangeRecordForm):
    substantive = ApprovalItem.SUBSTANTIVE_FIELDS

    online_url = forms.URLField(
        label=ApprovalItem._meta.get_field("online_url").verbose_name, required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = ApprovalItem
        fields = "__all__"


class FeeItemForm(ChangeRecordForm):
    substantive = FeeItem.SUBSTANTIVE_FIELDS

    class Meta:
        model = FeeItem
        fields = "__all__"


class MaterialForm(LabelledInputsForm):
    """A blank form is checked by its content; its name and type are kept for the download."""

    class Meta:
        model = Material
        fields = ["position", "name", "form", "copies", "mandatory", "notes", "blank_form"]
        widgets = {"blank_form": NamedFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "blank_form" in self.fields:  # not for a reader, who sees it read-only (MaterialInline)
            self.fields["blank_form"].widget.shown_name = self.instance.blank_form_name or gettext("download")

    def clean_blank_form(self):
        uploaded = self.cleaned_data.get("blank_form")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            self._checked = check_upload(uploaded)
        return uploaded

    def save(self, commit=True):
        checked = getattr(self, "_checked", None)
        if checked is not None:
            self.instance.blank_form_name = self.cleaned_data["blank_form"].name[:200]
            self.instance.blank_form_type = checked.content_type
        elif not self.instance.blank_form:
            self.instance.blank_form_name = self.instance.blank_form_type = ""
        return super().save(commit)


class InlineFeeForm(forms.ModelForm):
    """A fee added with its item. An existing fee's standard is adjusted on the fee's own
    page, where the adjustment is recorded with its reason."""

    class Meta:
        model = FeeItem
        fields = ["code", "name", "legal_basis", *STANDARD_FIELDS, "reductions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in (*STANDARD_FIELDS, "code", "legal_basis"):
                self.fields[name].disabled = True


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["item", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "received_on"]
        widgets = {"received_on": AdminDateWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "received_on" in self.fields:
            self.fields["received_on"].initial = timezone.localdate
        if self.instance.pk and "item" in self.fields:
            self.fields["item"].disabled = True
            self.fields["received_on"].disabled = True

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("A date in the future cannot be recorded."))
        return received_on


class ApprovalsActionForm(ActionForm):
    """Extra inputs for the actions on the change lists (cancel, delegate, correction, decide …)."""

    on = forms.DateField(label=_("Date"), required=False, help_text=_("Empty: today."), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    text = forms.CharField(
        label=_("Reason / decision / what is missing"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    delegated_to = forms.CharField(label=_("Delegated to"), required=False, max_length=200)
