"""Import and export in the admin (issue "Disclosures", point 6), through the admin pages:
the import form's dry run, then the confirm step; the export form."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures import services
from disclosures.models import CatalogueEntry, Category, Disclosure, Status
from tests import import_pages
from tests.factories import CatalogueEntryFactory, DisclosureFactory


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the messages the admin shows: read them in the source language."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

CSV, XLSX = 0, 1  # the order of portal.resources.FORMATS
COLUMNS = [
    "index_number", "status", "department", "category", "catalogue_entry", "title", "summary", "body",
    "document_number", "formed_on", "valid_until", "scope", "channels",
]


def row(**values):
    defaults = {
        "department": "dept-a",
        "category": "budget",
        "title": "2026年部門預算",
        "summary": "收支總表",
        "body": "<p>收入<strong>1200萬元</strong></p>",
        "document_number": "漢財發〔2026〕3號",
        "formed_on": "2026-03-02",
        "scope": "public",
        "channels": "website,notice_board",
    }
    return {**defaults, **values}


def csv_file(rows, columns=COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def dry_run(client, model, content, name="import.csv", file_format=CSV):
    """The import form: a dry run that shows each row's result and writes nothing."""
    return client.post(
        reverse(f"admin:disclosures_{model}_import"),
        {"resource": "0", "format": str(file_format), "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial[name] for name in form.fields}
    return client.post(reverse(f"admin:disclosures_{model}_process_import"), data, follow=True)


def export(client, model, file_format=CSV):
    return import_pages.export(client, f"disclosures_{model}", file_format)


def csv_rows(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_dry_run_shows_every_rows_result_and_writes_nothing(client, publisher_a, department_a):
    draft = DisclosureFactory(department=department_a, title="舊標題")
    client.force_login(publisher_a)
    content = csv_file([row(title="新草稿"), row(index_number=draft.index_number, title="改過的標題")])

    preview = dry_run(client, "disclosure", content)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert [r.import_type for r in result.valid_rows()] == ["new", "update"]
    html = preview.content.decode()
    assert "新草稿" in html and '<tr class="update">' in html and preview.context["confirm_form"] is not None
    assert Disclosure.objects.count() == 1
    draft.refresh_from_db()
    assert draft.title == "舊標題"


def test_a_confirmed_import_writes_sanitised_drafts_and_never_sets_status_or_index_number(
    client, publisher_a, department_a
):
    client.force_login(publisher_a)
    content = csv_file([
        row(title="第一份", body="<p>正文</p><script>alert(1)</script>", status="published", index_number=""),
        row(title="第二份", channels="website，media"),
    ])

    done = confirm(client, "disclosure", dry_run(client, "disclosure", content))

    assert done.status_code == 200
    first, second = Disclosure.objects.order_by("pk")
    assert (first.title, first.status, first.department, first.created_by) == ("第一份", Status.DRAFT, department_a, publisher_a)
    assert first.body == "<p>正文</p>" and first.current_revision is None and first.withdrawn_at is None
    assert [first.index_number, second.index_number] == ["dept-a-2026-00001", "dept-a-2026-00002"]
    assert second.channels == ["website", "media"]


def test_a_row_error_names_the_row_number_and_the_field(client, publisher_a):
    client.force_login(publisher_a)
    content = csv_file([row(title="好的一行"), row(title="日期錯了", formed_on="2026-13-45"), row(channels="website,fax")])

    preview = dry_run(client, "disclosure", content)

    invalid = {r.number: r.field_specific_errors for r in preview.context["result"].invalid_rows}
    assert set(invalid) == {2, 3}
    assert "formed_on" in invalid[2]
    assert "Unknown channel code(s) fax" in invalid[3]["channels"][0]
    assert preview.context.get("confirm_form") is None
    assert not Disclosure.objects.exists()


def test_one_row_failing_at_the_confirm_step_rolls_back_the_whole_file(client, publisher_a, department_a):
    """The dry run passed; before confirming, the row's draft was submitted for review.
    The two new rows before it were written in the same transaction and are rolled back."""
    from django.conf import settings
    from django.utils import translation

    from disclosures.resources import DisclosureResource
    from portal.import_jobs import describe

    draft = DisclosureFactory(department=department_a)
    client.force_login(publisher_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"  # the message as the county reads it
    content = csv_file([row(title="新一"), row(title="新二"), row(index_number=draft.index_number, title="改")])
    preview = dry_run(client, "disclosure", content)
    assert preview.context["confirm_form"] is not None
    services.disclosure_submit(actor=publisher_a, disclosure=draft)

    done = confirm(client, "disclosure", preview)

    assert Disclosure.objects.count() == 1
    draft.refresh_from_db()
    assert draft.title != "改" and draft.status == Status.IN_REVIEW
    with translation.override("zh-hant"):
        status = DisclosureResource().error_labels()["status"]
        expected = translation.gettext("Nothing was imported: %(problems)s") % {
            "problems": describe({"row": 3, "field": status, "message": ""})}
    assert status == "狀態" and any(m.startswith(expected) for m in messages_of(done)), (expected, messages_of(done))


def test_a_publisher_of_department_b_cannot_import_into_department_a(client, publisher_b, department_a, department_b):
    theirs = DisclosureFactory(department=department_a, title="甲局的草稿")
    client.force_login(publisher_b)
    content = csv_file([
        row(department="dept-b", title="自己的"),
        row(department="dept-a", title="偷放到甲局"),
        row(department="dept-b", index_number=theirs.index_number, title="搶過來"),
    ])

    preview = dry_run(client, "disclosure", content)

    invalid = {r.number: r.field_specific_errors for r in preview.context["result"].invalid_rows}
    assert invalid[2]["department"] == ["“dept-a” is not one of your departments."]
    assert "index_number" in invalid[3]
    assert preview.context.get("confirm_form") is None
    assert list(Disclosure.objects.values_list("title", flat=True)) == ["甲局的草稿"]


@pytest.mark.parametrize(
    ("role", "model", "may_import"),
    [
        ("supervisor", "disclosure", False),
        ("reviewer_a", "disclosure", False),
        ("publisher_a", "disclosure", True),
        ("publisher_a", "catalogueentry", False),
        ("publisher_a", "category", False),
        ("coordinator", "catalogueentry", True),
        ("coordinator", "category", True),
        ("supervisor", "category", False),
    ],
)
def test_import_needs_add_and_change_permission_export_needs_view(request, client, role, model, may_import):
    client.force_login(request.getfixturevalue(role))
    changelist = client.get(reverse(f"admin:disclosures_{model}_changelist"))
    assert changelist.context["has_import_permission"] is may_import
    assert changelist.context["has_export_permission"] is True
    import_url = reverse(f"admin:disclosures_{model}_import")
    assert client.get(import_url).status_code == (200 if may_import else 403)
    if not may_import:
        content = csv_file([row()]) if model == "disclosure" else b"code,name\nx,y\n"
        assert dry_run(client, model, content).status_code == 403
        assert client.post(reverse(f"admin:disclosures_{model}_process_import"), {}).status_code == 403
    assert client.get(reverse(f"admin:disclosures_{model}_export")).status_code == 200


def test_an_export_holds_only_what_the_user_may_view(client, publisher_b, department_a, department_b):
    DisclosureFactory(department=department_a, title="甲局的")
    DisclosureFactory(department=department_b, title="乙局的")
    client.force_login(publisher_b)
    assert [r["title"] for r in csv_rows(export(client, "disclosure"))] == ["乙局的"]


@pytest.fixture
def catalogue(department_a, department_b):
    CatalogueEntryFactory(department=department_a, title="=年度預算", legal_basis="條例第九條", channels=["website"])
    CatalogueEntryFactory(department=department_b, title="收費標準", cadence="yearly", days_allowed=15, active=False)


@pytest.fixture
def disclosures(department_a, publisher_a, reviewer_a, publish):
    entry = CatalogueEntryFactory(department=department_a, title="年度預算公開")
    DisclosureFactory(department=department_a, catalogue_entry=entry, valid_until=dt.date(2026, 12, 31), channels=[])
    DisclosureFactory(department=department_a, title="=HYPERLINK(\"http://x\")", summary="-5 元", scope="internal")
    publish(DisclosureFactory(department=department_a, title="已公開的"), publisher_a, reviewer_a)


@pytest.mark.parametrize(
    ("model", "user", "data"),
    [("category", "coordinator", None), ("catalogueentry", "coordinator", "catalogue"), ("disclosure", "publisher_a", "disclosures")],
)
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_export_then_import_leaves_the_data_unchanged(request, client, model, user, data, file_format):
    if data:
        request.getfixturevalue(data)
    Model = {"category": Category, "catalogueentry": CatalogueEntry, "disclosure": Disclosure}[model]
    before = list(Model.objects.order_by("pk").values())
    history_before = Model.history.count()
    client.force_login(request.getfixturevalue(user))

    content = export(client, model, file_format)
    preview = dry_run(client, model, content, name=f"export.{['csv', 'xlsx'][file_format]}", file_format=file_format)
    assert {r.import_type for r in preview.context["result"].valid_rows()} == {"skip"}
    confirm(client, model, preview)

    assert list(Model.objects.order_by("pk").values()) == before
    assert Model.history.count() == history_before


def test_exported_cells_that_a_spreadsheet_would_run_are_neutralised(client, publisher_a, department_a):
    DisclosureFactory(department=department_a, title="=HYPERLINK(\"http://evil\",\"點我\")", summary="+1+1",
                      document_number="@SUM(A1)", body="-2+3")
    client.force_login(publisher_a)

    exported = csv_rows(export(client, "disclosure", CSV))[0]
    assert (exported["title"], exported["summary"], exported["document_number"], exported["body"]) == (
        "'=HYPERLINK(\"http://evil\",\"點我\")", "'+1+1", "'@SUM(A1)", "'-2+3"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "disclosure", XLSX))).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    # Text that shows as typed (Excel's quote prefix, no apostrophe in the cell), never a formula.
    assert title.data_type == "s" and title.value == "=HYPERLINK(\"http://evil\",\"點我\")" and title.quotePrefix


def test_a_csv_export_starts_with_a_byte_order_mark_for_excel(client, publisher_a, department_a):
    DisclosureFactory(department=department_a, title="財政預算公開")
    client.force_login(publisher_a)
    content = export(client, "disclosure", CSV)
    assert content.startswith("\ufeff".encode()) and "財政預算公開" in content.decode("utf-8-sig")


def test_an_xlsx_file_imports(client, publisher_a, department_a):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    values = row(title="試算表匯入", formed_on=dt.date(2026, 4, 1), valid_until=dt.date(2026, 12, 31))
    sheet.append([values.get(column) for column in COLUMNS])
    content = io.BytesIO()
    book.save(content)

    client.force_login(publisher_a)
    preview = dry_run(client, "disclosure", content.getvalue(), "table.xlsx", XLSX)
    confirm(client, "disclosure", preview)

    imported = Disclosure.objects.get()
    assert (imported.title, imported.formed_on, imported.valid_until) == ("試算表匯入", dt.date(2026, 4, 1), dt.date(2026, 12, 31))
    assert imported.channels == ["website", "notice_board"] and imported.department == department_a


def test_a_file_over_the_row_limit_is_refused_whole(client, publisher_a, settings):
    settings.GONGKAI_IMPORT_MAX_ROWS = 3
    client.force_login(publisher_a)

    refused = dry_run(client, "disclosure", csv_file([row(title=f"第{n}份") for n in range(4)]))
    assert "The file has more than 3 rows; at most 3 can be imported at once." in refused.content.decode()
    assert refused.context.get("confirm_form") is None and not Disclosure.objects.exists()

    accepted = dry_run(client, "disclosure", csv_file([row(title=f"第{n}份") for n in range(3)]))
    assert accepted.context["confirm_form"] is not None


def test_an_import_cannot_change_a_published_disclosure(client, publisher_a, reviewer_a, department_a, publish):
    published = DisclosureFactory(department=department_a, title="已公開")
    publish(published, publisher_a, reviewer_a)
    client.force_login(publisher_a)
    exported = csv_rows(export(client, "disclosure"))
    exported[0]["title"] = "偷偷改"

    preview = dry_run(client, "disclosure", csv_file(exported, columns=list(exported[0])))

    invalid = preview.context["result"].invalid_rows
    assert [(r.number, r.field_specific_errors) for r in invalid] == [(1, {"status": ["published — amend it instead"]})]
    published.refresh_from_db()
    assert published.title == "已公開" and published.status == Status.PUBLISHED
