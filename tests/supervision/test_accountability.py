"""Accountability (責任追究): measures against a department or a person, each linked to what
caused it; counted for the public without names; and the two oversight indicators computed
against a small data set worked out by hand."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal import indicators
from portal.events import events_for
from portal.indicators import Period
from portal.workflow import TransitionError
from supervision import services as mailbox
from supervision.models import AccountabilityMeasure, Measure, OrderStatus, RectificationOrder, SupervisionKind
from supervision.services import inspections as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(supervisor, department_a):
    inspection = services.inspection_open(actor=supervisor, department=department_a, kind=SupervisionKind.AUDIT,
                                          title="專項資金審計")
    return services.finding_record(actor=supervisor, inspection=inspection, description="補貼名單未公示")


def record(actor, department, **cause):
    return services.accountability_record(actor=actor, measure=Measure.CIRCULATED, department=department,
                                          person=cause.pop("person", "王某(股長)"), reason="未按規定公開",
                                          decided_on=cause.pop("decided_on", dt.date(2026, 10, 9)), **cause)


def test_a_measure_names_its_cause_and_is_an_event(supervisor, department_a, finding):
    measure = record(supervisor, department_a, finding=finding)
    assert (measure.finding, measure.recorded_by) == (finding, supervisor)
    assert [event.kind for event in events_for(measure)] == ["accountability.recorded"]


def test_a_measure_without_a_cause_or_with_another_departments_is_refused(supervisor, department_a, department_b,
                                                                           finding):
    with pytest.raises(TransitionError):
        record(supervisor, department_a)
    with pytest.raises(TransitionError):
        record(supervisor, department_b, finding=finding)
    assert not AccountabilityMeasure.objects.exists()


def test_an_overdue_item_of_any_deadline_kind_may_be_the_cause_and_nothing_else(supervisor, department_a):
    filed = mailbox.complaint_file(kind="complaint", department=department_a, summary="逾期未辦", details="超期",
                                   identity=None)
    measure = record(supervisor, department_a, overdue_item=filed.complaint)
    assert measure.overdue_item == filed.complaint
    with pytest.raises(TransitionError):
        record(supervisor, department_a, overdue_item=department_a)  # a department is no overdue item


def test_only_the_supervision_office_records_measures_and_departments_do_not_see_them(
        supervisor, coordinator, publisher_a, department_a, finding, client_for):
    with pytest.raises(PermissionDenied):
        record(publisher_a, department_a, finding=finding)
    with pytest.raises(PermissionDenied):
        record(coordinator, department_a, finding=finding)
    measure = record(supervisor, department_a, finding=finding)
    url = reverse("admin:supervision_accountabilitymeasure_change", args=[measure.pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(publisher_a).get(url).status_code in (302, 403, 404)


def test_the_admin_add_page_records_through_the_service(client_for, supervisor, department_a, finding):
    client = client_for(supervisor)
    url = reverse("admin:supervision_accountabilitymeasure_add")
    refused = client.post(url, {"measure": "admonition", "department": department_a.pk, "person": "張某",
                                "decided_on": "2026-10-09", "reason": "未公開"})
    assert refused.status_code == 200 and not AccountabilityMeasure.objects.exists()
    done = client.post(url, {"measure": "admonition", "department": department_a.pk, "person": "張某",
                             "decided_on": "2026-10-09", "reason": "未公開", "finding": finding.pk})
    assert done.status_code == 302
    assert AccountabilityMeasure.objects.get().recorded_by == supervisor


def test_the_public_statistics_count_measures_by_kind_and_never_name_anyone(client, supervisor, department_a,
                                                                            finding):
    record(supervisor, department_a, finding=finding, person="趙某某")
    record(supervisor, department_a, finding=finding, person="錢某某")
    page = client.get("/supervision/stats/", {"year": 2026})
    assert page.status_code == 200
    counts = {str(row["measure"]): row["count"] for row in page.context["measures"]}
    assert counts[str(Measure.CIRCULATED.label)] == 2 and sum(counts.values()) == 2
    assert len(counts) == len(Measure)
    text = page.content.decode()
    assert "趙某某" not in text and "錢某某" not in text and "未按規定公開" not in text


# --- the indicators, against figures worked out by hand ---------------------------------------


def _order(department, issuer, *, issued, due, status, reported=None, on_time=None):
    return RectificationOrder.objects.create(
        department=department, requirement="整改", issued_on=issued, issued_by=issuer, working_days=5, due_on=due,
        status=status, response="已整改" if reported else "", reported_on=reported,
        closed_on=reported if status == OrderStatus.CLOSED else None, closed_on_time=on_time,
    )


def test_rectification_orders_on_time_by_hand(supervisor, department_a, department_b, monkeypatch):
    """Department A, 2026: closed on time (1), closed late (2), open past due (3), open not yet
    due (4: not judged), reported late awaiting verification (5), issued in 2025 (6: another
    year). Judged: 1, 2, 3, 5 → on time 1 of 4 = 25.0%. Department B: one closed on time → 100%."""
    import supervision.indicators as module

    today = dt.date(2026, 11, 20)
    monkeypatch.setattr(module.timezone, "localdate", lambda: today)
    s = supervisor
    _order(department_a, s, issued=dt.date(2026, 3, 2), due=dt.date(2026, 3, 9), status=OrderStatus.CLOSED,
           reported=dt.date(2026, 3, 6), on_time=True)
    _order(department_a, s, issued=dt.date(2026, 4, 1), due=dt.date(2026, 4, 8), status=OrderStatus.CLOSED,
           reported=dt.date(2026, 4, 20), on_time=False)
    _order(department_a, s, issued=dt.date(2026, 5, 6), due=dt.date(2026, 5, 13), status=OrderStatus.RECTIFYING)
    _order(department_a, s, issued=dt.date(2026, 11, 16), due=dt.date(2026, 11, 23), status=OrderStatus.ISSUED)
    _order(department_a, s, issued=dt.date(2026, 6, 1), due=dt.date(2026, 6, 8), status=OrderStatus.REPORTED,
           reported=dt.date(2026, 6, 10))
    _order(department_a, s, issued=dt.date(2025, 6, 1), due=dt.date(2025, 6, 8), status=OrderStatus.CLOSED,
           reported=dt.date(2025, 6, 2), on_time=True)
    _order(department_b, s, issued=dt.date(2026, 7, 1), due=dt.date(2026, 7, 8), status=OrderStatus.CLOSED,
           reported=dt.date(2026, 7, 2), on_time=True)
    indicator = indicators.get("supervision.rectification_orders_on_time")
    figures = indicators.by_department(indicator, Period.year(2026))
    assert (figures[department_a.pk].numerator, figures[department_a.pk].denominator) == (1, 4)
    assert figures[department_a.pk].value == 25.0
    assert figures[department_b.pk].value == 100.0
    assert indicators.county(indicator, Period.year(2026)).value == 40.0  # 2 of 5
    behind = indicators.records(indicator, Period.year(2026), department_a.pk)
    assert behind.count() == 4
    assert indicators.records(indicator, Period.year(2026), department_a.pk, counted=True).count() == 1


def test_accountability_measures_counted_by_department_and_year(supervisor, department_a, department_b, finding):
    record(supervisor, department_a, finding=finding, decided_on=dt.date(2026, 1, 5))
    record(supervisor, department_a, finding=finding, decided_on=dt.date(2026, 12, 31))
    record(supervisor, department_a, finding=finding, decided_on=dt.date(2025, 12, 31))
    indicator = indicators.get("supervision.accountability_measures")
    figures = indicators.by_department(indicator, Period.year(2026))
    assert figures[department_a.pk].value == 2.0
    assert department_b.pk not in figures
    assert indicator.higher_is_better is False
    months = indicators.monthly(indicator, Period.year(2026), department_a.pk)
    assert [(month.month, figure.value) for month, figure in months] == [(1, 1.0), (12, 1.0)]
