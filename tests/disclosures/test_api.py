"""The open-data API: read-only, anonymous, public data only (never drafts, internal
notices, working copies or unmasked data), JSON and CSV, paged, a fixed number of queries,
and an OpenAPI schema that validates."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures import services
from disclosures.models import Scope
from tests.factories import CatalogueEntryFactory, DisclosureFactory, category

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def data(department_a, publisher_a, reviewer_a, publish):
    public = DisclosureFactory(department=department_a, category=category("budget"), title="2026年部門預算", document_number="漢財發〔2026〕1號")
    internal = DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL, title="第三季度招待費")
    draft = DisclosureFactory(department=department_a, title="未發布的草稿")
    for disclosure in (public, internal):
        publish(disclosure, publisher_a, reviewer_a)
        disclosure.refresh_from_db()
    return {"public": public, "internal": internal, "draft": draft}


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response


def test_the_list_has_public_published_disclosures_only(client, data):
    body = get(client, API + "disclosures/").json()
    assert body["count"] == 1
    [row] = body["results"]
    revision = data["public"].current_revision
    assert row["id"] == data["public"].pk and row["title"] == "2026年部門預算"
    assert row["hash"] == revision.entry_hash and row["department"] == "dept-a" and row["category"] == "budget"
    assert row["status"] == "published" and row["revision"] == 1
    assert row["url"] == "http://testserver" + data["public"].get_absolute_url()
    text = json.dumps(body, ensure_ascii=False)
    assert "招待費" not in text and "草稿" not in text


@pytest.mark.parametrize("who", ["internal", "draft"])
def test_detail_of_a_draft_or_internal_disclosure_is_404_even_for_its_staff(client, data, publisher_a, who):
    client.force_login(publisher_a)  # the API authenticates no one: staff read it as the public does
    assert client.get(f"{API}disclosures/{data[who].pk}/").status_code == 404


def test_an_amendment_in_progress_never_leaks(client, data, publisher_a):
    """The working copy of an amendment is a draft: the API keeps showing the published revision."""
    public = data["public"]
    services.disclosure_amend(actor=publisher_a, disclosure=public)
    public.refresh_from_db()
    public.title = "尚未審核的新標題"
    public.body = "<p>未審核內容</p>"
    public.save()
    detail = get(client, f"{API}disclosures/{public.pk}/").json()
    assert detail["title"] == "2026年部門預算" and detail["status"] == "published"
    assert "未審核" not in json.dumps(detail, ensure_ascii=False)
    listed = get(client, API + "disclosures/", format="csv").content.decode()
    assert "2026年部門預算" in listed and "尚未審核" not in listed


def test_detail_has_the_body_revisions_and_no_personal_data(client, data):
    detail = get(client, f"{API}disclosures/{data['public'].pk}/").json()
    assert "1200萬元" in detail["body"]
    assert [r["revision"] for r in detail["revisions"]] == [1]
    for key in ("created_by", "submitted_by", "published_by", "reviews"):
        assert key not in detail
        assert all(key not in r for r in detail["revisions"])


def test_withdrawn_disclosures_say_so(client, data, reviewer_a):
    services.disclosure_withdraw(actor=reviewer_a, disclosure=data["public"], reason="數據有誤")
    row = get(client, API + "disclosures/").json()["results"][0]
    assert row["status"] == "withdrawn" and row["withdrawn_reason"] == "數據有誤"


def test_csv_has_the_same_rows(client, data):
    response = get(client, API + "disclosures/", format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["2026年部門預算"]
    assert rows[0]["document_number"] == "漢財發〔2026〕1號"


def test_csv_quotes_cells_a_spreadsheet_would_run(client, department_a, publisher_a, reviewer_a, publish):
    publish(DisclosureFactory(department=department_a, title="=HYPERLINK(\"http://x\")"), publisher_a, reviewer_a)
    rows = list(csv.DictReader(io.StringIO(get(client, API + "disclosures/", format="csv").content.decode("utf-8-sig"))))
    assert rows[0]["title"].startswith("'=")


def test_filters(client, data, department_b, publisher_a, reviewer_a, publish):
    grain = DisclosureFactory(department=data["public"].department, category=category("grain-subsidies"), title="糧食補貼")
    publish(grain, publisher_a, reviewer_a)

    def ids(**params):
        return {row["id"] for row in get(client, API + "disclosures/", **params).json()["results"]}

    assert ids(category="finance") == {data["public"].pk}
    assert ids(category="farmers-burden") == {grain.pk}
    assert ids(department="dept-b") == set()
    assert ids(year="2026") == {data["public"].pk, grain.pk}


def test_pagination(client, department_a, publisher_a, reviewer_a, publish):
    for _ in range(3):
        publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    page = get(client, API + "disclosures/", page_size=2).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


def test_departments_and_public_categories(client, data, department_b):
    departments = get(client, API + "departments/").json()["results"]
    assert {d["code"] for d in departments} == {"dept-a", "dept-b"}
    categories = {c["code"] for c in get(client, API + "categories/", page_size=100).json()["results"]}
    assert {"finance", "budget", "grain-subsidies"} <= categories
    assert "internal" not in categories and "hospitality" not in categories
    assert get(client, API + "departments/dept-a/").json()["name"] == "甲局"


def test_the_catalogue_has_public_obligations_with_their_state(client, department_a):
    entry = CatalogueEntryFactory(department=department_a, title="年度預算")
    CatalogueEntryFactory(department=department_a, title="招待費", scope=Scope.INTERNAL, category=category("hospitality"))
    rows = get(client, API + "catalogue/").json()["results"]
    assert [(row["id"], row["title"]) for row in rows] == [(entry.pk, "年度預算")]
    assert rows[0]["state"] in {"due", "missing"}


def test_a_catalogue_due_date_counting_through_an_unconfirmed_year_says_it_is_provisional(client, department_a,
                                                                                          monkeypatch):
    """On 20 Dec 2026, November's monthly report due 30 working days after the month falls in
    January 2027, whose official schedule is not yet known; last year's yearly one does not."""
    import datetime as dt

    from django.utils import timezone

    from disclosures.models import Cadence

    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 12, 20))
    monthly = CatalogueEntryFactory(department=department_a, cadence=Cadence.MONTHLY, days_allowed=30)
    yearly = CatalogueEntryFactory(department=department_a, cadence=Cadence.YEARLY, days_allowed=20)
    rows = {row["id"]: row for row in get(client, API + "catalogue/").json()["results"]}
    assert (rows[monthly.pk]["due_on"] > "2027-01-01", rows[monthly.pk]["due_provisional"]) == (True, True)
    assert (rows[yearly.pk]["due_on"] < "2027-01-01", rows[yearly.pk]["due_provisional"]) == (True, False)


def test_the_api_is_read_only(client, data):
    assert client.post(API + "disclosures/", {"title": "x"}).status_code == 405
    assert client.delete(f"{API}disclosures/{data['public'].pk}/").status_code == 405


@pytest.mark.parametrize("url", ["disclosures/", "departments/", "categories/", "catalogue/", "DETAIL"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_api_queries_do_not_grow_with_rows(client, settings, department_a, publisher_a, reviewer_a, publish, url, fmt):
    from portal.models import Department

    settings.GONGKAI_PAGE_CACHE_SECONDS = 0  # lists are cached like pages: count what answering costs
    first = DisclosureFactory(department=department_a)
    publish(first, publisher_a, reviewer_a)
    CatalogueEntryFactory(department=department_a)
    if url == "DETAIL":
        url = f"disclosures/{first.pk}/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            get(client, API + url, format=fmt)
        return len(queries)

    few = count()
    for n in range(6):
        department = Department.objects.create(code=f"q{n}", name=f"部門{n}", parent=department_a)
        publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
        CatalogueEntryFactory(department=department)
    services.disclosure_amend(actor=publisher_a, disclosure=first)
    first.refresh_from_db()
    publish(first, publisher_a, reviewer_a)
    assert count() == few


def test_the_openapi_schema_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/disclosures/", "/api/v1/departments/", "/api/v1/categories/", "/api/v1/catalogue/"):
        assert path in text


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = get(client, "/api/schema/").content.decode()
    assert schema.startswith("openapi: 3") and "/api/v1/disclosures/" in schema
    html = get(client, "/api/docs/").content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
