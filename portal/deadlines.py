"""The registry of deadline kinds (DESIGN §3.6, §6).

Each app registers, in ``AppConfig.ready()``, what of its objects carry a deadline:
how to find the open ones (a queryset with an indexed due-date column), who is
responsible for an item and in which department, how to describe and link it, and how
to recompute due dates when the calendar changes. The reminder scan
(``portal.reminders``), the dashboards' overdue lists and the public "kept on time"
figures all read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import datetime as dt

from django.db.models import Count, Expression, F, Model, QuerySet


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
    #: Lookup (or expression) of an item's department primary key, for counting overdue
    #: items per department in one query (``overdue_by_department``).
    department_lookup: str | Expression = "department_id"
    #: Recompute the open items' due dates with a fresh calendar; returns the items changed.
    recompute: Callable[[object], list] | None = None


_kinds: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[DeadlineKind]:
    return list(_kinds.values())


def get(name: str) -> DeadlineKind:
    return _kinds[name]


def overdue(kind: DeadlineKind, today: dt.date) -> QuerySet:
    """``kind``'s open items past their due date on ``today``, oldest first."""
    return kind.open_items().filter(**{f"{kind.due_field}__lt": today}).order_by(kind.due_field, "pk")


def _department_expression(kind: DeadlineKind):
    return F(kind.department_lookup) if isinstance(kind.department_lookup, str) else kind.department_lookup


def overdue_by_department(kind: DeadlineKind, today: dt.date) -> dict[int | None, int]:
    """``{department pk: number of overdue items}`` (None: items without a department): one query."""
    rows = (
        overdue(kind, today).order_by().values(department_pk=_department_expression(kind))
        .annotate(overdue=Count("pk"))
    )
    return {row["department_pk"]: row["overdue"] for row in rows}


def overdue_of_department(kind: DeadlineKind, today: dt.date, department: int) -> QuerySet:
    """``kind``'s overdue items of one department, oldest first."""
    return overdue(kind, today).alias(department_pk=_department_expression(kind)).filter(department_pk=department)
