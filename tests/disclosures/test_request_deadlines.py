"""Issue 14, items 3, 4 and 5: a request's deadline through the deadline engine — reminders
before the due date, escalation after, the extension moving them, nothing owed while the
requester corrects — the yearly reports' due dates reminded, the overdue list of the
compliance dashboard, and the on-time rate in the dashboard and the annual assessment."""

import datetime as dt

import pytest

from disclosures.requests import services
from portal import reminders
from portal.calendar import WorkingCalendar
from supervision import assessment
from tests.disclosures.requests_helpers import file_request

pytestmark = pytest.mark.django_db
D = dt.date
KIND = "information_request"


def stages(request, *days, kind=KIND):
    """{day: [(stage, audience)]} the engine plans for ``request`` on each day."""
    planned = {day: sorted((p.stage, p.audience) for p in reminders.plan(day)
                           if p.kind == kind and p.object_id == request.pk) for day in days}
    return {day: found for day, found in planned.items() if found}


def test_a_request_is_reminded_before_its_due_date_and_escalated_after(department_a, publisher_a, reviewer_a):
    request = file_request(department_a, received_on=D(2026, 9, 21))  # due Mon 26 Oct 2026
    calendar = WorkingCalendar()
    days = [day for day in (D(2026, 10, 19) + dt.timedelta(days=n) for n in range(15)) if calendar.is_working_day(day)]
    assert stages(request, *days) == {
        D(2026, 10, 21): [("before-3", "responsible")],    # 22, 23, 26 Oct left
        D(2026, 10, 22): [("before-3", "responsible")],    # (plans repeat until recorded)
        D(2026, 10, 23): [("before-1", "responsible")],
        D(2026, 10, 26): [("due", "responsible")],
        **{day: [("overdue-1", "department_head")] for day in (D(2026, 10, 27), D(2026, 10, 28), D(2026, 10, 29),
                                                               D(2026, 10, 30))},  # working days only
        D(2026, 11, 2): [("overdue-1", "department_head"), ("overdue-5", "supervision")],
    }
    # Extended by 10 working days: due Mon 9 Nov, nothing late on 27 Oct.
    services.request_extend(actor=reviewer_a, request=request, days=10, reason="需調取檔案", on=D(2026, 10, 20))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 9)
    assert stages(request, D(2026, 10, 27), D(2026, 11, 9)) == {D(2026, 11, 9): [("due", "responsible")]}
    # Replied: nothing more.
    services.request_reply(actor=publisher_a, request=request, outcome="disclosed", on=D(2026, 11, 5))
    assert stages(request, D(2026, 11, 9), D(2026, 11, 12)) == {}


def test_a_request_waiting_for_the_requesters_correction_owes_nothing(department_a, publisher_a):
    request = file_request(department_a, received_on=D(2026, 9, 21))
    services.request_ask_correction(actor=publisher_a, request=request, notice="請寫明年份", on=D(2026, 9, 22))
    assert stages(request, D(2026, 10, 26), D(2026, 10, 27), D(2026, 11, 2)) == {}


def test_the_yearly_reports_are_reminded_before_31_january_and_31_march(department_a, coordinator):
    department, county = (services.annual_report_open(actor=coordinator, year=2026, department=d)
                          for d in (department_a, None))
    january = [D(2027, 1, 20) + dt.timedelta(days=n) for n in range(20)]
    planned = stages(department, *january, kind="annual_report")
    order = list(dict.fromkeys(stage for day in sorted(planned) for stage, _to in planned[day]))
    assert order[:3] == ["before-3", "before-1", "due"] and order[3].startswith("overdue-")
    assert min(day for day, found in planned.items() if found[0][0] == "due") <= D(2027, 2, 1)
    assert not stages(county, *january, kind="annual_report")  # the county's is due on 31 March
    services.annual_report_finalise(actor=coordinator, report=department)
    assert not stages(department, *january, kind="annual_report")  # final: nothing owed


def test_an_overdue_request_is_on_the_dashboards_overdue_list(client_for, supervisor, department_a, department_b,
                                                             publisher_a):
    late = file_request(department_a, received_on=D(2026, 9, 21), description="五一村徵地補償款")  # due 26 Oct
    services.request_reply(actor=publisher_a, request=file_request(department_a, received_on=D(2026, 9, 22)),
                           outcome="disclosed", on=D(2026, 10, 9))
    client = client_for(supervisor)
    board = client.get("/supervision/dashboard/?year=2026").context["board"]
    column = [o.kind.name for o in board.overdue].index(KIND)
    overdue = {row.department["code"]: row.overdue[column] for row in board.rows}
    assert overdue["dept-a"] == 1 and overdue["dept-b"] == 0
    rows = client.get(f"/supervision/dashboard/overdue/?kind={KIND}&department=dept-a").context["rows"]
    assert [(row["pk"], row["due"], row["url"]) for row in rows] == [
        (late.pk, D(2026, 10, 26), f"/admin/disclosures/informationrequest/{late.pk}/change/")]
    drill_down = client.get("/supervision/dashboard/departments/dept-a/?year=2026").content.decode()
    assert "五一村徵地補償款" in drill_down and "2026-10-26" in drill_down


def test_the_on_time_rate_is_on_the_dashboard_and_in_the_assessment(client_for, supervisor, department_a,
                                                                    department_b, publisher_a):
    for replied_on in (D(2026, 10, 9), D(2026, 10, 30)):  # due 26 Oct: one on time, one late
        services.request_reply(actor=publisher_a, request=file_request(department_a), outcome="disclosed",
                               on=replied_on)
    board = client_for(supervisor).get("/supervision/dashboard/?year=2026").context["board"]
    position = [c.indicator.name for c in board.columns].index("disclosures.requests_on_time")
    row_a = next(row for row in board.rows if row.department["code"] == "dept-a")
    assert row_a.figures[position].value == 50.0
    result = assessment.compute(2026, fresh=True)
    position = [c["name"] for c in result.columns].index("disclosures.requests_on_time")
    cell = next(row for row in result.rows if row["department"]["code"] == "dept-a")["cells"][position]
    assert (cell["numerator"], cell["denominator"], cell["value"]) == (1, 2, 50.0)


def test_the_departments_home_shows_requests_to_answer_and_lapsed_corrections(client, department_a, department_b,
                                                                               publisher_a, publisher_b):
    from tests.portal.test_workspace import listed, tiles

    running = file_request(department_a, received_on=D(2026, 9, 21))  # overdue too
    lapsed = file_request(department_a, received_on=D(2026, 9, 21))
    services.request_ask_correction(actor=publisher_a, request=lapsed, notice="請寫明年份", on=D(2026, 9, 22), days=5)
    file_request(department_b)
    client.force_login(publisher_a)
    shown = tiles(client)
    assert shown["request-to-answer"][0] == 1 and listed(client, shown["request-to-answer"][1]) == {running.pk}
    assert shown["request-correction-lapsed"][0] == 1
    assert listed(client, shown["request-correction-lapsed"][1]) == {lapsed.pk}
    assert shown[f"overdue-{KIND}"][0] == 1
    client.force_login(publisher_b)
    assert tiles(client)["request-to-answer"][0] == 1 and tiles(client)["request-correction-lapsed"][0] == 0
