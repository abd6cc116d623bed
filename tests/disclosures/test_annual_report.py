"""The yearly open-government report: the requests table against a data set counted by hand,
the balance check, a year with no data, the outputs (HTML with each figure traced to its
records, printable, XLSX, the command), and the whole journey of a request into it."""

import datetime as dt
import io
import re

import pytest
from django.utils import translation
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from disclosures.models import AnnualReport, InformationRequest, Status
from disclosures.requests import report as yearly
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
PERSON, COMPANY, RESEARCH, NGO, LAW, OTHER, TOTAL = "person", "company", "research", "ngo", "law_firm", "other", "total"


@pytest.fixture
def data(department_a, department_b, publisher_a, publisher_b):
    """Department A's requests around 2026, each with where it counts (worked out by hand)."""
    def filed(received, kind):
        return file_request(department_a, received_on=received, requester_type=kind)

    def reply(request, on, outcome, reason=""):
        services.request_reply(actor=publisher_a, request=request, outcome=outcome, sub_reason=reason,
                               text="見附件。", on=on)

    reply(filed(D(2025, 12, 20), PERSON), D(2026, 1, 10), "disclosed")           # carried over; disclosed
    reply(filed(D(2025, 11, 3), COMPANY), D(2025, 11, 20), "disclosed")          # all in 2025: not counted
    reply(filed(D(2026, 3, 2), COMPANY), D(2026, 3, 20), "partly")               # new; partly
    reply(filed(D(2026, 5, 11), RESEARCH), D(2026, 5, 20), "not_disclosed", "third_party")
    reply(filed(D(2026, 6, 1), NGO), D(2026, 6, 10), "cannot_provide", "not_held")
    reply(filed(D(2026, 7, 1), LAW), D(2026, 7, 8), "not_processed", "repeat")
    abandoned = filed(D(2026, 8, 3), PERSON)                                     # new; other: not corrected
    services.request_ask_correction(actor=publisher_a, request=abandoned, notice="補正", on=D(2026, 8, 4), days=5)
    services.request_abandon(actor=publisher_a, request=abandoned, on=D(2026, 8, 20))
    filed(D(2026, 12, 28), OTHER)                                                # new; carried into 2027
    reply(filed(D(2026, 12, 15), PERSON), D(2027, 1, 5), "disclosed")            # new; carried into 2027
    reply(filed(D(2026, 4, 1), PERSON), D(2026, 4, 3), "already_public")         # new; counted as disclosed
    services.request_reply(actor=publisher_b, request=file_request(department_b, received_on=D(2026, 2, 2)),
                           outcome="disclosed", on=D(2026, 2, 9))                # B's: only the county's
    return department_a, department_b


def cells(table, row):
    return [table[row][column] for column in (PERSON, COMPANY, RESEARCH, NGO, LAW, OTHER, TOTAL)]


def test_the_requests_table_of_a_department_counted_by_hand(data, django_assert_num_queries):
    a, _b = data
    with django_assert_num_queries(1):
        table = yearly.requests_table(2026, a)
    assert cells(table, "new") == [3, 1, 1, 1, 1, 1, 8]
    assert cells(table, "carried_over") == [1, 0, 0, 0, 0, 0, 1]
    assert cells(table, "disclosed") == [2, 0, 0, 0, 0, 0, 2]
    assert cells(table, "partly") == [0, 1, 0, 0, 0, 0, 1]
    assert cells(table, "not_disclosed") == cells(table, "not_disclosed.third_party") == [0, 0, 1, 0, 0, 0, 1]
    assert cells(table, "not_disclosed.state_secret") == [0] * 7
    assert cells(table, "cannot_provide") == cells(table, "cannot_provide.not_held") == [0, 0, 0, 1, 0, 0, 1]
    assert cells(table, "not_processed") == cells(table, "not_processed.repeat") == [0, 0, 0, 0, 1, 0, 1]
    assert cells(table, "other") == cells(table, "other.not_corrected") == [1, 0, 0, 0, 0, 0, 1]
    assert cells(table, "handled") == [3, 1, 1, 1, 1, 0, 7]
    assert cells(table, "carried_forward") == [1, 0, 0, 0, 0, 1, 2]
    assert yearly.imbalances(2026, a, table) == []


def test_the_next_year_starts_from_what_was_carried_and_the_county_adds_every_department(data):
    a, _b = data
    next_year = yearly.requests_table(2027, a)
    assert cells(next_year, "carried_over")[-1] == 2 and cells(next_year, "handled")[-1] == 1
    assert cells(next_year, "carried_forward")[-1] == 1 and cells(next_year, "new")[-1] == 0
    county = yearly.requests_table(2026)
    assert cells(county, "new") == [4, 1, 1, 1, 1, 1, 9] and cells(county, "disclosed")[-1] == 3


def test_every_figure_leads_to_its_records(data):
    a, _b = data
    behind = yearly.records(2026, a, "disclosed", PERSON)
    assert sorted(r.received_on for r in behind) == [D(2025, 12, 20), D(2026, 4, 1)]
    assert yearly.records(2026, a, "carried_forward").count() == 2


def test_a_year_with_no_data_is_a_report_of_zeros_that_balances(client, department_a, coordinator):
    document = yearly.build(2019, department_a)
    assert all(value == 0 for row in document.requests.values() for value in row.values())
    assert document.balanced
    report = services.annual_report_open(actor=coordinator, year=2019, department=department_a)
    assert report.due_on == D(2020, 1, 31)
    services.annual_report_finalise(actor=coordinator, report=report)
    report.refresh_from_db()
    assert report.status == "final" and report.figures["requests"]["new"][TOTAL] == 0
    assert "0" in call_command_output("--year", "2019", "--department", department_a.code)
    # The coordinator's pages of the empty year: the page, the printable page, the XLSX.
    client.force_login(coordinator)
    page = client.get(reverse("admin:disclosures_annualreport_report", args=[report.pk]))
    assert page.status_code == 200 and "report_row=" not in page.context["fragment"]  # no cell to trace
    assert client.get(reverse("admin:disclosures_annualreport_report", args=[report.pk]) + "?print=1").status_code == 200
    sheet = load_workbook(io.BytesIO(client.get(reverse("admin:disclosures_annualreport_xlsx", args=[report.pk])).content))
    counts = [value for row in sheet.worksheets[0].iter_rows(min_row=3, values_only=True) for value in row[1:]]
    assert counts and set(counts) == {0}


def call_command_output(*args):
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_finalising_freezes_the_figures_and_refuses_a_table_that_does_not_balance(data, coordinator, publisher_a):
    a, _b = data
    report_2026 = services.annual_report_open(actor=coordinator, year=2026, department=a)
    services.annual_report_finalise(actor=coordinator, report=report_2026)
    # A letter of December 2026 registered late: 2026's final report carried 2 into 2027, the records now 3.
    late = file_request(a, received_on=D(2026, 12, 30))
    assert yearly.build(2026, a, AnnualReport.objects.get(pk=report_2026.pk)).requests["new"][TOTAL] == 8  # frozen
    report_2027 = services.annual_report_open(actor=coordinator, year=2027, department=a)
    with pytest.raises(TransitionError, match="carried 2 requests into this year; the records now show 3"):
        services.annual_report_finalise(actor=coordinator, report=report_2027)
    report_2027.refresh_from_db()
    assert report_2027.status == "draft" and report_2027.figures is None
    assert late.pk


def test_the_balance_check_names_each_rule_a_table_breaks(data):
    """The two rules within a year, checked column by column (the records cannot break them;
    a table altered by hand, or a row added to the template without its condition, would)."""
    a, _b = data
    table = yearly.requests_table(2026, a)
    table["partly"][COMPANY] += 1     # the outcomes no longer add up to the total handled
    table["new"][OTHER] += 1          # new + carried over ≠ handled + carried forward
    problems = yearly.imbalances(2026, a, table)
    assert len(problems) == 3  # company: both rules; other: the second
    assert any("Commercial enterprise: the outcomes add up to 2, not the 1 handled." == p for p in problems)
    assert any(p.startswith("Other: new + carried over = 2") for p in problems)


def test_only_the_open_government_office_finalises(data, publisher_a, reviewer_a):
    from django.core.exceptions import PermissionDenied

    a, _b = data
    report = services.annual_report_open(actor=reviewer_a, year=2026, department=a)
    with pytest.raises(PermissionDenied):
        services.annual_report_finalise(actor=reviewer_a, report=report)


def test_the_command_writes_html_and_xlsx(data, tmp_path):
    a, _b = data
    html = tmp_path / "r.html"
    call_command_output("--year", "2026", "--department", a.code, "--format", "html", "--output", str(html))
    text = html.read_text()
    assert "annual-report" in text and "<table" in text
    xlsx = tmp_path / "r.xlsx"
    call_command_output("--year", "2026", "--format", "xlsx", "--output", str(xlsx))
    sheet = load_workbook(xlsx).worksheets[0]
    rows = {str(row[0]).strip(): row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    new = next(values for label, values in rows.items() if label in ("本年新收政府信息公開申請數量", "New requests this year"))
    assert list(new) == [4, 1, 1, 1, 1, 1, 9]


def test_the_yearly_opening_makes_every_draft_with_its_due_date(department_a, department_b, office):
    assert call_command_output("--year", "2026", "--open").startswith("4 ")
    dues = dict(AnnualReport.objects.values_list("department__code", "due_on"))
    assert dues == {"dept-a": D(2027, 1, 31), "dept-b": D(2027, 1, 31), "office": D(2027, 1, 31), None: D(2027, 3, 31)}
    assert call_command_output("--year", "2026", "--open").startswith("0 ")


def test_the_journey_filed_extended_partly_disclosed_published_and_reported(
        client, department_a, publisher_a, reviewer_a, coordinator, office):
    """DESIGN §3.3, the issue's "done": a citizen files a request, the department extends once with a
    reason, replies "partly disclosed" and publishes the reply; the yearly report counts it in the
    right rows and the coordinator prints it."""
    today = timezone.localdate()
    client.post("/disclosures/requests/new/", {
        "department": department_a.pk, "description": "五一村徵地補償款發放明細", "reply_form": "electronic",
        "requester_type": "person", "name": "李四", "phone": "13900000000"})
    request = InformationRequest.objects.get()
    changelist = reverse("admin:disclosures_informationrequest_changelist")

    def act(user, action, **data):
        client.force_login(user)
        response = client.post(changelist, {"action": action, "_selected_action": [request.pk], "index": 0, **data},
                               follow=True)
        assert response.status_code == 200
        return [str(m) for m in response.context["messages"]]

    before = request.due_on
    act(publisher_a, "extend", days=10, text="需調取檔案館存檔")  # not the office head: not offered, nothing done
    request.refresh_from_db()
    assert request.extension_days == 0
    act(reviewer_a, "extend", days=10, text="需調取檔案館存檔")
    request.refresh_from_db()
    assert request.extension_days == 10 and request.due_on > before and request.extension_approved_by == reviewer_a
    act(publisher_a, "reply", outcome="partly", text="補償標準見附件;涉及個人信息部分不予公開。")
    request.refresh_from_db()
    assert request.outcome == "partly" and request.on_time
    act(publisher_a, "publish_reply")
    request.refresh_from_db()
    from disclosures import services as disclosure_services

    disclosure_services.disclosure_approve(actor=reviewer_a, disclosure=request.disclosure)
    disclosure_services.disclosure_publish(actor=reviewer_a, disclosure=request.disclosure)
    request.disclosure.refresh_from_db()
    assert request.disclosure.status == Status.PUBLISHED
    assert "李四" not in client.get(f"/disclosures/{request.disclosure.pk}/").content.decode()

    client.force_login(coordinator)
    response = client.post(reverse("admin:disclosures_annualreport_add"),
                           {"year": today.year, "department": department_a.pk, "overview": "依申請公開工作總體平穩。",
                            **{name: 0 for names in yearly.REVIEW_FIELDS.values() for name in names}})
    assert response.status_code == 302, response.content.decode()[:3000]
    report = AnnualReport.objects.get(year=today.year, department=department_a)
    assert report.overview == "依申請公開工作總體平穩。"
    page = client.get(reverse("admin:disclosures_annualreport_report", args=[report.pk]))
    document = page.context["fragment"]
    partly_row = re.search(r'<tr class="level-1"><th scope="row">[^<]*</th>(.*?)</tr>', document.split("(2)")[1]
                           if "(2)" in document else document)
    assert yearly.requests_table(today.year, department_a)["partly"][TOTAL] == 1
    assert 'report_row=partly' in document and partly_row is not None
    printable = client.get(reverse("admin:disclosures_annualreport_report", args=[report.pk]) + "?print=1")
    assert printable.status_code == 200 and "report_row=" not in printable.context["fragment"]
    trace = client.get(changelist + f"?report_year={today.year}&report_row=partly&report_column=total")
    assert list(trace.context["cl"].result_list) == [request]
    xlsx = client.get(reverse("admin:disclosures_annualreport_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    response = client.post(changelist.replace("informationrequest", "annualreport"),
                           {"action": "finalise", "_selected_action": [report.pk], "index": 0})
    report.refresh_from_db()
    assert report.status == "final" and report.figures["requests"]["partly"][TOTAL] == 1
    client.post(changelist.replace("informationrequest", "annualreport"),
                {"action": "publish", "_selected_action": [report.pk], "index": 0})
    report.refresh_from_db()
    assert report.disclosure is not None and report.disclosure.status == Status.IN_REVIEW
    assert "李四" not in report.disclosure.body


def test_the_demo_year_report_is_complete():
    """``seed_demo`` gives every outcome, an extended and an overdue request, and a balanced 2026."""
    call_command("seed_demo", password="demo-Passw0rd-for-tests", stdout=io.StringIO())
    document = yearly.build(2026)
    table = document.requests
    for row in ("carried_over", "disclosed", "partly", "not_disclosed", "cannot_provide", "not_processed", "other",
                "carried_forward"):
        assert table[row][TOTAL] > 0, row
    assert document.balanced
    assert InformationRequest.objects.filter(extension_days__gt=0, status="received").exists()
    assert InformationRequest.objects.overdue(D(2026, 12, 1)).exists()
    assert {status for status in InformationRequest.objects.values_list("status", flat=True)} == {
        "received", "correction", "consulting", "replied", "abandoned"}
    assert AnnualReport.objects.filter(year=2026, department__isnull=True, due_on=D(2027, 3, 31)).exists()


def test_normative_documents_issued_repealed_and_in_force_come_from_the_published_metadata(
        department_a, publisher_a, reviewer_a, publish):
    from tests.factories import DisclosureFactory

    this_year = timezone.localdate().year
    normative = DisclosureFactory(department=department_a, normative=True, formed_on=D(this_year, 1, 5))
    publish(normative, publisher_a, reviewer_a)
    publish(DisclosureFactory(department=department_a, formed_on=D(this_year, 1, 5)), publisher_a, reviewer_a)
    figures = {f.label: f.value for f in yearly.normative_document_figures(this_year, department_a)}
    assert list(figures.values()) == [1, 0, 1]
    assert [f.value for f in yearly.normative_document_figures(this_year - 1, department_a)] == [0, 0, 0]


def test_every_figure_of_the_report_page_leads_to_as_many_records(
        client, department_a, department_b, publisher_a, reviewer_a, publisher_b, make_staff, coordinator, publish,
        data):
    """The report page links each figure the portal counts — the requests table's cells and
    section 2's — to the records behind it, and the list there holds exactly that many."""
    from approvals.models import ApplicationStatus
    from tests.approvals.factories import ApplicationFactory, establish
    from tests.factories import DisclosureFactory

    from portal.roles import Role

    a, b = department_a, department_b
    reviewer_b = make_staff("reviewer_b", Role.REVIEWER, b)
    for department, normative, publisher, reviewer in ((a, True, publisher_a, reviewer_a),
                                                       (a, False, publisher_a, reviewer_a),
                                                       (b, True, publisher_b, reviewer_b)):
        publish(DisclosureFactory(department=department, normative=normative, formed_on=D(2026, 1, 5)), publisher,
                reviewer)
    item = establish(department=a, code="A-001", name="道路客運經營許可", on=D(2010, 1, 1))
    for decided_on in (D(2026, 3, 2), D(2026, 5, 6), D(2025, 12, 1)):
        ApplicationFactory(item=item, status=ApplicationStatus.DECIDED, decided_on=decided_on,
                           received_on=decided_on - dt.timedelta(days=3))
    ApplicationFactory(item=establish(department=b, code="B-001", name="採礦許可", on=D(2010, 1, 1)),
                       status=ApplicationStatus.DECIDED, decided_on=D(2026, 4, 1), received_on=D(2026, 3, 20))

    client.force_login(coordinator)
    this_year = timezone.localdate().year
    checked = 0
    for department in (a, None):
        report = services.annual_report_open(actor=coordinator, year=this_year, department=department)
        html = client.get(reverse("admin:disclosures_annualreport_report", args=[report.pk])).content.decode()
        links = re.findall(r'<a href="(/admin/[^"]+\?[^"]*report_(?:row|figure)=[^"]+|/admin/approvals/[^"]+)">(\d+)</a>',
                           html)
        figure_links = [href for href, _n in links if "report_row=" not in href]
        assert len(figure_links) == 5  # first published, normative issued / repealed / in force, licensing
        for href, shown in links:
            page = client.get(href.replace("&amp;", "&"))
            assert page.status_code == 200, href
            assert page.context["cl"].result_count == int(shown), href
            checked += 1
    licensing = next(f for f in yearly.proactive_figures(this_year, a) if f.trace and "approvals" in f.trace[0])
    assert licensing.value == (2 if this_year == 2026 else 0)
    assert checked > 10
