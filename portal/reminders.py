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
from portal.models import Reminder, ReminderRule, StaffProfile
from portal.notify import notify
from portal.roles import Role

logger = logging.getLogger(__name__)

#: Escalations are sent for items at most this many working days past their threshold;
#: older items are the dashboards' business, not the daily scan's.
ESCALATION_WINDOW = 20
#: A pending reminder older than this is handed to the workers again (broker outage).
REQUEUE_AFTER = dt.timedelta(minutes=5)

RESPONSIBLE, DEPARTMENT_HEAD, SUPERVISION = "responsible", "department_head", "supervision"


@dataclass(frozen=True)
class Stage:
    name: str
    audience: str


def rule_for(kind_name: str) -> ReminderRule:
    rule, _created = ReminderRule.objects.get_or_create(kind=kind_name)
    return rule


def stages_for(rule: ReminderRule, working_days_to_due: int) -> list[Stage]:
    """The stages an item has reached when ``working_days_to_due`` (negative: overdue) remain.

    Before the due date only the nearest lead time applies (after an outage nobody needs
    the 3-day and the 1-day reminder at once); from the due date on, every escalation
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


def plan(today: dt.date, calendar: WorkingCalendar | None = None) -> list[Planned]:
    """Every reminder that is due today and not yet recorded. Records no reminder; the one
    write is ``rule_for`` creating a kind's ``ReminderRule`` with the defaults the first
    time that kind is planned (so ``send_reminders --dry-run`` may create rules)."""
    calendar = calendar or WorkingCalendar()
    planned: list[Planned] = []
    for kind in deadlines.kinds():
        rule = rule_for(kind.name)
        if not rule.active:
            continue
        longest_lead = max(rule.lead_days, default=0)
        longest_escalation = max((int(step["after"]) for step in rule.escalations), default=0)
        earliest = calendar.subtract_working_days(today, longest_escalation + ESCALATION_WINDOW)
        latest = calendar.add_working_days(today, longest_lead).date
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
            # complaint's new deadline, is reminded afresh.
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


def scan(today: dt.date | None = None, *, enqueue=None) -> list[Planned]:
    """Record today's reminders and hand new and stale pending ones to ``enqueue``
    (after the transaction commits). Returns what this scan planned."""
    today = today or timezone.localdate()
    started = timezone.now()
    with transaction.atomic():
        planned = plan(today)
        _record(planned)
        if enqueue is not None:
            # This scan's rows, and rows left pending by an earlier outage. Handing a row to
            # two workers is harmless: delivery locks it and sends once.
            pending = Reminder.objects.filter(state=Reminder.State.PENDING).filter(
                Q(created_at__gte=started) | Q(created_at__lt=started - REQUEUE_AFTER)
            )
            ids = list(pending.order_by("pk").values_list("pk", flat=True))
            transaction.on_commit(lambda: enqueue(ids))
    return planned


def _record(planned: list[Planned]) -> None:
    """Insert a pending ``Reminder`` row per planned reminder, in order; a row a concurrent
    scan recorded first is skipped (it sends, we don't)."""
    if not planned:
        return
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [
                Reminder(kind=p.kind, object_id=p.object_id, stage=p.stage, audience=p.audience, due_on=p.due_on)
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
                (kind, object_id, stage, audience, due_on, state, attempts, last_error, created_at)
            SELECT r.kind, r.object_id, r.stage, r.audience, r.due_on, %s, 0, '', %s
            FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[], %s::varchar[], %s::date[])
                WITH ORDINALITY AS r (kind, object_id, stage, audience, due_on, position)
            ORDER BY r.position
            ON CONFLICT DO NOTHING
            """,
            [
                Reminder.State.PENDING.value,
                timezone.now(),
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


def _recipients(kind, item, audience: str):
    User = get_user_model()
    if audience == RESPONSIBLE:
        return list(kind.responsible(item))
    if audience == DEPARTMENT_HEAD:
        department = kind.department(item)
        return list(
            User.objects.filter(
                is_active=True, staff_profile__department=department, staff_profile__role=Role.REVIEWER
            )
        )
    if audience == SUPERVISION:
        return list(User.objects.filter(is_active=True, staff_profile__role=Role.SUPERVISOR))
    raise ValueError(f"unknown audience {audience!r}")


def _message(kind, item, reminder: Reminder):
    def render():
        what = kind.describe(item)
        due = reminder.due_on.isoformat()
        if reminder.stage.startswith("before-"):
            return (
                _("Reminder: %(kind)s due on %(due)s") % {"kind": kind.label, "due": due},
                _("“%(what)s” is due on %(due)s (%(days)s working days left).")
                % {"what": what, "due": due, "days": reminder.stage.split("-")[1]},
            )
        if reminder.stage == "due":
            return (
                _("Due today: %(kind)s") % {"kind": kind.label},
                _("“%(what)s” is due today, %(due)s.") % {"what": what, "due": due},
            )
        return (
            _("Overdue: %(kind)s (%(days)s working days)") % {"kind": kind.label, "days": reminder.stage.split("-")[1]},
            _("“%(what)s” was due on %(due)s and is not done. You are told as the next level of responsibility.")
            % {"what": what, "due": due},
        )

    return render


def deliver(reminder_id: int) -> bool:
    """Send one recorded reminder to its audience, once. Returns True if it was sent now."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.state == Reminder.State.SENT:
            return False
        kind = deadlines.get(reminder.kind)
        item = kind.open_items().filter(pk=reminder.object_id).first()
        reminder.attempts += 1
        if item is not None:  # closed in the meantime: nothing to remind of
            render, url = _message(kind, item, reminder), kind.url(item)
            for user in _recipients(kind, item, reminder.audience):
                notify(user=user, key=reminder.key, render=render, url=url)
        reminder.state, reminder.sent_at, reminder.last_error = Reminder.State.SENT, timezone.now(), ""
        reminder.save(update_fields=["state", "sent_at", "attempts", "last_error"])
        return True


def record_failure(reminder_id: int, error: str) -> None:
    """After the last retry: keep the reminder visible in admin as failed."""
    Reminder.objects.filter(pk=reminder_id).exclude(state=Reminder.State.SENT).update(
        state=Reminder.State.FAILED, last_error=error[:2000]
    )


def staff_of(department, *roles: Role):
    """Active users of ``department`` holding one of ``roles`` (for ``responsible``)."""
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=StaffProfile.objects.filter(department=department, role__in=roles).values("user"),
    )
