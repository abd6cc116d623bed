"""Every registered compliance indicator's figures for a period, as the dashboard and the
annual assessment read them: one query per indicator (``portal.indicators.grid``), whatever
the number of rows, from which the per-department, county and month-by-month figures are
added up. Indicators registered by any app appear here without a change to this module.

Each indicator's grid is kept in the cache for ``KEEP`` seconds, and the beat task
``supervision.refresh_figures`` computes this year's afresh every five minutes: at county
scale an indicator's aggregate over a year of rows takes tens to hundreds of milliseconds,
and a supervisor opening the dashboard should not wait for all of them (bench/DASHBOARD.md).
Pages say when their figures were computed; the records behind a figure are always read live,
and freezing a year computes afresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from portal import indicators
from portal.indicators import Figure, Indicator, Period


@dataclass
class Column:
    indicator: Indicator
    grid: dict = field(repr=False)
    computed_at: dt.datetime | None = None
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


#: Seconds a computed grid is served from the cache.
KEEP = 600


def _key(indicator: Indicator, period: Period) -> str:
    return f"figures:{indicator.name}:{period.start.isoformat()}:{period.end.isoformat()}"


def columns(period: Period, *, fresh: bool = False) -> list[Column]:
    """Every registered indicator's figures for ``period``: one query each for those not in
    the cache (every one with ``fresh``)."""
    registered = indicators.indicators()
    stored = {} if fresh else cache.get_many([_key(indicator, period) for indicator in registered])
    result, computed = [], {}
    for indicator in registered:
        entry = stored.get(_key(indicator, period))
        if entry is None:
            entry = computed[_key(indicator, period)] = (timezone.now(), indicators.grid(indicator, period))
        result.append(Column(indicator, entry[1], computed_at=entry[0]))
    if computed:
        cache.set_many(computed, KEEP)
    return result
