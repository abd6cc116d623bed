"""The staff workspace's home: "what waits for me" (issue 12, item 1).

Each app registers, in ``AppConfig.ready()``, the tiles of its work (``register(Tile(…))``):
a label, the rows the tile counts (a ``Q`` given the user and today), the permission action
whose scope the rows must be in (``portal.permissions.scope``) and the roles that see it.
Every deadline kind of ``portal.deadlines`` adds two tiles of its own: overdue, and due
within ``SOON_DAYS`` days. The admin's home shows the tiles with a number, each a link to
the model's change list filtered to the same rows (``admin_workspace.TodoFilter``).

Numbers are counted in the database, one aggregate query per (model, action) of the tiles
the user sees — a constant number, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

from django.apps import apps
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import deadlines
from portal.permissions import has_model_permission, scope
from portal.roles import Role, roles_of

#: A deadline this many days ahead or less is "soon".
SOON_DAYS = 7


@dataclass(frozen=True)
class Tile:
    key: str
    label: Promise | str
    #: "app_label.ModelName"
    model: str
    #: The rows counted, given the user and today.
    where: Callable[[Any, dt.date], Q]
    #: The rows must be in ``scope(user, …, action)`` and the user hold the action's model
    #: permission; None: ``where`` alone decides (the user's own rows, e.g. notifications).
    action: str | None = "view"
    #: Shown only to holders of one of these roles (and superusers); None: to whoever holds the action.
    roles: frozenset[Role] | None = None
    #: Shown in red when it is not zero.
    urgent: bool = False
    #: Order on the home page (smaller first).
    position: int = 100
    #: Left off the home page while it counts nothing (a warning, not a queue of work).
    hidden_when_zero: bool = False

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def shown_to(self, user) -> bool:
        if not (user.is_active and user.is_staff):
            return False
        if self.roles is not None and not user.is_superuser and not (self.roles & roles_of(user)):
            return False
        return self.action is None or has_model_permission(user, self.model_class(), self.action)

    def rows(self, user, queryset, today: dt.date):
        """``queryset`` narrowed to this tile's rows for ``user``."""
        if self.action is not None:
            queryset = scope(user, queryset, self.action)
        return queryset.filter(self.where(user, today))


_tiles: dict[str, Tile] = {}


def register(tile: Tile) -> Tile:
    _tiles[tile.key] = tile
    return tile


def _deadline_tiles() -> list[Tile]:
    """Every deadline kind's overdue and soon-due items; and, while some year's holiday
    schedule is unconfirmed, its items whose due date is provisional (issue 16)."""
    tiles = []
    for kind in deadlines.kinds():
        model = kind.open_items().model
        if kind.provisional_field:
            tiles.append(Tile(
                f"provisional-{kind.name}", _("Provisional due dates: %(kind)s") % {"kind": kind.label},
                model._meta.label,
                lambda user, today, kind=kind: Q(pk__in=kind.open_items().filter(**{kind.provisional_field: True})
                                                 .values("pk")),
                position=30, hidden_when_zero=True))

        def where(user, today, kind=kind, soon=False):
            due = kind.due_field
            window = {f"{due}__gte": today, f"{due}__lte": today + dt.timedelta(days=SOON_DAYS)} if soon else {
                f"{due}__lt": today}
            return Q(pk__in=kind.open_items().filter(**window).values("pk"))

        label = model._meta.label
        tiles.append(Tile(f"overdue-{kind.name}", _("Overdue: %(kind)s") % {"kind": kind.label}, label, where,
                          urgent=True, position=10))
        tiles.append(Tile(f"soon-{kind.name}", _("Due within %(days)d days: %(kind)s") % {"days": SOON_DAYS,
                                                                                          "kind": kind.label},
                          label, lambda user, today, where=where: where(user, today, soon=True), position=20))
    return tiles


def tiles() -> list[Tile]:
    return sorted([*_tiles.values(), *_deadline_tiles()], key=lambda tile: (tile.position, str(tile.label)))


def tiles_for_model(user, model: type[Model]) -> list[Tile]:
    label = model._meta.label
    return [tile for tile in tiles() if tile.model == label and tile.shown_to(user)]


def find(key: str) -> Tile | None:
    return next((tile for tile in tiles() if tile.key == key), None)


@dataclass(frozen=True)
class Counted:
    tile: Tile
    count: int


def counts(user, today: dt.date | None = None) -> list[Counted]:
    """The tiles ``user`` sees with their numbers: one aggregate query per (model, action)."""
    today = today or timezone.localdate()
    shown = [tile for tile in tiles() if tile.shown_to(user)]
    groups: dict[tuple[str, str | None], list[Tile]] = defaultdict(list)
    for tile in shown:
        groups[(tile.model, tile.action)].append(tile)
    numbers: dict[str, int] = {}
    for (model_label, action), group in groups.items():
        queryset = apps.get_model(model_label)._default_manager.all()
        if action is not None:
            queryset = scope(user, queryset, action)
        counted = queryset.aggregate(**{
            f"t{i}": Count("pk", filter=tile.where(user, today), distinct=True) for i, tile in enumerate(group)
        })
        numbers.update({tile.key: counted[f"t{i}"] for i, tile in enumerate(group)})
    return [Counted(tile, numbers[tile.key]) for tile in shown if numbers[tile.key] or not tile.hidden_when_zero]
