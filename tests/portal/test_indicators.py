"""The indicators registry (portal.indicators): figures per department, for the county, by
month, and the records behind them — against a small data set computed by hand."""

import datetime as dt
import itertools

import pytest

from portal import indicators
from portal.indicators import Figure, Period, Unit
from supervision.models import Complaint, Kind, Satisfaction, Status

pytestmark = pytest.mark.django_db

_codes = itertools.count()


def complaint(department, received_on, status=Status.RECEIVED, on_time=None, satisfaction=""):
    return Complaint.objects.create(
        tracking_code=f"T{next(_codes):08d}", kind=Kind.COMPLAINT, department=department, summary="s", details="d",
        received_on=received_on, due_on=received_on + dt.timedelta(days=21), status=status,
        closed_on_time=on_time, satisfaction=satisfaction,
    )


@pytest.fixture
def data(department_a, department_b):
    """Department A, 2026: 3 closed (2 on time), 1 open; rated: 1 satisfied, 1 not.
    Department B, 2026: 1 closed late. A 2025 complaint of A closed on time counts in 2025 only."""
    complaint(department_a, dt.date(2026, 1, 5), Status.CLOSED, True, Satisfaction.SATISFIED)
    complaint(department_a, dt.date(2026, 1, 20), Status.CLOSED, True)
    complaint(department_a, dt.date(2026, 3, 2), Status.CLOSED, False, Satisfaction.VERY_DISSATISFIED)
    complaint(department_a, dt.date(2026, 3, 9))
    complaint(department_b, dt.date(2026, 2, 2), Status.CLOSED, False)
    complaint(department_a, dt.date(2025, 12, 30), Status.CLOSED, True)
    return department_a, department_b


def test_every_app_registers_its_indicators():
    names = {indicator.name for indicator in indicators.indicators()}
    assert {"supervision.complaints_on_time", "supervision.complaint_satisfaction"} <= names


def test_figures_per_department_and_county(data, django_assert_num_queries):
    a, b = data
    on_time = indicators.get("supervision.complaints_on_time")
    with django_assert_num_queries(1):
        figures = indicators.by_department(on_time, Period.year(2026))
    assert figures == {a.pk: Figure(2, 3), b.pk: Figure(0, 1)}
    assert figures[a.pk].value == 66.7 and figures[b.pk].value == 0.0
    with django_assert_num_queries(1):
        assert indicators.county(on_time, Period.year(2026)) == Figure(2, 4)
    assert indicators.county(on_time, Period.year(2025)).value == 100.0
    satisfied = indicators.get("supervision.complaint_satisfaction")
    assert indicators.by_department(satisfied, Period.year(2026)) == {a.pk: Figure(1, 2)}


def test_nothing_to_judge_is_no_figure_not_zero(data):
    on_time = indicators.get("supervision.complaints_on_time")
    assert indicators.county(on_time, Period.year(2024)) == Figure(0, 0)
    assert indicators.county(on_time, Period.year(2024)).value is None
    assert Figure(3, 0, Unit.COUNT).value == 3.0


def test_month_by_month(data, django_assert_num_queries):
    a, _ = data
    on_time = indicators.get("supervision.complaints_on_time")
    with django_assert_num_queries(1):
        months = indicators.monthly(on_time, Period.year(2026), department=a.pk)
    assert months == [(dt.date(2026, 1, 1), Figure(2, 2)), (dt.date(2026, 3, 1), Figure(0, 1))]


def test_the_records_behind_a_figure(data):
    a, _ = data
    on_time = indicators.get("supervision.complaints_on_time")
    behind = indicators.records(on_time, Period.year(2026), a.pk)
    assert sorted(c.received_on.day for c in behind) == [2, 5, 20]
    counted = indicators.records(on_time, Period.year(2026), a.pk, counted=True)
    assert sorted(c.received_on.day for c in counted) == [5, 20]


def test_indicators_counting_the_same_rows_are_computed_in_one_query(data, django_assert_num_queries):
    """The complaints' on-time rate and satisfaction read the same rows: one pass, each
    indicator's own denominator filtering its counts — the same figures as one by one."""
    on_time = indicators.get("supervision.complaints_on_time")
    satisfied = indicators.get("supervision.complaint_satisfaction")
    period = Period.year(2026)
    with django_assert_num_queries(1):
        together = indicators.grids([on_time, satisfied], period)
    assert together == {on_time.name: indicators.grid(on_time, period), satisfied.name: indicators.grid(satisfied, period)}
    a, b = data
    # B's only complaint was not rated: no satisfaction figure for B at all, not a zero.
    assert {department for department, _month in together[satisfied.name]} == {a.pk}
    with django_assert_num_queries(1):
        assert indicators.grids([on_time, satisfied], period, [b.pk]) == {
            on_time.name: {(b.pk, dt.date(2026, 2, 1)): Figure(0, 1)}, satisfied.name: {}}
