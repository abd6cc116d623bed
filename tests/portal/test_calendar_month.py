"""Issue 12, item 4: the working-day calendar as a calendar — a month grid for the
coordinator, overrides edited from it, and the open due dates a change would move shown
before anything is saved."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from portal.events import events_for
from portal.models import CalendarDay
from supervision.models import Complaint
from tests.portal.test_deadline_engine import open_complaint

pytestmark = pytest.mark.django_db
D = dt.date
MONTH = reverse("admin:portal_calendarday_month")


def day_url(day):
    return reverse("admin:portal_calendarday_day", args=[day.isoformat()])


def cells(html):
    """{day of month: the words of its cell} from the grid."""
    found = re.findall(r'<td class="calendar-day ([\w ]+)">(.*?)</td>', html, re.S)
    return {int(re.search(r'calendar-date">(\d+)<', body).group(1)): (kinds, re.sub(r"<[^>]+>|\s+", " ", body))
            for kinds, body in found if "empty" not in kinds}


def test_the_spring_festival_month_shows_holidays_make_up_saturdays_and_weekends(client, coordinator):
    client.force_login(coordinator)
    page = client.get(MONTH, {"month": "2026-02"}).content.decode()
    days = cells(page)
    assert len(days) == 28
    assert days[16][0].startswith("holiday") and "除夕" in days[16][1] and "節假日" in days[16][1]  # Monday 16 Feb
    assert days[17][0].startswith("holiday") and "春節" in days[17][1]
    assert days[14][0].startswith("makeup") and "調休上班" in days[14][1]  # Saturday 14 Feb, worked
    assert days[28][0].startswith("makeup") and days[21][0].startswith("rest")
    assert days[10][0].startswith("working")
    assert day_url(D(2026, 2, 16)) in page
    assert "尚未確認" not in page  # 2026 has its official schedule
    provisional = client.get(MONTH, {"month": "2027-02"}).content.decode()
    assert "2027 年正式節假日安排尚未確認" in provisional
    assert cells(provisional)[1][0].startswith("working")  # Monday 1 Feb 2027


def test_a_day_off_entered_from_the_grid_shows_what_it_moves_first_then_moves_it(client, coordinator, department_a):
    crossing = open_complaint(department_a, received_on=D(2026, 11, 20), due_on=D(2026, 12, 11))
    elsewhere = open_complaint(department_a, received_on=D(2026, 11, 2), due_on=D(2026, 11, 30))
    client.force_login(coordinator)
    preview = client.post(day_url(D(2026, 12, 10)), {"is_working_day": "0", "name": "縣慶", "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "2026-12-11" in text and "2026-12-14" in text
    assert f"/{crossing.pk}/" in text and f"/{elsewhere.pk}/" not in text
    assert not CalendarDay.objects.exists()  # nothing saved by a preview
    assert Complaint.objects.get(pk=crossing.pk).due_on == D(2026, 12, 11)

    saved = client.post(day_url(D(2026, 12, 10)), {"is_working_day": "0", "name": "縣慶", "confirm": "1"})
    assert saved.status_code == 302 and saved["Location"].endswith("?month=2026-12")
    assert CalendarDay.objects.get(date=D(2026, 12, 10)).name == "縣慶"
    assert Complaint.objects.get(pk=crossing.pk).due_on == D(2026, 12, 14)
    assert Complaint.objects.get(pk=elsewhere.pk).due_on == D(2026, 11, 30)
    assert any(event.kind == "calendar.day_changed" for event in events_for(CalendarDay.objects.get()))
    grid = cells(client.get(MONTH, {"month": "2026-12"}).content.decode())
    assert "override" in grid[10][0] and "縣慶" in grid[10][1] and grid[10][0].startswith("holiday")


def test_removing_an_override_from_the_grid_previews_then_moves_the_dates_back(client, coordinator, department_a):
    from portal import services

    crossing = open_complaint(department_a, received_on=D(2026, 11, 20), due_on=D(2026, 12, 11))
    services.calendar_day_save(actor=coordinator, date=D(2026, 12, 10), is_working_day=False, name="縣慶")
    assert Complaint.objects.get(pk=crossing.pk).due_on == D(2026, 12, 14)
    client.force_login(coordinator)
    preview = client.post(day_url(D(2026, 12, 10)), {"remove": "1"}).content.decode()
    assert "2026-12-14" in preview and "2026-12-11" in preview and CalendarDay.objects.exists()
    removed = client.post(day_url(D(2026, 12, 10)), {"remove": "1", "confirm": "1"})
    assert removed.status_code == 302 and not CalendarDay.objects.exists()
    assert Complaint.objects.get(pk=crossing.pk).due_on == D(2026, 12, 11)


def test_only_the_coordinator_edits_supervisors_look_others_are_refused(client, supervisor, publisher_a):
    client.force_login(supervisor)
    page = client.get(MONTH, {"month": "2026-02"})
    assert page.status_code == 200 and day_url(D(2026, 2, 16)) not in page.content.decode()
    assert client.get(day_url(D(2026, 2, 16))).status_code == 403
    assert client.post(day_url(D(2026, 2, 16)), {"is_working_day": "1", "confirm": "1"}).status_code == 403
    assert not CalendarDay.objects.exists()
    client.force_login(publisher_a)
    assert client.get(MONTH).status_code == 403


@pytest.mark.parametrize("month", ["abc", "2026-13", "9999-01", "2026-02-01", ""])
def test_a_month_that_is_no_month_shows_this_month_with_a_word(client, coordinator, month):
    client.force_login(coordinator)
    page = client.get(MONTH, {"month": month})
    assert page.status_code == 200 and len(cells(page.content.decode())) >= 28


def test_a_day_that_is_no_day_goes_back_to_the_month(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("admin:portal_calendarday_day", args=["2026-02-30"])).status_code == 302
    assert client.post(day_url(D(2026, 3, 5)), {"is_working_day": "maybe", "confirm": "1"}).status_code == 200
    assert not CalendarDay.objects.exists()
