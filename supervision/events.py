"""What can happen to a complaint, report or suggestion (the event kinds of ``portal.events``)."""

from django.utils.translation import gettext_lazy as _

from portal.events import EventKind


class ComplaintEvent(EventKind):
    FILED = "complaint.filed", _("filed")
    ACCEPTED = "complaint.accepted", _("accepted")
    DECLINED = "complaint.declined", _("declined")
    ASSIGNED = "complaint.assigned", _("assigned to a department")
    REPLIED = "complaint.replied", _("replied")
    CLOSED = "complaint.closed", _("closed")
    REOPENED = "complaint.reopened", _("reopened by the complainant")
    # Not a change of state: a supervisor gave the filer a new secret (never recorded itself).
    SECRET_REISSUED = "complaint.secret_reissued", _("new secret issued to the filer")


class InspectionEvent(EventKind):
    OPENED = "inspection.opened", _("inspection opened")
    CONCLUDED = "inspection.concluded", _("inspection concluded")


class RectificationOrderEvent(EventKind):
    ISSUED = "rectification_order.issued", _("rectification order issued")
    STARTED = "rectification_order.started", _("rectification under way")
    REPORTED = "rectification_order.reported", _("rectification reported done")
    SENT_BACK = "rectification_order.sent_back", _("report sent back")
    CLOSED = "rectification_order.closed", _("rectification verified and closed")


class AccountabilityEvent(EventKind):
    RECORDED = "accountability.recorded", _("accountability measure recorded")


class CampaignEvent(EventKind):
    CREATED = "campaign.created", _("evaluation campaign created")
    OPENED = "campaign.opened", _("opened for scoring")
    CLOSED = "campaign.closed", _("closed and results published")
    INVITATION_ISSUED = "campaign.invitation_issued", _("invitation link issued")
    INVITATION_USED = "campaign.invitation_used", _("invitation link used")


class ScorecardEvent(EventKind):
    STARTED = "scorecard.started", _("scorecard started")
    SAVED = "scorecard.saved", _("scorecard draft saved")
    SUBMITTED = "scorecard.submitted", _("scorecard submitted")
class AssessmentEvent(EventKind):
    WEIGHTS_CHANGED = "assessment.weights_changed", _("assessment weights changed")
    FROZEN = "assessment.frozen", _("annual assessment frozen")
