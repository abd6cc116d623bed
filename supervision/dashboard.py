"""What the supervisors' compliance dashboard shows (DESIGN §4, §6): the overdue items of
every registered deadline kind, every registered indicator's figures for a year, their
month-by-month trend, and a per-department table sortable by any of them.

A fixed number of queries whatever the data size: one per deadline kind, one per
indicator, one for the departments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from portal import deadlines
from portal.deadlines import DeadlineKind
from portal.indicators import Figure, Period
from portal.models import Department
from supervision import figures
from supervision.figures import Column

#: Sort keys besides an indicator's name.
BY_DEPARTMENT, BY_OVERDUE = "department", "overdue"


@dataclass
class Overdue:
    kind: DeadlineKind
    by_department: dict[int | None, int]

    @property
    def county(self) -> int:
        return sum(self.by_department.values())


@dataclass
class Row:
    department: dict
    overdue: list[int]
    figures: list[Figure]

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue)


@dataclass
class Dashboard:
    year: int
    department: dict | None
    overdue: list[Overdue]
    columns: list[Column]
    rows: list[Row]
    months: list[dt.date]
    #: Every department (for the filter), whichever is shown.
    departments: list[dict]

    @property
    def computed_at(self) -> dt.datetime | None:
        """When the oldest of the figures shown was computed."""
        return min((c.computed_at for c in self.columns if c.computed_at), default=None)

    def overdue_count(self, kind: Overdue) -> int:
        return kind.by_department.get(self.department["pk"], 0) if self.department else kind.county

    def figure(self, column: Column) -> Figure:
        return column.figure(self.department["pk"] if self.department else None)

    def trend(self, column: Column) -> list[tuple[dt.date, Figure]]:
        return column.months(self.department["pk"] if self.department else None)


def overdue(today: dt.date | None = None) -> list[Overdue]:
    """Every registered deadline kind's overdue items, counted per department: one query each."""
    today = today or timezone.localdate()
    return [Overdue(kind, deadlines.overdue_by_department(kind, today)) for kind in deadlines.kinds()]


def departments() -> list[dict]:
    return list(Department.objects.order_by("code").values("pk", "code", "name"))


def _sort_key(sort: str, names: list[str]):
    if sort == BY_OVERDUE:
        return lambda row: (row.overdue_total, row.department["code"])
    if sort in names:
        index = names.index(sort)

        def by_figure(row):
            return (row.figures[index].value, row.department["code"])

        return by_figure
    return lambda row: row.department["code"]


def _sorted(rows: list[Row], sort: str, names: list[str], descending: bool) -> list[Row]:
    """Rows in the order asked for; by an indicator, departments without a figure come last
    whichever the direction."""
    if sort not in names:
        return sorted(rows, key=_sort_key(sort, names), reverse=descending)
    index = names.index(sort)
    judged = [row for row in rows if row.figures[index].value is not None]
    return sorted(judged, key=_sort_key(sort, names), reverse=descending) + [
        row for row in rows if row.figures[index].value is None]


def build(year: int, *, department: str = "", sort: str = BY_DEPARTMENT, descending: bool = False,
          today: dt.date | None = None) -> Dashboard:
    """The dashboard for ``year``, county-wide or for the department with code ``department``."""
    period = Period.year(year)
    everyone = departments()
    chosen = next((d for d in everyone if d["code"] == department), None)
    kinds = overdue(today)
    columns = figures.columns(period, department=chosen["pk"] if chosen else None)
    shown = [chosen] if chosen else everyone
    rows = [
        Row(d, [kind.by_department.get(d["pk"], 0) for kind in kinds], [c.figure(d["pk"]) for c in columns])
        for d in shown
    ]
    rows = _sorted(rows, sort, [c.name for c in columns], descending)
    last = min(period.end, today or timezone.localdate())
    months = [dt.date(year, month, 1) for month in range(1, 13) if dt.date(year, month, 1) <= last]
    return Dashboard(year, chosen, kinds, columns, rows, months, everyone)
