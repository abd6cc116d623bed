"""Forms of the disclosures admin."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from disclosures.models import Attachment, CatalogueEntry, Channel, Disclosure, Scope
from portal.admin_forms import LabelledInputsForm
from portal.uploads import check_upload


class ChannelsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Channel.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("channels"))
        super().__init__(**kwargs)


class DisclosureForm(forms.ModelForm):
    channels = ChannelsField()

    class Meta:
        model = Disclosure
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category is not None and category.is_internal:
            cleaned["scope"] = Scope.INTERNAL  # the category decides (對內公開)
        return cleaned


class CatalogueEntryForm(forms.ModelForm):
    channels = ChannelsField()

    class Meta:
        model = CatalogueEntry
        fields = "__all__"


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
