"""Fixtures of the approvals tests: the service centre and its hall, a window clerk, items."""

import datetime as dt

import pytest
from django.core.cache import cache

from portal.models import Department
from portal.roles import Role
from tests.approvals.factories import ServiceHallFactory, ServiceWindowFactory, establish


@pytest.fixture(autouse=True)
def empty_cache():
    """The tracking throttle counts in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service_centre(db):
    return Department.objects.create(code="service-centre", name="行政服務中心", kind=Department.Kind.SERVICE_CENTRE)


@pytest.fixture
def clerk(make_staff, service_centre):
    """A window clerk: a publisher of the department that runs the hall."""
    return make_staff("clerk", Role.PUBLISHER, service_centre)


@pytest.fixture
def window(service_centre, department_a):
    hall = ServiceHallFactory(name="縣政務服務大廳", department=service_centre)
    return ServiceWindowFactory(hall=hall, number="7", name="政務大廳7號窗口", departments=[department_a])


@pytest.fixture
def item_a(department_a, window):
    """An item of department A, handled at the hall's window 7."""
    return establish(department=department_a, code="A-001", name="道路客運經營許可", window=window, on=dt.date(2010, 1, 1))


@pytest.fixture
def item_b(department_b):
    return establish(department=department_b, code="B-001", name="取水許可", on=dt.date(2010, 1, 1))
