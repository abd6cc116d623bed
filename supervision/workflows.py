"""The supervision mailbox as a state machine (DESIGN §3.5):

received → accepted | declined (reason) → assigned → replied → closed (with the
complainant's satisfaction) | reopened → assigned …

``supervision.services`` runs each step through ``COMPLAINT.step``.
"""

from django.utils.translation import gettext_lazy as _

from portal.workflow import NEW, Ask, Transition, Workflow
from supervision.closing import may_close
from supervision.events import ComplaintEvent as E
from supervision.models import Complaint, Status

S = Status
HANDLERS_ONLY = _("Only the supervision office accepts, declines and assigns complaints.")

COMPLAINT = Workflow(
    Complaint,
    # On the public form: the citizen is authenticated by nothing but what they filed.
    Transition("file", _("File"), frozenset({NEW}), S.RECEIVED, E.FILED, None),
    # Taken by phone, letter, visit or at a window: the registering staff member is the first receiver.
    Transition("register", _("Register"), frozenset({NEW}), S.RECEIVED, E.FILED, "add",
               _("Only the supervision office registers complaints.")),
    Transition("accept", _("Accept"), frozenset({S.RECEIVED}), S.ACCEPTED, E.ACCEPTED, "handle", HANDLERS_ONLY),
    Transition("decline", _("Decline (with reason)"), frozenset({S.RECEIVED}), S.DECLINED, E.DECLINED,
               "handle", HANDLERS_ONLY,
               asks=(Ask("text", required=True, label=_("Reason, as the complainant will read it")),), batch=False),
    Transition("assign", _("Assign to a department"), frozenset({S.ACCEPTED, S.REOPENED, S.ASSIGNED}),
               S.ASSIGNED, E.ASSIGNED, "handle", HANDLERS_ONLY, asks=(Ask("department", required=True),)),
    Transition("reply", _("Reply"), frozenset({S.ASSIGNED}), S.REPLIED, E.REPLIED, "reply",
               _("Only the assigned department replies."),
               asks=(Ask("text", required=True, label=_("Reply, as the complainant will read it")),), batch=False),
    # Not before the complainant had their working days to rate the reply (``supervision.closing``).
    Transition("close", _("Close"), frozenset({S.REPLIED}), S.CLOSED, E.CLOSED, "handle", HANDLERS_ONLY,
               offered_if=may_close),
    # The complainant's rating: closed if satisfied, else reopened (the service decides).
    Transition("rate", _("Rate the reply"), frozenset({S.REPLIED}), S.CLOSED, E.CLOSED, None),
    noun="complaint",
)
