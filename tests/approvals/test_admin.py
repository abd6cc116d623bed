"""Departments keep their items, fees and applications in the admin, each only its own;
every save goes through a service and leaves a change log or an event."""

import datetime as dt

import pytest
from django.urls import reverse

from approvals.models import Application, ApprovalItem, FeeItem, ItemChange, ItemStatus
from portal.events import events_for
from tests.approvals.factories import ApplicationFactory, FeeItemFactory, establish

pytestmark = pytest.mark.django_db


def item_form(department, window="", **fields):
    values = {
        "code": "A-900", "name": "道路貨物運輸經營許可", "department": department.pk, "kind": "licensing",
        "basis_law": "《道路運輸條例》", "basis_article": "", "basis_document": "", "conditions": "有車輛",
        "statutory_limit": "20", "promised_limit": "10", "window": window, "location": "", "consultation_phone": "1",
        "complaint_phone": "2", "online_url": "", "change_effective_on": "2026-01-05", "change_document_number": "漢政發〔2026〕1號",
        "change_reason": "",
    }
    for prefix in ("materials", "steps", "fees", "changes"):
        values.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**values, **fields}


def change_form(item, **fields):
    values = item_form(item.department, window=item.window_id or "", code=item.code, name=item.name,
                       conditions=item.conditions, basis_law=item.basis_law, basis_article=item.basis_article,
                       statutory_limit=str(item.statutory_limit), promised_limit=str(item.promised_limit),
                       consultation_phone=item.consultation_phone, complaint_phone=item.complaint_phone,
                       change_effective_on="", change_document_number="")
    values["changes-TOTAL_FORMS"] = values["changes-INITIAL_FORMS"] = str(item.changes.count())
    for index, change in enumerate(item.changes.all()):
        values[f"changes-{index}-id"] = change.pk
        values[f"changes-{index}-item"] = item.pk
    return {**values, **fields}


# --- scoping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_a_publisher_of_b_gets_404_on_department_as_item_pages(client, publisher_b, item_a, page):
    client.force_login(publisher_b)
    response = client.get(reverse(f"admin:approvals_approvalitem_{page}", args=[item_a.pk]))
    assert response.status_code in (404, 403) if page == "delete" else response.status_code == 404


def test_a_publisher_sees_only_their_departments_items_and_fees(client, publisher_b, item_a, item_b, department_a):
    FeeItemFactory(department=department_a, code="FEE-A", approval_item=item_a)
    FeeItemFactory(department=item_b.department, code="FEE-B", approval_item=item_b)
    client.force_login(publisher_b)
    items = client.get(reverse("admin:approvals_approvalitem_changelist")).content.decode()
    assert item_b.code in items and item_a.code not in items
    fees = client.get(reverse("admin:approvals_feeitem_changelist"))
    assert fees.status_code == 200 and "FEE-B" in fees.content.decode()
    assert "FEE-A" not in fees.content.decode()
    fee = FeeItem.objects.get(code="FEE-A")
    assert client.get(reverse("admin:approvals_feeitem_change", args=[fee.pk])).status_code == 404


def test_a_publisher_of_b_cannot_add_an_item_to_a(client, publisher_b, department_a):
    client.force_login(publisher_b)
    response = client.post(reverse("admin:approvals_approvalitem_add"), item_form(department_a))
    assert response.status_code == 200 and "department" in response.context["adminform"].form.errors
    assert not ApprovalItem.objects.exists()


def test_a_publisher_of_b_cannot_change_or_cancel_as_item_by_a_hand_made_post(client, publisher_b, item_a):
    client.force_login(publisher_b)
    response = client.post(reverse("admin:approvals_approvalitem_change", args=[item_a.pk]), change_form(item_a, name="改名"))
    assert response.status_code == 404
    client.post(reverse("admin:approvals_approvalitem_changelist"), {
        "action": "cancel", "_selected_action": [item_a.pk], "text": "取消", "document_number": "x",
    })
    item_a.refresh_from_db()
    assert item_a.name != "改名" and item_a.status == ItemStatus.IN_FORCE


# --- editing through the services --------------------------------------------------------------


def test_an_item_added_in_admin_is_established_in_the_change_log(client, publisher_a, department_a):
    client.force_login(publisher_a)
    response = client.post(reverse("admin:approvals_approvalitem_add"), item_form(department_a), follow=True)
    assert response.status_code == 200, response.context["adminform"].form.errors if response.context.get("adminform") else ""
    item = ApprovalItem.objects.get(code="A-900")
    change = item.changes.get()
    assert (change.kind, change.effective_on, change.document_number) == ("establish", dt.date(2026, 1, 5), "漢政發〔2026〕1號")
    assert [event.kind for event in events_for(item)] == ["item.established"]


def test_the_admin_says_promised_above_statutory_is_an_error_not_a_crash(client, publisher_a, department_a):
    client.force_login(publisher_a)
    response = client.post(reverse("admin:approvals_approvalitem_add"), item_form(department_a, promised_limit="30"))
    assert response.status_code == 200 and "promised_limit" in response.context["adminform"].form.errors


def test_changing_a_limit_in_admin_asks_for_the_reason_then_logs_the_adjustment(client, publisher_a, item_a):
    client.force_login(publisher_a)
    url = reverse("admin:approvals_approvalitem_change", args=[item_a.pk])
    refused = client.post(url, change_form(item_a, promised_limit="5"))
    assert refused.status_code == 200 and "change_reason" in refused.context["adminform"].form.errors
    done = client.post(url, change_form(item_a, promised_limit="5", change_reason="壓縮時限"))
    assert done.status_code == 302
    item_a.refresh_from_db()
    assert item_a.promised_limit == 5 and item_a.status == ItemStatus.ADJUSTED
    assert item_a.changes.filter(kind="adjust", reason="壓縮時限").exists()


def test_the_cancel_action_takes_date_document_and_reason_and_a_cancelled_item_is_read_only(client, publisher_a, item_a):
    client.force_login(publisher_a)
    client.post(reverse("admin:approvals_approvalitem_changelist"), {
        "action": "cancel", "_selected_action": [item_a.pk], "on": "2026-03-15",
        "document_number": "漢政發〔2026〕12號", "text": "可由市場調節",
    })
    change = ItemChange.objects.get(item=item_a, kind="cancel")
    assert (change.effective_on, change.document_number, change.reason) == (dt.date(2026, 3, 15), "漢政發〔2026〕12號", "可由市場調節")
    response = client.post(reverse("admin:approvals_approvalitem_change", args=[item_a.pk]), change_form(item_a, name="改"))
    assert response.status_code == 403
    item_a.refresh_from_db()
    assert item_a.name != "改"


def test_a_fee_added_inline_is_established(client, publisher_a, item_a):
    client.force_login(publisher_a)
    form = change_form(item_a, **{
        "fees-TOTAL_FORMS": "1", "fees-0-code": "F-900", "fees-0-name": "工本費", "fees-0-legal_basis": "財綜〔2003〕5號",
        "fees-0-standard_kind": "fixed", "fees-0-amount": "10", "fees-0-currency": "CNY", "fees-0-unit": "證",
        "fees-0-reductions": "", "fees-0-approval_item": item_a.pk,
    })
    response = client.post(reverse("admin:approvals_approvalitem_change", args=[item_a.pk]), form)
    assert response.status_code == 302, response.context["inline_admin_formsets"][2].formset.errors
    fee = FeeItem.objects.get(code="F-900")
    assert fee.department == item_a.department and fee.changes.get().kind == "establish"


# --- applications ------------------------------------------------------------------------------


def test_the_clerk_sees_the_applications_of_hall_items_whole(client, clerk, item_a, item_b):
    hall = ApplicationFactory(item=item_a, applicant_name="張小明")
    other = ApplicationFactory(item=item_b)
    client.force_login(clerk)
    html = client.get(reverse("admin:approvals_application_changelist")).content.decode()
    assert hall.tracking_number in html and other.tracking_number not in html and "張小明" in html
    assert client.get(reverse("admin:approvals_application_change", args=[other.pk])).status_code == 404


def test_a_supervisor_sees_applications_masked_and_not_their_history(client, supervisor, item_a):
    application = ApplicationFactory(item=item_a, applicant_name="張小明", applicant_phone="13812345678",
                                     applicant_id_number="11010519491231002X")
    client.force_login(supervisor)
    listing = client.get(reverse("admin:approvals_application_changelist")).content.decode()
    page = client.get(reverse("admin:approvals_application_change", args=[application.pk])).content.decode()
    for html in (listing, page):
        assert application.tracking_number in html
        assert "張小明" not in html and "13812345678" not in html and "11010519491231002X" not in html
    assert "張**" in page and "138****5678" in page and "110105********002X" in page
    assert client.get(reverse("admin:approvals_application_history", args=[application.pk])).status_code == 403


def test_the_decide_action_records_the_decision(client, reviewer_a, item_a):
    application = ApplicationFactory(item=item_a, received_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 9, 15))
    client.force_login(reviewer_a)
    client.post(reverse("admin:approvals_application_changelist"), {
        "action": "decide", "_selected_action": [application.pk], "on": "2026-09-10", "text": "准予許可",
    })
    application.refresh_from_db()
    assert (application.status, application.decision, application.decided_on) == ("decided", "准予許可", dt.date(2026, 9, 10))
    assert Application.objects.decided().count() == 1


# --- blank forms ---------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def material_form(item, upload, **fields):
    form = change_form(item, **fields)
    form.update({
        "materials-TOTAL_FORMS": "1", "materials-0-position": "1", "materials-0-name": "申請表", "materials-0-form": "original",
        "materials-0-copies": "1", "materials-0-mandatory": "on", "materials-0-notes": "", "materials-0-blank_form": upload,
        "materials-0-item": item.pk,
    })
    return form


def test_a_blank_form_is_checked_by_content_and_served_as_a_download(client, publisher_a, item_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(publisher_a)
    url = reverse("admin:approvals_approvalitem_change", args=[item_a.pk])
    disguised = SimpleUploadedFile("申請表.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = client.post(url, material_form(item_a, disguised))
    assert refused.status_code == 200 and not item_a.materials.exists()
    assert client.post(url, material_form(item_a, SimpleUploadedFile("申請表.pdf", PDF))).status_code == 302
    material = item_a.materials.get()
    assert (material.blank_form_name, material.blank_form_type) == ("申請表.pdf", "application/pdf")

    client.logout()
    response = client.get(reverse("approvals:blank-form", args=[item_a.code, material.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment") and b"".join(response.streaming_content) == PDF
    other = establish(department=item_a.department, code="A-777")
    assert client.get(reverse("approvals:blank-form", args=[other.code, material.pk])).status_code == 404
