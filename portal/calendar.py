"""Working days on the PRC calendar (DESIGN §3.6).

Sources, most authoritative first:

1. ``CalendarDay`` rows entered by the coordinator (always win);
2. ``chinesecalendar`` — the official State Council schedules, holidays *and*
   make-up working weekends (調休), for the years it covers (2004–2026 in 1.11);
3. ``holidays`` — for later years only the statutory days and computed substitutes,
   without the official make-up weekends; then Saturday and Sunday are rest days.

A due date in a year that neither chinesecalendar covers nor the coordinator has
confirmed (``CalendarYear``) is *provisional*: when the official schedule is entered,
``portal.services.calendar_year_confirm`` recomputes open deadlines.

Counting convention (as in the Regulations on Open Government Information): the day of
receipt is day 0; ``add_working_days(d, n)`` is the n-th working day after ``d``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
import holidays as holidays_package

# Generous upper bound of calendar days needed for n working days (Golden Weeks and
# Spring Festival take at most ~9 consecutive days off, plus weekends).
_SPAN_FACTOR = 2
_SPAN_SLACK = 30


@lru_cache(maxsize=None)
def official_package_covers(year: int) -> bool:
    """True if chinesecalendar has the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=None)
def _fallback_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, make-up working days) for a year chinesecalendar does not cover."""
    china = holidays_package.China(years=year)
    days_off = frozenset(day for day in china if day.year == year)
    workdays = frozenset(day for day in getattr(china, "weekend_workdays", ()) if day.year == year)
    return days_off, workdays


def package_is_working_day(day: dt.date) -> bool:
    """How the packages count ``day``, without the coordinator's overrides."""
    if official_package_covers(day.year):
        return chinese_calendar.is_workday(day)
    days_off, workdays = _fallback_year(day.year)
    if day in workdays:
        return True
    if day in days_off:
        return False
    return day.weekday() < 5


#: From this month on, next year's schedule matters to due dates counted now (a 20-working-day
#: clock started in October may end in January), so the staff home warns while it is unconfirmed.
NEXT_YEAR_MATTERS_FROM_MONTH = 10


def unconfirmed_years(today: dt.date, calendar: WorkingCalendar | None = None) -> list[int]:
    """This year, and from October next year, where they have no official schedule yet:
    the years whose due dates the staff home says are provisional."""
    calendar = calendar or WorkingCalendar()
    years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_MATTERS_FROM_MONTH else [])
    return [year for year in years if calendar.is_provisional_year(year)]


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    #: True if any year the count passed through has no official schedule yet.
    provisional: bool


class WorkingCalendar:
    """The calendar with the coordinator's overrides loaded for a span of dates.

    Build one per request or scan and reuse it: it reads the override table once
    per year it touches.
    """

    def __init__(self):
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self._confirmed_years: set[int] | None = None

    def _year_overrides(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            from portal.models import CalendarDay

            self._overrides[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
            )
        return self._overrides[year]

    def assume(self, day: dt.date, working: bool) -> None:
        """Count ``day`` as (not) working in this calendar only — to show what an override
        would change before it is saved."""
        self._year_overrides(day.year)[day] = working

    def is_working_day(self, day: dt.date) -> bool:
        override = self._year_overrides(day.year).get(day)
        if override is not None:
            return override
        return package_is_working_day(day)

    def is_provisional_year(self, year: int) -> bool:
        if official_package_covers(year):
            return False
        if self._confirmed_years is None:
            from portal.models import CalendarYear

            self._confirmed_years = set(CalendarYear.objects.values_list("year", flat=True))
        return year not in self._confirmed_years

    def add_working_days(self, start: dt.date, days: int) -> DueDate:
        """The ``days``-th working day after ``start`` (``days`` ≥ 0; 0 gives ``start``)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, counted = start, 0
        limit = start + dt.timedelta(days=days * _SPAN_FACTOR + _SPAN_SLACK * (1 + days // 60))
        while counted < days:
            current += dt.timedelta(days=1)
            if current > limit:  # pragma: no cover - would need a calendar with no working days
                raise ValueError("no working days found; check the calendar overrides")
            if self.is_working_day(current):
                counted += 1
        provisional = any(self.is_provisional_year(y) for y in range(start.year, current.year + 1))
        return DueDate(current, provisional)

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The date ``days`` working days before ``end`` (``end`` itself if ``days`` is 0)."""
        current, counted = end, 0
        while counted < days:
            current -= dt.timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def add_working_days(start: dt.date, days: int) -> DueDate:
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return WorkingCalendar().working_days_between(start, end)


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


@dataclass(frozen=True)
class GridDay:
    """One day of the coordinator's month grid."""

    date: dt.date
    working: bool
    #: working, rest (a weekend), holiday (a weekday off) or makeup (a weekend worked, 調休).
    kind: str
    #: Entered by the coordinator (a ``CalendarDay`` row), not taken from the packages.
    override: bool
    #: The year has no official schedule yet.
    provisional: bool


def month_grid(year: int, month: int, calendar: WorkingCalendar | None = None) -> list[list[GridDay | None]]:
    """The weeks (Monday first) of ``month``, each day with how the calendar counts it; None
    pads the first and last week."""
    calendar = calendar or WorkingCalendar()
    first = dt.date(year, month, 1)
    overrides = calendar._year_overrides(year)
    provisional = calendar.is_provisional_year(year)
    weeks: list[list[GridDay | None]] = [[None] * first.weekday()]
    day = first
    while day.month == month:
        working, weekend = calendar.is_working_day(day), day.weekday() >= 5
        kind = ("makeup" if weekend else "working") if working else ("rest" if weekend else "holiday")
        if len(weeks[-1]) == 7:
            weeks.append([])
        weeks[-1].append(GridDay(day, working, kind, day in overrides, provisional))
        day += dt.timedelta(days=1)
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    return weeks


def holiday_names(year: int, language: str) -> dict[dt.date, str]:
    """The statutory holidays' names of ``year`` in the reader's script (from ``holidays``)."""
    script = {"zh-hans": "zh_CN", "zh-hant": "zh_TW"}.get((language or "").lower(), "en_US")
    return dict(holidays_package.China(years=year, language=script))
