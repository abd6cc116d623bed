"""The supervision app's compliance indicators (DESIGN §6), registered with portal's registry.

The same rules as the public statistics (``supervision.stats``): counted by the department
concerned and the day a complaint was received.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.indicators import Indicator
from supervision.models import SATISFIED, Complaint, Status

COMPLAINTS_ON_TIME = Indicator(
    name="supervision.complaints_on_time",
    label=_("complaints closed on time"),
    description=_("Of the complaints received in the period and closed, the share closed by their due date."),
    rows=lambda: Complaint.objects.all(),
    department="department_id",
    date="received_on",
    denominator=Q(status=Status.CLOSED),
    numerator=Q(closed_on_time=True),
    order=30,
)

COMPLAINT_SATISFACTION = Indicator(
    name="supervision.complaint_satisfaction",
    label=_("complainants satisfied"),
    description=_("Of the complaints received in the period and rated by the complainant, the share rated satisfied."),
    rows=lambda: Complaint.objects.all(),
    department="department_id",
    date="received_on",
    denominator=~Q(satisfaction=""),
    numerator=Q(satisfaction__in=SATISFIED),
    order=31,
)
