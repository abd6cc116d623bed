"""The deadline engine: reminders before, on and after the due date, each exactly once,
counted in working days; failures retried; state visible in admin."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings

from disclosures.models import CatalogueEntry
from portal import reminders
from portal.models import Notification, Reminder, ReminderRule
from portal.roles import Role
from tests.factories import CatalogueEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]


@pytest.fixture
def people(make_staff, department_a, office):
    return {
        "publisher": make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example"),
        "head": make_staff("head", Role.REVIEWER, department_a, email="head@county.example"),
        "supervisor": make_staff("sup", Role.SUPERVISOR, office, email="sup@county.example"),
    }


def obligation_due(department, due_on):
    entry = CatalogueEntryFactory(department=department)
    CatalogueEntry.objects.filter(pk=entry.pk).update(next_due_on=due_on)
    return entry


def run_scan(day):
    """The command, and the e-mail tasks it queues on commit (run here, see ``tasks_run_here``)."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", now=day.isoformat(), stdout=out)
    return out.getvalue()


def stages_sent():
    return list(Reminder.objects.order_by("pk").values_list("stage", "audience", "state"))


def test_reminder_three_working_days_before_reaches_the_publisher_once(people, department_a):
    obligation_due(department_a, dt.date(2026, 12, 10))  # Thursday
    run_scan(dt.date(2026, 12, 7))  # Monday: 3 working days left
    run_scan(dt.date(2026, 12, 7))  # the same scan again sends nothing more
    assert stages_sent() == [("before-3", "responsible", "sent")]
    assert [m.to for m in mail.outbox] == [["pub@county.example"]]
    assert Notification.objects.filter(recipient=people["publisher"]).count() == 1


def test_dry_run_lists_and_sends_nothing(people, department_a):
    obligation_due(department_a, dt.date(2026, 12, 10))
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", now="2026-12-09", stdout=out)
    assert "before-1" in out.getvalue() and "1 reminders due" in out.getvalue()
    assert not Reminder.objects.exists() and not mail.outbox


def test_escalation_ladder_over_a_month_with_national_day(people, department_a):
    """Due 2026-09-29. National Day (Oct 1–7) and the make-up Saturday Oct 10 shift the
    overdue count: 1 working day overdue is Sep 30, 5 working days overdue is Oct 12."""
    obligation_due(department_a, dt.date(2026, 9, 29))
    fired = {}
    day = dt.date(2026, 9, 14)
    while day <= dt.date(2026, 10, 31):
        before = Reminder.objects.count()
        run_scan(day)
        for reminder in Reminder.objects.order_by("pk")[before:]:
            fired[reminder.stage] = (day, reminder.audience)
        day += dt.timedelta(days=1)
    assert fired == {
        "before-3": (dt.date(2026, 9, 23), "responsible"),  # Sep 25 (Fri) is Mid-Autumn: 24, 28, 29 remain
        "before-1": (dt.date(2026, 9, 28), "responsible"),
        "due": (dt.date(2026, 9, 29), "responsible"),
        "overdue-1": (dt.date(2026, 9, 30), "department_head"),
        "overdue-5": (dt.date(2026, 10, 12), "supervision"),
    }
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == sorted(
        [("pub@county.example",)] * 3 + [("head@county.example",), ("sup@county.example",)]
    )


def test_after_an_outage_only_the_nearest_lead_is_sent(people, department_a):
    obligation_due(department_a, dt.date(2026, 12, 10))
    run_scan(dt.date(2026, 12, 9))  # the 3-day scan was missed
    assert [s for s, *_ in stages_sent()] == ["before-1"]


def test_coordinator_rules_change_the_lead_times(people, department_a):
    ReminderRule.objects.update_or_create(kind="catalogue_obligation", defaults={"lead_days": [5]})
    obligation_due(department_a, dt.date(2026, 12, 10))
    run_scan(dt.date(2026, 12, 3))
    assert [s for s, *_ in stages_sent()] == ["before-5"]


class FlakyBackend:
    """An e-mail backend that fails the first time, like a mail server that hiccups."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise OSError("mail server unavailable")
        mail.outbox.extend(messages)
        return len(messages)


@override_settings(EMAIL_BACKEND="tests.portal.test_reminders.FlakyBackend")
def test_a_failing_mail_server_holds_up_no_reminder_and_its_email_is_retried_once(people, department_a):
    from portal.models import OutgoingEmail
    from portal.tasks import deliver_reminder

    FlakyBackend.calls = 0
    obligation_due(department_a, dt.date(2026, 12, 10))
    reminders.scan(dt.date(2026, 12, 7))
    reminder = Reminder.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert deliver_reminder.apply(args=[reminder.pk]).get() is True
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SENT and Notification.objects.count() == 1
    email = OutgoingEmail.objects.get()  # failed once, then sent by the task's retry
    assert (email.state, email.attempts, FlakyBackend.calls) == ("sent", 2, 2)
    assert deliver_reminder.apply(args=[reminder.pk]).get() is False  # a duplicate task
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_exhausted_retries_are_visible_as_failed(people, department_a):
    from portal.tasks import DeliveryTask

    obligation_due(department_a, dt.date(2026, 12, 10))
    reminders.scan(dt.date(2026, 12, 7))
    reminder = Reminder.objects.get()
    DeliveryTask().on_failure(OSError("gave up"), "task-id", [reminder.pk], {}, None)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED and "gave up" in reminder.last_error


def test_reminder_in_the_recipients_language(people, department_a):
    profile = people["publisher"].staff_profile
    profile.language = "en"
    profile.save()
    obligation_due(department_a, dt.date(2026, 12, 10))
    run_scan(dt.date(2026, 12, 7))
    assert mail.outbox[0].subject.startswith("Reminder")


def test_a_closed_item_is_not_reminded(people, department_a):
    """Recorded while open, closed before delivery: the delivery runs and tells nobody."""
    entry = obligation_due(department_a, dt.date(2026, 12, 10))
    reminders.scan(dt.date(2026, 12, 7))
    reminder = Reminder.objects.get(object_id=entry.pk)
    CatalogueEntry.objects.filter(pk=entry.pk).update(active=False)
    run_scan(dt.date(2026, 12, 7))
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == (Reminder.State.MOOT, 1)  # done: nobody to tell, not "sent"
    assert not mail.outbox and not Notification.objects.exists()


def test_unread_notifications_show_in_admin(client, people, department_a):
    obligation_due(department_a, dt.date(2026, 12, 10))
    run_scan(dt.date(2026, 12, 7))
    client.force_login(people["publisher"])
    html = client.get("/admin/").content.decode()
    assert 'class="notification-bell"' in html and "<strong>1</strong>" in html


def test_scan_queries_do_not_grow_with_open_items(people, department_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        obligation_due(department_a, dt.date(2026, 12, 10))
    reminders.plan(dt.date(2026, 12, 7))  # the first scan creates the kind's default rule
    with CaptureQueriesContext(connection) as few:
        reminders.plan(dt.date(2026, 12, 7))
    for _ in range(30):
        obligation_due(department_a, dt.date(2026, 12, 10))
    with CaptureQueriesContext(connection) as many:
        reminders.plan(dt.date(2026, 12, 7))
    assert len(many) == len(few)


def test_confirming_next_years_calendar_recomputes_and_tells_the_responsible(people, department_a, coordinator):
    """A standing obligation created 2026-11-30 with 40 working days runs into 2027: its due
    date is provisional until the coordinator enters the official 2027 schedule."""
    from django.utils import timezone

    from disclosures import compliance
    from disclosures.models import Cadence
    from portal import services
    from portal.models import CalendarDay

    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.STANDING, days_allowed=40)
    created = timezone.make_aware(dt.datetime(2026, 11, 30, 10))
    CatalogueEntry.objects.filter(pk=entry.pk).update(created_at=created)
    compliance.refresh(CatalogueEntry.objects.filter(pk=entry.pk))
    entry.refresh_from_db()
    assert entry.due_provisional and entry.next_due_on == dt.date(2027, 1, 26)
    # The schedule as published (illustrative here): 2027-01-26 becomes a day off.
    CalendarDay.objects.create(date=dt.date(2027, 1, 26), is_working_day=False, name="調休")
    _year, changed = services.calendar_year_confirm(actor=coordinator, year=2027, source="國務院辦公廳通知")
    entry.refresh_from_db()
    assert changed == 1 and not entry.due_provisional
    assert entry.next_due_on == dt.date(2027, 1, 27)
    told = Notification.objects.get(recipient=people["publisher"])
    assert "2027-01-27" in told.body


def test_the_next_due_date_of_a_recurring_obligation_is_reminded_afresh(people, department_a):
    entry = obligation_due(department_a, dt.date(2026, 12, 10))
    run_scan(dt.date(2026, 12, 7))
    CatalogueEntry.objects.filter(pk=entry.pk).update(next_due_on=dt.date(2027, 1, 14))  # next period
    run_scan(dt.date(2027, 1, 11))
    assert list(Reminder.objects.order_by("pk").values_list("stage", "due_on")) == [
        ("before-3", dt.date(2026, 12, 10)), ("before-3", dt.date(2027, 1, 14))]
    assert len(mail.outbox) == 2


def test_a_due_date_on_a_day_off_is_reminded_when_its_working_days_are_counted_not_a_day_late(department_a):
    """A yearly report is due on Saturday 31 January 2026 (a day off). On Tuesday the 27th,
    three working days are left (28, 29, 30): "3 working days left" is due that day, and
    the Monday after is its first overdue working day."""
    from tests.portal.test_deadline_engine import open_complaint

    saturday = open_complaint(department_a, received_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 31))
    stages = lambda day: {(p.stage, p.audience) for p in reminders.plan(day) if p.object_id == saturday.pk}
    assert ("before-3", "responsible") not in stages(dt.date(2026, 1, 26))
    assert ("before-3", "responsible") in stages(dt.date(2026, 1, 27))
    assert ("before-1", "responsible") in stages(dt.date(2026, 1, 29))
    assert ("due", "responsible") in stages(dt.date(2026, 1, 30))
    assert {stage for stage, _to in stages(dt.date(2026, 2, 2))} == {"overdue-1"}
