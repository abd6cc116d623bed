"""The PRC working-day calendar (DESIGN §3.6).

Dates below are the State Council's published schedules (國務院辦公廳關於部分節假日安排的通知),
each checked against chinesecalendar 1.11 before being written down here. 2027 is not
covered by that package: until the coordinator confirms it, the fallback is the
``holidays`` package's statutory days plus weekends, and due dates are provisional.
"""

import datetime as dt

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal import deadlines, services
from portal.calendar import (
    DueDate,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    official_package_covers,
    working_days_between,
)
from portal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db  # the coordinator's overrides are always consulted

D = dt.date


class TestSpringFestival:
    def test_2025_spring_festival_is_eight_days_off_with_two_make_up_weekend_days(self):
        """Given the 2025 schedule: 28 Jan – 4 Feb off; Sun 26 Jan and Sat 8 Feb are working days."""
        for day in (D(2025, 1, 28), D(2025, 1, 31), D(2025, 2, 3), D(2025, 2, 4)):
            assert not is_working_day(day), day
        assert is_working_day(D(2025, 1, 26))  # Sunday, 調休
        assert is_working_day(D(2025, 2, 8))  # Saturday, 調休
        assert not is_working_day(D(2025, 1, 25))  # ordinary Saturday stays a rest day
        assert is_working_day(D(2025, 2, 5))

    def test_2026_spring_festival_is_nine_days_off_and_saturdays_14_and_28_february_are_worked(self):
        """Given the 2026 schedule: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are working days."""
        for offset in range(9):
            day = D(2026, 2, 15) + dt.timedelta(days=offset)
            assert not is_working_day(day), day
        assert is_working_day(D(2026, 2, 14))
        assert is_working_day(D(2026, 2, 28))
        assert is_working_day(D(2026, 2, 24))
        assert not is_working_day(D(2026, 3, 1))  # the Sunday after is an ordinary rest day

    def test_counting_over_the_2026_spring_festival_skips_the_holiday_and_counts_the_make_up_saturdays(self):
        """Given a request received Thu 12 Feb 2026,
        when 5 working days are counted,
        then they are Fri 13, Sat 14 (調休), Tue 24, Wed 25, Thu 26 Feb."""
        due = add_working_days(D(2026, 2, 12), 5)

        assert due == DueDate(D(2026, 2, 26), provisional=False)

    def test_the_make_up_saturday_28_february_2026_counts_as_a_working_day(self):
        """Given Thu 26 Feb 2026, when 3 working days are counted, then Fri 27, Sat 28 Feb, Mon 2 Mar."""
        assert add_working_days(D(2026, 2, 26), 2).date == D(2026, 2, 28)
        assert add_working_days(D(2026, 2, 26), 3).date == D(2026, 3, 2)

    def test_working_days_between_spans_the_2025_spring_festival(self):
        """From Fri 24 Jan to Mon 10 Feb 2025: Sun 26, Mon 27 Jan, Wed 5 – Sat 8 Feb, Mon 10 Feb = 7."""
        assert working_days_between(D(2025, 1, 24), D(2025, 2, 10)) == 7
        assert working_days_between(D(2025, 2, 10), D(2025, 1, 24)) == -7


class TestNationalDay:
    def test_2025_national_day_and_mid_autumn_are_eight_days_off_with_make_up_28_september_and_11_october(self):
        for offset in range(8):
            day = D(2025, 10, 1) + dt.timedelta(days=offset)
            assert not is_working_day(day), day
        assert is_working_day(D(2025, 9, 28))  # Sunday, 調休
        assert is_working_day(D(2025, 10, 11))  # Saturday, 調休
        assert is_working_day(D(2025, 10, 9))

    def test_2026_national_day_is_seven_days_off_and_20_september_and_10_october_are_worked(self):
        for offset in range(7):
            day = D(2026, 10, 1) + dt.timedelta(days=offset)
            assert not is_working_day(day), day
        assert is_working_day(D(2026, 9, 20))  # Sunday, 調休
        assert is_working_day(D(2026, 10, 10))  # Saturday, 調休
        assert is_working_day(D(2026, 10, 8))
        assert not is_working_day(D(2026, 9, 25))  # Mid-Autumn Festival 2026

    def test_a_15_working_day_answer_over_the_2026_golden_week(self):
        """Given a request received Fri 18 Sep 2026,
        when 15 working days are counted,
        then the count uses Sun 20 Sep and Sat 10 Oct, skips Mid-Autumn (25–27 Sep) and 1–7 Oct,
        and the answer is due Thu 15 Oct 2026."""
        calendar = WorkingCalendar()

        due = calendar.add_working_days(D(2026, 9, 18), 15)

        assert due == DueDate(D(2026, 10, 15), provisional=False)
        assert calendar.working_days_between(D(2026, 9, 18), D(2026, 10, 15)) == 15

    def test_counting_zero_days_gives_the_day_of_receipt(self):
        assert add_working_days(D(2026, 10, 3), 0).date == D(2026, 10, 3)

    def test_negative_day_counts_are_refused(self):
        with pytest.raises(ValueError):
            add_working_days(D(2026, 10, 3), -1)


class TestYearNotCoveredByTheOfficialPackage:
    def test_2026_is_covered_by_chinesecalendar_and_2027_is_not(self):
        assert official_package_covers(2026)
        assert not official_package_covers(2027)

    def test_2027_falls_back_to_statutory_holidays_and_weekends(self):
        """The holidays package knows New Year's Day and Spring Festival 2027, not the 調休 weekends."""
        assert not is_working_day(D(2027, 1, 1))  # Friday, New Year's Day
        assert not is_working_day(D(2027, 2, 8))  # Spring Festival
        assert not is_working_day(D(2027, 2, 20))  # a Saturday: no make-up day known yet
        assert is_working_day(D(2027, 1, 4))

    def test_a_count_across_new_year_2027_skips_new_years_day_and_the_weekend_and_is_provisional(self):
        """Given a request received Thu 24 Dec 2026,
        when 10 working days are counted,
        then 25, 28–31 Dec 2026 and 4–8 Jan 2027 count (1 Jan holiday, 2–3 Jan weekend)
        and the due date Fri 8 Jan 2027 is provisional."""
        due = add_working_days(D(2026, 12, 24), 10)

        assert due == DueDate(D(2027, 1, 8), provisional=True)

    def test_a_count_ending_in_2026_is_not_provisional(self):
        assert add_working_days(D(2026, 12, 24), 5) == DueDate(D(2026, 12, 31), provisional=False)

    def test_a_calendar_override_wins_over_the_packages(self):
        """Given the coordinator marks 31 Dec 2026 as a day off,
        when 5 working days are counted from 24 Dec 2026,
        then the due date moves into 2027 (Mon 4 Jan) and becomes provisional."""
        assert add_working_days(D(2026, 12, 24), 5).date == D(2026, 12, 31)

        CalendarDay.objects.create(date=D(2026, 12, 31), is_working_day=False, name="local closure")

        assert add_working_days(D(2026, 12, 24), 5) == DueDate(D(2027, 1, 4), provisional=True)
        assert not is_working_day(D(2026, 12, 31))

    def test_a_make_up_working_day_override_makes_a_saturday_count(self):
        """Given the coordinator enters Sat 20 Feb 2027 as a make-up working day,
        then it counts and shortens the count from Thu 18 Feb 2027 by one calendar day."""
        assert add_working_days(D(2027, 2, 18), 2).date == D(2027, 2, 22)

        CalendarDay.objects.create(date=D(2027, 2, 20), is_working_day=True, name="春節調休")

        assert is_working_day(D(2027, 2, 20))
        assert add_working_days(D(2027, 2, 18), 2).date == D(2027, 2, 20)


@pytest.fixture
def recording_kind():
    """A deadline kind registered for the test whose recompute records its calls."""
    calls = []

    def recompute(calendar):
        calls.append(calendar)
        # What the kind sees: a calendar on which 2027 is no longer provisional.
        calls.append(calendar.add_working_days(D(2026, 12, 24), 10))
        return [SimpleNamespace(pk=n, date=D(2027, 1, 8)) for n in (1, 2, 3)]

    kind = deadlines.DeadlineKind(
        name="test-calendar-kind", label="Test kind", open_items=lambda: CalendarDay.objects.none(), recompute=recompute,
        due_field="date",
    )
    deadlines.register(kind)
    yield calls
    deadlines.unregister(kind.name)


class TestConfirmingACalendarYear:
    def test_confirming_2027_makes_its_due_dates_final_and_recomputes_open_deadlines(
        self, coordinator, recording_kind
    ):
        """Given a 2027 due date that is provisional and a registered deadline kind,
        when the coordinator confirms 2027,
        then due dates through 2027 are no longer provisional, the kind recomputed its
        open items with a WorkingCalendar, and the number of changed items is reported."""
        assert add_working_days(D(2026, 12, 24), 10).provisional

        year, changed = services.calendar_year_confirm(actor=coordinator, year=2027, source="國辦發明電〔2026〕X號")

        assert (year.year, year.source, year.confirmed_by) == (2027, "國辦發明電〔2026〕X號", coordinator)
        assert changed == 3
        calendar, seen_due = recording_kind
        assert isinstance(calendar, WorkingCalendar)
        assert seen_due == DueDate(D(2027, 1, 8), provisional=False)
        assert add_working_days(D(2026, 12, 24), 10) == DueDate(D(2027, 1, 8), provisional=False)

    def test_confirming_a_year_twice_updates_the_source_instead_of_duplicating(self, coordinator):
        services.calendar_year_confirm(actor=coordinator, year=2027, source="draft")
        services.calendar_year_confirm(actor=coordinator, year=2027, source="國辦發明電〔2026〕X號")

        assert list(CalendarYear.objects.values_list("year", "source")) == [(2027, "國辦發明電〔2026〕X號")]

    def test_a_publisher_cannot_confirm_a_calendar_year(self, publisher_a, recording_kind):
        with pytest.raises(PermissionDenied):
            services.calendar_year_confirm(actor=publisher_a, year=2027, source="forged")

        assert not CalendarYear.objects.exists()
        assert recording_kind == []
        assert add_working_days(D(2026, 12, 24), 10).provisional


class TestCalendarAdmin:
    def test_coordinator_adds_a_calendar_day_in_the_admin_and_it_is_recorded_in_history(self, client, coordinator):
        """Given the coordinator in the admin,
        when they add Sat 20 Feb 2027 as a make-up working day,
        then the calendar counts it and the change history names the coordinator."""
        client.force_login(coordinator)

        response = client.post(
            reverse("admin:portal_calendarday_add"),
            {"date": "2027-02-20", "is_working_day": "on", "name": "春節調休"},
        )

        assert response.status_code == 302, response.content[:2000]
        day = CalendarDay.objects.get(date=D(2027, 2, 20))
        assert day.is_working_day
        assert is_working_day(D(2027, 2, 20))
        history = list(day.history.all())
        assert [(h.history_type, h.history_user) for h in history] == [("+", coordinator)]

    def test_a_publisher_cannot_add_a_calendar_day(self, client, publisher_a):
        client.force_login(publisher_a)

        response = client.post(
            reverse("admin:portal_calendarday_add"),
            {"date": "2027-02-20", "is_working_day": "on", "name": "forged"},
        )

        assert response.status_code == 403
        assert not CalendarDay.objects.exists()
