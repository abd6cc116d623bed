"""The approvals app's indicators (approvals.indicators) against a small data set computed by
hand: applications decided on time, ratings that are not bad reviews, bad-rating
rectification cases closed on time."""

import datetime as dt

import pytest
from django.utils import timezone

from approvals.models import ApplicationStatus, Rating, RectificationCase, RectificationStatus
from portal import indicators
from portal.indicators import Figure, Period
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def decided(item, on, due, level=None):
    application = ApplicationFactory(item=item, received_on=due - dt.timedelta(days=14), due_on=due,
                                     status=ApplicationStatus.COMPLETED, decided_on=on, completed_on=on)
    if level is not None:
        rating = Rating.objects.create(application=application, level=level)
        Rating.objects.filter(pk=rating.pk).update(created_at=timezone.make_aware(dt.datetime(on.year, on.month, 20)))
        return rating
    return application


def case(rating, opened, due, closed=None):
    return RectificationCase.objects.create(
        rating=rating, department=rating.application.item.department, item=rating.application.item, opened_on=opened,
        working_days=5, due_on=due, status=RectificationStatus.CLOSED if closed else RectificationStatus.OPEN,
        outcome="已整改" if closed else "", closed_on=closed,
    )


@pytest.fixture
def data(item_a, item_b):
    """A: decided 2026-03-01 (due 03-05, rated 5), decided 2026-03-10 (due 03-05, rated 1 →
    a case closed on time), one still running. B: decided on its due day 2026-06-01, rated 2 →
    a case past its due date and still open; and an open case not yet due."""
    decided(item_a, dt.date(2026, 3, 1), dt.date(2026, 3, 5), level=5)
    bad_a = decided(item_a, dt.date(2026, 3, 10), dt.date(2026, 3, 5), level=1)
    ApplicationFactory(item=item_a, received_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 20))
    bad_b = decided(item_b, dt.date(2026, 6, 1), dt.date(2026, 6, 1), level=2)
    case(bad_a, dt.date(2026, 3, 11), dt.date(2026, 3, 30), closed=dt.date(2026, 3, 25))
    case(bad_b, dt.date(2026, 6, 2), dt.date(2026, 6, 10))
    later = decided(item_b, dt.date(2026, 6, 3), dt.date(2026, 6, 3), level=1)
    case(later, timezone.localdate(), timezone.localdate() + dt.timedelta(days=7))
    return item_a.department, item_b.department


def test_applications_decided_on_time(data):
    a, b = data
    on_time = indicators.get("approvals.applications_on_time")
    assert indicators.by_department(on_time, Period.year(2026)) == {a.pk: Figure(1, 2), b.pk: Figure(2, 2)}


def test_ratings_without_complaint(data):
    a, b = data
    good = indicators.get("approvals.good_ratings")
    assert indicators.by_department(good, Period.year(2026)) == {a.pk: Figure(1, 2), b.pk: Figure(0, 2)}
    assert indicators.monthly(good, Period.year(2026), a.pk) == [(dt.date(2026, 3, 1), Figure(1, 2))]


def test_rectifications_closed_on_time_judge_only_closed_or_overdue_cases(data):
    a, b = data
    on_time = indicators.get("approvals.rectifications_on_time")
    # B's case opened today is still within its time: not judged.
    assert indicators.by_department(on_time, Period.year(2026)) == {a.pk: Figure(1, 1), b.pk: Figure(0, 1)}


def test_a_rating_stays_with_the_department_that_ran_the_item_when_it_was_rated(data, item_a, item_b):
    """The rating keeps its department (as a rectification case does): an item moved to
    another department later does not carry its past ratings along."""
    a, b = data
    assert set(Rating.objects.filter(application__item=item_a).values_list("department", flat=True)) == {a.pk}
    type(item_a).objects.filter(pk=item_a.pk).update(department=b)
    good = indicators.get("approvals.good_ratings")
    assert indicators.by_department(good, Period.year(2026)) == {a.pk: Figure(1, 2), b.pk: Figure(0, 2)}
    moved = decided(type(item_a).objects.get(pk=item_a.pk), dt.date(2026, 7, 1), dt.date(2026, 7, 1), level=5)
    assert moved.department_id == b.pk


def test_a_rating_counts_in_the_year_of_its_day_in_the_county_s_time(item_a):
    """Ratings are placed by the day they were given, in the county's time zone (compared as
    moments, so that the index on the moment serves): 23:30 on New Year's Eve is the old year."""
    a = item_a.department
    late = decided(item_a, dt.date(2026, 12, 30), dt.date(2026, 12, 31), level=5)
    early = decided(item_a, dt.date(2026, 12, 30), dt.date(2026, 12, 31), level=1)
    Rating.objects.filter(pk=late.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 12, 31, 23, 30)))
    Rating.objects.filter(pk=early.pk).update(created_at=timezone.make_aware(dt.datetime(2027, 1, 1, 0, 10)))
    good = indicators.get("approvals.good_ratings")
    assert indicators.by_department(good, Period.year(2026)) == {a.pk: Figure(1, 1)}
    assert indicators.by_department(good, Period.year(2027)) == {a.pk: Figure(0, 1)}
    assert indicators.grid(good, Period.year(2026)) == {(a.pk, dt.date(2026, 12, 1)): Figure(1, 1)}
