"""The registry of deadline kinds (DESIGN §3.6, §6).

Each app registers, in ``AppConfig.ready()``, what of its objects carry a deadline:
how to find the open ones (a queryset with an indexed due-date column), who is
responsible for an item and in which department, how to describe and link it, the day
its clock started (so that a calendar change moves only the due dates whose counting
crosses the changed days), whether its due date is provisional, and, for periodic
obligations, how to roll the due date forward when a period passes (docs/deadlines.md). The reminder scan
(``portal.reminders``), the dashboards' overdue lists and the public "kept on time"
figures all read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import datetime as dt

from django.db.models import Expression, F, Model, QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.indicators import rows_counted


@dataclass(frozen=True)
class DeadlineKind:
    #: Stable identifier, e.g. "complaint" — part of every reminder key.
    name: str
    label: str
    #: Open items (not yet answered / done) as a queryset having ``due_field``.
    open_items: Callable[[], QuerySet]
    #: The people answerable for an item (they get the reminders before and on the due date).
    responsible: Callable[[Model], Iterable] = lambda item: ()
    #: The department an item belongs to (its head gets the first escalation).
    department: Callable[[Model], Model | None] = lambda item: getattr(item, "department", None)
    #: A one-line description and a link for messages.
    describe: Callable[[Model], str] = str
    url: Callable[[Model], str] = lambda item: ""
    due_field: str = "due_on"
    #: The date field holding day 0 of the item's count (e.g. the day of receipt). With it the
    #: engine moves a stored due date by the working days a calendar change adds or takes
    #: away between day 0 and the due date — never by today's handling times
    #: (``portal.due_dates``). None: the kind recomputes itself (``recompute``).
    start_field: str | None = None
    #: The boolean field saying the due date counts through a year without an official schedule.
    provisional_field: str | None = "due_provisional"
    #: Lookup (or expression) of an item's department primary key, for counting overdue
    #: items per department in one query (``overdue_by_department``).
    department_lookup: str | Expression = "department_id"
    #: For kinds without ``start_field``: recompute the open items' due dates with a fresh
    #: calendar; returns the items changed (each with ``_previous_due`` set to its old date).
    recompute: Callable[[object], list] | None = None
    #: Periodic obligations: ``roll_forward(day, calendar)`` advances every item whose period
    #: has passed by ``day`` to its next due date, recording the miss; returns the items moved.
    #: The scan calls it for every day it covers, before looking for what is due.
    roll_forward: Callable[[object, object], list] | None = None

    def is_provisional(self, item: Model) -> bool:
        return bool(self.provisional_field and getattr(item, self.provisional_field, False))


_kinds: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[DeadlineKind]:
    return list(_kinds.values())


def get(name: str) -> DeadlineKind:
    return _kinds[name]


def due_display(due, provisional: bool, *, overdue: bool = False):
    """A due date for admin lists and pages: red when overdue, marked provisional with the
    reason (the year's official holiday schedule is not confirmed yet)."""
    if due is None:
        return "—"
    shown = format_html('<strong style="color:#8c1c13">{}</strong>', due) if overdue else format_html("{}", due)
    if not provisional:
        return shown
    reason = _("The official holiday schedule for %(year)s is not yet confirmed; the date may move.") % {"year": due.year}
    return format_html('{} <span class="meta" title="{}">{}</span>', shown, reason, _("(provisional)"))


def overdue(kind: DeadlineKind, today: dt.date) -> QuerySet:
    """``kind``'s open items past their due date on ``today``, oldest first."""
    return kind.open_items().filter(**{f"{kind.due_field}__lt": today}).order_by(kind.due_field, "pk")


def _department_expression(kind: DeadlineKind):
    return F(kind.department_lookup) if isinstance(kind.department_lookup, str) else kind.department_lookup


def overdue_by_department(kind: DeadlineKind, today: dt.date) -> dict[int | None, int]:
    """``{department pk: number of overdue items}`` (None: items without a department): one query."""
    rows = (
        overdue(kind, today).order_by().values(department_pk=_department_expression(kind))
        .annotate(overdue=rows_counted())
    )
    return {row["department_pk"]: row["overdue"] for row in rows}


def overdue_of_department(kind: DeadlineKind, today: dt.date, department: int) -> QuerySet:
    """``kind``'s overdue items of one department, oldest first."""
    return overdue(kind, today).alias(department_pk=_department_expression(kind)).filter(department_pk=department)
