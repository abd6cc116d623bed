"""The compliance dashboard (/supervision/dashboard/): who may see it, what it shows, its
drill-downs to records and overdue items, exports, and a fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal import deadlines, indicators
from portal.models import Department
from tests.supervision.oversight_data import complaint, complaints_2026

pytestmark = pytest.mark.django_db

PAGES = ["/supervision/dashboard/", "/supervision/dashboard/departments/dept-a/",
         "/supervision/dashboard/records/?indicator=supervision.complaints_on_time&department=dept-a&year=2026",
         "/supervision/dashboard/overdue/?kind=complaint", "/supervision/assessment/"]


@pytest.mark.parametrize("url", PAGES)
def test_only_supervisors_and_the_coordinator_see_it(client, url, department_a, supervisor, coordinator, publisher_a):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    client.force_login(publisher_a)
    assert client.get(url).status_code == 403
    for user in (supervisor, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_overdue_items_of_every_kind_per_department(client_for, supervisor, department_a, department_b):
    complaints_2026(department_a, department_b)
    page = client_for(supervisor).get("/supervision/dashboard/?year=2026")
    html = page.content.decode()
    for kind in deadlines.kinds():
        assert str(kind.label) in html
    board = page.context["board"]
    complaint_kind = [o.kind.name for o in board.overdue].index("complaint")
    row_a = next(row for row in board.rows if row.department["code"] == "dept-a")
    assert row_a.overdue[complaint_kind] == 1
    assert "/supervision/dashboard/overdue/?kind=complaint&amp;department=dept-a" in html


def test_a_department_drill_down_shows_its_overdue_items_and_records(client_for, supervisor, department_a, department_b):
    complaints_2026(department_a, department_b)
    client = client_for(supervisor)
    page = client.get("/supervision/dashboard/departments/dept-a/?year=2026").content.decode()
    assert "路燈不亮" in page and "2026-04-08" in page
    listed = client.get("/supervision/dashboard/overdue/?kind=complaint&department=dept-a").context["rows"]
    assert [row["due"] for row in listed] == [dt.date(2026, 4, 8)]
    records = client.get("/supervision/dashboard/records/?indicator=supervision.complaints_on_time&department=dept-a&year=2026")
    assert len(records.context["rows"]) == 3 and sum(row["counted"] for row in records.context["rows"]) == 2
    counted = client.get("/supervision/dashboard/records/?indicator=supervision.complaints_on_time&department=dept-a&year=2026&counted=1")
    assert len(counted.context["rows"]) == 2


def test_sorting_by_an_indicator(client_for, supervisor, department_a, department_b):
    complaints_2026(department_a, department_b)
    client = client_for(supervisor)
    rows = client.get("/supervision/dashboard/?year=2026&sort=supervision.complaints_on_time&dir=desc").context["board"].rows
    assert [row.department["code"] for row in rows] == ["dept-a", "dept-b", "office"]
    rows = client.get("/supervision/dashboard/?year=2026&sort=supervision.complaints_on_time").context["board"].rows
    assert [row.department["code"] for row in rows] == ["dept-b", "dept-a", "office"]  # no figure: last


def test_exports(client_for, supervisor, department_a, department_b):
    complaints_2026(department_a, department_b)
    client = client_for(supervisor)
    text = client.get("/supervision/dashboard/?year=2026&format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, row_a = rows[0], next(row for row in rows if row[0] == "dept-a")
    position = header.index(str(indicators.get("supervision.complaints_on_time").label))
    assert row_a[position:position + 3] == ["66.7", "2.0", "3"]
    workbook = load_workbook(io.BytesIO(client.get("/supervision/dashboard/?year=2026&format=xlsx").content))
    assert [row[0] for row in workbook.active.values][1:] == ["dept-a", "dept-b", "office"]


def test_bad_filters_are_ignored_or_not_found(client_for, supervisor):
    client = client_for(supervisor)
    assert client.get("/supervision/dashboard/?year=abc&sort=<x>&department=nope&dir=up").status_code == 200
    assert client.get("/supervision/dashboard/records/?indicator=nope&department=x").status_code == 404
    assert client.get("/supervision/dashboard/overdue/?kind=nope").status_code == 404
    assert client.get("/supervision/dashboard/overdue/?kind=complaint&after=garbage").status_code == 200
    assert client.get("/supervision/assessment/?year=99999").status_code == 200


@pytest.mark.parametrize("url", ["/supervision/dashboard/?year=2026", "/supervision/dashboard/departments/dept-a/?year=2026",
                                 "/supervision/assessment/?year=2026"])
def test_the_number_of_queries_does_not_grow_with_the_data(client_for, supervisor, department_a, department_b, url):
    client = client_for(supervisor)
    complaints_2026(department_a, department_b)
    client.get(url)
    cache.clear()  # the figures are computed again, not read from the cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        extra = Department.objects.create(code=f"more-{n}", name=f"更多{n}局")
        complaints_2026(extra, department_b)
        complaint(extra, dt.date(2026, 2, 1), due_on=dt.date(2026, 3, 1))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_figures_are_kept_for_minutes_and_the_beat_task_computes_them_afresh(client_for, supervisor, department_a,
                                                                           department_b, django_assert_max_num_queries):
    from supervision.tasks import refresh_figures

    client = client_for(supervisor)
    complaints_2026(department_a, department_b)
    url = f"/supervision/dashboard/?year={dt.date.today().year}"
    client.get(url)
    with django_assert_max_num_queries(2 + len(deadlines.kinds()) + 6):  # session, user, departments, overdue …
        page = client.get(url)
    assert "computed-at" in page.content.decode()
    before = page.context["board"].columns[0].computed_at
    refresh_figures.apply()
    assert client.get(url).context["board"].columns[0].computed_at > before


def test_a_department_alone_is_computed_when_the_county_is_not_in_the_cache(department_a, department_b):
    """The drill-down computes only its department's figures when the county's are not kept
    (a fiftieth of the rows at county scale): the same figures as the county's grid gives."""
    from portal.indicators import Period
    from supervision import figures

    complaints_2026(department_a, department_b)
    period = Period.year(2026)
    cache.clear()
    alone = {c.name: (c.figure(department_a.pk), c.months(department_a.pk))
             for c in figures.columns(period, department=department_a.pk)}
    assert cache.get(figures._key(indicators.get("supervision.complaints_on_time"), period)) is None
    county = {c.name: (c.figure(department_a.pk), c.months(department_a.pk)) for c in figures.columns(period)}
    assert alone == county
    assert alone["supervision.complaints_on_time"][0].denominator == 3
