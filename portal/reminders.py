"""The deadline engine: find what is due, record each reminder once, deliver it.

A scan (``scan``) looks, for every registered deadline kind, only at items whose due
date lies in a window around today (an indexed range query per kind and stage, never
a loop over all rows). For each item it works out the stage it has reached — the
nearest lead time before the due date, the due date itself, or each escalation
after it — and records a ``Reminder`` under the unique key (kind, object, stage)
*before* anything is sent. Delivery (``deliver``) locks that row, notifies the
stage's audience (the in-site notification, and the e-mail recorded to be sent after
commit by ``portal.send_email``, see ``portal.notify``) and marks it sent in one
transaction. So a scan run twice, two beats, or a retried task finds the row
already there or already sent and sends nothing more; a broker outage leaves rows
pending, and the next scan hands them to the workers again. A failing mail server
holds up no reminder: its e-mails wait and retry on their own.

Each scan covers every day since the last completed one (``ScanProgress``), rolling
periodic obligations forward first: a day on which no scan ran (the broker or the
workers were down) is caught up, its reminders marked late. An audience with nobody in
it falls back up the chain; with nobody at all the reminder is recorded as
undeliverable, never as sent (docs/deadlines.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import deadlines
from portal.calendar import WorkingCalendar
from portal.models import Reminder, ReminderRule, ScanProgress, StaffProfile
from portal.notify import notify
from portal.roles import Role

logger = logging.getLogger(__name__)

#: Escalations are sent for items at most this many working days past their threshold;
#: older items are the dashboards' business, not the daily scan's.
ESCALATION_WINDOW = 20
#: A pending reminder older than this is handed to the workers again (broker outage).
REQUEUE_AFTER = dt.timedelta(minutes=5)

RESPONSIBLE, DEPARTMENT_HEAD, SUPERVISION, COORDINATOR = "responsible", "department_head", "supervision", "coordinator"


@dataclass(frozen=True)
class Stage:
    name: str
    audience: str


def rule_for(kind_name: str, *, create: bool = True) -> ReminderRule:
    """The kind's rule; created with the defaults the first time, unless ``create`` is
    False (a dry run), which gives the defaults unsaved."""
    if not create:
        return ReminderRule.objects.filter(kind=kind_name).first() or ReminderRule(kind=kind_name)
    rule, _created = ReminderRule.objects.get_or_create(kind=kind_name)
    return rule


def stages_for(rule: ReminderRule, working_days_to_due: int) -> list[Stage]:
    """The stages an item has reached when ``working_days_to_due`` (negative: overdue) remain.

    Before the due date only the nearest lead time applies (the scan covers every day, so
    each lead time is reached on its own day); from the due date on, every escalation
    whose threshold has passed applies, each to its own audience.
    """
    if working_days_to_due > 0:
        reached = [lead for lead in sorted(rule.lead_days) if working_days_to_due <= lead]
        return [Stage(f"before-{reached[0]}", RESPONSIBLE)] if reached else []
    stages = []
    overdue = -working_days_to_due
    if working_days_to_due == 0 and rule.notify_on_due:
        stages.append(Stage("due", RESPONSIBLE))
    for step in rule.escalations:
        after = int(step["after"])
        if after <= overdue <= after + ESCALATION_WINDOW:
            stages.append(Stage(f"overdue-{after}", step["to"]))
    return stages


@dataclass(frozen=True)
class Planned:
    kind: str
    object_id: int
    stage: str
    audience: str
    due_on: dt.date


def plan(today: dt.date, calendar: WorkingCalendar | None = None, *, create_rules: bool = True) -> list[Planned]:
    """Every reminder whose stage is reached on ``today`` and is not yet recorded. Records
    no reminder; the one write is ``rule_for`` creating a kind's ``ReminderRule`` with the
    defaults the first time that kind is planned, which ``create_rules=False`` avoids."""
    calendar = calendar or WorkingCalendar()
    rules = {kind.name: rule_for(kind.name, create=create_rules) for kind in deadlines.kinds()}
    return _plan_day(today, calendar, rules)


def _plan_day(today: dt.date, calendar: WorkingCalendar, rules: dict[str, ReminderRule]) -> list[Planned]:
    planned: list[Planned] = []
    for kind in deadlines.kinds():
        rule = rules[kind.name]
        if not rule.active:
            continue
        longest_lead = max(rule.lead_days, default=0)
        longest_escalation = max((int(step["after"]) for step in rule.escalations), default=0)
        # Every day whose count of working days from today falls within the stages, days off
        # at either end included: a due date on a day off (a yearly report's 31 January, or a
        # day the coordinator made a day off) counts like the working day before it.
        earliest = calendar.subtract_working_days(today, longest_escalation + ESCALATION_WINDOW + 1) + dt.timedelta(days=1)
        latest = calendar.add_working_days(today, longest_lead + 1).date - dt.timedelta(days=1)
        # Group the window's due dates by the stages they have reached today.
        by_stage: dict[Stage, list[dt.date]] = {}
        day = earliest
        while day <= latest:
            for stage in stages_for(rule, calendar.working_days_between(today, day)):
                by_stage.setdefault(stage, []).append(day)
            day += dt.timedelta(days=1)
        for stage, due_dates in by_stage.items():
            # NOT EXISTS, not NOT IN: an anti-join probing the unique (kind, object_id, stage)
            # index per candidate. NOT IN made PostgreSQL read every reminder ever recorded
            # for the stage, and once those no longer fit in work_mem it fell back to a
            # subplan re-scanned per candidate row (quadratic; bench/README.md).
            # Keyed by due date too: a monthly obligation's next period, or a reopened
            # complaint's new deadline, is reminded afresh. (A due date moved by a calendar
            # change takes its reminders along: ``portal.due_dates``.)
            recorded = Reminder.objects.filter(
                kind=kind.name, stage=stage.name, object_id=OuterRef("pk"), due_on=OuterRef(kind.due_field)
            )
            rows = (
                kind.open_items()
                .filter(**{f"{kind.due_field}__in": due_dates})
                .filter(~Exists(recorded))
                .values_list("pk", kind.due_field)
            )
            planned.extend(Planned(kind.name, pk, stage.name, stage.audience, due_on) for pk, due_on in rows)
    return planned


#: The scan catches up at most this many days (a longer outage is reported, not replayed).
MAX_CATCH_UP_DAYS = 62
PROGRESS = "deadlines"


def scanned_day() -> dt.date:
    """The last day the deadline scan covered (today, once it has run today); the day
    periodic obligations are judged on outside the scan."""
    last = ScanProgress.objects.filter(name=PROGRESS).values_list("last_day", flat=True).first()
    return last or timezone.localdate()


def days_to_cover(last_day: dt.date | None, today: dt.date) -> list[dt.date]:
    """The days a scan on ``today`` covers: the last completed day again (an item filed
    after its last scan may have reached a stage that day) and every day since, or only
    ``today`` for the first scan and for a scan of an earlier day."""
    if last_day is None or last_day >= today:
        return [today]
    first = max(last_day, today - dt.timedelta(days=MAX_CATCH_UP_DAYS))
    if first > last_day:
        logger.error("Deadline scan: %s to %s not covered (longer than the catch-up)", last_day, first)
    return [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]


def scan(today: dt.date | None = None, *, enqueue=None) -> list[Planned]:
    """Cover every day since the last completed scan: roll periodic obligations forward,
    record each day's reminders (``late`` for the days before ``today``), and hand new
    and stale pending ones to ``enqueue`` after the transaction commits. Two scans at
    once wait for each other on the progress row. Returns what this scan planned."""
    today = today or timezone.localdate()
    started = timezone.now()
    ScanProgress.objects.get_or_create(name=PROGRESS)
    with transaction.atomic():
        progress = ScanProgress.objects.select_for_update().get(name=PROGRESS)
        calendar = WorkingCalendar()
        rules = {kind.name: rule_for(kind.name) for kind in deadlines.kinds()}
        planned: list[Planned] = []
        for day in days_to_cover(progress.last_day, today):
            for kind in deadlines.kinds():
                if kind.roll_forward is not None:
                    kind.roll_forward(day, calendar)
            day_planned = _plan_day(day, calendar, rules)
            _record(day_planned, for_day=day, late=day < today)
            planned.extend(day_planned)
        if progress.last_day is None or progress.last_day < today:
            progress.last_day = today
        progress.completed_at = timezone.now()
        progress.save(update_fields=["last_day", "completed_at"])
        if enqueue is not None:
            # This scan's rows, and rows left pending by an earlier outage. Handing a row to
            # two workers is harmless: delivery locks it and sends once.
            pending = Reminder.objects.filter(state=Reminder.State.PENDING).filter(
                Q(created_at__gte=started) | Q(created_at__lt=started - REQUEUE_AFTER)
            )
            ids = list(pending.order_by("pk").values_list("pk", flat=True))
            transaction.on_commit(lambda: enqueue(ids))
    return planned


def _record(planned: list[Planned], *, for_day: dt.date, late: bool = False) -> None:
    """Insert a pending ``Reminder`` row per planned reminder, in order; a row a concurrent
    scan recorded first is skipped (it sends, we don't)."""
    if not planned:
        return
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [
                Reminder(kind=p.kind, object_id=p.object_id, stage=p.stage, audience=p.audience, due_on=p.due_on,
                         for_day=for_day, late=late)
                for p in planned
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        return
    # The same rows as the bulk_create above, in the same order (so with the same ids), in
    # one statement whatever their number: bulk_create built a model instance and prepared
    # ten values per row in Python, most of a 9-13 s scan of 1,000,000 open deadlines, in
    # 175 INSERTs (bench/README.md). The columns go as array literals ('{1,2,…}'), which
    # the server parses in bulk; Python lists would become ARRAY['…'::date, …] expressions.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {connection.ops.quote_name(Reminder._meta.db_table)}
                (kind, object_id, stage, audience, due_on, state, attempts, last_error, created_at,
                 for_day, late, delivered_to, recipients)
            SELECT r.kind, r.object_id, r.stage, r.audience, r.due_on, %s, 0, '', %s, %s, %s, '', 0
            FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[], %s::varchar[], %s::date[])
                WITH ORDINALITY AS r (kind, object_id, stage, audience, due_on, position)
            ORDER BY r.position
            ON CONFLICT DO NOTHING
            """,
            [
                Reminder.State.PENDING.value,
                timezone.now(),
                for_day,
                late,
                _array_literal([p.kind for p in planned], text=True),
                _array_literal([p.object_id for p in planned]),
                _array_literal([p.stage for p in planned], text=True),
                _array_literal([p.audience for p in planned], text=True),
                _array_literal([p.due_on for p in planned]),  # str(date) is its ISO form
            ],
        )


def _array_literal(values: list, *, text: bool = False) -> str:
    """A PostgreSQL array literal; ``text`` elements are double-quoted and escaped (each
    distinct value once), numbers and dates are written as they are."""
    if text:
        quoted = {v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in set(values)}
        return "{" + ",".join(quoted[v] for v in values) + "}"
    return "{" + ",".join(map(str, values)) + "}"


#: Who is told when an audience has nobody in it: up the chain, never nobody in silence.
FALLBACK = {
    RESPONSIBLE: (DEPARTMENT_HEAD, COORDINATOR),
    DEPARTMENT_HEAD: (COORDINATOR,),
    SUPERVISION: (COORDINATOR,),
    COORDINATOR: (),
}


def _recipients(kind, item, audience: str) -> list:
    User = get_user_model()
    if audience == RESPONSIBLE:
        return [user for user in kind.responsible(item) if user.is_active]
    if audience == DEPARTMENT_HEAD:
        department = kind.department(item)
        if department is None:
            return []
        return list(
            User.objects.filter(
                is_active=True, staff_profile__department=department, staff_profile__role=Role.REVIEWER
            )
        )
    if audience in (SUPERVISION, COORDINATOR):
        role = Role.SUPERVISOR if audience == SUPERVISION else Role.COORDINATOR
        return list(User.objects.filter(is_active=True, staff_profile__role=role))
    raise ValueError(f"unknown audience {audience!r}")


def reachable(kind, item, audience: str) -> tuple[str, list]:
    """The first audience, from ``audience`` up its chain, with someone in it, and its
    people; ("", []) if there is nobody at all."""
    for candidate in (audience, *FALLBACK[audience]):
        people = _recipients(kind, item, candidate)
        if people:
            return candidate, people
    return "", []


def _message(kind, item, reminder: Reminder, told: str):
    """(subject, body) of a reminder, saying the real number of working days (on the day
    the stage was reached), whether the due date is provisional, and why the reader is told."""
    provisional = kind.is_provisional(item)
    day = reminder.for_day or timezone.localdate()

    def render():
        what = kind.describe(item)
        due = reminder.due_on.isoformat()
        days = WorkingCalendar().working_days_between(day, reminder.due_on)
        if days > 0:
            subject = _("Reminder: %(kind)s due on %(due)s") % {"kind": kind.label, "due": due}
            body = _("“%(what)s” is due on %(due)s (%(days)s working days left).") % {
                "what": what, "due": due, "days": days}
        elif days == 0:
            subject = _("Due today: %(kind)s") % {"kind": kind.label}
            body = _("“%(what)s” is due today, %(due)s.") % {"what": what, "due": due}
        else:
            subject = _("Overdue: %(kind)s (%(days)s working days)") % {"kind": kind.label, "days": -days}
            body = _("“%(what)s” was due on %(due)s and is not done.") % {"what": what, "due": due}
        notes = []
        if provisional:
            notes.append(provisional_note(reminder.due_on))
        if reminder.stage.startswith("overdue-"):
            notes.append(_("You are told as the next level of responsibility."))
        if told != reminder.audience:
            notes.append(_("Nobody in the audience of this reminder could be reached; you are told in their place."))
        if reminder.late:
            notes.append(_("This reminder comes late: it was due on %(day)s, when the reminders could not be sent.")
                         % {"day": day.isoformat()})
        return subject, " ".join([body, *notes])

    return render


def provisional_note(due: dt.date) -> str:
    """Why a due date may still move: the years without an official schedule it counts through."""
    return _("The due date is provisional: the official holiday schedule for %(year)s is not yet confirmed; "
             "it is recomputed when the coordinator confirms it.") % {"year": due.year}


def deliver(reminder_id: int) -> bool:
    """Send one recorded reminder to its audience — or, if nobody is in it, up the chain —
    once. Returns True if someone was told now. Nobody at all: recorded as undeliverable,
    never as sent."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.state in (Reminder.State.SENT, Reminder.State.UNDELIVERABLE, Reminder.State.MOOT):
            return False
        kind = deadlines.get(reminder.kind)
        item = kind.open_items().filter(pk=reminder.object_id).first()
        reminder.attempts += 1
        reminder.sent_at, reminder.last_error = timezone.now(), ""
        if item is None:  # done in the meantime: nothing to remind of
            reminder.state = Reminder.State.MOOT
        else:
            told, people = reachable(kind, item, reminder.audience)
            render, url = _message(kind, item, reminder, told), kind.url(item)
            for user in people:
                notify(user=user, key=reminder.key, render=render, url=url)
            reminder.delivered_to, reminder.recipients = told, len(people)
            reminder.state = Reminder.State.SENT if people else Reminder.State.UNDELIVERABLE
            if not people:
                logger.warning("Reminder %s (%s) has nobody to tell, not even up the chain", reminder.pk, reminder)
        reminder.save(update_fields=["state", "sent_at", "attempts", "last_error", "delivered_to", "recipients"])
        return reminder.state == Reminder.State.SENT


def record_failure(reminder_id: int, error: str) -> None:
    """After the last retry: keep the reminder visible in admin as failed."""
    Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING).update(
        state=Reminder.State.FAILED, last_error=error[:2000]
    )


def staff_of(department, *roles: Role):
    """Active users of ``department`` holding one of ``roles`` (for ``responsible``)."""
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=StaffProfile.objects.filter(department=department, role__in=roles).values("user"),
    )
