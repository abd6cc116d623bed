"""The open-data API of approvals: items, fees and published decisions, masked as the pages are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApplicantKind, ApplicationStatus
from tests.approvals.factories import ApplicationFactory, FeeItemFactory, MaterialFactory, ProcedureStepFactory, establish

pytestmark = pytest.mark.django_db


def decided(item, **fields):
    values = {
        "applicant_name": "張小明", "applicant_id_number": "11010519491231002X", "applicant_phone": "13812345678",
        "status": ApplicationStatus.DECIDED, "decided_on": dt.date(2026, 9, 10), "decision": "准予,聯繫13912345678",
    }
    return ApplicationFactory(item=item, **{**values, **fields})


def test_published_decisions_are_masked_in_json_and_csv(client, department_a):
    item = establish(department=department_a)
    person = decided(item, decided_on=dt.date(2026, 9, 11))
    decided(item, applicant_kind=ApplicantKind.ORGANISATION, applicant_name="漢陰縣順達客運有限公司",
            status=ApplicationStatus.REJECTED, rejection_reason="材料不全")
    body = client.get("/api/v1/approval-results/").json()
    assert [(row["applicant"], row["outcome"]) for row in body["results"]] == [
        ("張**", "granted"), ("漢陰縣順達客運有限公司", "rejected")]
    assert body["results"][0]["decision"] == "准予,聯繫139****5678"
    for url in ["/api/v1/approval-results/", "/api/v1/approval-results/?format=csv"]:
        response = client.get(url)
        text = response.content.decode("utf-8-sig")
        assert response.status_code == 200 and "張**" in text and "漢陰縣順達客運有限公司" in text, url
        for secret in ["張小明", "11010519491231002X", "13812345678", "13912345678", person.tracking_number]:
            assert secret not in text, (url, secret)


def test_a_decision_has_no_address_of_its_own(client, department_a):
    application = decided(establish(department=department_a))
    assert client.get(f"/api/v1/approval-results/{application.pk}/").status_code == 404


def test_an_item_detail_is_its_service_guide(client, department_a):
    item = establish(department=department_a, code="A-1")
    MaterialFactory(item=item, name="申請表")
    ProcedureStepFactory(item=item, name="受理")
    FeeItemFactory(department=department_a, approval_item=item, code="F-1")
    body = client.get("/api/v1/approval-items/A-1/").json()
    assert body["promised_limit"] == 10 and body["materials"][0]["name"] == "申請表"
    assert body["steps"][0]["name"] == "受理" and body["fees"][0]["standard"] == "¥10.00 / 本"
    assert [change["change"] for change in body["changes"]] == ["establish"]
    assert client.get("/api/v1/fees/F-1/").json()["approval_item"] == "A-1"


@pytest.mark.parametrize("url", ["/api/v1/approval-items/", "/api/v1/fees/", "/api/v1/approval-results/",
                                 "/api/v1/approval-items/A-0/"])
def test_an_endpoint_takes_the_same_number_of_queries_for_1_and_for_5_rows(client, settings, department_a, url):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0  # lists are cached like pages: count what answering costs
    def add(n):
        for _ in range(n):
            item = establish(department=department_a, **({"code": "A-0"} if not add.done else {}))
            add.done = True
            MaterialFactory(item=item)
            FeeItemFactory(department=department_a, approval_item=item)
            decided(item)
    add.done = False
    add(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)
