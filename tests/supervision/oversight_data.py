"""A small, hand-counted set of complaints for the dashboard and assessment tests."""

import datetime as dt
import itertools

from supervision.models import Complaint, Kind, Satisfaction, Status

_codes = itertools.count()


def complaint(department, received_on, status=Status.RECEIVED, on_time=None, satisfaction="", due_on=None):
    return Complaint.objects.create(
        tracking_code=f"D{next(_codes):08d}", kind=Kind.COMPLAINT, department=department, summary="路燈不亮", details="d",
        received_on=received_on, due_on=due_on or received_on + dt.timedelta(days=21), status=status,
        closed_on_time=on_time, satisfaction=satisfaction,
    )


def complaints_2026(a, b):
    """A: 3 closed (2 on time), rated 1 satisfied of 2, and 1 open long overdue.
    B: 1 closed late."""
    complaint(a, dt.date(2026, 1, 5), Status.CLOSED, True, Satisfaction.SATISFIED)
    complaint(a, dt.date(2026, 1, 20), Status.CLOSED, True)
    complaint(a, dt.date(2026, 3, 2), Status.CLOSED, False, Satisfaction.VERY_DISSATISFIED)
    complaint(a, dt.date(2026, 3, 9), due_on=dt.date(2026, 4, 8))
    complaint(b, dt.date(2026, 2, 2), Status.CLOSED, False)
