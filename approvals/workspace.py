"""The approvals' tiles on the staff home (``portal.workspace``)."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from approvals.models.applications import RUNNING
from portal.workspace import Tile

TILES = (
    Tile("application-due-this-week", _("Applications due within a week"), "approvals.Application",
         lambda user, today: Q(status__in=RUNNING, due_on__lte=today + dt.timedelta(days=7)), action="change",
         urgent=True, position=25),
)
