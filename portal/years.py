"""The year a public statistics page shows: asked for in the address, or this one."""

from __future__ import annotations

from django.db.models import Max, Min, QuerySet
from django.utils import timezone


def requested_year(raw: str | None) -> int:
    """The year in ``raw`` if it is a plausible one (2000 to next year), else this year."""
    this_year = timezone.localdate().year
    try:
        year = int(raw or this_year)
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def available_years(queryset: QuerySet, date_field: str) -> list[int]:
    """The years from the latest to the earliest with rows (this year when there are none):
    the two ends of the date's index, not a pass over every row; a year in between with no
    row lists nothing."""
    ends = queryset.aggregate(first=Min(date_field), last=Max(date_field))
    if ends["first"] is None:
        return [timezone.localdate().year]
    return list(range(ends["last"].year, ends["first"].year - 1, -1))
