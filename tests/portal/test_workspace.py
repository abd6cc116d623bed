"""Issue 12, item 1: each role's home shows what waits for them, counted in the database
with a constant number of queries, each number a link to the same rows in the list."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from supervision import services as supervision_services
from supervision.models import Complaint
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db
HOME = reverse("admin:index")


def tiles(client):
    """{tile key: (count, link)} as the home page shows them."""
    html = client.get(HOME).content.decode()
    found = re.findall(r'<a href="([^"]*\?todo=([\w-]+))"><span class="workspace-count">(\d+)</span>', html)
    return {key: (int(count), url.replace("&amp;", "&")) for url, key, count in found}


def listed(client, url):
    return {obj.pk for obj in client.get(url).context["cl"].queryset}


def test_the_publisher_sees_drafts_and_returned_notices_and_each_number_opens_those_rows(
    client, department_a, publisher_a, reviewer_a, publisher_b
):
    mine = DisclosureFactory(department=department_a, created_by=publisher_a)
    returned = DisclosureFactory(department=department_a, created_by=publisher_a)
    DisclosureFactory(department=publisher_b.staff_profile.department, created_by=publisher_b)
    services.disclosure_submit(actor=publisher_a, disclosure=returned)
    services.disclosure_return(actor=reviewer_a, disclosure=returned, comment="請補充依據")

    client.force_login(publisher_a)
    shown = tiles(client)
    assert shown["disclosure-my-drafts"][0] == 2 and shown["disclosure-returned"][0] == 1
    assert "disclosure-to-review" not in shown and "complaint-to-accept" not in shown
    assert listed(client, shown["disclosure-returned"][1]) == {returned.pk}
    assert listed(client, shown["disclosure-my-drafts"][1]) == {mine.pk, returned.pk}

    services.disclosure_submit(actor=publisher_a, disclosure=mine)
    client.force_login(reviewer_a)
    shown = tiles(client)
    assert shown["disclosure-to-review"][0] == 1 and "disclosure-my-drafts" not in shown
    assert listed(client, shown["disclosure-to-review"][1]) == {mine.pk}


def test_overdue_deadlines_from_the_registry_and_complaints_to_handle(client, department_a, supervisor, publisher_a):
    late = supervision_services.complaint_file(kind="complaint", department=department_a, summary="遲了",
                                               details="d", identity=None).complaint
    Complaint.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    supervision_services.complaint_file(kind="complaint", department=department_a, summary="新", details="d",
                                        identity=None)
    client.force_login(supervisor)
    shown = tiles(client)
    assert shown["complaint-to-accept"][0] == 2 and shown["overdue-complaint"][0] == 1
    assert listed(client, shown["overdue-complaint"][1]) == {late.pk}
    client.force_login(publisher_a)  # not yet assigned to the department: nothing of it shows
    assert tiles(client).get("complaint-to-reply", (0,))[0] == 0 and "complaint-to-accept" not in tiles(client)


def test_the_home_page_counts_with_the_same_queries_for_few_and_many_rows(client, department_a, publisher_a):
    client.force_login(publisher_a)
    DisclosureFactory(department=department_a, created_by=publisher_a)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for _n in range(15):
        DisclosureFactory(department=department_a, created_by=publisher_a)
    with CaptureQueriesContext(connection) as many:
        page = client.get(HOME)
    assert tiles(client)["disclosure-my-drafts"][0] == 16 and page.status_code == 200
    assert len(many) == len(few)


def test_reminders_nobody_could_be_told_of_wait_on_the_coordinators_home(client, coordinator, supervisor, publisher_a):
    from portal.models import Reminder

    told = dict(kind="complaint", stage="due", audience="responsible", due_on=dt.date(2026, 3, 2))
    nobody = Reminder.objects.create(object_id=1, state=Reminder.State.UNDELIVERABLE, **told)
    Reminder.objects.create(object_id=2, state=Reminder.State.SENT, **told)
    client.force_login(coordinator)
    count, link = tiles(client)["reminders-undeliverable"]
    assert count == 1 and listed(client, link) == {nobody.pk}
    for other in (supervisor, publisher_a):
        client.force_login(other)
        assert "reminders-undeliverable" not in tiles(client)


def test_provisional_due_dates_are_counted_on_the_home_only_while_there_are_some(client, department_a, supervisor):
    filed = supervision_services.complaint_file(kind="complaint", department=department_a, summary="跨年",
                                                details="d", identity=None).complaint
    client.force_login(supervisor)
    assert "provisional-complaint" not in tiles(client)
    Complaint.objects.filter(pk=filed.pk).update(due_provisional=True)
    count, link = tiles(client)["provisional-complaint"]
    assert count == 1 and listed(client, link) == {filed.pk}


def test_the_home_says_which_years_schedule_is_unconfirmed_and_what_confirming_it_does(client, coordinator,
                                                                                      publisher_a, monkeypatch):
    from portal.calendar import official_package_covers
    from portal.models import CalendarYear

    year = next(y for y in range(2027, 2100) if not official_package_covers(y))
    confirm = reverse("admin:portal_calendaryear_add")
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(year - 1, 12, 1))
    client.force_login(coordinator)
    page = client.get(HOME).content.decode()
    assert f"{year} 年正式節假日安排尚未確認" in page and confirm in page
    client.force_login(publisher_a)  # told too, without the link to confirm it
    page = client.get(HOME).content.decode()
    assert f"{year} 年正式節假日安排尚未確認" in page and confirm not in page
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(year - 1, 6, 1))  # too early to matter
    assert "節假日安排尚未確認" not in client.get(HOME).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(year - 1, 12, 1))
    CalendarYear.objects.create(year=year, source="國務院辦公廳通知")
    assert "節假日安排尚未確認" not in client.get(HOME).content.decode()
