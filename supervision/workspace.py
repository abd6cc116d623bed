"""The supervision mailbox's tiles on the staff home (``portal.workspace``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.roles import Role
from portal.workspace import Tile
from supervision.models import Status

TILES = (
    Tile("complaint-to-accept", _("Complaints and reports to accept or decline"), "supervision.Complaint",
         lambda user, today: Q(status=Status.RECEIVED), action="handle", urgent=True, position=30),
    Tile("complaint-to-assign", _("Accepted or reopened complaints to assign"), "supervision.Complaint",
         lambda user, today: Q(status__in=[Status.ACCEPTED, Status.REOPENED]), action="handle", position=35),
    Tile("complaint-to-reply", _("Complaints assigned to us, to reply to"), "supervision.Complaint",
         lambda user, today: Q(status=Status.ASSIGNED), action="reply",
         roles=frozenset({Role.PUBLISHER, Role.REVIEWER}), urgent=True, position=30),
)
