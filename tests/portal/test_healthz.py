"""/healthz reports whether the database and the Celery broker answer (DESIGN §5)."""

import time

import pytest

from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_broker():
    """Point Celery at a port where no broker listens; restore the configured one after."""
    configured = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_BROKER
    yield
    celery_app.conf.broker_url = configured


def test_healthz_is_ok_when_database_and_configured_broker_answer(client, settings):
    """Given the configured broker (filesystem locally, Redis in CI), /healthz is 200 and all ok."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_and_names_the_broker_when_the_broker_is_down(client, dead_broker):
    """Given a broker that refuses connections, /healthz answers 503 'broker down' within seconds."""
    started = time.monotonic()

    response = client.get("/healthz")

    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down"}
    assert elapsed < 5, f"health check took {elapsed:.1f}s"


def test_healthz_reports_the_broker_ok_again_once_it_is_back(client, settings, dead_broker):
    """Given a broker outage seen by /healthz, when the broker is back, /healthz is 200 again."""
    assert client.get("/healthz").status_code == 503

    celery_app.conf.broker_url = settings.CELERY_BROKER_URL

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
