"""Who may see and handle what in the supervision mailbox — the rules ``portal.permissions``
applies. A complaint belongs to the department it is assigned to; the supervision office
(county-wide) handles all of them. Nothing here is public: a complainant reaches their own
filing with its code and secret (``supervision.services.may_track``)."""

from django.db.models import Q

from portal.permissions import Rules, register
from supervision.models import Campaign, Complaint, ComplaintAttachment, Criterion, Reply, Scorecard


def declare() -> None:
    register(Complaint, Rules(department="assigned_department", perms={"see_identity": "supervision.view_identity"}))
    for model in (ComplaintAttachment, Reply):
        register(model, Rules(department="complaint__assigned_department"))
    # Evaluation campaigns are county-wide (the coordinator's and the supervisors'); a
    # campaign's results are public once it is closed. Scorecards are read by their evaluator
    # on the evaluation pages (supervision.services.campaigns), never by the department.
    register(Campaign, Rules(public=Q(status="closed")))
    register(Criterion, Rules(public=Q(campaign__status="closed")))
    register(Scorecard, Rules())
