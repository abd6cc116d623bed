"""The steps of a workflow on an object's own admin page (issue 12, "actions on the object's
own page").

Each step the user may take now is a button on the change page; a step that asks for
something (``Transition.asks``: a comment, a reason, a reply, a department, a date) opens
its own form page, built here from the model admin's action form — a long text is a
multi-line box, a required input is checked before anything runs. Whoever may not act is
told who may (``who_acts_next``): "Approve (pre-review): a reviewer of 縣財政局".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from portal.models import Department
from portal.permissions import department_of, permission_name
from portal.roles import COUNTY_WIDE_ROLES, Role, role_permissions
from portal.workflow import Transition, Workflow

#: A text input longer than this is a multi-line box.
ONE_LINE_CHARACTERS = 200


def step_form_class(action_form: type[forms.Form], transition: Transition) -> type[forms.Form]:
    """A form of the inputs ``transition`` asks for, taken from the admin's ``action_form``
    (the same names the admin action reads from the request)."""
    fields = {}
    for ask in transition.asks:
        field = copy.deepcopy(action_form.base_fields[ask.name])
        field.required = ask.required
        if ask.label is not None:
            field.label = ask.label
        if ask.help_text is not None:
            field.help_text = ask.help_text
        if isinstance(field, forms.CharField) and (field.max_length or 10**6) > ONE_LINE_CHARACTERS:
            field.widget = forms.Textarea(attrs={"rows": 8, "cols": 80, "maxlength": field.max_length})
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        fields[ask.name] = field
    return type(f"{transition.name.title()}StepForm", (forms.Form,), fields)


@dataclass(frozen=True)
class Waiting:
    """A step of the object's current state that someone else takes."""

    step: str
    who: str


def _roles_for(model, action: str) -> list[Role]:
    perm = permission_name(model, action)
    return [role for role in Role if perm in role_permissions(role)]


def who_acts_next(machine: Workflow, obj, offered: list[Transition], steps) -> list[Waiting]:
    """The steps (of the names ``steps``: the admin's) of ``obj``'s current state that are
    not ``offered`` to the user, each with who
    may take it (the roles holding its permission, and the department where it is not a
    county-wide role)."""
    state = machine.state_of(obj)
    offered_names = {transition.name for transition in offered}
    department_id = department_of(obj)
    department = Department.objects.filter(pk=department_id).values_list("name", flat=True).first() if department_id else None
    waiting = []
    for transition in machine.transitions.values():
        if (
            transition.action is None
            or transition.name not in steps
            or transition.name in offered_names
            or state not in transition.sources
            or (transition.offered_if is not None and not transition.offered_if(obj))
        ):
            continue
        people = []
        for role in _roles_for(machine.model, transition.action):
            if role in COUNTY_WIDE_ROLES or department is None:
                people.append(str(role.label))
            else:
                people.append(_("%(role)s of %(department)s") % {"role": role.label, "department": department})
        if people:
            waiting.append(Waiting(str(transition.label), _(" or ").join(people)))
    return waiting
