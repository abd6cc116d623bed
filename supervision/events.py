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


class AssessmentEvent(EventKind):
    WEIGHTS_CHANGED = "assessment.weights_changed", _("assessment weights changed")
    FROZEN = "assessment.frozen", _("annual assessment frozen")
