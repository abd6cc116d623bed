"""An application's clock: the promised limit in working days from receipt, paused while the
applicant corrects their materials (DESIGN §3.4, §3.6).

Counting, as ``portal.calendar`` does: the day of receipt is day 0. The day a correction
notice is given still counts; the clock stands from the next day until the corrected
materials arrive, and that day is day 0 again. So a pause from a notice on ``p`` to
receipt of the correction on ``r`` skips the working days in (p, r].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portal.calendar import DueDate, WorkingCalendar


def due_date(
    calendar: WorkingCalendar,
    received_on: dt.date,
    limit: int,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> DueDate | None:
    """The due date, or None while a pause is open (the clock stands: nobody knows yet)."""
    remaining, start = limit, received_on
    for paused_on, resumed_on in sorted(pauses):
        used = calendar.working_days_between(start, paused_on)
        if used >= remaining:
            break  # the deadline fell before this pause
        if resumed_on is None:
            return None
        remaining -= max(used, 0)
        start = resumed_on
    due = calendar.add_working_days(start, remaining)
    provisional = due.provisional or calendar.is_provisional_year(received_on.year)
    return DueDate(due.date, provisional)

