"""What citizens see: the register, service guides (cancelled ones marked), the fee schedule,
the hall, the results (masked) — each page in a fixed number of queries."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from approvals.models import ApplicantKind, ApplicationStatus, Rating
from tests.approvals.factories import (
    ApplicationFactory,
    FeeItemFactory,
    MaterialFactory,
    ProcedureStepFactory,
    ServiceWindowFactory,
    establish,
)

pytestmark = pytest.mark.django_db

ID_NUMBER, PHONE = "11010519491231002X", "13812345678"


def decided(item, name="張小明", kind=ApplicantKind.PERSON, status=ApplicationStatus.COMPLETED, **fields):
    values = {
        "applicant_name": name, "applicant_kind": kind, "applicant_id_number": ID_NUMBER, "applicant_phone": PHONE,
        "status": status, "decided_on": dt.date(2026, 9, 10), "decision": "准予許可",
        "completed_on": dt.date(2026, 9, 11) if status == ApplicationStatus.COMPLETED else None,
        "rejection_reason": "材料不全" if status == ApplicationStatus.REJECTED else "",
    }
    return ApplicationFactory(item=item, **{**values, **fields})


def populate(department, window, n):
    """``n`` items with materials, steps, fees, changes, applications and ratings each."""
    items = []
    for i in range(n):
        item = establish(department=department, window=window, name=f"許可事項{i}")
        for position in range(3):
            MaterialFactory(item=item, position=position)
            ProcedureStepFactory(item=item, position=position)
        FeeItemFactory(department=department, approval_item=item)
        item.changes.create(kind="adjust", effective_on=dt.date(2025, 1, 1), reason="壓縮時限",
                            changed_fields=[{"field": "promised_limit", "from": "15", "to": "10"}])
        application = decided(item)
        Rating.objects.create(application=application, level=5)
        decided(item, name="漢陰縣順達運輸有限公司", kind=ApplicantKind.ORGANISATION)
        items.append(item)
    return items


PAGES = [
    ("list", lambda item: reverse("approvals:list")),
    ("list filtered", lambda item: reverse("approvals:list") + f"?q=許可&department={item.department.code}&status=all"),
    ("detail", lambda item: item.get_absolute_url()),
    ("fees", lambda item: reverse("approvals:fees")),
    ("results", lambda item: reverse("approvals:results") + "?outcome=granted"),
    ("results csv", lambda item: reverse("approvals:results-csv")),
    ("reform", lambda item: reverse("approvals:reform")),
    ("hall", lambda item: reverse("approvals:hall")),
    ("ratings", lambda item: reverse("approvals:ratings")),
    ("track", lambda item: reverse("approvals:track")),
    ("home", lambda item: "/"),
]


@pytest.mark.parametrize("name,url", PAGES, ids=[name for name, _url in PAGES])
def test_a_public_page_takes_the_same_number_of_queries_for_1_and_for_6_items(
    client, department_a, window, name, url, cold_pages
):
    first = populate(department_a, window, 1)[0]
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(first)).status_code == 200
    more_windows = [ServiceWindowFactory(hall=window.hall, departments=[department_a]) for _ in range(2)]
    for extra_window in more_windows:
        populate(department_a, extra_window, 3)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url(first)).status_code == 200
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]


def test_the_service_guide_shows_basis_materials_steps_limits_fees_log_ratings_and_the_complaint_link(
    client, department_a, window
):
    """Done means: a citizen opens an item's service guide and sees its basis, materials,
    steps, limits and fees."""
    item = populate(department_a, window, 1)[0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(item.get_absolute_url()).content.decode()
    for text in ["《中華人民共和國道路運輸條例》", "第十條", "有與其經營業務相適應", "申請表", "受理",
                 "證照工本費", "¥10.00 / 本", "壓縮時限", "政務大廳7號窗口", "0915-5210012", "100.0%"]:
        assert text in html, text
    assert f'href="/supervision/complaints/new/?approval_item={item.code}"' in html
    assert "handled only at this window" in html


def test_a_cancelled_item_keeps_its_page_clearly_marked_with_the_cancellation(client, coordinator, department_a):
    item = establish(department=department_a, code="C-001")
    services.approval_item_cancel(actor=coordinator, item=item, effective_on=dt.date(2026, 3, 15),
                                  document_number="漢政發〔2026〕12號", reason="可由市場調節")
    response = client.get(item.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "banner-cancelled" in html and "漢政發〔2026〕12號" in html and "可由市場調節" in html
    in_force = establish(department=department_a, code="C-002")
    register = client.get(reverse("approvals:list"))
    assert register.status_code == 200 and in_force.code in register.content.decode()
    assert "C-001" not in register.content.decode()
    assert "C-001" in client.get(reverse("approvals:list") + "?status=cancelled").content.decode()


def test_the_list_filters_and_searches_in_either_script(client, department_a, department_b):
    establish(department=department_a, code="A-100", name="道路運輸經營許可", kind="licensing")
    establish(department=department_b, code="B-100", name="最低生活保障審批", kind="benefit", basis_law="《城市居民最低生活保障條例》")
    def codes(query):
        html = client.get(reverse("approvals:list") + query).content.decode()
        return {code for code in ("A-100", "B-100") if code in html}
    assert codes("") == {"A-100", "B-100"}
    assert codes("?q=运输") == {"A-100"}  # Simplified finds Traditional
    assert codes("?kind=benefit") == {"B-100"}
    assert codes(f"?department={department_a.code}") == {"A-100"}


def test_the_fee_schedule_lists_fees_by_department_and_a_cancelled_fee_separately(client, coordinator, department_a):
    fee = FeeItemFactory.build(department=department_a, code="F-1", name="工本費")
    services.fee_item_establish(actor=coordinator, fee=fee, effective_on=dt.date(2020, 1, 1))
    gone = FeeItemFactory.build(department=department_a, code="F-2", name="已取消的收費")
    services.fee_item_establish(actor=coordinator, fee=gone, effective_on=dt.date(2020, 1, 1))
    services.fee_item_cancel(actor=coordinator, fee=gone, effective_on=dt.date(2026, 4, 1),
                             document_number="漢價發〔2026〕5號", reason="取消")
    html = client.get(reverse("approvals:fees")).content.decode()
    assert 'id="fee-F-1"' in html and 'id="fee-F-2"' not in html
    # The print button's script is a file (no inline script under the CSP); the browser test
    # tests/browser/test_content_security_policy.py clicks it.
    assert "漢價發〔2026〕5號" in html and "print-button" in html and "approvals/print.js" in html


def test_the_hall_shows_windows_their_departments_items_and_hours(client, item_a, department_a):
    html = client.get(reverse("approvals:hall")).content.decode()
    assert "政務大廳7號窗口" in html and department_a.name in html and item_a.name in html and "8:30" in html


# --- masking ----------------------------------------------------------------------------


def test_no_public_output_shows_a_persons_name_id_number_or_phone(client, department_a, window):
    item = populate(department_a, window, 1)[0]
    decided(item, name="李秀英", status=ApplicationStatus.REJECTED, rejection_reason="聯繫人13912345678未到場")
    responses = {
        url: client.get(url)
        for url in [reverse("approvals:results"), reverse("approvals:results-csv"), item.get_absolute_url(),
                    reverse("approvals:ratings"), "/"]
    }
    assert {url: response.status_code for url, response in responses.items()} == {url: 200 for url in responses}
    outputs = {url: response.content.decode("utf-8-sig") for url, response in responses.items()}
    assert item.name in outputs[item.get_absolute_url()]
    for url, body in outputs.items():
        for secret in ["張小明", "李秀英", ID_NUMBER, PHONE, "13912345678", "2345678"]:
            assert secret not in body, (url, secret)
    for url in [reverse("approvals:results"), reverse("approvals:results-csv")]:
        assert "張**" in outputs[url] and "李**" in outputs[url] and "139****5678" in outputs[url]
        assert "漢陰縣順達運輸有限公司" in outputs[url]  # a company in full


def test_the_results_csv_quotes_cells_a_spreadsheet_would_run(client, department_a):
    item = establish(department=department_a)
    decided(item, kind=ApplicantKind.ORGANISATION, name="=HYPERLINK(\"http://x\")")
    body = client.get(reverse("approvals:results-csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
