"""The registry of deadline kinds (DESIGN §3.6, §6).

Each app registers, in ``AppConfig.ready()``, what of its objects carry a deadline:
how to find the open ones, and how to recompute their due dates when the calendar
changes. The reminder scan, the dashboards' overdue lists and the public "kept on
time" figures all read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db.models import QuerySet


@dataclass(frozen=True)
class DeadlineKind:
    #: Stable identifier, e.g. "complaint" — part of every reminder key.
    name: str
    label: str
    #: Open items (not yet answered / done) as a queryset.
    open_items: Callable[[], QuerySet]
    #: Recompute the open items' due dates with a fresh calendar; returns the items changed.
    recompute: Callable[[object], list] | None = None


_kinds: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[DeadlineKind]:
    return list(_kinds.values())
