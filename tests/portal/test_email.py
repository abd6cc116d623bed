"""E-mail never undoes an action: every e-mail is recorded with the step that causes it and
sent after commit by one task that retries (portal.notify, portal.tasks.send_email); a
mail server that fails leaves the step standing and its page answering, and an admin batch
goes on past a refused item, reporting each."""

import smtplib
import socket

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase
from django.urls import reverse

from portal import notify
from portal.models import Notification, OutgoingEmail
from portal.tasks import requeue_emails, send_email
from supervision import services
from supervision.models import Complaint, Reply, Status
from tests.broker import use_broker, wait_for

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:supervision_complaint_changelist"
ADDRESS = "li@example.com"


class RefusingBackend(BaseEmailBackend):
    """A mail server that drops every connection, as one that is down."""

    calls = 0

    def send_messages(self, messages):
        RefusingBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(BaseEmailBackend):
    """A mail server that answers "try again later" ``failures`` times, then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPResponseException(451, b"4.3.0 Try again later")
        mail.outbox.extend(messages)
        return len(messages)


class UnknownRecipientBackend(BaseEmailBackend):
    """A mail server that refuses the address itself; its error names the address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 <li@example.com>: no such user")})


@pytest.fixture(autouse=True)
def _reset_backends():
    RefusingBackend.calls = FlakyBackend.calls = FlakyBackend.failures = 0


def assigned_complaint(department, supervisor, summary="截留補償款", email=ADDRESS):
    complaint = services.complaint_file(
        kind="report", department=department, summary=summary, details="詳情",
        identity=services.Identity(name="李舉報", phone="13811112222", email=email),
    ).complaint
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department)
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def assigned(department_a, supervisor):
    return assigned_complaint(department_a, supervisor)


def reply_in_admin(client, user, complaints, text="已查實,收費已退還。", language="en"):
    """The reply admin action, as the department's publisher posts it; the e-mails it
    records are queued on commit (captured here: the test's transaction never commits)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse(CHANGELIST),
            {"action": "reply", "_selected_action": [c.pk for c in complaints], "text": text, "index": 0},
            follow=True,
        )


def shown(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_a_mail_server_that_is_down_leaves_the_reply_standing_and_the_email_is_retried(
    client, settings, assigned, publisher_a, tasks_run_here
):
    settings.EMAIL_BACKEND = "tests.portal.test_email.RefusingBackend"
    response = reply_in_admin(client, publisher_a, [assigned])

    assert response.status_code == 200 and ("success", "1 replied.") in shown(response)
    assigned.refresh_from_db()
    assert assigned.status == Status.REPLIED and Reply.objects.get(complaint=assigned).body == "已查實,收費已退還。"
    email = OutgoingEmail.objects.get()
    # The first attempt and all eight retries met the refusing server; then it is shown as failed.
    assert (email.kind, email.object_id, email.state) == ("complaint_replied", assigned.pk, "failed")
    assert email.attempts == RefusingBackend.calls == send_email.max_retries + 1 == 9
    assert email.last_error == "SMTPServerDisconnected" and not mail.outbox


def test_the_email_goes_out_once_the_mail_server_is_back(client, settings, assigned, publisher_a, tasks_run_here):
    settings.EMAIL_BACKEND = "tests.portal.test_email.FlakyBackend"
    FlakyBackend.failures = 2
    reply_in_admin(client, publisher_a, [assigned])
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, FlakyBackend.calls) == ("sent", 3, 3)
    assert [m.to for m in mail.outbox] == [[ADDRESS]] and assigned.tracking_code in mail.outbox[0].body
    assert send_email.apply(args=[email.pk]).get() is False  # a redelivered task sends nothing more
    assert len(mail.outbox) == 1


def test_an_unreachable_mail_server_is_retried_too(client, settings, assigned, publisher_a, tasks_run_here):
    """Django's own SMTP backend, pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    response = reply_in_admin(client, publisher_a, [assigned])

    assert ("success", "1 replied.") in shown(response)
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, email.last_error) == ("failed", 9, "ConnectionRefusedError")


def test_a_batch_goes_on_past_a_refused_complaint_and_reports_each(
    client, settings, department_a, supervisor, publisher_a, tasks_run_here
):
    """Three complaints replied to at once while the mail server is down; the middle one is
    not yet assigned, so the service refuses it. The other two are replied to, and the
    page names the refused one and sums up."""
    settings.EMAIL_BACKEND = "tests.portal.test_email.RefusingBackend"
    first = assigned_complaint(department_a, supervisor, "第一件")
    middle = services.complaint_file(kind="complaint", department=department_a, summary="第二件", details="詳情",
                                     identity=services.Identity(name="王五", email="wang@example.com")).complaint
    services.complaint_accept(actor=supervisor, complaint=middle)
    last = assigned_complaint(department_a, supervisor, "第三件")

    response = reply_in_admin(client, supervisor, [first, middle, last])

    assert response.status_code == 200
    statuses = dict(Complaint.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in (first, middle, last)] == [Status.REPLIED, Status.ACCEPTED, Status.REPLIED]
    assert sorted(Reply.objects.values_list("complaint_id", flat=True)) == sorted([first.pk, last.pk])
    refused = Complaint.objects.get(pk=middle.pk)
    assert shown(response) == [
        ("error", f"{refused}: “{refused}” is Accepted; this step needs it to be Assigned to a department."),
        ("success", "2 replied."),
        ("warning", "2 done, 1 refused."),
    ]
    assert sorted(OutgoingEmail.objects.values_list("object_id", "state")) == sorted(
        [(first.pk, "failed"), (last.pk, "failed")])


def test_the_batch_messages_are_translated(client, department_a, supervisor, tasks_run_here):
    first = assigned_complaint(department_a, supervisor, "第一件")
    middle = services.complaint_file(kind="complaint", department=department_a, summary="第二件", details="詳情",
                                     identity=None).complaint
    response = reply_in_admin(client, supervisor, [first, middle], language="zh-hant")
    assert [level for level, _text in shown(response)] == ["error", "success", "warning"]
    assert shown(response)[2] == ("warning", "已辦理 1 件，未辦理 1 件。")


def test_the_address_is_looked_up_when_sent_and_kept_nowhere(client, settings, assigned, publisher_a, tasks_run_here):
    """The complainant's address is part of a sealed identity: the recorded e-mail names
    only the complaint, and the error kept when the server refuses the address omits it."""
    settings.EMAIL_BACKEND = "tests.portal.test_email.UnknownRecipientBackend"
    reply_in_admin(client, publisher_a, [assigned])
    email = OutgoingEmail.objects.get()
    assert email.state == "failed" and email.last_error == "SMTPRecipientsRefused"
    stored = " ".join(str(value) for value in OutgoingEmail.objects.values().get().values())
    assert "@" not in stored and "李舉報" not in stored


def test_a_reply_to_a_complainant_without_an_address_records_no_email(
    client, department_a, supervisor, publisher_a, tasks_run_here
):
    complaint = assigned_complaint(department_a, supervisor, email="")
    response = reply_in_admin(client, publisher_a, [complaint])
    assert ("success", "1 replied.") in shown(response)
    assert not OutgoingEmail.objects.exists() and not mail.outbox


def test_a_staff_notification_is_emailed_after_commit_only(make_staff, department_a, tasks_run_here):
    from portal.roles import Role

    user = make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        assert notify.notify(user=user, key="k1", render=lambda: ("主旨", "內容"), url="/admin/")
        assert not mail.outbox  # nothing leaves before the step commits
        assert notify.notify(user=user, key="k1", render=lambda: ("主旨", "內容")) is False  # once per key
    assert len(queued) == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["pub@county.example"], "主旨", f"內容\n\n{settings.SITE_URL}/admin/")]  # the link made absolute
    assert Notification.objects.count() == 1 and OutgoingEmail.objects.get().state == "sent"


def test_an_email_whose_recipient_has_no_address_any_more_is_dropped(make_staff, department_a):
    from portal.roles import Role

    user = make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")
    notify.notify(user=user, key="k1", render=lambda: ("主旨", "內容"))
    type(user).objects.filter(pk=user.pk).update(email="")
    email = OutgoingEmail.objects.get()
    assert send_email.apply(args=[email.pk]).get() is False
    email.refresh_from_db()
    assert email.state == "dropped" and not mail.outbox


def test_a_broker_outage_fails_no_reply_and_loses_no_email(
    client, assigned, publisher_a, broker_url, settings
):
    """The broker is down as the reply commits: the page answers, the e-mail waits in the
    database, and the periodic sweep hands it to the workers once the broker is back."""
    from django.utils import timezone

    from portal.celery import app

    use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = reply_in_admin(client, publisher_a, [assigned])
    assert response.status_code == 200 and ("success", "1 replied.") in shown(response)
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == ("pending", 0)

    use_broker(broker_url)
    assert notify.lost_emails() == []  # not yet overdue: a slow queue is no lost task
    later = timezone.now() + notify.REQUEUE_AFTER + notify.REQUEUE_AFTER
    assert notify.lost_emails(later) == [email.pk]
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.next_attempt_at - 2 * notify.REQUEUE_AFTER)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the sweep's tasks run here (``tasks_run_here`` after the outage)
    try:
        assert requeue_emails.apply().get() == 1
    finally:
        app.conf.task_always_eager = eager
    email.refresh_from_db()
    assert email.state == "sent" and [m.to for m in mail.outbox] == [[ADDRESS]]


def test_an_email_waiting_for_its_retry_is_not_queued_again(make_staff, department_a):
    from django.utils import timezone

    from portal.roles import Role

    user = make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")
    notify.notify(user=user, key="k1", render=lambda: ("主旨", "內容"))
    email = OutgoingEmail.objects.get()
    notify.email_postpone(email.pk, smtplib.SMTPServerDisconnected("down"), delay=3600)
    assert notify.lost_emails(timezone.now() + 2 * notify.REQUEUE_AFTER) == []
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (1, "SMTPServerDisconnected")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_an_email_the_mail_server_refused(
    reference_data, client, settings, department_a, supervisor, publisher_a, worker
):
    """Against Redis and a real worker: the reply commits, the worker's first attempt meets
    "try again later", the task is retried after its back-off, and the e-mail goes out once."""
    settings.EMAIL_BACKEND = "tests.portal.test_email.FlakyBackend"
    settings.GONGKAI_EMAIL_RETRY_DELAY = 0.5
    FlakyBackend.failures = 1
    complaint = assigned_complaint(department_a, supervisor)
    client.force_login(publisher_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse(CHANGELIST), {"action": "reply", "_selected_action": [complaint.pk], "text": "已辦結", "index": 0},
        follow=True,
    )
    assert ("success", "1 replied.") in shown(response)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REPLIED
    # The message reaches the backend inside the worker's transaction; the row says so on commit.
    assert wait_for(lambda: OutgoingEmail.objects.filter(state="sent").exists())
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, FlakyBackend.calls) == ("sent", 2, 2)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_the_sweep_is_on_the_beat_schedule():
    from django_celery_beat.models import PeriodicTask

    from portal.celery import app

    # Loaded after migrate (portal.schedule); the task it names is one the worker knows.
    sweep = PeriodicTask.objects.get(task="portal.requeue_emails")
    assert sweep.enabled and sweep.crontab.minute == "7-59/15" and "portal.requeue_emails" in app.tasks


def test_an_email_left_sending_by_a_dead_worker_is_sent_again_only_after_its_lease(make_staff, department_a):
    """The attempt is committed as "sending" before SMTP; a worker killed before it recorded
    the server's acceptance leaves it so. Within the lease nobody sends it (the worker may
    be alive and slow); after it, the sweep hands it out and it is sent — the one duplicate
    SMTP allows, carrying the same Message-ID."""
    from django.utils import timezone

    from portal.roles import Role

    user = make_staff("pub", Role.PUBLISHER, department_a, email=ADDRESS)
    with TestCase.captureOnCommitCallbacks(execute=False):
        notify.notify(user=user, key="k", render=lambda: ("s", "b"), url="/admin/")
    email = OutgoingEmail.objects.get()
    started = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(state="sending", next_attempt_at=started + notify.SENDING_LEASE)
    assert notify.email_send(email.pk) is False and not mail.outbox
    assert notify.lost_emails(started + notify.SENDING_LEASE + notify.REQUEUE_AFTER + notify.REQUEUE_AFTER) == [email.pk]
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=started - notify.SENDING_LEASE)
    assert notify.email_send(email.pk) is True
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"].startswith(f"<outgoing-{email.pk}@")
    assert message.body.endswith(settings.SITE_URL + "/admin/")  # links are absolute
