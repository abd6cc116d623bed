"""State machines of approvals (DESIGN §3.4): the register of items, the fee schedule,
applications (辦件) and the rectification cases that bad ratings open.
``approvals.services`` runs each step through these."""

from django.utils.translation import gettext_lazy as _

from approvals.events import ApplicationEvent, FeeEvent, ItemEvent, RectificationEvent
from approvals.models import (
    Application,
    ApplicationStatus,
    ApprovalItem,
    FeeItem,
    FeeStatus,
    ItemStatus,
    RectificationCase,
    RectificationStatus,
)
from approvals.models.applications import FINISHED, RUNNING
from portal.workflow import NEW, Ask, Transition, Workflow

I, F, A = ItemStatus, FeeStatus, ApplicationStatus
ITEM_LIVE = frozenset({I.IN_FORCE, I.ADJUSTED, I.DELEGATED})
#: A change to the public register states when, on what document and why.
CHANGE_RECORD = (Ask("on", label=_("Effective on")), Ask("document_number"),
                 Ask("text", required=True, label=_("Reason (published in the change log)")))
ON_DATE = Ask("on")

ITEM = Workflow(
    ApprovalItem,
    Transition("establish", _("Establish"), frozenset({NEW}), I.IN_FORCE, ItemEvent.ESTABLISHED, "add",
               _("You may not add approval items to this department.")),
    # An edit of what the item is becomes an adjustment (the service decides).
    Transition("update", _("Edit"), ITEM_LIVE, None, ItemEvent.EDITED, "change"),
    # The service guide's lists: materials to bring and procedure steps.
    Transition("edit_guide", _("Edit the materials and steps"), ITEM_LIVE, None, ItemEvent.GUIDE_EDITED, "change"),
    Transition("cancel", _("Cancel (取消)"), ITEM_LIVE, I.CANCELLED, ItemEvent.CANCELLED, "change",
               asks=CHANGE_RECORD),
    Transition("delegate", _("Delegate to a lower level (下放)"), frozenset({I.IN_FORCE, I.ADJUSTED}), I.DELEGATED,
               ItemEvent.DELEGATED, "change", asks=(*CHANGE_RECORD, Ask("delegated_to", required=True))),
    noun="item",
)

FEE = Workflow(
    FeeItem,
    Transition("establish", _("Establish"), frozenset({NEW}), F.IN_FORCE, FeeEvent.ESTABLISHED, "add",
               _("You may not add fee items to this department.")),
    Transition("update", _("Edit"), frozenset({F.IN_FORCE, F.SUSPENDED}), None, FeeEvent.EDITED, "change"),
    Transition("suspend", _("Suspend (暫停徵收)"), frozenset({F.IN_FORCE}), F.SUSPENDED, FeeEvent.SUSPENDED, "change",
               asks=CHANGE_RECORD),
    Transition("resume", _("Resume"), frozenset({F.SUSPENDED}), F.IN_FORCE, FeeEvent.RESUMED, "change",
               asks=CHANGE_RECORD),
    Transition("cancel", _("Cancel"), frozenset({F.IN_FORCE, F.SUSPENDED}), F.CANCELLED, FeeEvent.CANCELLED, "change",
               asks=CHANGE_RECORD),
    noun="fee",
)

HANDLED = frozenset(ApplicationStatus.values)
NOT_HANDLER = _("You do not handle this application.")
APPLICATION = Workflow(
    Application,
    Transition("register", _("Register"), frozenset({NEW}), A.RECEIVED, ApplicationEvent.REGISTERED, "add",
               _("You may not register applications for this item.")),
    Transition("edit", _("Correct the applicant's details"), HANDLED, None, ApplicationEvent.EDITED, "change", NOT_HANDLER),
    Transition("start_review", _("Start review"), frozenset({A.RECEIVED}), A.UNDER_REVIEW,
               ApplicationEvent.REVIEW_STARTED, "change", NOT_HANDLER),
    Transition("request_correction", _("Request correction (補正)"), RUNNING, A.NEEDS_CORRECTION,
               ApplicationEvent.CORRECTION_REQUESTED, "change", NOT_HANDLER, batch=False,
               asks=(Ask("text", required=True, label=_("What is missing (printed on the correction notice)")), ON_DATE)),
    # The clock runs again in the state the application had before the notice (the service says which).
    Transition("correction_received", _("Corrected materials received"), frozenset({A.NEEDS_CORRECTION}), None,
               ApplicationEvent.CORRECTED, "change", NOT_HANDLER),
    Transition("decide", _("Decide"), RUNNING, A.DECIDED, ApplicationEvent.DECIDED, "change", NOT_HANDLER,
               asks=(Ask("text", required=True, label=_("Decision")), ON_DATE), batch=False),
    Transition("reject", _("Reject"), RUNNING | {A.NEEDS_CORRECTION}, A.REJECTED, ApplicationEvent.REJECTED, "change",
               NOT_HANDLER, asks=(Ask("text", required=True, label=_("Reason for rejection")), ON_DATE), batch=False),
    Transition("complete", _("Complete (辦結)"), frozenset({A.DECIDED}), A.COMPLETED, ApplicationEvent.COMPLETED,
               "change", NOT_HANDLER),
    # The applicant's own step: the service checks who they are.
    Transition("rate", _("Rate the service"), FINISHED, None, ApplicationEvent.RATED, None),
    noun="application",
)

RECTIFICATION = Workflow(
    RectificationCase,
    # Opened by the system when a bad rating arrives.
    Transition("open", _("Open"), frozenset({NEW}), RectificationStatus.OPEN, RectificationEvent.OPENED, None),
    Transition("close", _("Close with the outcome"), frozenset({RectificationStatus.OPEN}), RectificationStatus.CLOSED,
               RectificationEvent.CLOSED, "change"),
    noun="rectification",
)

ALL = (ITEM, FEE, APPLICATION, RECTIFICATION)
