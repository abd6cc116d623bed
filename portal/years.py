"""The year a public statistics page shows: asked for in the address, or this one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
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
    """The years that have rows, latest first (this year when there are none)."""
    years = (queryset.annotate(year=ExtractYear(date_field)).values_list("year", flat=True).distinct().order_by("-year"))
    return list(years) or [timezone.localdate().year]
