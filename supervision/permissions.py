"""Who may see and handle what in supervision — the rules ``portal.permissions`` applies.

The mailbox: a complaint belongs to the department it is assigned to; the supervision office
(county-wide) handles all of them. Nothing here is public: a complainant reaches their own
filing with its code and secret (``supervision.services.may_track``).

Inspections: the supervision office inspects every department by any of the six kinds; a
department sees the inspections of itself and runs its own self-inspection (自我監督), and
changes no other. Rectification orders: the department ordered reports on them
(``respond``), the supervision office verifies (``verify``). Accountability measures name
people: the supervision office records them, the coordinator reads them, departments don't.
"""

from django.db.models import Q

from portal.permissions import Rules, acts_county_wide, departments_for, register
from supervision.models import (
    AccountabilityMeasure,
    Campaign,
    ChecklistResult,
    Complaint,
    ComplaintAttachment,
    Criterion,
    Finding,
    Inspection,
    RectificationOrder,
    Reply,
    ResponseFile,
    Scorecard,
    SupervisionKind,
)

SELF = SupervisionKind.SELF


def _acts_for(user, department_id) -> bool:
    return department_id is not None and departments_for(user).filter(pk=department_id).exists()


def may_open_inspection(user, inspection: Inspection) -> bool:
    """The supervision office inspects anyone; a department only itself, by self-supervision."""
    if acts_county_wide(user):
        return True
    return inspection.kind == SELF and _acts_for(user, inspection.department_id)


def may_issue_order(user, order: RectificationOrder) -> bool:
    """The supervision office orders anyone; a department orders itself after its self-inspection."""
    if acts_county_wide(user):
        return True
    inspection = order.inspection
    return (
        inspection is not None and inspection.kind == SELF and inspection.department_id == order.department_id
        and _acts_for(user, order.department_id)
    )


def declare() -> None:
    register(Complaint, Rules(department="assigned_department", perms={"see_identity": "supervision.view_identity"}))
    for model in (ComplaintAttachment, Reply):
        register(model, Rules(department="complaint__assigned_department"))
    register(Inspection, Rules(department="department", members_act_on=Q(kind=SELF), may_add=may_open_inspection))
    for model in (ChecklistResult, Finding):
        register(model, Rules(department="inspection__department", members_act_on=Q(inspection__kind=SELF)))
    register(RectificationOrder, Rules(
        department="department", may_add=may_issue_order,
        perms={"respond": "supervision.respond_rectificationorder", "verify": "supervision.verify_rectificationorder"},
    ))
    register(ResponseFile, Rules(department="order__department"))
    register(AccountabilityMeasure, Rules(department="department"))
    # Evaluation campaigns are county-wide (the coordinator's and the supervisors'); a
    # campaign's results are public once it is closed. Scorecards are read by their evaluator
    # on the evaluation pages (supervision.services.campaigns), never by the department.
    register(Campaign, Rules(public=Q(status="closed")))
    register(Criterion, Rules(public=Q(campaign__status="closed")))
    register(Scorecard, Rules())
