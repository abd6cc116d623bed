"""Is each catalogue obligation met, due, late or missing? (DESIGN §3.1)

Counted in working days on the PRC calendar:

* periodic (monthly / quarterly / yearly): the last completed period must be disclosed
  within N working days after it ends, by a disclosure formed on or after the period's
  first day;
* standing: kept current — each change published within N working days of forming;
  before the first publication, N working days from the entry's creation;
* ad hoc: each event published within N working days of forming; no event, nothing due.

``evaluate`` judges many entries with one query; ``refresh`` stores an entry's next due
date (``next_due_on``, indexed) for the reminder scan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosures.models import Cadence, CatalogueEntry, Revision
from portal.calendar import WorkingCalendar


class State(models.TextChoices):
    MET = "met", _("Met")
    DUE = "due", _("Due")
    LATE = "late", _("Published late")
    MISSING = "missing", _("Missing (overdue)")
    NOTHING_YET = "none", _("Nothing due yet")


@dataclass(frozen=True)
class Evaluation:
    state: State
    due_on: dt.date | None
    provisional: bool
    #: The due date the reminder scan watches next (None: nothing to watch).
    next_due_on: dt.date | None
    disclosure_id: int | None = None


def last_period(cadence: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the last *completed* period."""
    if cadence == Cadence.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if cadence == Cadence.QUARTERLY:
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = quarter_start - dt.timedelta(days=1)
        return dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if cadence == Cadence.YEARLY:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    raise ValueError(f"{cadence} is not periodic")


def _next_period_end(cadence: str, end: dt.date) -> dt.date:
    after = end + dt.timedelta(days=1)
    months = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}[cadence]
    month_index = after.month - 1 + months
    start_of_following = dt.date(after.year + month_index // 12, month_index % 12 + 1, 1)
    return start_of_following - dt.timedelta(days=1)


def _local_date(moment) -> dt.date:
    return timezone.localtime(moment).date()


def _judge(entry: CatalogueEntry, publications: list[dict], today: dt.date, calendar: WorkingCalendar) -> Evaluation:
    days = entry.days_allowed
    if entry.cadence in (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY):
        start, end = last_period(entry.cadence, today)
        due = calendar.add_working_days(end, days)
        matching = sorted(
            (p for p in publications if p["formed_on"] >= start), key=lambda p: p["published_at"]
        )
        if matching:
            first = matching[0]
            on_time = _local_date(first["published_at"]) <= due.date
            following = calendar.add_working_days(_next_period_end(entry.cadence, end), days).date
            return Evaluation(
                State.MET if on_time else State.LATE, due.date, due.provisional, following, first["disclosure_id"]
            )
        return Evaluation(State.DUE if today <= due.date else State.MISSING, due.date, due.provisional, due.date)
    if publications:
        latest = max(publications, key=lambda p: (p["formed_on"], p["published_at"]))
        due = calendar.add_working_days(latest["formed_on"], days)
        on_time = _local_date(latest["published_at"]) <= due.date
        return Evaluation(State.MET if on_time else State.LATE, due.date, due.provisional, None, latest["disclosure_id"])
    if entry.cadence == Cadence.AD_HOC:
        return Evaluation(State.NOTHING_YET, None, False, None)
    due = calendar.add_working_days(_local_date(entry.created_at), days)
    return Evaluation(State.DUE if today <= due.date else State.MISSING, due.date, due.provisional, due.date)


def evaluate(entries, today: dt.date | None = None, calendar: WorkingCalendar | None = None) -> dict[int, Evaluation]:
    """Judge ``entries`` (an iterable of CatalogueEntry) with one query for their publications."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    entries = list(entries)
    by_entry: dict[int, list[dict]] = defaultdict(list)
    first_publications = Revision.objects.filter(
        number=1, disclosure__catalogue_entry__in=[e.pk for e in entries]
    ).values("disclosure_id", "disclosure__catalogue_entry_id", "formed_on", "published_at")
    for row in first_publications:
        by_entry[row["disclosure__catalogue_entry_id"]].append(row)
    return {entry.pk: _judge(entry, by_entry[entry.pk], today, calendar) for entry in entries}


def refresh(entries, today: dt.date | None = None, calendar: WorkingCalendar | None = None) -> list[CatalogueEntry]:
    """Store each entry's next due date for the reminder scan; returns the entries changed."""
    entries = list(entries)
    evaluations = evaluate(entries, today, calendar)
    changed = []
    for entry in entries:
        evaluation = evaluations[entry.pk]
        if (entry.next_due_on, entry.due_provisional) != (evaluation.next_due_on, evaluation.provisional):
            entry.next_due_on, entry.due_provisional = evaluation.next_due_on, evaluation.provisional
            changed.append(entry)
    CatalogueEntry.objects.bulk_update(changed, ["next_due_on", "due_provisional"])
    return changed
