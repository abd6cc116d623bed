"""A request's clock under the Regulations on Open Government Information (2019).

* The reply is due 20 working days after the day the request counts from (art. 33): the
  day of receipt, or the next working day if it was received on a day off; after a
  correction notice, the day the corrected request arrives (art. 30).
* Time spent consulting a third party does not count (art. 32, 33): the working days
  after the consultation was sent up to and including the day it ended are skipped. While
  it runs, the third party's own 15 working days are assumed, so the due date shown is the
  latest it can be; it moves earlier when the third party answers sooner.
* One extension of up to 20 working days (art. 33) adds to the date so found.

Counting as in ``portal.calendar``: the day counted from is day 0.
"""

from __future__ import annotations

import datetime as dt

from portal.calendar import DueDate, WorkingCalendar

REPLY_DAYS = 20
MAX_EXTENSION_DAYS = 20
#: A correction notice is given within this many working days of receipt (art. 30).
CORRECTION_NOTICE_DAYS = 7
#: The third party's time to give its opinion (art. 32).
CONSULTATION_DAYS = 15
#: What the correction notice gives the requester by default (art. 30 says "a reasonable time").
CORRECTION_DAYS = 15


def counted_from(calendar: WorkingCalendar, received: dt.date) -> dt.date:
    """The day the clock counts from for a request (or corrected request) received on ``received``."""
    day = received
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def consultation_end(calendar: WorkingCalendar, started: dt.date) -> dt.date:
    """The last day of the third party's time, when it has not answered."""
    return calendar.add_working_days(started, CONSULTATION_DAYS).date


def due_date(
    calendar: WorkingCalendar,
    *,
    start: dt.date,
    paused: tuple[dt.date, dt.date | None] | None = None,
    extension_days: int = 0,
) -> DueDate:
    """The reply's due date counting from ``start`` (see the module).

    ``paused``: (day the third party was consulted, day its answer arrived — or None while
    it runs, when its 15 working days are assumed)."""
    remaining, resume = REPLY_DAYS, start
    if paused is not None:
        consulted_on, ended_on = paused
        used = calendar.working_days_between(start, consulted_on)
        if used < REPLY_DAYS:  # a consultation after the due date moves nothing
            remaining -= max(used, 0)
            resume = max(ended_on or consultation_end(calendar, consulted_on), start)
    due = calendar.add_working_days(resume, remaining)
    if extension_days:
        extended = calendar.add_working_days(due.date, extension_days)
        due = DueDate(extended.date, due.provisional or extended.provisional)
    return due


def request_due(calendar: WorkingCalendar, request) -> DueDate:
    """``due_date`` for an ``InformationRequest`` as it stands."""
    paused = None
    if request.consultation_started_on is not None:
        paused = (request.consultation_started_on, request.consultation_ended_on)
    return due_date(calendar, start=request.counted_from, paused=paused, extension_days=request.extension_days)
