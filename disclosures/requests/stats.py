"""Public statistics of information requests: each request's public trace — department,
date, outcome, on time or not — counted; never a requester, never what was asked.

Aggregated in the database: one query for the departments' rows, one for the totals.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from disclosures.models.requests import RUNNING, InformationRequest, Outcome, RequestStatus
from portal import years

requested_year = years.requested_year

#: The outcomes shown as columns (the yearly report's rows: "already public" counts as disclosed).
OUTCOME_COLUMNS = [(outcome.value, outcome.label) for outcome in Outcome if outcome != Outcome.ALREADY_PUBLIC]


def available_years() -> list[int]:
    return years.available_years(InformationRequest.objects.all(), "received_on")


def figures() -> dict:
    today = timezone.localdate()
    counted = {
        "received": Count("pk"),
        "replied": Count("pk", filter=Q(status=RequestStatus.REPLIED)),
        "on_time": Count("pk", filter=Q(status=RequestStatus.REPLIED, on_time=True)),
        "extended": Count("pk", filter=Q(extension_days__gt=0)),
        "overdue": Count("pk", filter=Q(status__in=RUNNING, due_on__lt=today)),
        "abandoned": Count("pk", filter=Q(status=RequestStatus.ABANDONED)),
    }
    for outcome, _label in OUTCOME_COLUMNS:
        outcomes = [Outcome.DISCLOSED, Outcome.ALREADY_PUBLIC] if outcome == Outcome.DISCLOSED else [outcome]
        counted[f"outcome_{outcome}"] = Count("pk", filter=Q(outcome__in=outcomes))
    return counted


def _rates(row: dict) -> dict:
    row["on_time_rate"] = round(100 * row["on_time"] / row["replied"], 1) if row["replied"] else None
    row["outcomes"] = [row[f"outcome_{outcome}"] for outcome, _label in OUTCOME_COLUMNS]
    return row


def by_department(year: int) -> tuple[list[dict], dict]:
    """Per department asked, for requests received in ``year``; and the totals."""
    queryset = InformationRequest.objects.filter(received_on__year=year)
    rows = [
        _rates(row)
        for row in queryset.values("department__code", "department__name").annotate(**figures()).order_by("department__code")
    ]
    return rows, _rates(queryset.aggregate(**figures()))
