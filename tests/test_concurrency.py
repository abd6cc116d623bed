"""Real concurrent transactions on PostgreSQL: threads, each with its own database
connection, released together by a barrier, doing what two publishers, two workers or
two citizens do at the same moment. Each test also checks that the threads really
overlapped, so that a pass is never the luck of a serial schedule."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from disclosures import services as disclosure_services
from disclosures.models import Disclosure, Revision
from portal import reminders
from portal.models import Notification, OutgoingEmail, Reminder
from portal.tasks import deliver_reminder, send_email
from portal.roles import Role
from supervision import services as supervision_services
from tests.factories import CatalogueEntryFactory, DepartmentFactory, DisclosureFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def together(work, count=THREADS):
    """Run ``work(i)`` in ``count`` threads released at once. Returns the results in thread
    order and the largest number of threads that were inside ``work`` at the same time."""
    barrier = threading.Barrier(count, timeout=30)
    results, errors = [None] * count, [None] * count
    inside, peak, lock = 0, 0, threading.Lock()

    def run(i):
        nonlocal inside, peak
        try:
            barrier.wait()
            with lock:
                inside += 1
                peak = max(peak, inside)
            try:
                results[i] = work(i)
            finally:
                with lock:
                    inside -= 1
        except BaseException as error:  # reported below, with the thread's number
            errors[i] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    failures = [(i, repr(error)) for i, error in enumerate(errors) if error is not None]
    assert not failures, f"threads failed: {failures}"
    return results, peak


def test_drafts_started_at_once_get_distinct_consecutive_index_numbers(reference_data, department_a):
    """N publishers of one department start a draft of the same year at the same moment:
    N numbers, consecutive, no error."""
    DisclosureFactory(department=department_a)  # the year's first number exists already

    def start_draft(i):
        return DisclosureFactory(department=department_a, title=f"同時起草{i}").index_number

    numbers, peak = together(start_draft)
    assert peak > 1
    assert sorted(numbers) == [f"dept-a-2026-{n:05d}" for n in range(2, THREADS + 2)]
    assert Disclosure.objects.count() == THREADS + 1


def test_concurrent_publications_chain_without_a_fork(reference_data, make_staff):
    """N departments publish at the same moment into the one county-wide chain: a chain
    1…N, each revision naming its true predecessor, and verify_ledger passes."""
    drafts, reviewers = [], []
    for i in range(THREADS):
        department = DepartmentFactory(code=f"dept-{i}")
        publisher = make_staff(f"pub{i}", Role.PUBLISHER, department)
        reviewers.append(make_staff(f"rev{i}", Role.REVIEWER, department))
        drafts.append(DisclosureFactory(department=department))
        disclosure_services.disclosure_submit(actor=publisher, disclosure=drafts[i])
        disclosure_services.disclosure_approve(actor=reviewers[i], disclosure=drafts[i])

    def publish(i):
        return disclosure_services.disclosure_publish(actor=reviewers[i], disclosure=drafts[i]).sequence

    sequences, peak = together(publish)
    assert peak > 1
    assert sorted(sequences) == list(range(1, THREADS + 1))
    chain = list(Revision.objects.order_by("sequence").values_list("previous_hash", "entry_hash"))
    assert len({previous for previous, _ in chain}) == THREADS  # no two revisions share a predecessor
    assert all(chain[i][0] == chain[i - 1][1] for i in range(1, THREADS))
    call_command("verify_ledger")  # raises CommandError on a broken link


def test_complaints_filed_at_once_get_distinct_codes(reference_data, department_a):
    """N citizens file at the same moment, some anonymously: N filings, N distinct codes."""

    def file(i):
        identity = None if i % 2 else supervision_services.Identity(name=f"市民{i}")
        filed = supervision_services.complaint_file(
            kind="complaint", department=department_a, summary=f"同時投訴{i}", details="詳情", identity=identity
        )
        return filed.tracking_code

    codes, peak = together(file)
    assert peak > 1
    assert len(set(codes)) == THREADS
    from supervision.models import Complaint

    assert sorted(Complaint.objects.values_list("tracking_code", flat=True)) == sorted(codes)


@pytest.fixture
def pending_reminder(reference_data, make_staff, department_a):
    make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")
    entry = CatalogueEntryFactory(department=department_a)
    type(entry).objects.filter(pk=entry.pk).update(next_due_on=dt.date(2026, 12, 10))
    reminders.scan(dt.date(2026, 12, 7))
    return Reminder.objects.get()


def test_two_workers_delivering_one_reminder_send_it_once(pending_reminder, tasks_run_here):
    """The same reminder handed to two workers (a scan and a re-queue, or a redelivered
    task) is delivered by one of them; the other finds it sent. The e-mail it queues on
    commit runs in the delivering thread (``tasks_run_here``)."""

    def deliver(i):
        # Celery's "no get() inside a task" flag is global, not per thread, and the other
        # thread may be inside its eager e-mail task right now.
        return deliver_reminder.apply(args=[pending_reminder.pk]).get(disable_sync_subtasks=False)

    results, peak = together(deliver, count=2)
    assert peak == 2
    assert sorted(results) == [False, True]
    pending_reminder.refresh_from_db()
    assert pending_reminder.state == Reminder.State.SENT and pending_reminder.attempts == 1
    assert Notification.objects.count() == 1 and OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT
    assert [m.to for m in mail.outbox] == [["pub@county.example"]]


def test_two_workers_sending_one_email_send_it_once(pending_reminder):
    """The same e-mail handed to two workers (a redelivered task, or the sweep re-queueing a
    slow one) goes out once."""
    reminders.deliver(pending_reminder.pk)  # records the e-mail; with no worker here it waits
    email = OutgoingEmail.objects.get()
    assert email.state == OutgoingEmail.State.PENDING and not mail.outbox

    def send(i):
        return send_email.apply(args=[email.pk]).get()

    results, peak = together(send, count=2)
    assert peak == 2
    assert sorted(results) == [False, True]
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 1)
    assert [m.to for m in mail.outbox] == [["pub@county.example"]]


@pytest.fixture
def open_campaign(reference_data, make_staff, department_a, office):
    from django.contrib.auth import get_user_model

    from portal import services as portal_services
    from supervision.services import campaigns

    coordinator = make_staff("coord", Role.COORDINATOR, office)
    evaluator = get_user_model().objects.create_user("evaluator", password="pw")
    portal_services.user_role_grant(actor=None, user=evaluator, role=Role.EVALUATOR)
    campaign = campaigns.campaign_create(
        actor=coordinator, title="同時評議", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        scale="hundred", departments=[department_a], evaluators=[evaluator], criteria=[("真實性", 1), ("服務", 1)])
    return campaigns.campaign_open(actor=coordinator, campaign=campaign), evaluator, coordinator


@pytest.mark.parametrize("drafted", [False, True], ids=["no draft yet", "from a draft"])
def test_the_same_scorecard_submitted_twice_at_once_is_submitted_once(open_campaign, department_a, drafted):
    """An evaluator's double click, or two tabs: both submit the same card at the same moment
    (with no card yet, or from a saved draft). One submission; the other is refused; one card,
    one submitted event."""
    from portal.models import Event
    from portal.workflow import TransitionError
    from supervision.models import Scorecard
    from supervision.services import campaigns

    campaign, evaluator, _coordinator = open_campaign
    me = campaigns.Evaluator(user=evaluator)
    first, second = campaign.criteria.values_list("pk", flat=True)
    if drafted:
        campaigns.scorecard_save(evaluator=me, campaign=campaign, department=department_a, scores={first: 50})

    def submit(i):
        try:
            card = campaigns.scorecard_submit(evaluator=me, campaign=campaign, department=department_a,
                                              scores={first: 60 + i, second: 80})
            return ("submitted", card.total)
        except TransitionError:
            return ("refused", None)

    outcomes, peak = together(submit, count=2)
    assert peak > 1
    assert sorted(kind for kind, _total in outcomes) == ["refused", "submitted"]
    card = Scorecard.objects.get()
    assert card.status == "submitted" and card.total == next(total for kind, total in outcomes if kind == "submitted")
    assert Event.objects.filter(kind="scorecard.submitted").count() == 1


def test_an_invitation_link_opened_in_two_browsers_at_once_is_used_once(open_campaign):
    """A forwarded link opened at the same moment by its holder and someone else: one gets in."""
    from supervision.services import campaigns

    campaign, _evaluator, coordinator = open_campaign
    _invitation, token = campaigns.invitation_issue(actor=coordinator, campaign=campaign, name="群眾代表", kind="citizen")

    def redeem(i):
        try:
            return campaigns.invitation_redeem(token=token).pk
        except campaigns.InvitationRefused:
            return None

    outcomes, peak = together(redeem, count=4)
    assert peak > 1
    assert sum(outcome is not None for outcome in outcomes) == 1


def test_two_imports_of_one_standard_catalogue_at_once_leave_one_copy(reference_data, make_staff):
    """Two coordinators import the same new workbook at the same moment: each import is all or
    nothing, the catalogue holds each entry once, and the one that lost the race says so
    (or, if it ran after the other, finds everything unchanged) — never an error page."""
    import io

    from disclosures.catalogue_import import standard_catalogue_import
    from disclosures.models import CatalogueEntry
    from tests.disclosures.standard_workbooks import workbook_bytes

    office = DepartmentFactory(code="office", name="政務公開辦公室")
    coordinators = [make_staff(f"coordinator{i}", Role.COORDINATOR, office) for i in range(2)]
    data = workbook_bytes()

    def run(i):
        return standard_catalogue_import(actor=coordinators[i], fileobj=io.BytesIO(data), extension="xlsx",
                                         department=office, name="目錄.xlsx", dry_run=False)

    reports, peak = together(run, count=2)
    assert peak > 1
    assert CatalogueEntry.objects.filter(domain__isnull=False).count() == 4
    assert sorted(len(report.created) for report in reports if report.applied)[-1] == 4
    loser = next(report for report in reports if not report.created or not report.applied)
    with translation.override(settings.LANGUAGE_CODE):  # the threads speak the county's language
        raced = translation.gettext("The catalogue was changed by another import at the same time; nothing was "
                                    "imported. Check the file again.")
    assert (loser.applied and loser.unchanged == 4) or [p.message for p in loser.problems] == [raced]
