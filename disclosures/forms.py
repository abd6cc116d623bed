"""Forms of the disclosures admin."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from disclosures.models import Attachment, Carrier, CatalogueEntry, Channel, Disclosure, Scope, TimeLimitRule, Validity
from portal.admin_forms import LabelledInputsForm
from portal.uploads import check_upload


class ChannelsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Channel.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("channels"))
        super().__init__(**kwargs)


def _carrier_choices():
    return list(Carrier.objects.values_list("code", "name"))


class DisclosureForm(forms.ModelForm):
    channels = ChannelsField()

    class Meta:
        model = Disclosure
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "validity" in self.fields:
            self.fields["validity"].required = False  # in force unless said otherwise

    def clean_validity(self):
        return self.cleaned_data.get("validity") or Validity.VALID

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category is not None and category.is_internal:
            cleaned["scope"] = Scope.INTERNAL  # the category decides (對內公開)
        return cleaned


class CatalogueEntryForm(forms.ModelForm):
    """An entry's channels are ticked from the editable list of channels and carriers."""

    channels = ChannelsField(choices=_carrier_choices, label=_("channels and carriers"))

    class Meta:
        model = CatalogueEntry
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("domain")) == bool(cleaned.get("category")):
            raise forms.ValidationError(
                _("An entry belongs either to a domain of the standard catalogue or to a category of the county's "
                  "own catalogue: choose one of the two.")
            )
        if cleaned.get("time_limit") and "time_limit" in self.changed_data:
            from disclosures import time_limits

            limit = time_limits.parse(cleaned["time_limit"])
            cleaned["cadence"], cleaned["days_allowed"] = limit.cadence, limit.days
            self.instance.time_limit_rule = limit.rule
        elif {"cadence", "days_allowed"} & set(self.changed_data):
            self.instance.time_limit_rule = TimeLimitRule.ENTERED
        return cleaned


class StandardCatalogueImportForm(forms.Form):
    """A county's standard-catalogue workbook (XLSX) or CSV file, and the department an entry
    gets when its 公開主體 names none."""

    file = forms.FileField(label=_("Workbook (XLSX) or CSV file"))
    department = forms.ModelChoiceField(
        label=_("Department for entries whose responsible body is not a department"), queryset=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.permissions import departments_for

        self.fields["department"].queryset = departments_for(user)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        checked = check_upload(uploaded, allowed={"xlsx", "csv"})
        self.extension = checked.extension
        uploaded.seek(0)
        return uploaded


class AttachmentForm(LabelledInputsForm):
    """A file is checked by its content; an existing attachment's file cannot be replaced."""

    class Meta:
        model = Attachment
        fields = ["file", "in_next_revision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].disabled = True

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if self.instance.pk or uploaded is None:
            return uploaded
        self._checked = check_upload(uploaded)
        return uploaded

    def save(self, commit=True):
        checked = getattr(self, "_checked", None)
        if checked is not None:
            self.instance.name = self.cleaned_data["file"].name[:200]
            self.instance.content_type = checked.content_type
            self.instance.size = checked.size
            self.instance.sha256 = checked.sha256
        return super().save(commit)


class DisclosureActionForm(ActionForm):
    """Extra inputs for the lifecycle actions on the change list."""

    comment = forms.CharField(
        label=_("Comment / reason"),
        required=False,
        max_length=2000,
        help_text=_("Required to return or withdraw."),
    )
    scope = forms.ChoiceField(
        label=_("Scope decided"), required=False, choices=[("", _("keep as proposed")), *Scope.choices]
    )
