"""What the steps of approvals check besides state and permission (``portal.workflow`` does
those): that dates are not in the future or out of order, and that a reason is given."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.workflow import TransitionError


def today() -> dt.date:
    """Today in the county (a function, so tests can move it)."""
    return timezone.localdate()


def require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise TransitionError(_("Give the reason for this change."))
    return reason.strip()


def not_before(on: dt.date, earliest: dt.date, what: str) -> None:
    if on < earliest:
        raise TransitionError(
            _("%(what)s cannot take effect on %(on)s, before %(earliest)s.") % {"what": what, "on": on, "earliest": earliest}
        )
