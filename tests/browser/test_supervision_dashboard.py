"""A supervisor's journey in headless Chromium: sign in, open the compliance dashboard, see
which department is late, drill into its overdue rectification order (整改意見, 限期改正),
then export the table (issue 13, item 10)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal import services
from portal.models import Department
from portal.roles import Role
from supervision.models import SupervisionKind
from supervision.services import inspections
from tests.browser.conftest import axe_violations
from tests.supervision.oversight_data import complaint

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-pass-2026"
REQUIREMENT = "在服務大廳公示取水許可收費標準"


@pytest.fixture
def county(live_server, reference_data):
    """Two bureaus; an inspection of the water bureau found the fees unposted, and the
    rectification order it issued 30 days ago (5 working days) is overdue."""
    office = Department.objects.create(code="discipline", name="縣紀委監察室", kind=Department.Kind.OFFICE)
    late = Department.objects.create(code="water", name="縣水利局")
    Department.objects.create(code="finance", name="縣財政局")
    user = get_user_model().objects.create_user("inspector", password=PASSWORD)
    services.staff_profile_save(actor=None, user=user, department=office, role=Role.SUPERVISOR)
    today = timezone.localdate()
    inspection = inspections.inspection_open(actor=user, department=late, kind=SupervisionKind.DISCIPLINE,
                                             title="收費公示專項檢查", inspected_on=today - dt.timedelta(days=31))
    finding = inspections.finding_record(actor=user, inspection=inspection, description="收費標準未上牆",
                                         severity="serious")
    order = inspections.rectification_order_issue(actor=user, department=late, finding=finding, requirement=REQUIREMENT,
                                                  working_days=5, on=today - dt.timedelta(days=30))
    complaint(late, today - dt.timedelta(days=5))
    return live_server.url, order


def test_a_supervisor_finds_the_late_department_and_its_overdue_order_and_exports_the_table(county, page, tmp_path):
    url, order = county
    page.goto(url + "/supervision/dashboard/")
    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/supervision/dashboard/")
    assert page.locator("h1").inner_text().startswith(str(timezone.localdate().year))
    assert page.locator("svg.chart").count() >= 1 or "本年度尚無數據" in page.content()
    assert axe_violations(page) == []

    # The water bureau is the late one: one overdue item, a link to it.
    water = page.locator("#department-table tbody tr", has_text="縣水利局")
    assert water.locator("a.late").count() == 1
    assert page.locator("#department-table tbody tr", has_text="縣財政局").locator("a.late").count() == 0
    water.get_by_role("link", name="縣水利局").click()
    page.wait_for_url("**/supervision/dashboard/departments/water/**")

    # Its drill-down lists the overdue rectification order, with the days it is late.
    overdue = page.locator("table.overdue-items tbody tr", has_text=REQUIREMENT)
    assert overdue.count() == 1
    days_late = (timezone.localdate() - order.due_on).days
    assert overdue.locator("td").nth(1).inner_text().strip() == str(days_late)
    overdue.get_by_role("link").click()
    page.wait_for_url(f"**/admin/supervision/rectificationorder/{order.pk}/change/**")
    assert REQUIREMENT in page.content()

    page.goto(url + "/supervision/dashboard/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 表格（XLSX）").click()
    saved = tmp_path / "table.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook

    rows = list(load_workbook(saved).active.values)
    assert {"discipline", "finance", "water"} <= {row[0] for row in rows[1:]}
    header, water_row = rows[0], next(row for row in rows if row[0] == "water")
    overdue_orders = next(i for i, title in enumerate(header) if "整改意見" in str(title))
    assert water_row[overdue_orders] == 1
