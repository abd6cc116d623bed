"""Celery tasks of the core: the deadline scan, reminder delivery, imports and every
e-mail the portal sends. Tasks take ids."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError

from portal import import_jobs, notify, reminders

logger = logging.getLogger(__name__)


def _enqueue(task, ids: list[int], what: str) -> int:
    """Queue ``task`` once per id. If the broker is down the rows stay pending in the
    database and the next periodic sweep queues them again; nothing is lost, and the
    step that queued them is not failed for it."""
    queued = 0
    for pk in ids:
        try:
            task.apply_async(args=[pk], retry=False)
        except (BrokerError, OSError) as error:
            logger.warning("Broker unavailable, %d %s stay pending: %s", len(ids) - queued, what, error)
            break
        queued += 1
    return queued


def enqueue_deliveries(reminder_ids: list[int]) -> int:
    return _enqueue(deliver_reminder, reminder_ids, "reminders")


def enqueue_emails(email_ids: list[int]) -> int:
    return _enqueue(send_email, email_ids, "e-mails")


@shared_task(name="portal.scan_deadlines", time_limit=600, soft_time_limit=540)
def scan_deadlines(today: str | None = None) -> int:
    """The periodic scan (Celery beat). ``today`` as ISO date, for tests and operators."""
    day = dt.date.fromisoformat(today) if today else None
    return len(reminders.scan(day, enqueue=enqueue_deliveries))


class DeliveryTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once retries are exhausted: the failure stays visible in admin.
        reminders.record_failure(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    base=DeliveryTask,
    name="portal.deliver_reminder",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def deliver_reminder(reminder_id: int) -> bool:
    return reminders.deliver(reminder_id)


@shared_task(name="portal.run_import", acks_late=True, time_limit=960, soft_time_limit=900)
def run_import(job_id: int) -> None:
    """Check or import an uploaded file (``portal.import_jobs``). Not retried: a run that
    fails leaves nothing imported and says so on the import's page."""
    import_jobs.import_job_run(job_id)


@shared_task(name="portal.reindex_search", acks_late=True, time_limit=120, soft_time_limit=90)
def reindex_search(source_name: str, object_ids: list[int]) -> None:
    """Write the search entries of a publication, amendment or withdrawal
    (``portal.search.indexing.reindex_on_commit``)."""
    from portal.search.indexing import reindex_logged

    reindex_logged(source_name, object_ids)


@shared_task(name="portal.expire_import_files")
def expire_import_files() -> int:
    """Periodic (beat): delete import files not confirmed within the hour."""
    return import_jobs.import_files_expire()


class EmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once retries are exhausted (or on an error no retry can mend).
        notify.email_fail(args[0], exc)


@shared_task(
    bind=True,
    base=EmailTask,
    name="portal.send_email",
    max_retries=8,  # with the doubling delay: about three hours of a mail server's outage
    acks_late=True,
    time_limit=120,
    soft_time_limit=90,
)
def send_email(self, email_id: int) -> bool:
    """Send one ``OutgoingEmail`` (``portal.notify``); while the mail server fails or is
    too slow, try again later, each time waiting twice as long."""
    try:
        return notify.email_send(email_id)
    except (*notify.MAIL_SERVER_ERRORS, SoftTimeLimitExceeded) as error:
        delay = notify.retry_delay(self.request.retries)
        notify.email_postpone(email_id, error, delay)
        raise self.retry(exc=error, countdown=delay)


@shared_task(name="portal.requeue_emails", time_limit=120, soft_time_limit=90)
def requeue_emails() -> int:
    """The periodic sweep (Celery beat): hand e-mails whose task was lost to the workers again."""
    return enqueue_emails(notify.lost_emails())
