"""The public catalogue of obligations: per department, each with its state (met / due /
late / missing); internal obligations never shown; a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Cadence, Scope
from tests.factories import CatalogueEntryFactory, DisclosureFactory, category

pytestmark = pytest.mark.django_db

URL = "/disclosures/catalogue/"


def page(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_address_is_stable():
    assert reverse("disclosures:catalogue") == URL


def test_each_department_lists_its_public_obligations_with_their_state(
    client, department_a, department_b, publisher_a, reviewer_a, publish
):
    met = CatalogueEntryFactory(department=department_a, title="部門預算", cadence=Cadence.AD_HOC, days_allowed=20)
    disclosure = DisclosureFactory(department=department_a, catalogue_entry=met, formed_on=timezone.localdate())
    publish(disclosure, publisher_a, reviewer_a)
    CatalogueEntryFactory(department=department_a, title="突發事件", cadence=Cadence.AD_HOC)
    CatalogueEntryFactory(department=department_b, title="辦事程序", cadence=Cadence.STANDING)
    CatalogueEntryFactory(department=department_a, title="招待費明細", scope=Scope.INTERNAL, category=category("hospitality"))
    html = page(client)
    assert html.index("甲局") < html.index("部門預算") < html.index("乙局") < html.index("辦事程序")
    assert "招待費明細" not in html
    assert "state-met" in html and "state-none" in html and "state-due" in html
    assert reverse("disclosures:detail", args=[disclosure.pk]) in html  # the notice that met it


def test_a_missing_obligation_is_shown_as_missing(client, department_a):
    entry = CatalogueEntryFactory(department=department_a, title="月度報表", cadence=Cadence.MONTHLY)
    entry.__class__.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert "state-missing" in page(client)


def test_the_page_is_accessible_markup(client, department_a):
    CatalogueEntryFactory(department=department_a)
    html = page(client)
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert html.index("<h1") < html.index("<h2")
    assert "<h3" not in html and "<h4" not in html  # no level skipped


def test_catalogue_queries_do_not_grow_with_entries(client, department_a, publisher_a, reviewer_a, publish, cold_pages):
    from portal.models import Department

    def count():
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.AD_HOC)
    publish(DisclosureFactory(department=department_a, catalogue_entry=entry, formed_on=timezone.localdate()), publisher_a, reviewer_a)
    few = count()
    for n in range(6):
        department = Department.objects.create(code=f"c{n}", name=f"第{n}鎮")
        other = CatalogueEntryFactory(department=department, cadence=Cadence.AD_HOC)
        publish(DisclosureFactory(department=department_a, catalogue_entry=other, formed_on=timezone.localdate()), publisher_a, reviewer_a)
        CatalogueEntryFactory(department=department, cadence=Cadence.MONTHLY)
    assert count() == few
