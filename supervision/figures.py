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
    """One indicator's figures for a period, added up from its grid. The grid is kept, in
    the cache too, as plain ``{(department pk, month): (numerator, denominator)}`` pairs:
    unpickling and adding up thousands of ``Figure`` objects cost more than the queries."""

    indicator: Indicator
    grid: dict = field(repr=False)
    computed_at: dt.datetime | None = None
    by_department: dict[int, Figure] = field(init=False)
    county: Figure = field(init=False)

    def __post_init__(self):
        unit = self.indicator.unit
        departments = defaultdict(lambda: [0, 0])
        for (department, _month), (numerator, denominator) in self.grid.items():
            pair = departments[department]
            pair[0] += numerator or 0
            pair[1] += denominator
        self.by_department = {pk: Figure(n, d, unit) for pk, (n, d) in departments.items() if pk is not None}
        self.county = Figure(sum(n for n, _d in departments.values()), sum(d for _n, d in departments.values()), unit)

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
        by_month = defaultdict(lambda: [0, 0])
        for (pk, month), (numerator, denominator) in self.grid.items():
            if month is not None and (department is None or pk == department):
                pair = by_month[month]
                pair[0] += numerator or 0
                pair[1] += denominator
        return sorted((month, Figure(n, d, self.indicator.unit)) for month, (n, d) in by_month.items())


#: Seconds a computed grid is served from the cache.
KEEP = 600


def _key(indicator: Indicator, period: Period, department: int | None = None) -> str:
    scope = "" if department is None else f":{department}"
    return f"figures:v2:{indicator.name}:{period.start.isoformat()}:{period.end.isoformat()}{scope}"


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
            pairs = {key: (figure.numerator, figure.denominator) for key, figure in grid.items()}
            entries[name] = computed[_key(indicators.get(name), period, department)] = (now, pairs)
        cache.set_many(computed, KEEP)
    return [Column(i, entries[i.name][1], computed_at=entries[i.name][0]) for i in registered]
