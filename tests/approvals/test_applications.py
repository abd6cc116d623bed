"""Applications: registration by window staff, due dates in working days (across the National
Day holiday, paused while the applicant corrects), the steps, and who may file where."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import clock, services
from approvals.models import Application, ApplicationStatus, CorrectionRequest
from approvals.permissions import fileable_items
from portal.calendar import WorkingCalendar
from portal.events import events_for
from tests.approvals.factories import ApplicationFactory, establish

pytestmark = pytest.mark.django_db

SEPT_28 = dt.date(2026, 9, 28)  # Monday before the National Day holiday (1–7 October 2026)


def new_application(item, received_on=SEPT_28, **fields):
    values = {"applicant_name": "張小明", "applicant_id_number": "11010519491231002X", "applicant_phone": "13812345678"}
    return Application(item=item, received_on=received_on, **{**values, **fields})


def register(actor, item, received_on=SEPT_28, **fields):
    return services.application_register(actor=actor, application=new_application(item, received_on, **fields))


# --- due dates -------------------------------------------------------------------------


def test_given_ten_working_days_from_the_28th_of_september_then_the_due_date_skips_national_day():
    """9-29, 9-30, then the holiday 10-1…10-7, then 10-8, 10-9, the make-up Saturday 10-10,
    10-12 … 10-16: the tenth working day is 16 October (a naive count says 12 October)."""
    due = clock.due_date(WorkingCalendar(), SEPT_28, 10)
    assert due.date == dt.date(2026, 10, 16)
    assert due.provisional is False


def test_given_a_correction_from_the_30th_to_the_12th_then_the_clock_stood_in_between():
    """Two days ran before the notice (29th, 30th); it runs again after 12 October:
    8 more working days → 22 October."""
    due = clock.due_date(WorkingCalendar(), SEPT_28, 10, [(dt.date(2026, 9, 30), dt.date(2026, 10, 12))])
    assert due.date == dt.date(2026, 10, 22)


def test_while_a_correction_is_open_there_is_no_due_date():
    assert clock.due_date(WorkingCalendar(), SEPT_28, 10, [(dt.date(2026, 9, 30), None)]) is None


def test_a_correction_after_the_due_date_does_not_move_it():
    due = clock.due_date(WorkingCalendar(), SEPT_28, 2, [(dt.date(2026, 10, 12), dt.date(2026, 10, 20))])
    assert due.date == dt.date(2026, 9, 30)


def test_a_due_date_in_a_year_without_an_official_schedule_is_provisional():
    assert clock.due_date(WorkingCalendar(), dt.date(2026, 12, 28), 10).provisional is True


# --- registration ------------------------------------------------------------------------


def test_given_a_window_clerk_when_they_register_in_admin_then_the_due_date_skips_national_day(
    client, clerk, item_a
):
    """Done means: a window clerk registers an application in admin and the due date skips
    the National Day holiday."""
    client.force_login(clerk)
    response = client.post(reverse("admin:approvals_application_add"), {
        "item": item_a.pk, "applicant_kind": "person", "applicant_name": "張小明",
        "applicant_id_number": "11010519491231002X", "applicant_phone": "13812345678", "received_on": "2026-09-28",
    }, follow=True)
    assert response.status_code == 200, response.content[:2000]
    application = Application.objects.get()
    assert application.due_on == dt.date(2026, 10, 16)
    assert application.status == ApplicationStatus.RECEIVED
    assert application.registered_by == clerk and application.window == item_a.window
    assert application.tracking_number.startswith("20260928-")
    assert application.tracking_number in response.content.decode()
    assert [event.kind for event in events_for(application)] == ["application.registered"]


def test_a_future_receipt_date_is_refused(clerk, item_a):
    with pytest.raises(ValidationError):
        register(clerk, item_a, received_on=dt.date.today() + dt.timedelta(days=1))


def test_a_cancelled_item_takes_no_applications(coordinator, item_a):
    services.approval_item_cancel(actor=coordinator, item=item_a, effective_on=dt.date(2026, 3, 15),
                                  document_number="漢政發〔2026〕12號", reason="取消")
    with pytest.raises(ValidationError):
        register(coordinator, item_a)


# --- scoping -------------------------------------------------------------------------------


def test_a_publisher_of_department_b_cannot_file_into_department_a(client, publisher_b, item_a, item_b):
    assert list(fileable_items(publisher_b)) == [item_b]
    with pytest.raises(PermissionDenied):
        register(publisher_b, item_a)
    client.force_login(publisher_b)
    response = client.post(reverse("admin:approvals_application_add"), {
        "item": item_a.pk, "applicant_kind": "person", "applicant_name": "李四", "applicant_id_number": "1",
        "applicant_phone": "13900000000", "received_on": "2026-09-28",
    })
    assert response.status_code == 200 and "item" in response.context["adminform"].form.errors
    assert not Application.objects.exists()


def test_the_clerk_files_for_hall_items_but_not_for_items_outside_the_hall(clerk, item_a, item_b):
    assert list(fileable_items(clerk)) == [item_a]
    with pytest.raises(PermissionDenied):
        register(clerk, item_b)


def test_a_publisher_of_b_gets_404_on_an_application_of_a(client, publisher_b, publisher_a, item_a, item_b):
    application = register(publisher_a, item_a)
    own = register(publisher_b, item_b)
    client.force_login(publisher_b)
    assert client.get(reverse("admin:approvals_application_change", args=[application.pk])).status_code == 404
    changelist = client.get(reverse("admin:approvals_application_changelist"))
    assert changelist.status_code == 200 and own.tracking_number in changelist.content.decode()
    assert application.tracking_number not in changelist.content.decode()
    with pytest.raises(PermissionDenied):
        services.application_start_review(actor=publisher_b, application=application)


# --- steps --------------------------------------------------------------------------------


def test_the_whole_way_with_a_correction_pause(clerk, reviewer_a, item_a):
    application = register(clerk, item_a)
    services.application_request_correction(
        actor=clerk, application=application, missing="營業執照副本", on=dt.date(2026, 9, 30)
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_CORRECTION and application.due_on is None

    services.application_correction_received(actor=clerk, application=application, on=dt.date(2026, 10, 12))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED and application.due_on == dt.date(2026, 10, 22)
    assert CorrectionRequest.objects.get().resumed_on == dt.date(2026, 10, 12)

    services.application_start_review(actor=reviewer_a, application=application)
    services.application_decide(actor=reviewer_a, application=application, decision="准予許可", on=dt.date(2026, 10, 20))
    services.application_complete(actor=clerk, application=application, on=dt.date(2026, 10, 21))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETED and application.kept_on_time is True
    verbs = [event.kind for event in reversed(events_for(application))]
    assert verbs == [
        "application.registered", "application.correction_requested", "application.corrected",
        "application.review_started", "application.decided", "application.completed",
    ]


def test_steps_out_of_order_are_refused_with_a_reason(clerk, item_a):
    application = register(clerk, item_a)
    with pytest.raises(ValidationError):
        services.application_complete(actor=clerk, application=application)
    with pytest.raises(ValidationError):
        services.application_correction_received(actor=clerk, application=application)
    with pytest.raises(ValidationError):
        services.application_reject(actor=clerk, application=application, reason="  ")


def test_a_correction_cannot_be_received_before_it_was_asked_for(clerk, item_a):
    application = register(clerk, item_a)
    services.application_request_correction(actor=clerk, application=application, missing="身份證", on=dt.date(2026, 10, 9))
    with pytest.raises(ValidationError):
        services.application_correction_received(actor=clerk, application=application, on=dt.date(2026, 10, 8))


def test_overdue_applications_are_the_running_ones_past_their_due_date(department_a):
    item = establish(department=department_a)
    late = ApplicationFactory(item=item, due_on=dt.date(2026, 10, 1))
    ApplicationFactory(item=item, due_on=dt.date(2026, 12, 1))
    ApplicationFactory(item=item, due_on=None, status=ApplicationStatus.NEEDS_CORRECTION)
    ApplicationFactory(item=item, due_on=dt.date(2026, 10, 1), status=ApplicationStatus.DECIDED,
                       decided_on=dt.date(2026, 10, 2), decision="准予")
    assert list(Application.objects.overdue(on=dt.date(2026, 11, 2))) == [late]
