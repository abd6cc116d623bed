"""Forms of the evaluation pages: an evaluator's scorecard, and the office's invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.models import Campaign, EvaluatorKind, Scale
from supervision.models.campaigns import LEVELS


class ScorecardForm(forms.Form):
    """One field per criterion of the campaign, on its scale, and the comments."""

    comment = forms.CharField(label=_("Comments (published without your name)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, campaign: Campaign, criteria, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            if campaign.scale == Scale.FIVE_LEVELS:
                field = forms.TypedChoiceField(
                    label=criterion.name, required=False, coerce=int, empty_value=None,
                    choices=[(level, label) for level, label, _points in LEVELS], widget=forms.RadioSelect)
            else:
                field = forms.IntegerField(label=criterion.name, required=False, min_value=0, max_value=100)
            field.help_text = _("weight %(weight)d") % {"weight": criterion.weight}
            field.disabled = disabled
            self.fields[self.field_name(criterion)] = field
        self.fields["comment"].disabled = disabled
        self.order_fields([self.field_name(criterion) for criterion in self.criteria] + ["comment"])

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def scores(self) -> dict[int, int | None]:
        return {criterion.pk: self.cleaned_data.get(self.field_name(criterion)) for criterion in self.criteria}


class InvitationForm(forms.Form):
    """Invitation links for outside evaluators: one name per line."""

    names = forms.CharField(label=_("Evaluators' names, one per line"), max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 6}))
    kind = forms.ChoiceField(label=_("Capacity"), choices=EvaluatorKind.choices, initial=EvaluatorKind.CITIZEN)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)

    def clean_names(self):
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("Give at least one name."))
        if len(names) > 200:
            raise forms.ValidationError(_("At most 200 invitations at a time."))
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError(_("A name has at most 100 characters."))
        return names
