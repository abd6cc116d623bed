"""The supervision app's compliance indicators (DESIGN §6), registered with portal's registry.

The same rules as the public statistics (``supervision.stats``): counted by the department
concerned and the day a complaint was received.
"""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from portal.indicators import Indicator, Unit
from supervision.models import SATISFIED, CampaignStatus, Complaint, Scorecard, ScorecardStatus, Status

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
