"""The supervision app's deadline kinds (限期辦理, 限期改正), registered with portal's engine."""

from django.contrib.auth import get_user_model
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.deadlines import DeadlineKind
from portal.reminders import staff_of
from portal.roles import Role
from supervision.models import Complaint, RectificationOrder


def _responsible(complaint):
    """The assigned department's staff and the first receiver; until someone has taken it
    up, the supervision office, whose job it is to accept or decline it."""
    people = list(staff_of(complaint.assigned_department, Role.PUBLISHER, Role.REVIEWER)) if complaint.assigned_department_id else []
    if complaint.first_receiver_id and complaint.first_receiver not in people:
        people.append(complaint.first_receiver)
    if not people:
        people = list(get_user_model().objects.filter(is_active=True, staff_profile__role=Role.SUPERVISOR))
    return people


COMPLAINT = DeadlineKind(
    name="complaint",
    label=_("complaint or report"),
    open_items=lambda: Complaint.objects.open().select_related("assigned_department", "department", "first_receiver"),
    responsible=_responsible,
    department=lambda complaint: complaint.assigned_department or complaint.department,
    describe=lambda complaint: f"{complaint.get_kind_display()} {complaint.tracking_code[:8]}… {complaint.summary}",
    url=lambda complaint: f"/admin/supervision/complaint/{complaint.pk}/change/",
    # Day 0 of the count. A reopened complaint counts from its reopening, later than this:
    # a calendar change between receipt and reopening moves it too (docs/deadlines.md).
    start_field="received_on",
    department_lookup=Coalesce("assigned_department_id", "department_id"),
)


#: Orders the department has still to act on (issued, in rectification — also after a report
#: was sent back); once reported, the deadline was kept or missed and the office verifies.
RECTIFICATION_ORDER = DeadlineKind(
    name="rectification_order",
    label=_("rectification order"),
    open_items=lambda: RectificationOrder.objects.open().select_related("department"),
    responsible=lambda order: staff_of(order.department, Role.PUBLISHER, Role.REVIEWER),
    department=lambda order: order.department,
    describe=lambda order: f"{order.department.name} · {order.requirement[:60]}",
    url=lambda order: f"/admin/supervision/rectificationorder/{order.pk}/change/",
    # Day 0 of the count: a calendar change moves an order's due date by the working days it
    # adds or takes away after its issue (portal.due_dates), never by a new rule.
    start_field="issued_on",
)
