"""The approvals app's deadline kinds, registered with portal's engine (DESIGN §3.6)."""

from django.utils.translation import gettext_lazy as _

from approvals.models import Application, RectificationCase
from portal.deadlines import DeadlineKind
from portal.reminders import staff_of
from portal.roles import Role


def _running_applications():
    return Application.objects.running().select_related("item__department")


def _open_rectifications():
    return RectificationCase.objects.open().select_related("department", "item")


APPLICATION = DeadlineKind(
    name="approval_application",
    label=_("approval application"),
    open_items=_running_applications,
    responsible=lambda application: staff_of(application.item.department, Role.PUBLISHER, Role.REVIEWER),
    department=lambda application: application.item.department,
    describe=lambda application: f"{application.tracking_number} · {application.item.name}",
    url=lambda application: f"/admin/approvals/application/{application.pk}/change/",
    due_field="due_on",
    # Day 0 of the count. A calendar change during a pause for correction moves the due
    # date too, though the clock stood then (docs/deadlines.md).
    start_field="received_on",
    department_lookup="item__department_id",
)

RATING_RECTIFICATION = DeadlineKind(
    name="rating_rectification",
    label=_("rectification of a bad rating"),
    open_items=_open_rectifications,
    responsible=lambda case: staff_of(case.department, Role.PUBLISHER, Role.REVIEWER),
    department=lambda case: case.department,
    describe=lambda case: f"{case.department.name} · {case.item.name}",
    url=lambda case: f"/admin/approvals/rectificationcase/{case.pk}/change/",
    due_field="due_on",
    start_field="opened_on",
)
