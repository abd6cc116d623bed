"""Fixtures for the roles (DESIGN §1) and the services tests depend on."""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from portal import services
from portal.models import Department
from portal.roles import Role

REQUIRE_SERVICES = os.environ.get("GONGKAI_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres/redis are skipped only when the service is not configured.

    In CI (GONGKAI_REQUIRE_SERVICES=1) nothing is skipped: a missing service fails the run.
    """
    if REQUIRE_SERVICES:
        return
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    missing = {"postgres": not on_postgres, "redis": not settings.REDIS_URL}
    for item in items:
        for marker, absent in missing.items():
            if absent and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=f"needs {marker}; set DATABASE_URL / REDIS_URL"))


def pytest_terminal_summary(terminalreporter, config):
    """pytest-randomly shuffles the tests (requirements-dev.txt) and names its seed in the
    header; say it again at the end, where a failure is read, so the order can be replayed."""
    if config.pluginmanager.hasplugin("randomly"):
        seed = config.getoption("randomly_seed")
        terminalreporter.write_line(f"Tests ran in random order; replay it with -p randomly --randomly-seed={seed}")


@pytest.fixture
def department_a(db):
    return Department.objects.create(code="dept-a", name="甲局", kind=Department.Kind.BUREAU)


@pytest.fixture
def department_b(db):
    return Department.objects.create(code="dept-b", name="乙局", kind=Department.Kind.BUREAU)


@pytest.fixture
def office(db):
    return Department.objects.create(code="office", name="政務公開辦公室", kind=Department.Kind.OFFICE)


@pytest.fixture
def make_staff(db):
    def make(username, role, department, **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
        services.staff_profile_save(actor=None, user=user, department=department, role=role)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def publisher_a(make_staff, department_a):
    return make_staff("publisher_a", Role.PUBLISHER, department_a)


@pytest.fixture
def publisher_b(make_staff, department_b):
    return make_staff("publisher_b", Role.PUBLISHER, department_b)


@pytest.fixture
def reviewer_a(make_staff, department_a):
    return make_staff("reviewer_a", Role.REVIEWER, department_a)


@pytest.fixture
def coordinator(make_staff, office):
    return make_staff("coordinator", Role.COORDINATOR, office)


@pytest.fixture
def supervisor(make_staff, office):
    return make_staff("supervisor", Role.SUPERVISOR, office)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-root")


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def publish(db):
    """Take a disclosure through submit → approve → publish with the given actors."""
    from disclosures import services

    def run(disclosure, submitter, reviewer, publisher=None):
        services.disclosure_submit(actor=submitter, disclosure=disclosure)
        services.disclosure_approve(actor=reviewer, disclosure=disclosure)
        return services.disclosure_publish(actor=publisher or reviewer, disclosure=disclosure)

    return run


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages never leak from one test into another."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _county_language():
    """Each test starts in the county's language, as a new process would: a test-client
    request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), so one test reading a page in English would otherwise make
    the messages of the next one English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def cold_pages():
    """Every request renders its page in full: the page cache (portal.page_cache) is
    invalidated as each request starts. For tests that count a view's queries while
    changing data directly, without the services' invalidation (which only runs on
    commit); tests/portal/test_page_cache.py proves the cache itself."""
    from django.core.signals import request_started

    from portal import page_cache

    def invalidate(**kwargs):
        page_cache.invalidate()

    request_started.connect(invalidate, dispatch_uid="tests-cold-pages")
    yield
    request_started.disconnect(dispatch_uid="tests-cold-pages")


@pytest.fixture
def reference_data(transactional_db):
    """The rows migrations seed (categories, handling times; groups and permissions come
    back with post_migrate), for transactional tests that run after a flush removed them."""
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate restores groups
    for module in ("disclosures.migrations.0002_seed_categories", "disclosures.migrations.0015_seed_domains_and_carriers",
                   "disclosures.migrations.0022_seed_open_government_categories",
                   "supervision.migrations.0002_default_handling_times",
                   "supervision.migrations.0005_default_checklist_template"):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def tasks_run_here():
    """Celery tasks queued during the test run at once in this process (Celery's eager mode,
    retries included, without their waits), so that a test sees what a worker would do.
    Tests against a real worker and broker: tests/portal/test_reminders_broker.py and
    tests/portal/test_email.py. Pair with ``django_capture_on_commit_callbacks`` where the
    test's transaction never commits (the tasks are queued on commit)."""
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def broker_url(settings):
    """The configured broker (Redis with REDIS_URL); the Celery app is pointed back at it after."""
    from portal.celery import app
    from tests.broker import use_broker

    original = app.conf.broker_url
    yield settings.CELERY_BROKER_URL
    use_broker(original)


@pytest.fixture
def worker(broker_url):
    """A real Celery worker in a thread of this process, on the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running
