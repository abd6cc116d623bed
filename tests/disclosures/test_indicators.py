"""The disclosures app's indicators (disclosures.indicators) against a small data set
computed by hand: catalogue coverage and publication timeliness."""

import datetime as dt

import pytest
from django.utils import timezone

from disclosures.models import Cadence, CatalogueEntry
from portal import indicators
from portal.calendar import add_working_days
from portal.indicators import Figure, Period
from tests.factories import CatalogueEntryFactory, DisclosureFactory

pytestmark = pytest.mark.django_db


def published(department, on, due, entry=None):
    return DisclosureFactory(department=department, catalogue_entry=entry, first_published_on=on, publication_due_on=due,
                             formed_on=on - dt.timedelta(days=10))


@pytest.fixture
def data(department_a, department_b):
    """A: a standing entry published in 2025, a monthly one published 2026-02-01, a yearly one
    published only in 2025, an ad hoc one; B: a standing entry never published.
    Timeliness 2026: A 2 of 3 on time (one on its very due day), B 0 of 1."""
    standing = CatalogueEntryFactory(department=department_a, cadence=Cadence.STANDING)
    monthly = CatalogueEntryFactory(department=department_a, cadence=Cadence.MONTHLY)
    yearly = CatalogueEntryFactory(department=department_a, cadence=Cadence.YEARLY)
    CatalogueEntryFactory(department=department_a, cadence=Cadence.AD_HOC)
    CatalogueEntryFactory(department=department_b, cadence=Cadence.STANDING)
    CatalogueEntry.objects.update(created_at=timezone.make_aware(dt.datetime(2024, 1, 1)))
    published(department_a, dt.date(2025, 6, 1), dt.date(2025, 6, 5), standing)
    published(department_a, dt.date(2025, 3, 1), dt.date(2025, 3, 1), yearly)
    published(department_a, dt.date(2026, 2, 1), dt.date(2026, 2, 1), monthly)
    published(department_a, dt.date(2026, 3, 10), dt.date(2026, 3, 30))
    published(department_a, dt.date(2026, 4, 20), dt.date(2026, 4, 1))
    published(department_b, dt.date(2026, 5, 5), dt.date(2026, 5, 1))
    DisclosureFactory(department=department_b)  # never published: not judged
    return department_a, department_b


def test_coverage_counts_obligations_met_in_the_period(data, django_assert_num_queries):
    a, b = data
    coverage = indicators.get("disclosures.coverage")
    with django_assert_num_queries(1):
        figures = indicators.by_department(coverage, Period.year(2026))
    assert figures == {a.pk: Figure(2, 3), b.pk: Figure(0, 1)}
    # 2025: the standing and yearly entries were met, the monthly one not.
    assert indicators.by_department(coverage, Period.year(2025))[a.pk] == Figure(2, 3)
    missing = indicators.records(coverage, Period.year(2026), a.pk).exclude(
        pk__in=indicators.records(coverage, Period.year(2026), a.pk, counted=True))
    assert [entry.cadence for entry in missing] == [Cadence.YEARLY]


def test_an_obligation_created_after_the_period_is_not_yet_owed(data):
    a, _ = data
    CatalogueEntryFactory(department=a, cadence=Cadence.STANDING)  # created today, 2026 or later
    coverage = indicators.get("disclosures.coverage")
    assert indicators.by_department(coverage, Period.year(2025))[a.pk] == Figure(2, 3)


def test_timeliness_counts_first_publications_within_the_days_allowed(data):
    a, b = data
    timeliness = indicators.get("disclosures.timeliness")
    assert indicators.by_department(timeliness, Period.year(2026)) == {a.pk: Figure(2, 3), b.pk: Figure(0, 1)}
    assert indicators.monthly(timeliness, Period.year(2026), a.pk) == [
        (dt.date(2026, 2, 1), Figure(1, 1)), (dt.date(2026, 3, 1), Figure(1, 1)), (dt.date(2026, 4, 1), Figure(0, 1)),
    ]


def test_publishing_records_the_day_and_the_day_it_was_due(publish, publisher_a, reviewer_a, department_a):
    entry = CatalogueEntryFactory(department=department_a, days_allowed=5)
    disclosure = DisclosureFactory(department=department_a, catalogue_entry=entry, formed_on=dt.date(2026, 9, 28))
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    assert disclosure.first_published_on == timezone.localdate()
    # Five working days after 28 September 2026 across the National Day holiday.
    assert disclosure.publication_due_on == add_working_days(dt.date(2026, 9, 28), 5).date
    assert disclosure.publication_due_on > dt.date(2026, 10, 5)
