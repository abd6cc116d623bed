"""Issue 12, item 9: the staff journeys in headless Chromium, counting the clicks each takes
(typing aside; choosing a file counts as one click), with axe-core on the staff pages met
on the way. The counts are printed for the closing note and held to the issue's bound."""

import pytest
from django.urls import reverse

from disclosures.models import Disclosure, Status
from tests.browser.conftest import axe_violations
from tests.disclosures.test_tables import HEADER, csv_bytes, recipients
from tests.factories import category

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Clicks:
    """The page, with every click (and file choice) counted; axe-core run on each new page."""

    def __init__(self, page, base_url):
        self.page, self.base, self.count, self.violations = page, base_url, 0, {}
        page.set_default_timeout(90_000)  # the autocomplete's answer, on a busy machine

    def click(self, locator):
        self.count += 1
        locator.click()
        self.page.wait_for_load_state()

    def choose_file(self, locator, **file):
        self.count += 1
        locator.set_input_files(file)

    def check_accessibility(self):
        found = axe_violations(self.page)
        if found:
            import json, os
            with open(os.environ.get("GONGKAI_AXE_LOG", "/dev/null"), "a") as log:
                log.write(self.page.url + " " + json.dumps(found, ensure_ascii=False) + "\n")
        if found:
            self.violations[self.page.url] = found

    def log_in(self, username):
        self.page.context.clear_cookies()
        self.page.goto(self.base + reverse("admin:login"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", f"pw-{username}")
        self.click(self.page.locator("input[type=submit]"))
        self.check_accessibility()


def _draft_by_hand(clicks, page, title, *, attachment=False, table=False):
    """From the home page: add a notice, fill it in, save (and confirm a table's masking)."""
    clicks.click(page.locator('a.addlink[href$="/disclosures/disclosure/add/"]'))
    page.fill("#id_title", title)
    page.fill("#id_summary", "預算收支總表")
    page.fill("#id_body", "收入1200萬元")
    page.fill("#id_formed_on", "2026-03-02")
    clicks.click(page.locator(".field-category .select2-selection"))
    page.locator(".select2-search__field").fill("預算")
    clicks.click(page.locator(".select2-results__option", has_text="預算").first)
    if attachment:
        clicks.choose_file(page.locator('input[name="attachments-0-file"]'),
                           name="預算表.pdf", mimeType="application/pdf", buffer=PDF)
    if table:
        clicks.click(page.locator("#tables-group .add-row a"))
        page.fill('input[name="tables-0-title"]', "補助發放名冊")
        clicks.choose_file(page.locator('input[name="tables-0-source"]'), name="名冊.csv", mimeType="text/csv",
                           buffer=csv_bytes([HEADER, *recipients(5)]))
    clicks.click(page.locator('input[name="_continue"]'))
    clicks.check_accessibility()
    if table:
        clicks.click(page.locator('input[name="tables-0-confirm_masking"]'))
        clicks.click(page.locator('input[name="_continue"]'))


def _review_and_publish(clicks, page, title):
    clicks.click(page.locator('a[href*="todo=disclosure-to-review"]'))
    clicks.check_accessibility()
    clicks.click(page.locator("#result_list a", has_text=title))
    assert "138****" in page.content() or "預算" in page.content()  # the reviewer reads it (no crash)
    clicks.check_accessibility()
    clicks.click(page.locator('button[name="step"][value="approve"]'))
    clicks.click(page.locator('button[name="step"][value="publish"]'))


@pytest.fixture
def county(reference_data, department_a, publisher_a, reviewer_a):
    for user in (publisher_a, reviewer_a):
        user.set_password(f"pw-{user.username}")
        user.is_staff = True
        user.save()
    category("budget")
    return department_a


def test_first_publication_takes_at_most_12_clicks_across_two_accounts(live_server, page, county, capsys):
    clicks = Clicks(page, live_server.url)
    clicks.log_in("publisher_a")
    _draft_by_hand(clicks, page, "2026年縣財政預算公開")
    clicks.click(page.locator('button[name="step"][value="submit"]'))
    publisher = clicks.count
    clicks.log_in("reviewer_a")
    _review_and_publish(clicks, page, "2026年縣財政預算公開")
    assert Disclosure.objects.get().status == Status.PUBLISHED
    with capsys.disabled():
        print(f"\n[clicks] first publication: publisher {publisher} + reviewer {clicks.count - publisher} = {clicks.count}")
    assert clicks.count <= 12
    assert not clicks.violations, clicks.violations


def test_notice_with_attachment_and_table_then_amendment_and_withdrawal(live_server, page, county, capsys):
    clicks = Clicks(page, live_server.url)
    counts = {}
    clicks.log_in("publisher_a")
    _draft_by_hand(clicks, page, "救災資金發放公示", attachment=True, table=True)
    clicks.click(page.locator('button[name="step"][value="submit"]'))
    counts["publisher drafts with an attachment and a data table, submits"] = clicks.count
    clicks.log_in("reviewer_a")
    _review_and_publish(clicks, page, "救災資金發放公示")
    counts["reviewer reads it, approves, publishes"] = clicks.count - sum(counts.values())
    assert Disclosure.objects.get().status == Status.PUBLISHED

    before = clicks.count
    clicks.log_in("publisher_a")
    page.goto(live_server.url + reverse("admin:disclosures_disclosure_change", args=[Disclosure.objects.get().pk]))
    clicks.click(page.locator('button[name="step"][value="amend"]'))
    page.fill("#id_summary", "更正：發放名冊第3行")
    clicks.click(page.locator('input[name="_continue"]'))
    clicks.click(page.locator('button[name="step"][value="submit"]'))
    clicks.log_in("reviewer_a")
    _review_and_publish(clicks, page, "救災資金發放公示")
    counts["amendment (publisher, from the notice's page, and reviewer)"] = clicks.count - before
    assert Disclosure.objects.get().status == Status.PUBLISHED

    before = clicks.count
    clicks.click(page.locator('a.workflow-step[href$="?step=withdraw"]'))
    clicks.check_accessibility()
    page.fill("textarea[name=comment]", "名冊有誤，撤回後重新發布。")
    clicks.click(page.locator('.submit-row input[type="submit"]'))
    counts["withdrawal with reason (reviewer, from the notice's page)"] = clicks.count - before
    assert Disclosure.objects.get().status == Status.WITHDRAWN
    with capsys.disabled():
        for journey, count in counts.items():
            print(f"\n[clicks] {journey}: {count}")
    assert not clicks.violations, clicks.violations


def test_complaint_accepted_assigned_replied_rated_and_closed(live_server, page, county, supervisor, capsys):
    from supervision import services as supervision_services
    from supervision.models import Complaint, Status as ComplaintStatus

    supervisor.set_password("pw-supervisor")
    supervisor.is_staff = True
    supervisor.save()
    filed = supervision_services.complaint_file(kind="complaint", department=county, summary="窗口多收工本費",
                                                details="多收20元", identity=None)
    clicks, counts = Clicks(page, live_server.url), {}

    clicks.log_in("supervisor")
    clicks.click(page.locator('a[href*="todo=complaint-to-accept"]'))
    clicks.click(page.locator("#result_list a", has_text="窗口多收工本費"))
    clicks.check_accessibility()
    clicks.click(page.locator('button[name="step"][value="accept"]'))
    clicks.click(page.locator('a.workflow-step[href$="?step=assign"]'))
    clicks.check_accessibility()
    clicks.count += 1  # choosing the department in the list
    page.select_option("select[name=department]", str(county.pk))
    clicks.click(page.locator('.submit-row input[type="submit"]'))
    counts["supervisor accepts and assigns"] = clicks.count
    assert Complaint.objects.get().status == ComplaintStatus.ASSIGNED

    clicks.log_in("publisher_a")
    clicks.click(page.locator('a[href*="todo=complaint-to-reply"]'))
    clicks.click(page.locator("#result_list a", has_text="窗口多收工本費"))
    clicks.click(page.locator('a.workflow-step[href$="?step=reply"]'))
    page.fill("textarea[name=text]", "經查屬實，\n已退還多收的20元。")
    clicks.click(page.locator('.submit-row input[type="submit"]'))
    counts["the department replies (multi-line)"] = clicks.count - counts["supervisor accepts and assigns"]
    assert Complaint.objects.get().status == ComplaintStatus.REPLIED

    page.context.clear_cookies()
    citizen = Clicks(page, live_server.url)
    page.goto(live_server.url + reverse("supervision:complaint-track"))
    page.fill("input[name=code]", filed.complaint.tracking_code)
    page.fill("input[name=secret]", filed.secret)
    citizen.click(page.locator("form.stacked-form button[type=submit]").last)
    citizen.click(page.locator('input[name="satisfaction"][value="satisfied"]'))
    page.fill("form.stacked-form input[name=secret]", filed.secret)
    citizen.click(page.locator("form.stacked-form button[type=submit]").first)
    counts["the citizen rates, the case closes"] = citizen.count
    assert Complaint.objects.get().status == ComplaintStatus.CLOSED
    with capsys.disabled():
        for journey, count in counts.items():
            print(f"\n[clicks] {journey}: {count}")
    assert not clicks.violations, clicks.violations


def test_window_clerk_registers_an_application_and_hands_over_the_receipt(live_server, page, county, make_staff, capsys):
    """The clerk of the hall (a publisher of the department running it) registers an
    application for another department's item handled at their window, from the home."""
    from approvals.models import Application, ApplicationStatus
    from portal.models import Department
    from portal.roles import Role
    from tests.approvals.factories import ServiceHallFactory, ServiceWindowFactory, establish

    centre = Department.objects.create(code="service-centre", name="行政服務中心", kind=Department.Kind.SERVICE_CENTRE)
    hall = ServiceHallFactory(name="縣政務服務大廳", department=centre)
    window = ServiceWindowFactory(hall=hall, number="7", name="政務大廳7號窗口", departments=[county])
    establish(department=county, code="A-001", name="道路客運經營許可", window=window)
    clerk = make_staff("clerk", Role.PUBLISHER, centre, is_staff=True)
    assert clerk.is_staff

    clicks = Clicks(page, live_server.url)
    clicks.log_in("clerk")
    clicks.click(page.locator('a.addlink[href$="/approvals/application/add/"]'))
    clicks.check_accessibility()  # the empty item picker has a name (portal.admin_forms.NamedAutocompleteSelect)
    clicks.click(page.locator(".field-item .select2-selection"))
    page.locator(".select2-search__field").fill("道路客運")
    clicks.click(page.locator(".select2-results__option", has_text="道路客運經營許可").first)
    clicks.check_accessibility()
    page.fill("#id_applicant_name", "張小明")
    page.fill("#id_applicant_id_number", "11010519491231002X")
    page.fill("#id_applicant_phone", "13812345678")
    clicks.click(page.locator('input[name="_save"]'))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.RECEIVED and application.registered_by == clerk
    assert application.tracking_number in page.content()  # the receipt, with its secret, to print
    clicks.check_accessibility()
    with capsys.disabled():
        print(f"\n[clicks] window clerk registers an application (receipt shown): {clicks.count}")
    assert clicks.count <= 6
    assert not clicks.violations, clicks.violations
