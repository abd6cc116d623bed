"""Rectification orders (整改意見, 限期改正): issued → in rectification → reported done → verified
and closed, or sent back with a reason; deadlines in working days followed by the engine; one
list with the rectification cases of bad ratings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import deadlines, reminders
from portal.events import events_for
from portal.workflow import TransitionError
from supervision import services as mailbox
from supervision.models import OrderStatus, RectificationOrder, ResponseFile, SupervisionKind
from supervision.services import inspections as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ISSUED = dt.date(2026, 9, 1)  # a Tuesday: 5 working days → Tuesday 8 September


@pytest.fixture
def inspection(supervisor, department_a):
    return services.inspection_open(actor=supervisor, department=department_a, kind=SupervisionKind.DISCIPLINE,
                                    title="收費公示專項檢查")


@pytest.fixture
def finding(supervisor, inspection):
    return services.finding_record(actor=supervisor, inspection=inspection, description="收費標準未上牆",
                                   severity="serious")


def issue(supervisor, department, finding=None, days=5, on=ISSUED, **extra):
    return services.rectification_order_issue(actor=supervisor, department=department, finding=finding,
                                              requirement="在大廳公示收費標準", working_days=days, on=on, **extra)


def test_an_order_runs_its_whole_course_and_each_step_is_an_event(supervisor, publisher_a, department_a, finding):
    order = issue(supervisor, department_a, finding)
    assert (order.status, order.due_on, order.inspection) == (OrderStatus.ISSUED, dt.date(2026, 9, 8), finding.inspection)
    order = services.rectification_order_start(actor=publisher_a, order=order)
    order = services.rectification_order_report(actor=publisher_a, order=order, response="已製作公示牌上牆",
                                                on=dt.date(2026, 9, 7))
    order = services.rectification_order_send_back(actor=supervisor, order=order, reason="公示牌缺少收費依據")
    assert (order.status, order.sent_back_count, order.reported_on) == (OrderStatus.RECTIFYING, 1, None)
    order = services.rectification_order_report(actor=publisher_a, order=order, response="已補上收費依據",
                                                on=dt.date(2026, 9, 8))
    order = services.rectification_order_verify(actor=supervisor, order=order, on=dt.date(2026, 9, 10))
    assert (order.status, order.closed_on_time, order.verified_by) == (OrderStatus.CLOSED, True, supervisor)
    assert [event.kind for event in events_for(order)][::-1] == [
        "rectification_order.issued", "rectification_order.started", "rectification_order.reported",
        "rectification_order.sent_back", "rectification_order.reported", "rectification_order.closed"]


def test_a_report_after_the_due_date_closes_late(supervisor, publisher_a, department_a, finding):
    order = issue(supervisor, department_a, finding)
    order = services.rectification_order_report(actor=publisher_a, order=order, response="已整改",
                                                on=dt.date(2026, 9, 9))
    order = services.rectification_order_verify(actor=supervisor, order=order, on=dt.date(2026, 9, 9))
    assert order.closed_on_time is False


def test_who_may_take_which_step(supervisor, publisher_a, publisher_b, department_a, department_b, finding):
    with pytest.raises(PermissionDenied):  # a department does not order itself outside a self-inspection
        issue(publisher_a, department_a, finding)
    order = issue(supervisor, department_a, finding)
    with pytest.raises(PermissionDenied):  # another department does not report on it
        services.rectification_order_report(actor=publisher_b, order=order, response="不是我的")
    order = services.rectification_order_report(actor=publisher_a, order=order, response="已整改", on=ISSUED)
    with pytest.raises(PermissionDenied):  # the department does not verify its own rectification
        services.rectification_order_verify(actor=publisher_a, order=order)
    with pytest.raises(TransitionError):  # a send-back says why
        services.rectification_order_send_back(actor=supervisor, order=order, reason=" ")
    with pytest.raises(TransitionError):  # the finding is another department's
        issue(supervisor, department_b, finding)
    with pytest.raises(TransitionError):
        issue(supervisor, department_a, finding, days=0)


def test_a_department_orders_itself_after_its_own_self_inspection(publisher_a, department_a):
    own = services.inspection_open(actor=publisher_a, department=department_a, kind=SupervisionKind.SELF, title="自查")
    order = services.rectification_order_issue(actor=publisher_a, department=department_a, inspection=own,
                                               requirement="更新公示欄", working_days=10, on=ISSUED)
    assert order.status == OrderStatus.ISSUED


def test_an_order_may_arise_from_a_complaint_of_that_department(supervisor, department_a, department_b):
    filed = mailbox.complaint_file(kind="complaint", department=department_a, summary="亂收費", details="多收20元",
                                   identity=None)
    order = issue(supervisor, department_a, complaint=filed.complaint)
    assert order.complaint == filed.complaint
    with pytest.raises(TransitionError):
        issue(supervisor, department_b, complaint=filed.complaint)


def test_the_report_page_takes_evidence_files_checked_by_content(client_for, supervisor, publisher_a, department_a,
                                                                 finding):
    order = issue(supervisor, department_a, finding, on=None)
    client = client_for(publisher_a)
    url = reverse("admin:supervision_rectificationorder_report", args=[order.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"response": "已整改", "files": [
        SimpleUploadedFile("photo.html", b"<html></html>", content_type="text/html")]})
    assert refused.status_code == 200 and not ResponseFile.objects.exists()
    done = client.post(url, {"response": "已整改,見照片", "files": [
        SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")]})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    assert list(order.files.values_list("name", "content_type")) == [("report.pdf", "application/pdf")]
    change = client_for(supervisor).get(reverse("admin:supervision_rectificationorder_change", args=[order.pk]))
    assert "report.pdf" in change.content.decode()


def test_the_report_page_is_the_departments_alone(client_for, supervisor, publisher_b, department_a, finding):
    order = issue(supervisor, department_a, finding, on=None)
    url = reverse("admin:supervision_rectificationorder_report", args=[order.pk])
    assert client_for(publisher_b).get(url).status_code == 404
    assert client_for(supervisor).get(url).status_code == 403


def test_open_orders_are_a_deadline_kind_the_scan_escalates(supervisor, reviewer_a, department_a, finding):
    kind = deadlines.get("rectification_order")
    order = issue(supervisor, department_a, finding)
    reported = issue(supervisor, department_a, finding)
    services.rectification_order_report(actor=reviewer_a, order=reported, response="已整改", on=ISSUED)
    assert list(kind.open_items()) == [order]
    assert list(kind.responsible(order)) == [reviewer_a]
    planned = [p for p in reminders.plan(dt.date(2026, 9, 9)) if p.kind == "rectification_order"]
    assert [(p.object_id, p.stage, p.audience) for p in planned] == [(order.pk, "overdue-1", "department_head")]


def test_a_calendar_change_moves_the_open_orders_due_dates(supervisor, department_a, finding):
    from portal import services as portal_services

    order = issue(supervisor, department_a, finding)
    _day, moved = portal_services.calendar_day_save(actor=None, date=dt.date(2026, 9, 3), is_working_day=False,
                                                    name="臨時休假")
    order.refresh_from_db()
    assert (moved, order.due_on) == (1, dt.date(2026, 9, 9))


def test_the_admin_add_page_issues_through_the_service_and_shows_refusals(client_for, supervisor, department_b,
                                                                         finding):
    client = client_for(supervisor)
    url = reverse("admin:supervision_rectificationorder_add")
    page = client.get(url, {"department": finding.inspection.department_id, "finding": finding.pk})
    assert page.status_code == 200
    wrong = client.post(url, {"department": department_b.pk, "finding": finding.pk, "requirement": "整改",
                              "working_days": 5})
    assert wrong.status_code == 200 and not RectificationOrder.objects.exists()
    done = client.post(url, {"department": finding.inspection.department_id, "finding": finding.pk,
                             "requirement": "整改", "working_days": 5})
    assert done.status_code == 302
    assert RectificationOrder.objects.get().issued_by == supervisor


# --- the one list of rectification -----------------------------------------------------------


def rating_case(department, opened_on, due_on):
    """A bad rating's rectification case (approvals), written directly."""
    from approvals.models import ApplicationStatus, Rating, RectificationCase
    from tests.approvals.factories import ApplicationFactory, ApprovalItemFactory

    item = ApprovalItemFactory(department=department)
    application = ApplicationFactory(item=item, status=ApplicationStatus.COMPLETED, decided_on=opened_on,
                                     completed_on=opened_on, decision="准予")
    rating = Rating.objects.create(application=application, level=1)
    return RectificationCase.objects.create(rating=rating, department=department, item=item, opened_on=opened_on,
                                            working_days=5, due_on=due_on)


LIST = "/supervision/rectifications/"


def test_one_list_holds_orders_and_bad_rating_cases_each_person_their_own(
        client_for, supervisor, publisher_b, department_a, department_b, finding):
    order = issue(supervisor, department_a, finding)
    case = rating_case(department_a, dt.date(2026, 9, 2), dt.date(2026, 9, 9))
    other = rating_case(department_b, dt.date(2026, 9, 2), dt.date(2026, 9, 9))
    page = client_for(supervisor).get(LIST)
    assert page.status_code == 200
    rows = [(row["source"], row["pk"]) for row in page.context["rows"]]
    assert rows == [("order", order.pk), ("rating", case.pk), ("rating", other.pk)]
    assert all(row["overdue"] for row in page.context["rows"])  # due in September 2026, still open
    mine = client_for(publisher_b).get(LIST)
    assert [(row["source"], row["pk"]) for row in mine.context["rows"]] == [("rating", other.pk)]


def test_the_list_pages_by_keyset_in_a_fixed_number_of_queries(client_for, supervisor, department_a, finding,
                                                               monkeypatch):
    from supervision.views import rectifications

    monkeypatch.setattr(rectifications, "PAGE", 3)
    for n in range(4):
        issue(supervisor, department_a, finding, on=ISSUED + dt.timedelta(days=n))
    for n in range(3):
        rating_case(department_a, ISSUED, ISSUED + dt.timedelta(days=n + 7))
    client = client_for(supervisor)
    client.get(LIST)  # the session, the user, the groups: read once before counting
    seen, after = [], None
    counts = []
    while True:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LIST, {"state": "all", **({"after": after} if after else {})})
        counts.append(len(queries))
        seen += [(row["source"], row["pk"]) for row in page.context["rows"]]
        after = page.context["following"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert [due for due in (RectificationOrder.objects.values_list("due_on", flat=True))] == sorted(
        RectificationOrder.objects.values_list("due_on", flat=True))
    assert len(set(counts)) == 1, counts


def test_the_list_is_for_staff_and_shrugs_off_bad_parameters(client, client_for, supervisor):
    from django.contrib.auth import get_user_model

    assert client.get(LIST).status_code == 302  # anonymous: to the login page
    citizen = get_user_model().objects.create_user("citizen", password="pw")
    assert client_for(citizen).get(LIST).status_code == 403
    bad = client_for(supervisor).get(LIST, {"after": "2026-13-01.order.x", "state": "<x>", "department": "no-such"})
    assert (bad.status_code, bad.context["state"], bad.context["first_page"]) == (200, "open", True)


def test_a_complaint_page_leads_to_its_orders_and_to_issuing_one(client_for, supervisor, department_a):
    filed = mailbox.complaint_file(kind="complaint", department=department_a, summary="亂收費", details="多收20元",
                                   identity=None)
    order = issue(supervisor, department_a, complaint=filed.complaint)
    client = client_for(supervisor)
    page = client.get(reverse("admin:supervision_complaint_change", args=[filed.complaint.pk])).content.decode()
    listed = client.get(reverse("admin:supervision_rectificationorder_changelist"), {"complaint": filed.complaint.pk})
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [order]
    assert f"complaint={filed.complaint.pk}" in page


def test_an_order_due_in_an_unconfirmed_year_is_marked_provisional_in_the_list(client, supervisor, department_a,
                                                                               finding):
    """Issued 20 Dec 2026 with 10 working days, the order is due in January 2027, whose
    official holiday schedule is not confirmed: the list says so, with the reason."""
    late_year = issue(supervisor, department_a, finding, days=10, on=dt.date(2026, 12, 20))
    this_year = issue(supervisor, department_a, finding, days=5)
    assert (late_year.due_provisional, this_year.due_provisional) == (True, False)
    client.force_login(supervisor)
    rows = client.get(reverse("admin:supervision_rectificationorder_changelist")).content.decode().split("<tr")
    marked = {row.count("（暫定）") for row in rows if f"/{late_year.pk}/change/" in row}
    unmarked = {row.count("（暫定）") for row in rows if f"/{this_year.pk}/change/" in row}
    assert (marked, unmarked) == ({1}, {0})
    assert "2027 年正式節假日安排尚未確認" in "".join(rows)
