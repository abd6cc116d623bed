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

from django.db.models import Model, QuerySet


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
