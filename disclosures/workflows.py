"""The disclosure lifecycle as a state machine (DESIGN §3.2):

draft → in pre-review (預審) → [in coordinator review] → approved → published →
draft (amendment) … | withdrawn.

``disclosures.services`` runs each step through ``DISCLOSURE.step``.
"""

from django.utils.translation import gettext_lazy as _

from disclosures.events import AnnualReportEvent as AE
from disclosures.events import DisclosureEvent as E
from disclosures.events import RequestEvent as RE
from disclosures.models import Disclosure, Status
from disclosures.models.requests import (
    GIVES_INFORMATION,
    RUNNING,
    AnnualReport,
    InformationRequest,
    ReportStatus,
    RequestStatus,
)
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

R = RequestStatus
HANDLERS = _("Only the department asked handles this request.")

#: An information request (DESIGN §3.3): received → [correction → received | abandoned]
#: → [consulting → received] → replied. The clock is ``disclosures.requests.clock``;
#: ``disclosures.requests.services`` runs each step.
INFORMATION_REQUEST = Workflow(
    InformationRequest,
    # On the public form: the requester is authenticated by nothing but what they filed.
    Transition("file", _("File"), frozenset({NEW}), R.RECEIVED, RE.FILED, None),
    # Received by letter, fax or in person and registered by the department's staff.
    Transition("register", _("Register"), frozenset({NEW}), R.RECEIVED, RE.FILED, "add", HANDLERS),
    Transition("request_correction", _("Ask for a correction (notice in the text box)"), frozenset({R.RECEIVED}),
               R.CORRECTION, RE.CORRECTION_REQUESTED, "handle", HANDLERS,
               offered_if=lambda request: request.corrected_on is None,
               asks=(Ask("text", required=True, label=_("What to correct, as the requester will read it")),
                     Ask("on", label=_("Notice given on (empty: today)"))), batch=False),
    Transition("correction_received", _("Corrected request received (date in the date box)"),
               frozenset({R.CORRECTION}), R.RECEIVED, RE.CORRECTED, "handle", HANDLERS,
               asks=(Ask("on", label=_("Received on (empty: today)")),)),
    Transition("abandon", _("Close: not corrected in time"), frozenset({R.CORRECTION}), R.ABANDONED, RE.ABANDONED,
               "handle", HANDLERS),
    Transition("consult", _("Consult a third party (pauses the clock)"), frozenset({R.RECEIVED}), R.CONSULTING,
               RE.CONSULTED, "handle", HANDLERS,
               offered_if=lambda request: request.consultation_started_on is None,
               asks=(Ask("text", required=True, label=_("Third party consulted")),
                     Ask("on", label=_("Consulted on (empty: today)"))), batch=False),
    Transition("consultation_ended", _("Third party's opinion received (date in the date box)"),
               frozenset({R.CONSULTING}), R.RECEIVED, RE.CONSULTATION_ENDED, "handle", HANDLERS,
               asks=(Ask("on", label=_("Received on (empty: today)")),)),
    Transition("extend", _("Extend (days and reason; office head's approval)"), frozenset(RUNNING), None,
               RE.EXTENDED, "extend", _("Only the head of the open-government office approves an extension."),
               offered_if=lambda request: request.extension_days == 0,
               asks=(Ask("days", required=True),
                     Ask("text", required=True, label=_("Reason, as the requester will read it"))), batch=False),
    Transition("reply", _("Reply (outcome, reason and text)"), frozenset({R.RECEIVED}), R.REPLIED, RE.REPLIED,
               "handle", HANDLERS,
               asks=(Ask("outcome", required=True), Ask("sub_reason"),
                     Ask("text", label=_("The department's own words: where it is published, why part is withheld …")),
                     Ask("on", label=_("Replied on (empty: today)"))), batch=False),
    Transition("publish_reply", _("Publish the reply as a disclosure"), frozenset({R.REPLIED}), None,
               RE.REPLY_PUBLISHED, "handle", HANDLERS,
               offered_if=lambda request: request.outcome in GIVES_INFORMATION and request.disclosure_id is None),
    # Information asked for again and again (art. 44): an obligation of proactive disclosure
    # in the catalogue; the coordinator keeps the catalogue (the service checks it).
    Transition("make_proactive", _("Move the information into proactive disclosure (the catalogue)"),
               frozenset({R.REPLIED}), None, RE.MADE_PROACTIVE, "handle", HANDLERS,
               offered_if=lambda request: request.outcome in GIVES_INFORMATION,
               asks=(Ask("text", label=_("Title in the catalogue (empty: what was asked)")),), batch=False),
    noun="information request",
)

#: A yearly report: draft → final (figures frozen; refused unless the requests table balances).
ANNUAL_REPORT = Workflow(
    AnnualReport,
    Transition("open", _("Open"), frozenset({NEW}), ReportStatus.DRAFT, AE.OPENED, "add"),
    # The yearly opening of every department's and the county's draft (``annual_report --open``).
    Transition("schedule", _("Open for the year"), frozenset({NEW}), ReportStatus.DRAFT, AE.OPENED, None),
    Transition("edit", _("Edit"), frozenset({ReportStatus.DRAFT}), None, AE.EDITED, "change"),
    Transition("finalise", _("Finalise"), frozenset({ReportStatus.DRAFT}), ReportStatus.FINAL, AE.FINALISED,
               "finalise", _("Only the open-government office finalises yearly reports.")),
    Transition("publish", _("Publish as a disclosure"), frozenset({ReportStatus.FINAL}), None, AE.PUBLISHED,
               "finalise", _("Only the open-government office publishes yearly reports."),
               offered_if=lambda report: report.disclosure_id is None),
    noun="yearly report",
)
