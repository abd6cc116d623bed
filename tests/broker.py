"""Pointing the Celery app at a broker, and waiting for a worker, in tests that run a real one."""

import time

from kombu import pools as kombu_pools

from portal.celery import app as celery_app


def use_broker(url):
    """Point the Celery app at ``url`` and drop pooled connections to the old one."""
    celery_app.conf.broker_url = url
    kombu_pools.reset()  # closes and forgets every pooled connection, so new ones use ``url``
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
