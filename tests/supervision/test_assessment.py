"""The annual assessment (supervision.assessment): weighted marks, ties, indicators of any
unit read from the registry, freezing a year, the weights, the pages and the export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from openpyxl import load_workbook

from portal import indicators
from portal.events import Event
from portal.indicators import Indicator, Unit
from portal.models import Department
from supervision import assessment
from supervision.models import AssessmentWeight, Complaint, Status
from tests.supervision.oversight_data import complaint, complaints_2026

pytestmark = pytest.mark.django_db

COMPLAINTS = ("supervision.complaints_on_time", "supervision.complaint_satisfaction")


def only(**weights):
    """Every registered indicator weighted 0 but those named (dots as double underscores)."""
    chosen = {name.replace("__", "."): weight for name, weight in weights.items()}
    for indicator in indicators.indicators():
        AssessmentWeight.objects.update_or_create(indicator=indicator.name, defaults={"weight": chosen.get(indicator.name, 0)})


def row_of(result, department):
    return next(row for row in result.rows if row["department"]["pk"] == department.pk)


def test_the_score_is_the_weighted_mean_of_the_marks(department_a, department_b, office, django_assert_max_num_queries):
    complaints_2026(department_a, department_b)
    only(supervision__complaints_on_time=3, supervision__complaint_satisfaction=1)
    with django_assert_max_num_queries(2 + len(indicators.indicators())):
        result = assessment.compute(2026)
    # A: on time 66.7, satisfied 50 → (3 × 66.7 + 50) / 4; B: on time 0, not rated.
    assert row_of(result, department_a)["score"] == 62.5
    assert row_of(result, department_b)["score"] == 0.0
    assert row_of(result, office)["score"] is None and row_of(result, office)["rank"] is None
    assert [row["department"]["code"] for row in result.rows] == ["dept-a", "dept-b", "office"]
    assert [row["rank"] for row in result.rows] == [1, 2, None]


def test_equal_scores_share_a_rank_and_the_next_is_skipped(department_a, department_b, office):
    c = Department.objects.create(code="dept-c", name="丙局")
    for department in (department_a, department_b):
        complaint(department, dt.date(2026, 5, 1), Status.CLOSED, True)
    complaint(c, dt.date(2026, 5, 1), Status.CLOSED, True)
    complaint(c, dt.date(2026, 5, 2), Status.CLOSED, False)
    complaint(office, dt.date(2026, 5, 2), Status.CLOSED, False)
    only(supervision__complaints_on_time=1)
    result = assessment.compute(2026)
    assert [(row["department"]["code"], row["rank"]) for row in result.rows] == [
        ("dept-a", 1), ("dept-b", 1), ("dept-c", 3), ("office", 4)]


@pytest.fixture
def received_count():
    """An indicator of another unit, registered as any app would: complaints received, fewer better."""
    indicator = Indicator(
        name="test.received", label="received", rows=lambda: Complaint.objects.all(), department="department_id",
        date="received_on", numerator=Q(pk__isnull=False), unit=Unit.COUNT, higher_is_better=False, order=999,
    )
    indicators.register(indicator)
    yield indicator
    indicators.unregister(indicator.name)


def test_a_count_is_marked_against_the_other_departments(department_a, department_b, office, received_count):
    complaints_2026(department_a, department_b)  # A 4 received, B 1
    complaint(office, dt.date(2026, 7, 1))
    complaint(office, dt.date(2026, 7, 2))  # office 2
    only(test__received=1)
    result = assessment.compute(2026)
    marks = {row["department"]["code"]: row["cells"][-1]["mark"] for row in result.rows}
    assert marks == {"dept-a": 0.0, "dept-b": 100.0, "office": 66.7}
    assert result.columns[-1]["name"] == "test.received"


def test_a_frozen_year_does_not_move(department_a, department_b, supervisor, publisher_a):
    complaints_2026(department_a, department_b)
    only(supervision__complaints_on_time=1)
    with pytest.raises(PermissionDenied):
        assessment.assessment_freeze(actor=publisher_a, year=2026)
    snapshot = assessment.assessment_freeze(actor=supervisor, year=2026)
    assert Event.objects.filter(kind="assessment.frozen", object_id=str(snapshot.pk)).exists()
    complaint(department_b, dt.date(2026, 8, 1), Status.CLOSED, True)
    only(supervision__complaint_satisfaction=1)
    assert row_of(assessment.current(2026), department_b)["score"] == 0.0
    assert assessment.current(2026).frozen
    assert row_of(assessment.compute(2026), department_b)["score"] is None  # satisfaction only: B not rated
    with pytest.raises(ValueError, match="2026"):  # already frozen
        assessment.assessment_freeze(actor=supervisor, year=2026)


def test_weights_are_checked_and_recorded(supervisor, publisher_a):
    with pytest.raises(PermissionDenied):
        assessment.assessment_weights_save(actor=publisher_a, weights={COMPLAINTS[0]: 5})
    with pytest.raises(ValueError):
        assessment.assessment_weights_save(actor=supervisor, weights={"no.such": 5})
    with pytest.raises(ValueError):
        assessment.assessment_weights_save(actor=supervisor, weights={COMPLAINTS[0]: 101})
    assessment.assessment_weights_save(actor=supervisor, weights={COMPLAINTS[0]: 30})
    assert assessment.weights()[COMPLAINTS[0]] == 30
    assert assessment.weights()[COMPLAINTS[1]] == 10  # the default
    assert Event.objects.filter(kind="assessment.weights_changed").count() == 1


def test_the_assessment_page_sets_weights_freezes_and_exports(client_for, supervisor, department_a, department_b):
    complaints_2026(department_a, department_b)
    client = client_for(supervisor)
    page = client.get("/supervision/assessment/?year=2026")
    assert page.status_code == 200
    assert "/supervision/dashboard/records/?indicator=supervision.complaints_on_time&amp;department=dept-a&amp;year=2026" in page.content.decode()
    form = {f"weight-{i.name}": "0" for i in indicators.indicators()}
    form.update({"action": "weights", "year": "2026", "weight-supervision.complaints_on_time": "5"})
    assert client.post("/supervision/assessment/", form).status_code == 302
    assert assessment.weights()["supervision.complaints_on_time"] == 5
    form["weight-supervision.complaints_on_time"] = "abc"
    client.post("/supervision/assessment/", form)
    assert assessment.weights()["supervision.complaints_on_time"] == 5
    workbook = load_workbook(io.BytesIO(client.get("/supervision/assessment/?year=2026&format=xlsx").content))
    rows = list(workbook.active.values)
    assert rows[1][:4] == (1, "dept-a", "甲局", 66.7)
    assert client.get("/supervision/assessment/results/?year=2026").status_code == 200
    assert "甲局" not in client.get("/supervision/assessment/results/?year=2026").content.decode()
    client.post("/supervision/assessment/", {"action": "freeze", "year": "2026"})
    public = client.get("/supervision/assessment/results/").content.decode()
    assert "甲局" in public and "66.7%" in public
