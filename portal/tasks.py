"""Celery tasks of the core: the deadline scan, reminder delivery, imports. Tasks take ids."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from celery import Task, shared_task
from kombu.exceptions import OperationalError as BrokerError

from portal import import_jobs, reminders

logger = logging.getLogger(__name__)


def enqueue_deliveries(reminder_ids: list[int]) -> int:
    """Queue one delivery task per reminder. If the broker is down the reminders stay
    pending in the database and the next scan queues them again; nothing is lost."""
    queued = 0
    for reminder_id in reminder_ids:
        try:
            deliver_reminder.apply_async(args=[reminder_id], retry=False)
        except (BrokerError, OSError) as error:
            logger.warning("Broker unavailable, %d reminders stay pending: %s", len(reminder_ids) - queued, error)
            break
        queued += 1
    return queued


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


@shared_task(name="portal.expire_import_files")
def expire_import_files() -> int:
    """Periodic (beat): delete import files not confirmed within the hour."""
    return import_jobs.import_files_expire()
