"""Every registered compliance indicator's figures for a period, as the dashboard and the
annual assessment read them: one query per indicator (``portal.indicators.grid``), whatever
the number of rows, from which the per-department, county and month-by-month figures are
added up. Indicators registered by any app appear here without a change to this module."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from portal import indicators
from portal.indicators import Figure, Indicator, Period


@dataclass
class Column:
    indicator: Indicator
    grid: dict = field(repr=False)
    by_department: dict[int, Figure] = field(init=False)
    county: Figure = field(init=False)
    _months: dict = field(init=False, repr=False)

    def __post_init__(self):
        unit = self.indicator.unit
        departments, months = defaultdict(list), defaultdict(lambda: defaultdict(list))
        for (department, month), figure in self.grid.items():
            departments[department].append(figure)
            if month is not None:
                months[None][month].append(figure)
                months[department][month].append(figure)
        self.by_department = {pk: indicators.total(f, unit) for pk, f in departments.items() if pk is not None}
        self.county = indicators.total((f for figures in departments.values() for f in figures), unit)
        self._months = {
            key: sorted((month, indicators.total(f, unit)) for month, f in by_month.items())
            for key, by_month in months.items()
        }

    @property
    def name(self) -> str:
        return self.indicator.name

    def figure(self, department: int | None = None) -> Figure:
        """The department's figure, or the county's (no figure: nothing to judge)."""
        if department is None:
            return self.county
        return self.by_department.get(department, Figure(0, 0, self.indicator.unit))

    def months(self, department: int | None = None) -> list[tuple[dt.date, Figure]]:
        """Month by month, the county's or one department's (months without rows left out)."""
        return self._months.get(department, [])


def columns(period: Period) -> list[Column]:
    """Every registered indicator's figures for ``period``: one query each."""
    return [Column(indicator, indicators.grid(indicator, period)) for indicator in indicators.indicators()]
