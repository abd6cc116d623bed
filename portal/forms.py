"""Forms of the portal's admin: reminder rules edited in words (issue 12), not as JSON."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal import deadlines, reminder_text
from portal.models import ReminderRule
from portal.reminders import COORDINATOR, DEPARTMENT_HEAD, RESPONSIBLE, SUPERVISION

#: The longest wait a rule may name, in working days (about a working half-year).
MAX_WORKING_DAYS = 120
#: Escalation levels a rule offers (head of department, supervision office, coordinator).
LEVELS = (1, 2, 3)
SEPARATORS = re.compile(r"[\s,，、;；]+")


class WorkingDaysField(forms.CharField):
    """Working days as a list of numbers, typed ``3, 1`` (or 3、1 / 3，1), kept as ``[3, 1]``."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "、".join(str(day) for day in value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        days = set()
        for part in SEPARATORS.split(str(value or "").strip()):
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= MAX_WORKING_DAYS:
                raise ValidationError(
                    _("“%(value)s” is not a number of working days: write whole numbers from 1 to %(max)d "
                      "separated by commas, e.g. 3, 1."),
                    code="invalid", params={"value": part, "max": MAX_WORKING_DAYS},
                )
            days.add(int(part))
        return sorted(days, reverse=True)


def _after(level: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=format_lazy(_("level {level}: working days overdue"), level=level), required=False,
        min_value=1, max_value=MAX_WORKING_DAYS,
    )


def _to(level: int) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=format_lazy(_("level {level}: to whom"), level=level), required=False,
        choices=lambda: [("", "—")] + [(audience, reminder_text.audience_label(audience))
                                       for audience in (RESPONSIBLE, DEPARTMENT_HEAD, SUPERVISION, COORDINATOR)],
    )


class ReminderRuleForm(forms.ModelForm):
    """A kind's rule as the coordinator says it: remind 3 and 1 working days before; after 1
    working day overdue tell the head of the department, after 5 the supervision office."""

    kind = forms.ChoiceField(label=_("deadline kind"))
    lead_days = WorkingDaysField(
        label=_("reminders before the due date"), required=False,
        help_text=_("Working days before the due date on which those responsible are reminded, separated by "
                    "commas, e.g. 3, 1. Leave empty for no reminder before the due date."),
    )
    escalation_1_after, escalation_1_to = _after(1), _to(1)
    escalation_2_after, escalation_2_to = _after(2), _to(2)
    escalation_3_after, escalation_3_to = _after(3), _to(3)

    class Meta:
        model = ReminderRule
        fields = ["kind", "lead_days", "notify_on_due", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(kind.name, kind.label) for kind in deadlines.kinds()]
        if self.instance.kind and self.instance.kind not in dict(choices):  # a kind no app declares any more
            choices.append((self.instance.kind, self.instance.kind))
        self.fields["kind"].choices = [("", "—"), *choices]
        steps = sorted(self.instance.escalations or (), key=lambda step: int(step["after"]))
        for level, step in zip(LEVELS, steps):
            self.initial.setdefault(f"escalation_{level}_after", step["after"])
            self.initial.setdefault(f"escalation_{level}_to", step["to"])

    def clean(self):
        cleaned = super().clean()
        steps, previous = [], None
        for level in LEVELS:
            after_name, to_name = f"escalation_{level}_after", f"escalation_{level}_to"
            if after_name in self.errors:
                continue
            after, to = cleaned.get(after_name), cleaned.get(to_name)
            if after is None and not to:
                continue
            if after is None or not to:
                self.add_error(after_name if after is None else to_name,
                               _("Give both the working days overdue and to whom, or neither."))
                continue
            if previous is not None and after <= previous:
                self.add_error(after_name, _("Each level comes later than the one before: more than %(days)d "
                                             "working days overdue.") % {"days": previous})
                continue
            steps.append({"after": after, "to": to})
            previous = after
        self.instance.escalations = steps
        return cleaned
