"""The disclosures' tiles on the staff home (``portal.workspace``)."""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from disclosures.models import Disclosure, ReviewRecord, Status
from disclosures.models.requests import RUNNING, RequestStatus
from portal.roles import Role
from portal.workspace import Tile


def _returned(user, today):
    """Drafts whose last review returned them (an amendment's draft has no such review)."""
    last = ReviewRecord.objects.filter(disclosure=OuterRef("pk")).order_by("-created_at", "-pk").values("decision")[:1]
    returned = Disclosure.objects.annotate(last_review=Subquery(last)).filter(
        status=Status.DRAFT, last_review=ReviewRecord.Decision.RETURNED)
    return Q(pk__in=returned.values("pk"))


TILES = (
    Tile("disclosure-returned", _("Returned to my department with comments"), "disclosures.Disclosure", _returned,
         action="change", roles=frozenset({Role.PUBLISHER}), urgent=True, position=30),
    Tile("disclosure-my-drafts", _("My drafts"), "disclosures.Disclosure",
         lambda user, today: Q(status=Status.DRAFT, created_by=user), action="change",
         roles=frozenset({Role.PUBLISHER}), position=40),
    Tile("disclosure-to-review", _("Notices awaiting my pre-review"), "disclosures.Disclosure",
         lambda user, today: Q(status=Status.IN_REVIEW), action="review", roles=frozenset({Role.REVIEWER}),
         position=30),
    Tile("disclosure-to-coordinate", _("Notices awaiting the coordinator's review"), "disclosures.Disclosure",
         lambda user, today: Q(status=Status.IN_COORDINATOR_REVIEW), action="coordinate", position=30),
    Tile("disclosure-to-publish", _("Approved notices to publish"), "disclosures.Disclosure",
         lambda user, today: Q(status=Status.APPROVED), action="publish",
         roles=frozenset({Role.PUBLISHER, Role.REVIEWER, Role.COORDINATOR}), position=35),
    # Information requests (their overdue and due-soon tiles come from the deadline kind).
    Tile("request-to-answer", _("Information requests to answer"), "disclosures.InformationRequest",
         lambda user, today: Q(status__in=RUNNING), action="handle",
         roles=frozenset({Role.PUBLISHER, Role.REVIEWER}), position=32),
    Tile("request-correction-lapsed", _("Requests whose correction did not come in time (close them)"),
         "disclosures.InformationRequest",
         lambda user, today: Q(status=RequestStatus.CORRECTION, correction_due_on__lt=today), action="handle",
         roles=frozenset({Role.PUBLISHER, Role.REVIEWER}), urgent=True, position=31),
)
