"""The registry of compliance indicators (DESIGN §6).

An app registers, in ``AppConfig.ready()``, each figure by which its departments are judged
— complaints closed on time, applications decided on time, evaluation scores … — as an
:class:`Indicator`: which rows it counts, the lookup of their department and of the date that
places a row in a period, and what is counted. ``portal`` turns that into aggregate queries,
so the dashboard, the annual assessment and the public statistics show the same figures,
each computed in the database in one query per indicator whatever the number of rows, and
each traceable to the records behind it (:func:`records`).

What an indicator counts:

* ``numerator`` — a ``Q`` (count the rows matching it) or an aggregate expression
  (``Sum("score")``); either may be a callable taking the :class:`Period`, for figures that
  depend on it;
* ``denominator`` — a ``Q`` selecting the rows that count at all (``None``: every row of
  the period);
* ``unit`` — :attr:`Unit.RATE` (numerator as a percentage of the denominator),
  :attr:`Unit.COUNT` (the numerator alone) or :attr:`Unit.AVERAGE` (numerator ÷ denominator).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, replace
from functools import reduce
from decimal import Decimal
from typing import Callable, Iterable, Union

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    RATE = "rate", _("percentage")
    COUNT = "count", _("count")
    AVERAGE = "average", _("average")


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, usually a calendar year."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def __str__(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


Number = Union[int, float, Decimal]
Part = Union[Q, models.Expression, Callable[[Period], Union[Q, models.Expression]], None]


@dataclass(frozen=True)
class Figure:
    """One indicator's figure for one department (or the county) and period."""

    numerator: Number
    denominator: int
    unit: str = Unit.RATE

    def __add__(self, other: "Figure") -> "Figure":
        """Figures add up: numerators are counts or sums, denominators counts of rows."""
        return Figure((self.numerator or 0) + (other.numerator or 0), self.denominator + other.denominator, self.unit)

    @property
    def value(self) -> float | None:
        """The figure as shown: ``None`` where there is nothing to judge (no rows)."""
        if self.unit == Unit.COUNT:
            return float(self.numerator or 0)
        if not self.denominator:
            return None
        ratio = float(self.numerator or 0) / self.denominator
        return round(100 * ratio if self.unit == Unit.RATE else ratio, 1)


@dataclass(frozen=True)
class Indicator:
    #: Stable identifier, "<app>.<what>", e.g. "supervision.complaints_on_time".
    name: str
    label: str
    #: Every row the indicator may count, e.g. ``lambda: Complaint.objects.all()``.
    rows: Callable[[], QuerySet]
    #: Lookup of the row's department primary key, e.g. ``"department_id"``.
    department: str
    #: Lookup of the date placing a row in a period; ``None``: every row counts in every period.
    date: str | None
    numerator: Part
    denominator: Part = None
    unit: str = Unit.RATE
    higher_is_better: bool = True
    #: One sentence for the reader: what is counted, and over which rows.
    description: str = ""
    order: int = 100

    def _part(self, part: Part, period: Period):
        return part(period) if callable(part) and not isinstance(part, (Q, models.Expression)) else part

    def _rows(self, period: Period, departments: Iterable[int] | None = None) -> QuerySet:
        queryset = self.rows()
        if self.date and self.date.endswith("__date"):
            # The day of a moment, in the county's time: compared as moments, so that an index
            # on the moment serves the range (``created_at__date__gte`` would convert every row).
            moment = self.date.removesuffix("__date")
            queryset = queryset.filter(**{f"{moment}__gte": _midnight(period.start),
                                          f"{moment}__lt": _midnight(period.end + dt.timedelta(days=1))})
        elif self.date:
            queryset = queryset.filter(**{f"{self.date}__gte": period.start, f"{self.date}__lte": period.end})
        if departments is not None:
            queryset = queryset.filter(**{f"{self.department}__in": list(departments)})
        denominator = self._part(self.denominator, period)
        return queryset.filter(denominator) if denominator is not None else queryset

    def _aggregates(self, period: Period) -> dict:
        numerator = self._part(self.numerator, period)
        counted = rows_counted(numerator) if isinstance(numerator, Q) else numerator
        return {"numerator": counted, "denominator": rows_counted()}

    def _figure(self, row: dict) -> Figure:
        return Figure(row["numerator"] or 0, row["denominator"] or 0, self.unit)


def rows_counted(condition: Q | None = None) -> Count:
    """The number of rows (matching ``condition``), as COUNT(1), not COUNT(id): an index
    holding the columns the query reads then serves it alone (an index-only scan)."""
    return Count(models.Value(1), filter=condition)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Month(models.Func):
    """The first day of a date's month. ``TruncMonth`` on a date makes PostgreSQL cast every
    row to a timestamp with time zone first; truncating a plain timestamp is cheaper, and a
    date has no time zone to respect."""

    template = "DATE_TRUNC('month', %(expressions)s::timestamp)::date"
    output_field = models.DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="DATE(%(expressions)s, 'start of month')", **extra)


_indicators: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    _indicators[indicator.name] = indicator


def unregister(name: str) -> None:
    _indicators.pop(name, None)


def indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: (i.order, i.name))


def get(name: str) -> Indicator:
    """The indicator registered under ``name``; ``KeyError`` if there is none."""
    return _indicators[name]


def by_department(indicator: Indicator, period: Period, departments: Iterable[int] | None = None) -> dict[int, Figure]:
    """``{department pk: Figure}`` for every department with rows in the period: one query."""
    rows = (
        indicator._rows(period, departments)
        .order_by()
        .values(department_pk=models.F(indicator.department))
        .annotate(**indicator._aggregates(period))
    )
    return {row["department_pk"]: indicator._figure(row) for row in rows}


def county(indicator: Indicator, period: Period) -> Figure:
    """The county's figure (every department together): one query."""
    return indicator._figure(indicator._rows(period).order_by().aggregate(**indicator._aggregates(period)))


def monthly(indicator: Indicator, period: Period, department: int | None = None) -> list[tuple[dt.date, Figure]]:
    """Month by month within the period (months without rows left out): one query.

    An indicator without a date has no trend: an empty list.
    """
    if not indicator.date:
        return []
    rows = indicator._rows(period, None if department is None else [department])
    rows = (
        rows.order_by()
        .annotate(month=Month(indicator.date))
        .values("month")
        .annotate(**indicator._aggregates(period))
        .order_by("month")
    )
    return [(_as_date(row["month"]), indicator._figure(row)) for row in rows]


def grid(indicator: Indicator, period: Period,
         departments: Iterable[int] | None = None) -> dict[tuple[int | None, dt.date | None], Figure]:
    """``{(department pk, first day of month): Figure}`` for the period (and the
    ``departments`` given, else every one): one query.

    Figures add up (``Figure.__add__``), so a dashboard reads per-department, county and
    month-by-month figures from this one grid. Without a date an indicator has no months:
    the keys are ``(department pk, None)``.
    """
    return grids([indicator], period, departments)[indicator.name]


def _source(indicator: Indicator) -> tuple:
    """What an indicator's rows are: indicators with the same source can be counted in one
    pass over the rows (e.g. a complaint's on-time rate and its satisfaction)."""
    return (str(indicator.rows().order_by().query), indicator.department, indicator.date)


def grids(chosen: Iterable[Indicator], period: Period,
          departments: Iterable[int] | None = None) -> dict[str, dict[tuple[int | None, dt.date | None], Figure]]:
    """:func:`grid` of each indicator, by name: one query per set of indicators counting the
    same rows (same rows, department and date), each indicator's denominator becoming the
    filter of its own counts — a pass over a year of rows is what costs, not the counting."""
    by_source: dict[tuple, list[Indicator]] = {}
    for indicator in chosen:
        by_source.setdefault(_source(indicator), []).append(indicator)
    result = {}
    for group in by_source.values():
        result.update(_grid(group, period, departments) if len(group) > 1 else _grid_one(group[0], period, departments))
    return result


def _keys(indicator: Indicator) -> dict:
    keys = {"department_pk": models.F(indicator.department)}
    if indicator.date:
        keys["month"] = Month(indicator.date)
    return keys


def _key(indicator: Indicator, row: dict) -> tuple:
    return row["department_pk"], _as_date(row["month"]) if indicator.date else None


def _grid_one(indicator: Indicator, period: Period, departments) -> dict:
    rows = indicator._rows(period, departments).order_by().values(**_keys(indicator))
    rows = rows.annotate(**indicator._aggregates(period))
    return {indicator.name: {_key(indicator, row): indicator._figure(row) for row in rows}}


def _grid(group: list[Indicator], period: Period, departments) -> dict:
    first = group[0]
    # The period's rows that any of the indicators counts; each counts its own among them.
    queryset = replace(first, denominator=None)._rows(period, departments)
    aggregates, wanted = {}, []
    for n, indicator in enumerate(group):
        denominator = indicator._part(indicator.denominator, period) or Q()
        numerator = indicator._part(indicator.numerator, period)
        if not isinstance(numerator, Q):
            return {i.name: _grid_one(i, period, departments)[i.name] for i in group}  # a sum: counted alone
        aggregates[f"n{n}"] = rows_counted(denominator & numerator)
        aggregates[f"d{n}"] = rows_counted(denominator or None)
        wanted.append(denominator)
    if all(wanted):
        queryset = queryset.filter(reduce(operator.or_, wanted))
    rows = list(queryset.order_by().values(**_keys(first)).annotate(**aggregates))
    return {
        indicator.name: {
            _key(first, row): indicator._figure({"numerator": row[f"n{n}"], "denominator": row[f"d{n}"]})
            for row in rows if row[f"d{n}"]
        }
        for n, indicator in enumerate(group)
    }


def total(figures: Iterable[Figure], unit: str) -> Figure:
    """The sum of ``figures`` (an empty sum: nothing to judge)."""
    result = Figure(0, 0, unit)
    for figure in figures:
        result = result + figure
    return result


def records(indicator: Indicator, period: Period, department: int | None = None, *, counted: bool = False) -> QuerySet:
    """The rows behind a figure: those the denominator counts or, with ``counted``, those the
    numerator counts (a ``Q`` numerator only: an aggregate's rows are the denominator's)."""
    queryset = indicator._rows(period, None if department is None else [department])
    numerator = indicator._part(indicator.numerator, period)
    if counted and isinstance(numerator, Q):
        queryset = queryset.filter(numerator)
    return queryset


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
