"""The deadline engine against a real Redis broker and a real Celery worker: tasks are
received and run, each reminder is sent exactly once, and a broker outage loses nothing."""

import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client

from disclosures.models import CatalogueEntry
from portal.celery import app as celery_app
from portal.models import Notification, Reminder
from portal.roles import Role
from portal.tasks import scan_deadlines
from tests.broker import use_broker, wait_for
from tests.factories import CatalogueEntryFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PRIVATE_PORT = 6391


@pytest.fixture
def overdue_obligation(make_staff, department_a, office):
    make_staff("pub", Role.PUBLISHER, department_a, email="pub@county.example")
    make_staff("head", Role.REVIEWER, department_a, email="head@county.example")
    make_staff("sup", Role.SUPERVISOR, office, email="sup@county.example")
    entry = CatalogueEntryFactory(department=department_a)
    CatalogueEntry.objects.filter(pk=entry.pk).update(next_due_on=dt.date(2026, 9, 29))
    return entry


def test_real_worker_sends_each_reminder_once(broker_url, worker, overdue_obligation):
    scan_deadlines.delay("2026-10-12")  # 5 working days overdue: head and supervision
    assert wait_for(lambda: Reminder.objects.filter(state="sent").count() == 2)
    assert wait_for(lambda: len(mail.outbox) == 2)  # the e-mails follow, each its own task
    scan_deadlines.delay("2026-10-12")  # the same scan again, as a second beat would
    scan_deadlines.delay("2026-10-12")
    time.sleep(2)
    assert sorted(Reminder.objects.values_list("stage", "state")) == [("overdue-1", "sent"), ("overdue-5", "sent")]
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["head@county.example", "sup@county.example"]


@pytest.fixture
def private_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed for the outage test")

    class Server:
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(PRIVATE_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
            )
            assert wait_for(lambda: _port_open(PRIVATE_PORT), 10)

        def stop(self):
            self.process.terminate()
            self.process.wait(10)
            assert not _port_open(PRIVATE_PORT)

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def _port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_broker_outage_loses_no_reminder(settings, broker_url, private_redis, overdue_obligation):
    url = f"redis://127.0.0.1:{PRIVATE_PORT}/0"
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.TolerantRedisCache", "LOCATION": url,
                    "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}}
    }
    use_broker(url)
    private_redis.stop()

    # Redis is down: the scan records the reminder and does not fail; the site still serves pages.
    scan_deadlines("2026-09-30")
    reminder = Reminder.objects.get()
    assert reminder.state == Reminder.State.PENDING
    assert Client().get("/").status_code == 200
    assert Client().get("/healthz").status_code == 503

    # Redis is back: the next scan hands the pending reminder to a real worker, which sends it once.
    private_redis.start()
    use_broker(url)
    Reminder.objects.filter(pk=reminder.pk).update(created_at=reminder.created_at - dt.timedelta(hours=1))
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        scan_deadlines.delay("2026-09-30")
        assert wait_for(lambda: Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT)
        assert wait_for(lambda: len(mail.outbox) == 1)
        scan_deadlines.delay("2026-09-30")
        time.sleep(1.5)
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["head@county.example"]]
