"""Public complaint-handling statistics, rectification orders and accountability measures:
counts only, never contents or names (DESIGN §3.5).

Aggregated in the database, one query per table of figures.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from portal import years
from portal.indicators import rows_counted
from supervision.models import (
    OPEN_ORDER_STATUSES,
    SATISFIED,
    AccountabilityMeasure,
    Complaint,
    Measure,
    OrderStatus,
    RectificationOrder,
    Status,
)
from supervision.models.complaints import OPEN_STATUSES


requested_year = years.requested_year


def available_years() -> list[int]:
    return years.available_years(Complaint.objects.all(), "received_on")


def figures():
    """The figures for a queryset, as aggregate expressions. Rows are counted as COUNT(1)
    so that ``complaint_received_figures`` serves a year alone (an index-only scan)."""
    today = timezone.localdate()
    return {
        "received": rows_counted(),
        "accepted": rows_counted(~Q(status__in=[Status.RECEIVED, Status.DECLINED])),
        "declined": rows_counted(Q(status=Status.DECLINED)),
        "closed": rows_counted(Q(status=Status.CLOSED)),
        "closed_on_time": rows_counted(Q(status=Status.CLOSED, closed_on_time=True)),
        "overdue": rows_counted(Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        "rated": rows_counted(~Q(satisfaction="")),
        "satisfied": rows_counted(Q(satisfaction__in=SATISFIED)),
    }


def _rates(row: dict) -> dict:
    if "closed_on_time" in row:
        row["on_time_rate"] = round(100 * row["closed_on_time"] / row["closed"], 1) if row["closed"] else None
    if "satisfied" in row:
        row["satisfaction_rate"] = round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
    return row


def by_department(year: int) -> tuple[list[dict], dict]:
    """Per department concerned, for complaints received in ``year``; and the totals, the
    sums of the department rows (one query)."""
    queryset = Complaint.objects.filter(received_on__year=year)
    rows = list(
        queryset.values("department__code", "department__name").annotate(**figures()).order_by("department__code")
    )
    county = {name: sum(row[name] for row in rows) for name in figures()}
    return [_rates(row) for row in rows], _rates(county)


def totals(year: int, names: tuple[str, ...] | None = None) -> dict:
    """The county's figures for complaints received in ``year`` (one query): all of them,
    or only those ``names`` (each figure is a pass over the year's rows)."""
    wanted = {name: figure for name, figure in figures().items() if names is None or name in names}
    return _rates(Complaint.objects.filter(received_on__year=year).aggregate(**wanted))


# --- Rectification orders and accountability: counts for the county, never names -----------------


def rectification_totals(year: int) -> dict:
    """The county's rectification orders issued in ``year``: one query."""
    today = timezone.localdate()
    return RectificationOrder.objects.filter(issued_on__year=year).aggregate(
        issued=Count("pk"),
        closed=Count("pk", filter=Q(status=OrderStatus.CLOSED)),
        closed_on_time=Count("pk", filter=Q(status=OrderStatus.CLOSED, closed_on_time=True)),
        overdue=Count("pk", filter=Q(status__in=OPEN_ORDER_STATUSES, due_on__lt=today)),
    )


def accountability_by_measure(year: int) -> list[dict]:
    """How many accountability measures of each kind were decided in ``year``, every kind
    listed (zero included): one query. Counts only — never a department or a person."""
    rows = AccountabilityMeasure.objects.filter(decided_on__year=year).order_by().values("measure").annotate(n=Count("pk"))
    counts = {row["measure"]: row["n"] for row in rows}
    return [{"measure": label, "count": counts.get(value, 0)} for value, label in Measure.choices]
