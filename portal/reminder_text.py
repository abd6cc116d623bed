"""Reminder kinds, stages, audiences and rules in words, for the admin (issue 12: no raw
codes or JSON on staff pages). The codes themselves are ``portal.reminders``'."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import deadlines

AUDIENCES = {
    "responsible": lambda: _("those responsible"),
    "department_head": lambda: _("the head of the department"),
    "supervision": lambda: _("the supervision office"),
    "coordinator": lambda: _("the open-government office (coordinator)"),
    "": lambda: _("nobody"),
}


def kind_label(kind: str) -> str:
    try:
        return str(deadlines.get(kind).label)
    except KeyError:
        return kind


def audience_label(audience: str) -> str:
    said = AUDIENCES.get(audience)
    return said() if said else audience


def stage_label(stage: str) -> str:
    """``before-3`` → "3 working days before the due date", ``due``, ``overdue-5`` …"""
    name, _dash, days = stage.partition("-")
    if name == "due":
        return _("on the due date")
    if days.isdigit():
        count = int(days)
        if name == "before":
            return ngettext("%(count)d working day before the due date", "%(count)d working days before the due date",
                            count) % {"count": count}
        if name == "overdue":
            return ngettext("%(count)d working day overdue", "%(count)d working days overdue", count) % {"count": count}
    return stage


def leads_label(lead_days) -> str:
    days = sorted({int(day) for day in lead_days or ()}, reverse=True)
    if not days:
        return _("none")
    return _("%(days)s working days before") % {"days": "、".join(str(day) for day in days)}


def escalations_label(escalations) -> str:
    steps = [
        _("after %(count)s working days overdue: %(to)s") % {"count": step.get("after"), "to": audience_label(step.get("to", ""))}
        for step in escalations or ()
    ]
    return "；".join(steps) or _("none")
