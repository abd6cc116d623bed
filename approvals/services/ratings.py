"""Service ratings (好差評) and the rectification cases bad ones open."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from approvals.models import Application, Rating, RatingLevel, RectificationCase, RectificationRule
from approvals.services import checks
from approvals.services.checks import not_before
from approvals.services.receipts import rating_secret_check
from approvals.workflows import APPLICATION, RECTIFICATION
from portal import page_cache
from portal.calendar import WorkingCalendar
from portal.workflow import TransitionError


def rectification_days(department) -> int:
    """The department's rule, else ``GONGKAI_RECTIFICATION_WORKING_DAYS`` (default 5)."""
    rule = RectificationRule.objects.filter(department=department).values_list("working_days", flat=True).first()
    return rule or getattr(settings, "GONGKAI_RECTIFICATION_WORKING_DAYS", 5)


@sensitive_variables("secret")
def rating_submit(*, application: Application, secret: str | None, level: int, comment: str = "") -> Rating:
    """The applicant rates a finished application, once, with the secret from the receipt
    (never with what staff see: the tracking number and the phone). A bad rating
    (dissatisfied or worse) opens a rectification case for the item's department with a
    deadline in working days, which the deadline engine follows."""
    level = RatingLevel(int(level))
    with APPLICATION.step("rate", application, actor=None, level=int(level)) as step:
        application = step.obj
        rating_secret_check(application, secret)
        if Rating.objects.filter(application=application).exists():
            raise TransitionError(_("This application has already been rated."))
        rating = Rating.objects.create(application=application, department_id=application.item.department_id,
                                       level=level, comment=(comment or "").strip()[:1000])
        page_cache.invalidate_on_commit()  # the item's guide shows its rating figures
        if rating.is_bad:
            _rectification_open(rating)
    return rating


def _rectification_open(rating: Rating) -> RectificationCase:
    item = rating.application.item
    opened_on = checks.today()
    days = rectification_days(item.department_id)
    due = WorkingCalendar().add_working_days(opened_on, days)
    case = RectificationCase(
        rating=rating, department_id=item.department_id, item=item, opened_on=opened_on, working_days=days,
        due_on=due.date, due_provisional=due.provisional,
    )
    with RECTIFICATION.step("open", case, actor=None, due_on=due.date):
        pass
    return case


def rectification_close(*, actor, case: RectificationCase, outcome: str, on: dt.date | None = None) -> RectificationCase:
    """Record what the department did about a bad rating. The outcome is published."""
    if not (outcome or "").strip():
        raise TransitionError(_("Describe what was done."))
    with RECTIFICATION.step("close", case, actor=actor) as step:
        case = step.obj
        case.outcome = outcome.strip()
        case.closed_on = on or checks.today()
        not_before(case.closed_on, case.opened_on, _("Closing"))
        case.closed_by = actor
        step.payload["on_time"] = case.closed_on <= case.due_on
        page_cache.invalidate_on_commit()  # the outcome is published on the item's guide
    return case
