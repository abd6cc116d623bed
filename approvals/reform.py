"""Reform statistics (審批制度改革), computed in the database from the change log — never typed in.

For a year Y and a department:

* in force at the start = items established before 1 January Y − items cancelled before it
  (a delegated item is still on the register, only handled lower down);
* cancelled = cancellations effective in Y; delegated and established likewise;
* cancellation rate = cancelled / in force at the start (the seed: 56 / 279 = 20.1%).

Each figure is a filtered COUNT over ``ItemChange`` grouped by department, so the page
takes the same few queries whatever the number of items and years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from approvals.models import ChangeKind, ItemChange


@dataclass(frozen=True)
class Figures:
    in_force_at_start: int
    cancelled: int
    delegated: int
    established: int

    @property
    def rate(self) -> Decimal | None:
        """The cancellation rate in per cent, one decimal; None when nothing was in force."""
        if not self.in_force_at_start:
            return None
        return (Decimal(100 * self.cancelled) / self.in_force_at_start).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self):
        return (self.in_force_at_start, self.cancelled, self.delegated, self.established)


ZERO = Figures(0, 0, 0, 0)


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    figures: Figures


def years() -> list[int]:
    """Years in which an item was cancelled or delegated, newest first (one query)."""
    dates = ItemChange.objects.filter(kind__in=[ChangeKind.CANCEL, ChangeKind.DELEGATE]).dates("effective_on", "year", order="DESC")
    return [day.year for day in dates]


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def _counts(year: int, prefix: str = "") -> dict:
    start, end = _bounds(year)
    in_year = Q(effective_on__gte=start, effective_on__lt=end)
    return {
        f"{prefix}in_force": Count("pk", filter=Q(kind=ChangeKind.ESTABLISH, effective_on__lt=start))
        - Count("pk", filter=Q(kind=ChangeKind.CANCEL, effective_on__lt=start)),
        f"{prefix}cancelled": Count("pk", filter=Q(kind=ChangeKind.CANCEL) & in_year),
        f"{prefix}delegated": Count("pk", filter=Q(kind=ChangeKind.DELEGATE) & in_year),
        f"{prefix}established": Count("pk", filter=Q(kind=ChangeKind.ESTABLISH) & in_year),
    }


def _figures(row: dict, prefix: str = "") -> Figures:
    return Figures(
        row[f"{prefix}in_force"], row[f"{prefix}cancelled"], row[f"{prefix}delegated"], row[f"{prefix}established"]
    )


def by_department(year: int) -> tuple[list[DepartmentRow], Figures]:
    """Per department for ``year`` and the county total (one query)."""
    rows = (
        ItemChange.objects.values(code=F("item__department__code"), name=F("item__department__name"))
        .annotate(**_counts(year))
        .order_by("code")
    )
    departments = [
        DepartmentRow(row["code"], row["name"], _figures(row))
        for row in rows
        if row["in_force"] or row["cancelled"] or row["delegated"] or row["established"]
    ]
    return departments, sum((row.figures for row in departments), ZERO)


def by_year(year_list: list[int]) -> list[tuple[int, Figures]]:
    """County totals for each year (one query, however many years)."""
    if not year_list:
        return []
    annotations = {}
    for year in year_list:
        annotations.update(_counts(year, f"y{year}_"))
    row = ItemChange.objects.aggregate(**annotations)
    return [(year, _figures(row, f"y{year}_")) for year in year_list]


def cancelled_in(year: int):
    """The change-log entries of the items cancelled in ``year``, with reasons (one query)."""
    start, end = _bounds(year)
    return (
        ItemChange.objects.filter(kind=ChangeKind.CANCEL, effective_on__gte=start, effective_on__lt=end)
        .select_related("item__department")
        .order_by("item__department__code", "item__code")
    )
