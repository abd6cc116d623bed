"""The published decisions' count (審批結果公示) is kept by the database (``DecisionTotal``,
approvals migration 0010), so the results list never counts the applications (issue 15):
whatever happens to an application or its item, the totals equal a fresh count, and the
list shows the count of what its filters leave."""

import datetime as dt

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse

from approvals.models import Application, ApplicationStatus, DecisionTotal
from approvals.totals import count_decision_totals
from tests.approvals.factories import ApplicationFactory, establish

pytestmark = pytest.mark.django_db


def decision(item, status=ApplicationStatus.COMPLETED, decided_on=dt.date(2026, 9, 10)):
    return ApplicationFactory(
        item=item, status=status, decided_on=decided_on, decision="准予許可",
        rejection_reason="材料不全" if status == ApplicationStatus.REJECTED else "",
        completed_on=decided_on if status == ApplicationStatus.COMPLETED else None,
    )


def kept() -> dict:
    return {(t.department_id, t.year, t.rejected): t.count for t in DecisionTotal.objects.all() if t.count}


def counted() -> dict:
    rows = (
        Application.objects.decided()
        .values_list("item__department", ExtractYear("decided_on"), "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals = {}
    for department, year, status, n in rows:
        key = (department, year, status == ApplicationStatus.REJECTED)
        totals[key] = totals.get(key, 0) + n
    return totals


def test_the_totals_follow_every_change_of_an_application_and_of_its_item(item_a, item_b, department_a, department_b):
    """Given decisions granted and rejected in two departments and two years, and one still
    under review: deciding, rejecting, completing, re-dating, moving an application to
    another department's item, deleting it and moving an item to another department each
    leave the totals equal to a count of the decided applications."""
    granted = decision(item_a)
    rejected = decision(item_a, ApplicationStatus.REJECTED, dt.date(2025, 3, 1))
    running = ApplicationFactory(item=item_b, status=ApplicationStatus.UNDER_REVIEW)
    decision(item_b)
    assert kept() == counted() == {
        (department_a.pk, 2026, False): 1, (department_a.pk, 2025, True): 1, (department_b.pk, 2026, False): 1,
    }

    changes = [
        lambda: Application.objects.filter(pk=running.pk).update(status=ApplicationStatus.DECIDED, decided_on=dt.date(2024, 5, 5)),
        lambda: Application.objects.filter(pk=running.pk).update(status=ApplicationStatus.COMPLETED, completed_on=dt.date(2024, 5, 6)),
        lambda: Application.objects.filter(pk=granted.pk).update(status=ApplicationStatus.REJECTED, rejection_reason="材料不全",
                                                                  completed_on=None),
        lambda: Application.objects.filter(pk=rejected.pk).update(decided_on=dt.date(2026, 1, 2)),
        lambda: Application.objects.filter(pk=granted.pk).update(item=item_b),
        lambda: Application.objects.filter(pk=rejected.pk).update(decided_on=None, status=ApplicationStatus.UNDER_REVIEW),
        lambda: Application.objects.get(pk=running.pk).save(),  # every column written, nothing changed
        lambda: Application.objects.filter(pk=running.pk).delete(),
        lambda: type(item_b).objects.filter(pk=item_b.pk).update(department=department_a),
    ]
    for number, change in enumerate(changes):
        change()
        assert kept() == counted(), number
    assert kept() == {(department_a.pk, 2026, False): 1, (department_a.pk, 2026, True): 1}


def test_a_recount_gives_the_totals_the_triggers_keep(item_a, item_b):
    """``count_decision_totals`` (after a bulk load without the triggers) agrees with them."""
    decision(item_a)
    decision(item_b, ApplicationStatus.REJECTED)
    decision(item_b, decided_on=dt.date(2024, 1, 1))
    before = kept()
    DecisionTotal.objects.update(count=99)
    count_decision_totals()
    assert kept() == before == counted()


def test_the_results_list_shows_the_count_of_what_its_filters_leave(client, item_a, item_b, department_a):
    """The count on the results list, for each filter and their combination, is the number
    of rows the filters leave; an unknown department or a bad year counts nothing or all."""
    for item, status, day in [
        (item_a, ApplicationStatus.COMPLETED, dt.date(2026, 9, 10)),
        (item_a, ApplicationStatus.REJECTED, dt.date(2026, 2, 1)),
        (item_a, ApplicationStatus.DECIDED, dt.date(2025, 6, 1)),
        (item_b, ApplicationStatus.COMPLETED, dt.date(2025, 7, 1)),
        (item_b, ApplicationStatus.REJECTED, dt.date(2024, 7, 1)),
    ]:
        decision(item, status, day)
    other = establish(department=department_a, code="A-002", name="道路貨運經營許可")
    decision(other)
    expected = {
        "": 6,
        f"?department={department_a.code}": 4,
        "?year=2025": 2,
        "?outcome=rejected": 2,
        "?outcome=granted": 4,
        f"?department={department_a.code}&year=2026&outcome=granted": 2,
        f"?item={item_a.code}": 3,
        f"?item={item_a.code}&outcome=rejected": 1,
        "?year=abc": 6,
    }
    for query, count in expected.items():
        response = client.get(reverse("approvals:results") + query)
        assert response.status_code == 200, query
        assert response.context["page"].paginator.count == count, query
        assert len(response.context["rows"]) == count, query
