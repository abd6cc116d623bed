"""Issue 16's rules, one by one: the scan catches up a lost day and rolls periodic
obligations forward; nobody to tell is never "sent"; a calendar override moves only the
due dates whose count crosses it, with their reminders; a changed handling time rewrites
nothing; dry runs write nothing. (The whole, with faults, on a real worker:
test_deadline_simulation.py.)"""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from disclosures.models import Cadence, CatalogueEntry
from portal import reminders, services
from portal.models import Event, Notification, Reminder, ReminderRule
from portal.roles import Role
from tests.factories import CatalogueEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]
D = dt.date


@pytest.fixture
def publisher(make_staff, department_a):
    return make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")


def standing_due(department, due_on):
    entry = CatalogueEntryFactory(department=department, cadence=Cadence.STANDING)
    CatalogueEntry.objects.filter(pk=entry.pk).update(next_due_on=due_on)
    return entry


def scan(day):
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders.scan(day, enqueue=lambda ids: [reminders.deliver(pk) for pk in ids])


def test_a_day_without_a_scan_is_caught_up_and_marked_late(publisher, department_a):
    standing_due(department_a, D(2026, 12, 10))  # Thursday
    scan(D(2026, 12, 7))  # Monday: 3 working days left
    # Tuesday and Wednesday: no scan (the broker was down). Thursday's scan covers them.
    scan(D(2026, 12, 10))
    rows = list(Reminder.objects.order_by("for_day").values_list("stage", "for_day", "late", "state"))
    assert rows == [
        ("before-3", D(2026, 12, 7), False, "sent"),
        ("before-1", D(2026, 12, 9), True, "sent"),
        ("due", D(2026, 12, 10), False, "sent"),
    ]
    late = Notification.objects.get(key__endswith="before-1")
    assert "2026-12-09" in late.body  # it says it comes late, and when it was due
    scan(D(2026, 12, 10))  # again: nothing more
    assert Reminder.objects.count() == 3 and len(mail.outbox) == 3


def test_a_monthly_obligation_rolls_forward_without_a_publication(publisher, department_a):
    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.MONTHLY, days_allowed=5)
    CatalogueEntry.objects.filter(pk=entry.pk).update(next_due_on=D(2026, 1, 8))  # January's, as stored
    day = D(2026, 1, 5)
    while day <= D(2026, 3, 13):
        scan(day)
        day += dt.timedelta(days=1)
    due_dates = sorted(set(Reminder.objects.values_list("due_on", flat=True)))
    assert due_dates == [D(2026, 1, 8), D(2026, 2, 6), D(2026, 3, 6)]  # Feb 6: 5 working days after Jan 31
    assert Reminder.objects.filter(due_on=D(2026, 3, 6), stage="overdue-5").exists()
    missed = Event.objects.filter(kind="catalogue.obligation_missed", object_id=str(entry.pk))
    assert list(missed.order_by("pk").values_list("from_state", "to_state")) == [("2026-01-08", "2026-02-06"), ("2026-02-06", "2026-03-06")]


def test_nobody_to_tell_goes_up_the_chain_and_is_never_sent(make_staff, department_a, office):
    standing_due(department_a, D(2026, 12, 10))  # nobody in department A
    scan(D(2026, 12, 7))
    reminder = Reminder.objects.get()
    assert reminder.state == Reminder.State.UNDELIVERABLE and reminder.recipients == 0
    assert list(Reminder.objects.undeliverable()) == [reminder]
    coordinator = make_staff("coord", Role.COORDINATOR, office, email="coord@county.example")
    scan(D(2026, 12, 9))  # the next stage finds the coordinator at the end of the chain
    told = Reminder.objects.get(stage="before-1")
    assert (told.state, told.delivered_to, told.recipients) == ("sent", "coordinator", 1)
    assert "改由您接收" in Notification.objects.get(recipient=coordinator).body  # and says why


def test_send_reminders_dry_run_writes_nothing(publisher, department_a):
    standing_due(department_a, D(2026, 12, 10))
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", now="2026-12-09", stdout=out)
    assert "before-1" in out.getvalue()
    assert not Reminder.objects.exists() and not ReminderRule.objects.exists() and not mail.outbox


def open_complaint(department, *, received_on, due_on):
    from supervision import services as supervision
    from supervision.models import Complaint

    complaint = supervision.complaint_file(kind="complaint", department=department, summary="s", details="d",
                                           identity=None).complaint
    Complaint.objects.filter(pk=complaint.pk).update(received_on=received_on, due_on=due_on, due_provisional=False)
    return complaint


def test_an_override_moves_only_the_due_dates_it_crosses_and_takes_their_reminders(
    publisher, department_a, coordinator
):
    from supervision.models import HandlingTime

    crossing = open_complaint(department_a, received_on=D(2026, 11, 20), due_on=D(2026, 12, 11))
    before_it = open_complaint(department_a, received_on=D(2026, 12, 4), due_on=D(2026, 12, 25))
    after_it = open_complaint(department_a, received_on=D(2026, 11, 2), due_on=D(2026, 11, 30))
    scan(D(2026, 12, 8))  # crossing: 3 working days left
    assert Reminder.objects.filter(object_id=crossing.pk, stage="before-3").exists()
    HandlingTime.objects.update_or_create(kind="complaint", defaults={"working_days": 10})
    services.calendar_day_save(actor=coordinator, date=D(2026, 12, 10), is_working_day=False, name="local")
    for complaint in (crossing, before_it, after_it):
        complaint.refresh_from_db()
    assert crossing.due_on == D(2026, 12, 14)  # one working day later (Dec 12–13 is a weekend)
    assert before_it.due_on == D(2026, 12, 28)  # its count, (Dec 4, Dec 25], crosses Dec 10 too
    assert after_it.due_on == D(2026, 11, 30)  # due before the change: untouched, not recounted with 10 days
    moved = Reminder.objects.get(object_id=crossing.pk)
    assert (moved.stage, moved.due_on) == ("before-3", D(2026, 12, 14))
    assert Event.objects.filter(kind="deadline.moved", object_id=str(crossing.pk), from_state="2026-12-11",
                                to_state="2026-12-14").exists()
    scan(D(2026, 12, 9))  # 3 working days left again under the new date: not reminded twice
    assert Reminder.objects.filter(object_id=crossing.pk, stage="before-3").count() == 1
