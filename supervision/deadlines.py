"""The supervision app's deadline kinds (限期辦理), registered with portal's engine."""

from django.contrib.auth import get_user_model
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.calendar import DueDate
from portal.deadlines import DeadlineKind
from portal.reminders import staff_of
from portal.roles import Role
from supervision.models import Complaint


def _responsible(complaint):
    """The assigned department's staff and the first receiver; until someone has taken it
    up, the supervision office, whose job it is to accept or decline it."""
    people = list(staff_of(complaint.assigned_department, Role.PUBLISHER, Role.REVIEWER)) if complaint.assigned_department_id else []
    if complaint.first_receiver_id and complaint.first_receiver not in people:
        people.append(complaint.first_receiver)
    if not people:
        people = list(get_user_model().objects.filter(is_active=True, staff_profile__role=Role.SUPERVISOR))
    return people


def _recompute(calendar):
    from supervision.services import handling_days

    changed = []
    # A reopened complaint counts from its reopening, not from receipt: left as it is.
    for complaint in Complaint.objects.open().filter(reopen_count=0):
        due: DueDate = calendar.add_working_days(complaint.received_on, handling_days(complaint.kind))
        if (complaint.due_on, complaint.due_provisional) != (due.date, due.provisional):
            complaint.due_on, complaint.due_provisional = due.date, due.provisional
            changed.append(complaint)
    Complaint.objects.bulk_update(changed, ["due_on", "due_provisional"])
    return changed


COMPLAINT = DeadlineKind(
    name="complaint",
    label=_("complaint or report"),
    open_items=lambda: Complaint.objects.open().select_related("assigned_department", "department", "first_receiver"),
    responsible=_responsible,
    department=lambda complaint: complaint.assigned_department or complaint.department,
    describe=lambda complaint: f"{complaint.get_kind_display()} {complaint.tracking_code[:8]}… {complaint.summary}",
    url=lambda complaint: f"/admin/supervision/complaint/{complaint.pk}/change/",
    department_lookup=Coalesce("assigned_department_id", "department_id"),
    recompute=_recompute,
)
