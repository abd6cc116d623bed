"""The disclosure lifecycle as a state machine (DESIGN §3.2):

draft → in pre-review (預審) → [in coordinator review] → approved → published →
draft (amendment) … | withdrawn.

``disclosures.services`` runs each step through ``DISCLOSURE.step``.
"""

from django.utils.translation import gettext_lazy as _

from disclosures.events import DisclosureEvent as E
from disclosures.models import Disclosure, Status
from portal.workflow import NEW, Ask, Transition, Workflow

S = Status
IN_ANY_REVIEW = frozenset({S.IN_REVIEW, S.IN_COORDINATOR_REVIEW})
#: What a reviewer may add when approving: a comment for the review record, the scope decided.
APPROVING = (Ask("comment", label=_("Review comment (optional)")), Ask("scope"))

DISCLOSURE = Workflow(
    Disclosure,
    Transition("create", _("Create a draft"), frozenset({NEW}), S.DRAFT, E.CREATED, "add"),
    Transition("edit", _("Edit the draft"), frozenset({S.DRAFT}), None, E.EDITED, "change"),
    Transition("confirm_masking", _("Confirm the masking of a data table"), frozenset({S.DRAFT}), None,
               E.TABLE_MASKING_CONFIRMED, "change"),
    Transition("submit", _("Submit for pre-review"), frozenset({S.DRAFT}), S.IN_REVIEW, E.SUBMITTED, "change"),
    # The department's reviewer approves, or forwards to the coordinator where the
    # department needs the coordinator's review as well (the service decides).
    Transition("approve", _("Approve (pre-review)"), frozenset({S.IN_REVIEW}), S.APPROVED, E.APPROVED, "review",
               _("You may not pre-review this disclosure."), asks=APPROVING),
    Transition("complete_review", _("Approve (coordinator review)"), frozenset({S.IN_COORDINATOR_REVIEW}), S.APPROVED,
               E.APPROVED, "coordinate", _("This disclosure waits for the coordinator's review."), asks=APPROVING),
    Transition("return_to_department", _("Return with comment"), IN_ANY_REVIEW | {S.APPROVED}, S.DRAFT, E.RETURNED,
               "review", _("You may not pre-review this disclosure."),
               asks=(Ask("comment", required=True, label=_("What the department should change")),), batch=False),
    Transition("publish", _("Publish"), frozenset({S.APPROVED}), S.PUBLISHED, E.PUBLISHED, "publish",
               _("You may not publish this disclosure.")),
    Transition("amend", _("Amend (start a new revision)"), frozenset({S.PUBLISHED}), S.DRAFT, E.AMENDMENT_STARTED,
               "change"),
    Transition("withdraw", _("Withdraw (with reason)"), IN_ANY_REVIEW | {S.PUBLISHED, S.DRAFT, S.APPROVED},
               S.WITHDRAWN, E.WITHDRAWN, "withdraw", _("You may not withdraw this disclosure."),
               offered_if=lambda disclosure: disclosure.current_revision_id is not None,  # never published: delete it
               asks=(Ask("comment", required=True, label=_("Reason for withdrawal (published with the notice)")),),
               batch=False),
    noun="disclosure",
)
