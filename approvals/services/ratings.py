"""Service ratings (好差評) and the rectification cases bad ones open."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from approvals.models import Application, Rating, RatingLevel, RectificationCase, RectificationRule, RectificationStatus
from approvals.models.applications import FINISHED
from approvals.services import transitions
from approvals.services.applications import lock_application
from approvals.services.transitions import TransitionError, expect, not_before, require
from portal import page_cache
from portal.audit import record_event
from portal.calendar import WorkingCalendar


def rectification_days(department) -> int:
    """The department's rule, else ``GONGKAI_RECTIFICATION_WORKING_DAYS`` (default 5)."""
    rule = RectificationRule.objects.filter(department=department).values_list("working_days", flat=True).first()
    return rule or getattr(settings, "GONGKAI_RECTIFICATION_WORKING_DAYS", 5)


def rating_submit(*, application: Application, level: int, comment: str = "") -> Rating:
    """The applicant rates a finished application, once. A bad rating (dissatisfied or
    worse) opens a rectification case for the item's department with a deadline in
    working days, which the deadline engine follows."""
    level = RatingLevel(int(level))
    with transaction.atomic():
        application = lock_application(application)
        expect(application, FINISHED, application.tracking_number)
        if Rating.objects.filter(application=application).exists():
            raise TransitionError(_("This application has already been rated."))
        rating = Rating.objects.create(application=application, level=level, comment=(comment or "").strip()[:1000])
        record_event(actor=None, subject=application, verb="application_rated", level=int(level))
        page_cache.invalidate_on_commit()  # the item's guide shows its rating figures
        if rating.is_bad:
            _rectification_open(rating)
    return rating


def _rectification_open(rating: Rating) -> RectificationCase:
    item = rating.application.item
    opened_on = transitions.today()
    days = rectification_days(item.department_id)
    due = WorkingCalendar().add_working_days(opened_on, days)
    case = RectificationCase.objects.create(
        rating=rating, department_id=item.department_id, item=item, opened_on=opened_on, working_days=days,
        due_on=due.date, due_provisional=due.provisional,
    )
    record_event(actor=None, subject=case, verb="rectification_opened", to_state=case.status, due_on=due.date.isoformat())
    return case


def rectification_close(*, actor, case: RectificationCase, outcome: str, on: dt.date | None = None) -> RectificationCase:
    """Record what the department did about a bad rating. The outcome is published."""
    if not (outcome or "").strip():
        raise TransitionError(_("Describe what was done."))
    with transaction.atomic():
        case = RectificationCase.objects.select_for_update().get(pk=case.pk)
        require(actor, "change", case)
        expect(case, {RectificationStatus.OPEN}, str(case))
        case.outcome = outcome.strip()
        case.closed_on = on or transitions.today()
        not_before(case.closed_on, case.opened_on, _("Closing"))
        case.closed_by = actor
        case.status = RectificationStatus.CLOSED
        case.save()
        record_event(
            actor=actor, subject=case, verb="rectification_closed", from_state=RectificationStatus.OPEN,
            to_state=case.status, on_time=case.closed_on <= case.due_on,
        )
        page_cache.invalidate_on_commit()  # the outcome is published on the item's guide
    return case


def rectifications_recompute_due(calendar: WorkingCalendar) -> list[RectificationCase]:
    changed = []
    for case in RectificationCase.objects.open():
        due = calendar.add_working_days(case.opened_on, case.working_days)
        if (due.date, due.provisional) != (case.due_on, case.due_provisional):
            case.due_on, case.due_provisional = due.date, due.provisional
            case.save(update_fields=["due_on", "due_provisional", "updated_at"])
            changed.append(case)
    return changed
