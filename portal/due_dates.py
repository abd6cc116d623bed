"""Stored due dates when the calendar changes (DESIGN §3.6; docs/deadlines.md).

A due date is fixed when its clock starts, from the handling time then in force: the
n-th working day after day 0. A later change of a handling time applies to new items
only. When the calendar itself changes — the coordinator adds, changes or removes an
override (``CalendarDay``), in any year — an item's due date moves only if a changed day
lies in its count, (day 0, due date]: by as many working days as the change added or
took away there, so that it stays the n-th working day after day 0. Its reminders move
with it (a stage already reached is never reached again), its history keeps the old date
(a ``deadline.moved`` event) and the people responsible are told.

Kinds with ``start_field`` are moved here with one indexed query each; a kind without it
recomputes itself (``recompute``). Confirming a year changes no day: it settles which
due dates are still provisional.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef
from django.utils.translation import gettext as _

from portal import deadlines
from portal.calendar import WorkingCalendar
from portal.events import CoreEvent, record
from portal.models import Reminder
from portal.notify import notify


@dataclass(frozen=True)
class Move:
    kind: str
    item: Model
    old: dt.date
    new: dt.date
    provisional: bool


def provisional_between(calendar: WorkingCalendar, start: dt.date, end: dt.date) -> bool:
    return any(calendar.is_provisional_year(year) for year in range(start.year, end.year + 1))


def moves(changes: dict[dt.date, bool], calendar: WorkingCalendar) -> list[Move]:
    """The due dates that ``changes`` (day → working day now) move, counted with ``calendar``
    (which already has the changes). Writes nothing: the admin shows this before saving."""
    if not changes:
        return []
    first, last = min(changes), max(changes)
    found: list[Move] = []
    for kind in deadlines.kinds():
        if kind.start_field is None:
            continue
        due_field, start_field = kind.due_field, kind.start_field
        items = kind.open_items().filter(**{f"{due_field}__gte": first, f"{start_field}__lt": last})
        for item in items:
            old, start = getattr(item, due_field), getattr(item, start_field)
            delta = sum(1 if working else -1 for day, working in changes.items() if start < day <= old)
            if delta == 0:
                continue
            if delta < 0:
                new = calendar.add_working_days(old, -delta).date
            else:
                new = calendar.subtract_working_days(old, delta)
            found.append(Move(kind.name, item, old, new, provisional_between(calendar, start, new)))
    return found


def recomputed_by_kinds(calendar: WorkingCalendar) -> tuple[list[Move], int]:
    """Let each kind without ``start_field`` recompute itself with ``calendar``. Returns the
    moves it made (already stored; found by comparing its open items' due dates before and
    after) and the number of items it changed (a provisional mark cleared counts)."""
    found: list[Move] = []
    changed = 0
    for kind in deadlines.kinds():
        if kind.start_field is not None or kind.recompute is None:
            continue
        before = dict(kind.open_items().values_list("pk", kind.due_field))
        items = kind.recompute(calendar)
        changed += len(items)
        for item in items:
            old, new = before.get(item.pk), getattr(item, kind.due_field)
            if old is not None and new is not None and old != new:
                found.append(Move(kind.name, item, old, new, kind.is_provisional(item)))
    return found, changed


def apply(found: list[Move], *, actor, reason, stored: bool = False) -> None:
    """Store the moved due dates (unless ``stored`` already), take each item's reminders
    along, keep the old date in its history and tell the people responsible. Call inside a
    transaction. ``reason`` is a lazy string, told in each reader's language."""
    by_kind: dict[str, list[Move]] = defaultdict(list)
    for move in found:
        by_kind[move.kind].append(move)
    for kind_name, kind_moves in by_kind.items():
        kind = deadlines.get(kind_name)
        if not stored:
            fields = [kind.due_field] + ([kind.provisional_field] if kind.provisional_field else [])
            for move in kind_moves:
                setattr(move.item, kind.due_field, move.new)
                if kind.provisional_field:
                    setattr(move.item, kind.provisional_field, move.provisional)
            type(kind_moves[0].item).objects.bulk_update([m.item for m in kind_moves], fields)
        _move_reminders(kind_name, kind_moves)
        for move in kind_moves:
            record(CoreEvent.DEADLINE_MOVED, actor=actor, subject=move.item, from_state=move.old.isoformat(),
                   to_state=move.new.isoformat(), reason=str(reason))
            tell_moved(kind, move.item, reason)


def _move_reminders(kind_name: str, kind_moves: list[Move]) -> None:
    """Re-key the reminders recorded under the old due date to the new one: under the new
    date a stage already reached is not reached again (one UPDATE per pair of dates)."""
    pairs: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
    for move in kind_moves:
        pairs[(move.old, move.new)].append(move.item.pk)
    for (old, new), ids in pairs.items():
        taken = Reminder.objects.filter(kind=kind_name, object_id=OuterRef("object_id"), stage=OuterRef("stage"), due_on=new)
        Reminder.objects.filter(kind=kind_name, object_id__in=ids, due_on=old).exclude(Exists(taken)).update(due_on=new)


def settle_provisional(calendar: WorkingCalendar) -> int:
    """After a year is confirmed: clear the provisional mark of the items that no longer
    count through a year without an official schedule. Moves no date."""
    settled = 0
    for kind in deadlines.kinds():
        if kind.start_field is None or kind.provisional_field is None:
            continue
        items = list(kind.open_items().filter(**{kind.provisional_field: True}))
        for item in items:
            setattr(item, kind.provisional_field,
                    provisional_between(calendar, getattr(item, kind.start_field), getattr(item, kind.due_field)))
        still = [item for item in items if not getattr(item, kind.provisional_field)]
        if still:
            type(still[0]).objects.bulk_update(still, [kind.provisional_field])
        settled += len(still)
    return settled


def tell_moved(kind, item, reason: str) -> None:
    due = getattr(item, kind.due_field)

    def render():
        return (
            _("Due date recomputed: %(kind)s") % {"kind": kind.label},
            _("%(reason)s “%(what)s” is now due on %(due)s.") % {"reason": str(reason), "what": kind.describe(item), "due": due},
        )

    for user in kind.responsible(item):
        notify(user=user, key=f"recomputed:{kind.name}:{item.pk}:{due}", render=render, url=kind.url(item))
