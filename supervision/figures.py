"""Every registered compliance indicator's figures for a period, as the dashboard and the
annual assessment read them: one query per indicator (one for indicators counting the same
rows, ``portal.indicators.grids``), whatever the number of rows, from which the
per-department, county and month-by-month figures are added up. Indicators registered by any app appear here without a change to this module.

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


def _key(indicator: Indicator, period: Period, department: int | None = None) -> str:
    scope = "" if department is None else f":{department}"
    return f"figures:{indicator.name}:{period.start.isoformat()}:{period.end.isoformat()}{scope}"


def columns(period: Period, *, fresh: bool = False, department: int | None = None) -> list[Column]:
    """Every registered indicator's figures for ``period``, computed for those not in the
    cache (every one with ``fresh``): one query per set of indicators counting the same rows
    (``portal.indicators.grids``).

    With ``department``, only that department's figures are needed (its drill-down): the
    county's grids are read where the cache has them, the rest computed for the department
    alone, a fiftieth of the rows (such a column's county figure is the department's)."""
    registered = indicators.indicators()
    county_keys = [_key(indicator, period) for indicator in registered]
    own_keys = [] if department is None else [_key(indicator, period, department) for indicator in registered]
    stored = {} if fresh else cache.get_many(county_keys + own_keys)
    entries = {i.name: stored.get(_key(i, period)) or stored.get(_key(i, period, department)) for i in registered}
    missing = [i for i in registered if entries[i.name] is None]
    computed = {}
    if missing:
        now = timezone.now()
        for name, grid in indicators.grids(missing, period, None if department is None else [department]).items():
            entries[name] = computed[_key(indicators.get(name), period, department)] = (now, grid)
        cache.set_many(computed, KEEP)
    return [Column(i, entries[i.name][1], computed_at=entries[i.name][0]) for i in registered]
