"""The clock of an information request (Regulations on Open Government Information 2019,
arts. 30–33), across the 2026 holidays of the State Council's schedule. Every expected date
is counted by hand in the comments (W: a working day)."""

import datetime as dt

import pytest
from django.utils import translation

from disclosures.models import InformationRequest, RequestStatus
from disclosures.requests import services
from portal.workflow import TransitionError
from tests.disclosures.requests_helpers import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """Refusals are matched by their English text, whatever language an earlier test left active."""
    with translation.override("en"):
        yield

D = dt.date


def test_a_request_received_on_a_day_off_counts_from_the_next_working_day(department_a):
    # Sat 26 Sep 2026 (a day off; Sun 27 too) → counted from Mon 28 Sep. 20 W after it:
    # 29, 30 Sep; [1–7 Oct National Day]; 8, 9, 10 (make-up Sat), 12–16, 19–23, 26–30 Oct → 30 Oct.
    request = file_request(department_a, received_on=D(2026, 9, 26))
    assert request.counted_from == D(2026, 9, 28)
    assert request.due_on == D(2026, 10, 30)
    assert not request.due_provisional


def test_a_request_received_on_a_working_day_counts_from_that_day(department_a):
    # Mon 21 Sep: 22–24 (3); [25 Mid-Autumn, 26, 27 off]; 28–30 (6); [1–7 Oct]; 8, 9, 10 (9); 12–16 (14);
    # 19–23 (19); 26 Oct (20).
    assert file_request(department_a, received_on=D(2026, 9, 21)).due_on == D(2026, 10, 26)


def test_one_extension_of_up_to_20_working_days_approved_by_the_office_head(department_a, reviewer_a):
    request = file_request(department_a, received_on=D(2026, 9, 26))  # due 30 Oct
    # 20 W after Fri 30 Oct: 2–6, 9–13, 16–20, 23–27 Nov → 27 Nov.
    services.request_extend(actor=reviewer_a, request=request, days=20, reason="需調取檔案館存檔", on=D(2026, 10, 20))
    request.refresh_from_db()
    assert request.due_on == D(2026, 11, 27)
    assert (request.extension_days, request.extension_approved_by, request.extended_on) == (20, reviewer_a, D(2026, 10, 20))
    with pytest.raises(TransitionError, match="once"):
        services.request_extend(actor=reviewer_a, request=request, days=1, reason="再延", on=D(2026, 10, 21))


@pytest.mark.parametrize("days, reason, on, message", [
    (21, "理由", D(2026, 10, 1), "between 1 and 20"),
    (0, "理由", D(2026, 10, 1), "between 1 and 20"),
    (5, " ", D(2026, 10, 1), "reason"),
    (5, "理由", D(2026, 10, 31), "ended on 2026-10-30"),  # after the reply period: too late
])
def test_an_extension_needs_a_reason_at_most_20_days_and_the_period_still_running(
        department_a, reviewer_a, days, reason, on, message):
    request = file_request(department_a, received_on=D(2026, 9, 26))
    with pytest.raises(TransitionError, match=message):
        services.request_extend(actor=reviewer_a, request=request, days=days, reason=reason, on=on)
    request.refresh_from_db()
    assert request.extension_days == 0 and request.due_on == D(2026, 10, 30)


def test_the_department_publisher_cannot_approve_an_extension(department_a, publisher_a):
    from django.core.exceptions import PermissionDenied

    request = file_request(department_a)
    with pytest.raises(PermissionDenied):
        services.request_extend(actor=publisher_a, request=request, days=5, reason="理由", on=D(2026, 9, 22))


def test_consulting_a_third_party_pauses_the_clock(department_a, publisher_a):
    # Received Mon 21 Sep; consulted Thu 24 Sep after 3 W (22, 23, 24): 17 W remain.
    request = file_request(department_a, received_on=D(2026, 9, 21))
    services.request_consult(actor=publisher_a, request=request, third_party="五一村村委會", on=D(2026, 9, 24))
    request.refresh_from_db()
    # While it runs the third party's 15 W are assumed: 28–30 Sep, 8, 9, 10, 12–16, 19–22 Oct → 22 Oct;
    # then 17 W: 23, 26–30 Oct, 2–6, 9–13 Nov (16), 16 Nov (17).
    assert request.status == RequestStatus.CONSULTING and request.due_on == D(2026, 11, 16)
    # It answers on Fri 9 Oct: 17 W after it: 10 (make-up Sat), 12–16, 19–23, 26–30 Oct (16), 2 Nov (17).
    services.request_consultation_ended(actor=publisher_a, request=request, on=D(2026, 10, 9))
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED and request.due_on == D(2026, 11, 2)
    # One consultation per request: the step is not offered again.
    assert "consult" not in [t.name for t in services.INFORMATION_REQUEST.available(publisher_a, request)]


def test_a_correction_restarts_the_clock_on_the_corrected_request_across_the_spring_festival(department_a, publisher_a):
    # Received Tue 10 Feb 2026. The notice is due within 7 W: 11, 12, 13, 14 (make-up Sat), [15–23 Feb
    # Spring Festival], 24, 25, 26 Feb.
    request = file_request(department_a, received_on=D(2026, 2, 10))
    services.request_ask_correction(actor=publisher_a, request=request, notice="請寫明所需信息的年份", on=D(2026, 2, 12))
    request.refresh_from_db()
    assert request.status == RequestStatus.CORRECTION
    # The corrected request arrives on Sun 22 Feb (holiday) → counted from Tue 24 Feb; 20 W: 25–27,
    # 28 (make-up Sat) (4), 2–6 Mar (9), 9–13 (14), 16–20 (19), 23 Mar (20).
    services.request_correction_received(actor=publisher_a, request=request, on=D(2026, 2, 22))
    request.refresh_from_db()
    assert (request.status, request.counted_from, request.due_on) == (RequestStatus.RECEIVED, D(2026, 2, 24), D(2026, 3, 23))
    with pytest.raises(TransitionError, match="one correction"):
        services.request_ask_correction(actor=publisher_a, request=request, notice="再補正", on=D(2026, 2, 25))


def test_a_correction_notice_later_than_7_working_days_is_refused(department_a, publisher_a):
    request = file_request(department_a, received_on=D(2026, 2, 10))
    with pytest.raises(TransitionError, match="2026-02-26"):
        services.request_ask_correction(actor=publisher_a, request=request, notice="請補正", on=D(2026, 2, 27))


def test_a_request_not_corrected_in_time_closes_as_abandoned(department_a, publisher_a):
    request = file_request(department_a, received_on=D(2026, 9, 21))
    services.request_ask_correction(actor=publisher_a, request=request, notice="請補正", on=D(2026, 9, 22), days=5)
    request.refresh_from_db()
    # 5 W after Tue 22 Sep: 23, 24, 28, 29, 30 Sep.
    assert request.correction_due_on == D(2026, 9, 30)
    with pytest.raises(TransitionError, match="2026-09-30"):
        services.request_abandon(actor=publisher_a, request=request, on=D(2026, 9, 30))
    services.request_abandon(actor=publisher_a, request=request, on=D(2026, 10, 8))
    request = InformationRequest.objects.get(pk=request.pk)
    assert (request.status, request.outcome, request.sub_reason, request.closed_on) == (
        RequestStatus.ABANDONED, "other", "not_corrected", D(2026, 10, 8))


def test_a_confirmed_calendar_change_moves_running_requests(department_a, coordinator):
    """The deadline kind's recompute: a local day off inside the count moves the due date."""
    from portal.models import CalendarDay

    request = file_request(department_a, received_on=D(2026, 9, 21))  # due Mon 26 Oct
    CalendarDay.objects.create(date=D(2026, 10, 14), is_working_day=False, name="local closure")
    from disclosures.deadlines import INFORMATION_REQUEST
    from portal.calendar import WorkingCalendar

    changed = INFORMATION_REQUEST.recompute(WorkingCalendar())
    request.refresh_from_db()
    assert [r.pk for r in changed] == [request.pk] and request.due_on == D(2026, 10, 27)
