"""The approvals app's compliance indicators (DESIGN §6), registered with portal's registry:
applications decided on time, service ratings that are not bad reviews, and bad-rating
rectification cases closed on time. Counted by the department running the approval item (for
a rating or a case, the one running it at the time)."""

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import BAD_RATING, Application, Rating, RectificationCase, RectificationStatus
from portal.indicators import Indicator, Period


def _rectification_judged(period: Period) -> Q:
    """Closed, or open past its due date: an open case still within its time is not judged yet."""
    return Q(status=RectificationStatus.CLOSED) | Q(due_on__lt=timezone.localdate())


APPLICATIONS_ON_TIME = Indicator(
    name="approvals.applications_on_time",
    label=_("applications decided on time"),
    description=_("Of the applications decided in the period, the share decided by their due date."),
    rows=lambda: Application.objects.decided(),
    department="item__department_id",
    date="decided_on",
    denominator=Q(due_on__isnull=False),
    numerator=Q(decided_on__lte=F("due_on")),
    order=20,
)

GOOD_RATINGS = Indicator(
    name="approvals.good_ratings",
    label=_("service ratings without complaint"),
    description=_(
        "Of the service ratings given in the period, the share at least fairly satisfied (not a bad review)."
    ),
    rows=lambda: Rating.objects.all(),
    # The department that ran the item when it was rated (kept on the rating).
    department="department_id",
    date="created_at__date",
    numerator=Q(level__gt=BAD_RATING),
    order=21,
)

RECTIFICATIONS_ON_TIME = Indicator(
    name="approvals.rectifications_on_time",
    label=_("bad-rating rectifications closed on time"),
    description=_(
        "Of the rectification cases opened after bad ratings in the period and closed or past "
        "their due date, the share closed by the due date."
    ),
    rows=lambda: RectificationCase.objects.all(),
    department="department_id",
    date="opened_on",
    denominator=_rectification_judged,
    numerator=Q(status=RectificationStatus.CLOSED, closed_on__lte=F("due_on")),
    order=22,
)

ALL = (APPLICATIONS_ON_TIME, GOOD_RATINGS, RECTIFICATIONS_ON_TIME)
