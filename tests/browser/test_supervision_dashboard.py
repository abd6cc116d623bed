"""A supervisor's journey in headless Chromium: sign in, open the compliance dashboard, see
which department is late, drill into its overdue rectification case, then export the table."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals.models import ApplicationStatus, Rating, RectificationCase
from portal import services
from portal.models import Department
from portal.roles import Role
from tests.approvals.factories import ApplicationFactory, establish
from tests.browser.conftest import axe_violations
from tests.supervision.oversight_data import complaint

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-pass-2026"


@pytest.fixture
def county(live_server, reference_data):
    """Two bureaus; the water bureau has a bad rating whose rectification is 10 days overdue."""
    office = Department.objects.create(code="discipline", name="縣紀委監察室", kind=Department.Kind.OFFICE)
    late = Department.objects.create(code="water", name="縣水利局")
    Department.objects.create(code="finance", name="縣財政局")
    user = get_user_model().objects.create_user("inspector", password=PASSWORD)
    services.staff_profile_save(actor=None, user=user, department=office, role=Role.SUPERVISOR)
    item = establish(department=late, code="W-001", name="取水許可")
    today = timezone.localdate()
    application = ApplicationFactory(item=item, received_on=today - dt.timedelta(days=40), due_on=today - dt.timedelta(days=30),
                                     status=ApplicationStatus.COMPLETED, decided_on=today - dt.timedelta(days=31),
                                     completed_on=today - dt.timedelta(days=31))
    rating = Rating.objects.create(application=application, level=1, comment="窗口多次要求補交材料")
    RectificationCase.objects.create(rating=rating, department=late, item=item, opened_on=today - dt.timedelta(days=30),
                                     working_days=10, due_on=today - dt.timedelta(days=10))
    complaint(late, today - dt.timedelta(days=5))
    return live_server.url


def test_a_supervisor_finds_the_late_department_and_exports_the_table(county, page, tmp_path):
    page.goto(county + "/supervision/dashboard/")
    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/supervision/dashboard/")
    assert page.locator("h1").inner_text().startswith(str(timezone.localdate().year))
    assert page.locator("svg.chart").count() >= 1 or "本年度尚無數據" in page.content()
    assert axe_violations(page) == []

    water = page.locator("#department-table tbody tr", has_text="縣水利局")
    assert water.locator("a.late").count() == 1
    water.get_by_role("link", name="縣水利局").click()
    page.wait_for_url("**/supervision/dashboard/departments/water/**")
    overdue = page.locator("table.overdue-items tbody tr", has_text="取水許可")
    assert "10" in overdue.locator("td").nth(1).inner_text()
    overdue.get_by_role("link").click()
    page.wait_for_url("**/admin/approvals/rectificationcase/**")
    assert "取水許可" in page.content()

    page.goto(county + "/supervision/dashboard/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 表格（XLSX）").click()
    saved = tmp_path / "table.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook

    rows = list(load_workbook(saved).active.values)
    assert {"discipline", "finance", "water"} <= {row[0] for row in rows[1:]}
