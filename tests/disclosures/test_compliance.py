"""Catalogue obligations judged in working days: met, due, late or missing."""

import datetime as dt

import pytest
from django.utils import timezone

from disclosures import compliance
from disclosures.compliance import State
from disclosures.models import Cadence, CatalogueEntry, Revision
from tests.factories import CatalogueEntryFactory, DisclosureFactory

pytestmark = pytest.mark.django_db


def published_on(entry, day, formed_on, publisher, reviewer, publish):
    disclosure = DisclosureFactory(department=entry.department, catalogue_entry=entry, formed_on=formed_on)
    revision = publish(disclosure, publisher, reviewer)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    # Back-date the publication for the test (the trigger forbids it in production).
    from tests.disclosures.test_ledger import tamper

    tamper("UPDATE disclosures_revision SET published_at = %s WHERE id = %s", [moment, revision.pk])
    return Revision.objects.get(pk=revision.pk)


@pytest.fixture
def monthly(department_a):
    return CatalogueEntryFactory(department=department_a, cadence=Cadence.MONTHLY, days_allowed=20)


def judge(entry, today):
    return compliance.evaluate([entry], today=today)[entry.pk]


def test_monthly_obligation_is_due_until_twenty_working_days_after_month_end(monthly):
    # October 2026 ends on a Saturday; 20 working days later is 2026-11-27.
    assert judge(monthly, dt.date(2026, 11, 27)).state == State.DUE
    assert judge(monthly, dt.date(2026, 11, 27)).due_on == dt.date(2026, 11, 27)
    assert judge(monthly, dt.date(2026, 11, 30)).state == State.MISSING


def test_published_in_time_is_met(monthly, publisher_a, reviewer_a, publish):
    published_on(monthly, dt.date(2026, 11, 20), dt.date(2026, 11, 3), publisher_a, reviewer_a, publish)
    result = judge(monthly, dt.date(2026, 11, 30))
    assert result.state == State.MET
    assert result.next_due_on == dt.date(2026, 12, 28)  # November's due date is watched next


def test_published_after_the_due_date_is_late(monthly, publisher_a, reviewer_a, publish):
    published_on(monthly, dt.date(2026, 11, 30), dt.date(2026, 11, 3), publisher_a, reviewer_a, publish)
    assert judge(monthly, dt.date(2026, 11, 30)).state == State.LATE


def test_a_disclosure_formed_before_the_period_does_not_count(monthly, publisher_a, reviewer_a, publish):
    published_on(monthly, dt.date(2026, 9, 15), dt.date(2026, 9, 1), publisher_a, reviewer_a, publish)
    assert judge(monthly, dt.date(2026, 11, 30)).state == State.MISSING


def test_ad_hoc_without_events_is_nothing_due(department_a):
    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.AD_HOC)
    assert judge(entry, dt.date(2026, 11, 30)).state == State.NOTHING_YET


def test_standing_obligation_counts_from_forming(department_a, publisher_a, reviewer_a, publish):
    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.STANDING, days_allowed=5)
    published_on(entry, dt.date(2026, 10, 12), dt.date(2026, 9, 29), publisher_a, reviewer_a, publish)
    # 5 working days from 2026-09-29 across National Day is 2026-10-12 (Oct 10 is a make-up Saturday).
    result = judge(entry, dt.date(2026, 11, 30))
    assert (result.state, result.due_on) == (State.MET, dt.date(2026, 10, 12))


def test_yearly_due_date_in_2027_is_provisional(department_a):
    entry = CatalogueEntryFactory(department=department_a, cadence=Cadence.YEARLY)
    result = judge(entry, dt.date(2027, 1, 5))
    assert result.provisional and result.due_on.year == 2027


def test_refresh_stores_the_next_due_date_for_the_scan(monthly):
    compliance.refresh([monthly], today=dt.date(2026, 11, 30))
    assert CatalogueEntry.objects.get(pk=monthly.pk).next_due_on == dt.date(2026, 11, 27)


def test_evaluation_takes_one_query_for_many_entries(department_a, django_assert_num_queries):
    entries = [CatalogueEntryFactory(department=department_a, cadence=Cadence.MONTHLY) for _ in range(20)]
    alone = compliance.evaluate(entries[:1], today=dt.date(2026, 11, 30))[entries[0].pk]  # warms the calendar too
    from portal.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    calendar.is_working_day(dt.date(2026, 11, 30))
    with django_assert_num_queries(1):
        judged = compliance.evaluate(entries, today=dt.date(2026, 11, 30), calendar=calendar)
    assert set(judged) == {entry.pk for entry in entries}
    assert alone.state == compliance.State.MISSING  # nothing published for October, due on 27 November
    assert all(evaluation == alone for evaluation in judged.values())  # judged in bulk as one at a time


def test_publishing_moves_the_obligation_to_its_next_due_date(monthly, publisher_a, reviewer_a, publish):
    compliance.refresh([monthly])
    before = CatalogueEntry.objects.get(pk=monthly.pk).next_due_on
    disclosure = DisclosureFactory(department=monthly.department, catalogue_entry=monthly, formed_on=timezone.localdate())
    publish(disclosure, publisher_a, reviewer_a)
    after = CatalogueEntry.objects.get(pk=monthly.pk).next_due_on
    assert after is not None and before is not None and after > before
