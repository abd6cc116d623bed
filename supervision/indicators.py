"""The supervision app's compliance indicators (DESIGN §6), registered with portal's registry.

The same rules as the public statistics (``supervision.stats``): counted by the department
concerned and the day a complaint was received.
"""

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.indicators import Indicator, Unit
from supervision.models import (
    SATISFIED,
    AccountabilityMeasure,
    CampaignStatus,
    Complaint,
    OrderStatus,
    RectificationOrder,
    Scorecard,
    ScorecardStatus,
    Status,
)

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


# --- Rectification orders and accountability (supervision.services.inspections) ----------------


def _orders_judged(period):
    """Orders whose outcome is known: closed, or still open (or awaiting verification of a
    late report) past their due date — an order merely not yet due is not judged."""
    return Q(status=OrderStatus.CLOSED) | Q(due_on__lt=timezone.localdate(), reported_on__isnull=True) | Q(
        reported_on__gt=F("due_on"))


RECTIFICATION_ORDERS_ON_TIME = Indicator(
    name="supervision.rectification_orders_on_time",
    label=_("rectification orders done on time"),
    description=_("Of the rectification orders issued in the period whose outcome is known (closed, or past their "
                  "due date), the share rectified and reported by the due date and verified."),
    rows=lambda: RectificationOrder.objects.all(),
    department="department_id",
    date="issued_on",
    denominator=_orders_judged,
    numerator=Q(status=OrderStatus.CLOSED, closed_on_time=True),
    order=40,
)

ACCOUNTABILITY_MEASURES = Indicator(
    name="supervision.accountability_measures",
    label=_("accountability measures"),
    description=_("The number of accountability measures decided in the period against the department or its staff."),
    rows=lambda: AccountabilityMeasure.objects.all(),
    department="department_id",
    date="decided_on",
    numerator=Count("pk"),
    unit=Unit.COUNT,
    higher_is_better=False,
    order=60,
)

# --- Evaluation campaigns (民主評議) ----------------------------------------------------------
# The average weighted score (out of 100) of the scorecards submitted in closed campaigns,
# placed in the period by the end of the period each campaign evaluated. Each card counts
# once, so a campaign with more evaluators weighs more; a campaign still open does not count
# until its results are published.
EVALUATION_SCORE = Indicator(
    name="supervision.evaluation_score",
    label=_("evaluation score"),
    description=_("Average weighted score (out of 100) of the scorecards submitted in the evaluation campaigns "
                  "closed for the period."),
    rows=lambda: Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED, campaign__status=CampaignStatus.CLOSED),
    department="department_id",
    date="campaign__period_end",
    numerator=Sum("total"),
    unit=Unit.AVERAGE,
    order=50,
)
