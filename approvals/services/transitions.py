"""What every step of approvals shares: the refusal, the permission and state checks, the date rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import can


class TransitionError(ValidationError):
    """The object is not in a state that allows this step."""


def today() -> dt.date:
    """Today in the county (a function, so tests can move it)."""
    return timezone.localdate()


def require(actor, action: str, obj) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied(_("You may not change “%(object)s”.") % {"object": obj})


def require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise TransitionError(_("Give the reason for this change."))
    return reason.strip()


def expect(obj, allowed, label: str) -> None:
    if obj.status not in allowed:
        labels = dict(type(obj)._meta.get_field("status").choices)
        raise TransitionError(
            _("“%(object)s” is %(status)s; this step needs it to be %(expected)s.")
            % {
                "object": label,
                "status": obj.get_status_display(),
                "expected": " / ".join(str(labels[state]) for state in sorted(allowed)),
            }
        )


def _value(value) -> str:
    return "" if value is None else str(value)


def differences(before, after, fields) -> list[dict]:
    return [
        {"field": name, "from": _value(getattr(before, name)), "to": _value(getattr(after, name))}
        for name in fields
        if getattr(before, name) != getattr(after, name)
    ]


def not_before(on: dt.date, earliest: dt.date, what: str) -> None:
    if on < earliest:
        raise TransitionError(
            _("%(what)s cannot take effect on %(on)s, before %(earliest)s.") % {"what": what, "on": on, "earliest": earliest}
        )
