"""The supervision mailbox as a state machine (DESIGN §3.5):

received → accepted | declined (reason) → assigned → replied → closed (with the
complainant's satisfaction) | reopened → assigned …

``supervision.services`` runs each step through ``COMPLAINT.step``.

Inspections: in progress → concluded. Rectification orders (限期改正): issued → in
rectification → reported done → verified and closed, or sent back (with a reason) to
rectification; ``supervision.services.inspections`` runs them.
"""

from django.utils.translation import gettext_lazy as _

from portal.workflow import NEW, Ask, Transition, Workflow
from supervision.closing import may_close
from supervision.events import CampaignEvent, ScorecardEvent
from supervision.events import ComplaintEvent as E
from supervision.events import InspectionEvent, RectificationOrderEvent
from supervision.models import (
    Campaign,
    CampaignStatus,
    Complaint,
    Inspection,
    InspectionStatus,
    OrderStatus,
    RectificationOrder,
    Scorecard,
    ScorecardStatus,
    Status,
)

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


# --- Inspections and rectification orders (supervision.services.inspections) -------------------

INSPECTION = Workflow(
    Inspection,
    # A supervisor opens an inspection of any kind; a department its own self-inspection
    # (supervision.permissions: may_add).
    Transition("open", _("Open"), frozenset({NEW}), InspectionStatus.IN_PROGRESS, InspectionEvent.OPENED, "add",
               _("Only the supervision office inspects other departments; a department runs its own self-inspection.")),
    Transition("conclude", _("Conclude (conclusion in the text box)"), frozenset({InspectionStatus.IN_PROGRESS}),
               InspectionStatus.CONCLUDED, InspectionEvent.CONCLUDED, "change",
               _("Only whoever runs the inspection concludes it.")),
    noun="inspection",
)

O = OrderStatus
VERIFIERS_ONLY = _("Only the supervision office verifies rectification.")
DEPARTMENT_ONLY = _("Only the department ordered to rectify reports on it.")

RECTIFICATION_ORDER = Workflow(
    RectificationOrder,
    Transition("issue", _("Issue"), frozenset({NEW}), O.ISSUED, RectificationOrderEvent.ISSUED, "add",
               _("Only the supervision office issues rectification orders (a department, after its own self-inspection).")),
    Transition("start", _("Start rectifying"), frozenset({O.ISSUED}), O.RECTIFYING, RectificationOrderEvent.STARTED,
               "respond", DEPARTMENT_ONLY),
    Transition("report", _("Report rectification done"), frozenset({O.ISSUED, O.RECTIFYING}), O.REPORTED,
               RectificationOrderEvent.REPORTED, "respond", DEPARTMENT_ONLY),
    Transition("verify", _("Verify and close"), frozenset({O.REPORTED}), O.CLOSED, RectificationOrderEvent.CLOSED,
               "verify", VERIFIERS_ONLY),
    Transition("send_back", _("Send back (reason in the text box)"), frozenset({O.REPORTED}), O.RECTIFYING,
               RectificationOrderEvent.SENT_BACK, "verify", VERIFIERS_ONLY),
    noun="rectification order",
)

# --- Evaluation campaigns (民主評議) ----------------------------------------------------------
# draft → open → closed. Criteria, departments and evaluators are set while the campaign is
# a draft; scorecards are filled while it is open; a closed campaign is read-only and its
# results are public.
COUNTY_ONLY = _("Only the open-government office and the supervision office run evaluation campaigns.")

CAMPAIGN = Workflow(
    Campaign,
    Transition("create", _("Create"), frozenset({NEW}), CampaignStatus.DRAFT, CampaignEvent.CREATED, "add", COUNTY_ONLY),
    Transition("open", _("Open for scoring"), frozenset({CampaignStatus.DRAFT}), CampaignStatus.OPEN,
               CampaignEvent.OPENED, "change", COUNTY_ONLY),
    Transition("close", _("Close and publish the results"), frozenset({CampaignStatus.OPEN}), CampaignStatus.CLOSED,
               CampaignEvent.CLOSED, "change", COUNTY_ONLY),
    # Not a change of state: an invitation link issued, or used by its holder.
    Transition("invite", _("Issue invitation links"), frozenset({CampaignStatus.DRAFT, CampaignStatus.OPEN}), None,
               CampaignEvent.INVITATION_ISSUED, "change", COUNTY_ONLY),
    noun="campaign",
)

# An evaluator's own steps: no staff permission; the service checks that the evaluator is
# invited to the campaign (an account among its evaluators, or a redeemed invitation).
SCORECARD = Workflow(
    Scorecard,
    Transition("start", _("Start"), frozenset({NEW}), ScorecardStatus.DRAFT, ScorecardEvent.STARTED, None),
    Transition("save", _("Save the draft"), frozenset({ScorecardStatus.DRAFT}), None, ScorecardEvent.SAVED, None),
    Transition("submit", _("Submit"), frozenset({ScorecardStatus.DRAFT}), ScorecardStatus.SUBMITTED,
               ScorecardEvent.SUBMITTED, None),
    noun="scorecard",
)
