"""Demo history for the compliance dashboard and the annual assessment (``seed_demo``):
two years of closed complaints, decided and rated applications and the rectification cases
their bad ratings opened, for every department, each department keeping time a little
better or worse than the next — so that the month-by-month trends and the ranking mean
something. Then last year's assessment is frozen, as the supervision office would have
done in January.

These are the records of work done in the past, written directly (as an import of the
county's old registers would be), never new steps: nothing here is published, and no
reminder or e-mail is sent for them. Idempotent: skipped once any history complaint exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals import tracking
from approvals.models import (
    BAD_RATING, Application, ApplicationStatus, ApprovalItem, Rating, RectificationCase, RectificationStatus,
)
from portal.models import Department
from portal.roles import Role
from supervision import assessment
from supervision.models import AssessmentSnapshot, Complaint, Kind, Satisfaction, Status

PREFIX = "HIST"
SUMMARIES = ["窗口收費未公示", "辦事指南與實際要求不一致", "公開欄內容過期", "答覆超過期限", "辦事人員態度生硬", "補正材料一次告知不到位"]


def _months(today: dt.date) -> list[dt.date]:
    """The first days of the months from January last year to last month."""
    months, month = [], dt.date(today.year - 1, 1, 1)
    while month < today.replace(day=1):
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _day(rng: random.Random, month: dt.date) -> dt.date:
    return month + dt.timedelta(days=rng.randrange(28))


def _complaints(rng, departments, months, skill) -> list[Complaint]:
    rows, number = [], 0
    for month in months:
        for department in departments:
            for _ in range(rng.randrange(1, 4)):
                number += 1
                received = _day(rng, month)
                on_time = rng.random() < skill[department.pk]
                satisfaction = rng.choice([Satisfaction.SATISFIED, Satisfaction.VERY_SATISFIED, Satisfaction.DISSATISFIED]
                                          if on_time else [Satisfaction.SATISFIED, Satisfaction.DISSATISFIED, ""])
                rows.append(Complaint(
                    tracking_code=f"{PREFIX}{number:07d}", kind=Kind.COMPLAINT, department=department,
                    assigned_department=department, summary=rng.choice(SUMMARIES), details="（歷史記錄）",
                    anonymous=True, status=Status.CLOSED, received_on=received,
                    due_on=received + dt.timedelta(days=21), closed_on_time=on_time, satisfaction=satisfaction,
                    closed_at=timezone.make_aware(dt.datetime.combine(received + dt.timedelta(days=15 if on_time else 30),
                                                                       dt.time(10))),
                ))
    return Complaint.objects.bulk_create(rows, batch_size=1000)


def _applications(rng, items, months, skill, today) -> None:
    applications = []
    for month in months:
        for item in items:
            for _ in range(rng.randrange(0, 3)):
                received = _day(rng, month)
                due = received + dt.timedelta(days=14)
                decided = due - dt.timedelta(days=rng.randrange(1, 8)) if rng.random() < skill[item.department_id] \
                    else due + dt.timedelta(days=rng.randrange(1, 6))
                applications.append(Application(
                    tracking_number=tracking.new_tracking_number(received), item=item, applicant_name="（歷史記錄）",
                    applicant_id_number="", applicant_phone="", received_on=received, due_on=due,
                    status=ApplicationStatus.COMPLETED, decision="准予許可", decided_on=min(decided, today),
                    completed_on=min(decided, today),
                ))
    applications = Application.objects.bulk_create(applications, batch_size=1000)
    ratings = []
    for application in applications:
        if rng.random() < 0.6:
            good = rng.random() < skill[application.item.department_id] + 0.05
            ratings.append(Rating(application=application, department_id=application.item.department_id,
                                  level=rng.choice([3, 4, 5] if good else [1, 2])))
    ratings = Rating.objects.bulk_create(ratings, batch_size=1000)
    cases = []
    for rating in ratings:
        if rating.level > BAD_RATING:
            continue
        item = rating.application.item
        opened = rating.application.completed_on
        closed = opened + dt.timedelta(days=rng.randrange(3, 20))
        done = closed < today
        cases.append(RectificationCase(
            rating=rating, department_id=item.department_id, item=item, opened_on=opened, working_days=10,
            due_on=opened + dt.timedelta(days=14), status=RectificationStatus.CLOSED if done else RectificationStatus.OPEN,
            outcome="已約談窗口人員並完善一次性告知單。" if done else "", closed_on=closed if done else None,
        ))
    RectificationCase.objects.bulk_create(cases, batch_size=1000)
    # A rating's date is when it was given: just after the application was completed.
    for rating in ratings:
        moment = timezone.make_aware(dt.datetime.combine(rating.application.completed_on, dt.time(16)))
        rating.created_at = min(moment, timezone.now())
    Rating.objects.bulk_update(ratings, ["created_at"], batch_size=1000)


def load(stdout) -> None:
    if Complaint.objects.filter(tracking_code__startswith=PREFIX).exists():
        return
    rng = random.Random(20261201)
    today = timezone.localdate()
    departments = list(Department.objects.exclude(kind=Department.Kind.LEADING_GROUP).order_by("code"))
    if not departments:
        return
    # Each department keeps time with its own probability, so that the ranking spreads.
    skill = {d.pk: round(0.6 + 0.38 * rng.random(), 2) for d in departments}
    months = _months(today)
    complaints = _complaints(rng, departments, months, skill)
    items = list(ApprovalItem.objects.filter(department__in=departments).order_by("code")[:40])
    _applications(rng, items, months, skill, today)
    supervisor = get_user_model().objects.filter(staff_profile__role=Role.SUPERVISOR).first()
    last_year = today.year - 1
    if supervisor is not None and not AssessmentSnapshot.objects.filter(year=last_year).exists():
        assessment.assessment_freeze(actor=supervisor, year=last_year)
    stdout.write(f"Supervision history: {len(complaints)} closed complaints and the applications of {len(items)} items "
                 f"over {len(months)} months; the {last_year} assessment frozen.")
