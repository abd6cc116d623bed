"""When the supervision office may close a replied complaint (issue 12).

The complainant rates the reply, and may reopen the complaint, from the tracking page; the
office closing it seconds after the reply would take that away. So a replied complaint is
closed by the complainant's rating, or by the office once ``GONGKAI_COMPLAINT_RATING_DAYS``
working days have passed since the reply without one.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from portal.calendar import add_working_days


def rating_closes_on(complaint) -> dt.date:
    """The first day the office may close ``complaint`` (replied, not rated)."""
    replied_on = timezone.localtime(complaint.replied_at).date()
    return add_working_days(replied_on, settings.GONGKAI_COMPLAINT_RATING_DAYS).date


def may_close(complaint) -> bool:
    return complaint.replied_at is not None and timezone.localdate() >= rating_closes_on(complaint)
