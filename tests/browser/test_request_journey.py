"""Issue 14, "Done means", in headless Chromium in zh-Hant, through the pages a citizen and the
staff use: a citizen files a request; the office head extends it once with a reason; the
department replies "partly disclosed" and publishes the reply, which the reviewer approves
and publishes without the requester's name; the citizen reads the reply with code and
secret; the coordinator opens the yearly report, finds the request in the "partly disclosed"
row (and, from the cell, the request itself) and prints the report. axe-core runs on the
citizen's pages (form, slip, tracking with the reply) and on the report."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import AnnualReport, InformationRequest, Status
from tests.browser.conftest import WCAG_AA, axe_violations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NAME = "歐陽明遠"
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


@pytest.fixture
def staff(reference_data, department_a, publisher_a, reviewer_a, coordinator):
    for user in (publisher_a, reviewer_a, coordinator):
        user.is_staff = True
        user.save()
    return department_a


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def take_step(page, base, request, step, **fields):
    """From the request's admin page: the step's button, its form filled in, submitted."""
    page.goto(base + reverse("admin:disclosures_informationrequest_change", args=[request.pk]))
    link = page.locator(f'a.workflow-step[href$="?step={step}"]')
    if link.count():
        link.click()
        page.wait_for_load_state()
        for name, value in fields.items():
            if page.locator(f"select[name={name}]").count():
                page.select_option(f"select[name={name}]", value)
            else:
                page.fill(f"[name={name}]", value)
        page.locator('.submit-row input[type="submit"]').click()
    else:
        page.locator(f'button[name="step"][value="{step}"]').click()
    page.wait_for_load_state()


def test_filed_extended_partly_disclosed_published_reported_and_printed(live_server, page, staff):
    base, department = live_server.url, staff
    page.set_default_timeout(90_000)
    violations = {}

    def check(label):
        found = axe_violations(page, impacts=ALL_IMPACTS, tags=WCAG_AA)
        if found:
            violations[label] = found

    # A citizen files, without an account, and keeps the slip.
    page.goto(base + "/disclosures/requests/new/")
    check("form")
    page.select_option("select[name=department]", str(department.pk))
    page.fill("textarea[name=description]", "2026年城關鎮五一村徵地補償款發放明細")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=phone]", "13912345678")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/disclosures/requests/filed/")
    check("slip")
    code, secret = page.locator("code.big-code").all_inner_texts()
    request = InformationRequest.objects.get(tracking_code=code)
    first_due = request.due_on

    # The office head extends once, with the reason the requester will read.
    log_in(page, base, "reviewer_a")
    take_step(page, base, request, "extend", days="10", text="需調取檔案館存檔")
    request.refresh_from_db()
    assert request.extension_days == 10 and request.due_on > first_due
    assert not page.locator('a.workflow-step[href$="?step=extend"]').count()  # once only

    # The department replies "partly disclosed" and publishes the reply.
    log_in(page, base, "publisher_a")
    take_step(page, base, request, "reply", outcome="partly", text=f"{NAME}先生:補償標準見附件;涉及個人信息部分不予公開。")
    request.refresh_from_db()
    assert (request.status, request.outcome, request.on_time) == ("replied", "partly", True)
    take_step(page, base, request, "publish_reply")
    request.refresh_from_db()
    disclosure = request.disclosure
    assert disclosure is not None and disclosure.status == Status.IN_REVIEW

    # The reviewer approves and publishes it like any disclosure: nobody is named.
    log_in(page, base, "reviewer_a")
    page.goto(base + reverse("admin:disclosures_disclosure_change", args=[disclosure.pk]))
    page.locator('button[name="step"][value="approve"]').click()
    page.wait_for_load_state()
    page.locator('button[name="step"][value="publish"]').click()
    page.wait_for_load_state()
    disclosure.refresh_from_db()
    assert disclosure.status == Status.PUBLISHED
    page.context.clear_cookies()
    page.goto(base + f"/disclosures/{disclosure.pk}/")
    public = page.content()
    assert "補償標準見附件" in public and NAME not in public and code not in public

    # The citizen reads the reply, with the extension and its reason.
    page.goto(base + "/disclosures/requests/track/")
    page.fill("input[name=code]", code)
    page.fill("input[name=secret]", secret)
    page.locator("form.stacked-form button[type=submit]").last.click()
    page.wait_for_load_state()
    tracked = page.content()
    assert "補償標準見附件" in tracked and "需調取檔案館存檔" in tracked and secret not in tracked
    check("tracking with the reply")

    # The coordinator opens the year's report for the department; the request is in row (2).
    log_in(page, base, "coordinator")
    year = timezone.localdate().year
    page.goto(base + reverse("admin:disclosures_annualreport_add"))
    page.fill("#id_year", str(year))
    page.select_option("#id_department", str(department.pk))
    page.fill("#id_overview", "依申請公開工作總體平穩。")
    page.locator('input[name="_save"]').click()
    page.wait_for_load_state()
    report = AnnualReport.objects.get(year=year, department=department)
    page.goto(base + reverse("admin:disclosures_annualreport_report", args=[report.pk]))
    check("yearly report")
    partly = page.locator('a[href*="report_row=partly&report_column=total"]')
    assert partly.inner_text() == "1"
    handled = page.locator('a[href*="report_row=handled&report_column=total"]')
    assert handled.inner_text() == "1"
    partly.click()
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").count() == 1 and code[:8] in page.content()

    # The printable page: the same table, no links, nothing of the admin around it on paper.
    page.goto(base + reverse("admin:disclosures_annualreport_report", args=[report.pk]) + "?print=1")
    printed = page.content()
    assert "report_row=" not in printed and "依申請公開工作總體平穩。" in printed
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    row = page.locator("table.requests-table tr.level-1").nth(1)  # (1) disclosed, (2) partly, …
    assert re.sub(r"\s+", " ", row.inner_text()).strip().endswith("1")

    assert violations == {}, violations


def test_a_clerk_registers_a_letter_and_prints_the_slip(live_server, page, staff, tmp_path):
    """Issue 14, item 2: a request received by letter on a Saturday, registered in the admin;
    the slip shows the day counted from and the secret once, prints alone, and is accessible."""
    base, department = live_server.url, staff
    page.set_default_timeout(90_000)
    log_in(page, base, "publisher_a")
    page.goto(base + reverse("admin:disclosures_informationrequest_add"))
    page.select_option("#id_department", str(department.pk))
    page.select_option("#id_channel", "letter")
    page.fill("#id_received_on", "2026-09-26")
    page.select_option("#id_requester_type", "person")
    page.fill("#id_name", NAME)
    page.fill("#id_address", "城關鎮五一路3號")
    page.fill("#id_description", "2026年城關鎮道路改造工程招標文件")
    page.locator("#id_reply_form").select_option("paper")
    page.locator('input[name="_save"]').click()
    page.wait_for_load_state()
    request = InformationRequest.objects.get()
    assert page.url.endswith(reverse("admin:disclosures_informationrequest_secret", args=[request.pk]))
    code, secret = page.locator("code.big-code").all_inner_texts()
    assert code == request.tracking_code and len(secret) == 14
    assert str(request.counted_from.day) in page.locator(".slip").inner_text()  # Monday 28 September
    assert page.locator("[data-print]").is_visible()
    assert axe_violations(page, impacts=ALL_IMPACTS, tags=WCAG_AA) == []
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.slip')).visibility") == "visible"
    page.emulate_media(media="screen")
    page.reload()
    assert secret not in page.content()
