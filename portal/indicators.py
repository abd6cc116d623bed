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
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Union

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
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
        if self.date:
            queryset = queryset.filter(**{f"{self.date}__gte": period.start, f"{self.date}__lte": period.end})
        if departments is not None:
            queryset = queryset.filter(**{f"{self.department}__in": list(departments)})
        denominator = self._part(self.denominator, period)
        return queryset.filter(denominator) if denominator is not None else queryset

    def _aggregates(self, period: Period) -> dict:
        numerator = self._part(self.numerator, period)
        counted = Count("pk", filter=numerator) if isinstance(numerator, Q) else numerator
        return {"numerator": counted, "denominator": Count("pk")}

    def _figure(self, row: dict) -> Figure:
        return Figure(row["numerator"] or 0, row["denominator"] or 0, self.unit)


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
        .annotate(month=TruncMonth(indicator.date))
        .values("month")
        .annotate(**indicator._aggregates(period))
        .order_by("month")
    )
    return [(_as_date(row["month"]), indicator._figure(row)) for row in rows]


def grid(indicator: Indicator, period: Period) -> dict[tuple[int | None, dt.date | None], Figure]:
    """``{(department pk, first day of month): Figure}`` for the period: one query.

    Figures add up (``Figure.__add__``), so a dashboard reads per-department, county and
    month-by-month figures from this one grid. Without a date an indicator has no months:
    the keys are ``(department pk, None)``.
    """
    rows = indicator._rows(period).order_by()
    keys = {"department_pk": models.F(indicator.department)}
    if indicator.date:
        keys["month"] = TruncMonth(indicator.date)
    rows = rows.values(**keys).annotate(**indicator._aggregates(period))
    return {
        (row["department_pk"], _as_date(row["month"]) if indicator.date else None): indicator._figure(row)
        for row in rows
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
