"""Who may see and handle what in the supervision mailbox — the rules ``portal.permissions``
applies. A complaint belongs to the department it is assigned to; the supervision office
(county-wide) handles all of them. Nothing here is public: a complainant reaches their own
filing with its code and secret (``supervision.services.may_track``)."""

from portal.permissions import Rules, register
from supervision.models import Complaint, ComplaintAttachment, Reply


def declare() -> None:
    register(Complaint, Rules(department="assigned_department", perms={"see_identity": "supervision.view_identity"}))
    for model in (ComplaintAttachment, Reply):
        register(model, Rules(department="complaint__assigned_department"))
