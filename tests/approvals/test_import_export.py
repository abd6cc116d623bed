"""Import and export of approval items (with materials and steps) and fee items: dry run,
row-level errors, all or nothing, scope, and a round trip that writes nothing."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import ApprovalItem, FeeItem, ItemChange, Material
from approvals.resources import ApprovalItemResource
from tests import import_pages
from tests.approvals.factories import FeeItemFactory, MaterialFactory, ProcedureStepFactory, establish


pytestmark = pytest.mark.django_db

CSV, XLSX = 0, 1
ITEM_COLUMNS = [
    "code", "name", "department", "kind", "status", "basis_law", "basis_article", "basis_document", "conditions",
    "statutory_limit", "promised_limit", "window", "location", "consultation_phone", "complaint_phone", "online_url",
    "materials", "steps", "established_on", "change_reason", "change_document_number",
]


def item_row(**values):
    defaults = {
        "code": "A-500", "name": "道路貨物運輸經營許可", "department": "dept-a", "kind": "licensing",
        "basis_law": "《道路運輸條例》", "basis_article": "第二十一條", "conditions": "有車輛", "statutory_limit": "20",
        "promised_limit": "10", "consultation_phone": "0915-1", "complaint_phone": "0915-2",
        "materials": "申請表 | original | 1 | yes\n營業執照 | copy | 2 | no", "steps": "受理 | 窗口 | 1 | 查驗材料\n決定 | 局長",
        "established_on": "2026-01-05", "change_document_number": "漢政發〔2026〕1號",
    }
    return {**defaults, **values}


def csv_file(rows, columns=ITEM_COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def dry_run(client, model, content, file_format=CSV, name="import.csv"):
    return client.post(reverse(f"admin:approvals_{model}_import"), {
        "resource": "0", "format": str(file_format), "import_file": SimpleUploadedFile(name, content),
    })


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:approvals_{model}_process_import"),
                       {name: form.initial[name] for name in form.fields}, follow=True)


def export(client, model, file_format=CSV):
    return import_pages.export(client, f"approvals_{model}", file_format)


def test_a_confirmed_import_establishes_items_with_their_materials_and_steps(client, publisher_a, department_a):
    client.force_login(publisher_a)
    preview = dry_run(client, "approvalitem", csv_file([item_row(), item_row(code="A-501", name="機動車維修經營許可")]))
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new", "new"]
    assert not ApprovalItem.objects.exists()  # a dry run writes nothing

    confirm(client, "approvalitem", preview)

    item = ApprovalItem.objects.get(code="A-500")
    assert [(m.name, m.form, m.copies, m.mandatory) for m in item.materials.all()] == [
        ("申請表", "original", 1, True), ("營業執照", "copy", 2, False)]
    assert [(s.position, s.name, s.responsible, s.time_limit) for s in item.steps.all()] == [
        (1, "受理", "窗口", 1), (2, "決定", "局長", None)]
    establishment = item.changes.get()
    assert (establishment.kind, establishment.effective_on, establishment.document_number) == (
        "establish", dt.date(2026, 1, 5), "漢政發〔2026〕1號")


def test_row_errors_name_the_row_and_the_column_and_nothing_is_imported(client, publisher_a, department_a):
    client.force_login(publisher_a)
    establish(department=department_a, code="A-400")
    content = csv_file([
        item_row(),
        item_row(code="A-502", promised_limit="30"),  # above the statutory limit
        item_row(code="A-503", materials="申請表 | faxed | 1 | yes"),  # unknown form
        item_row(code="A-504", department="dept-b"),  # not theirs
        item_row(code="A-505", established_on="2026-13-45"),
    ])
    preview = dry_run(client, "approvalitem", content)
    invalid = {row.number: set(row.error_dict) for row in preview.context["result"].invalid_rows}
    assert invalid[2] == {"promised_limit"} and invalid[3] == {"materials"} and invalid[4] >= {"department"}
    assert preview.context.get("confirm_form") is None
    assert ApprovalItem.objects.count() == 1


def test_an_error_in_the_last_row_rolls_back_the_rows_before_it():
    """The resource itself, as the confirm step runs it: one transaction, all or nothing."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("root", password="x")
    from portal.models import Department

    Department.objects.create(code="dept-a", name="甲局")
    dataset = tablib.Dataset(headers=ITEM_COLUMNS)
    for row in [item_row(code="A-600"), item_row(code="A-601"), item_row(code="A-602", statutory_limit="abc")]:
        dataset.append([row.get(column, "") for column in ITEM_COLUMNS])
    result = ApprovalItemResource(user=user).import_data(dataset, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not ApprovalItem.objects.exists() and not ItemChange.objects.exists() and not Material.objects.exists()


def test_an_export_imports_again_without_writing_anything(client, publisher_a, department_a, item_a):
    MaterialFactory(item=item_a, name="申請表", position=1)
    ProcedureStepFactory(item=item_a, name="受理", position=1, responsible="窗口", time_limit=1)
    FeeItemFactory(department=department_a, code="F-1", approval_item=item_a, standard_kind="range", amount=None,
                   amount_min="50", amount_max="200", unit="")
    client.force_login(publisher_a)
    for model in ("approvalitem", "feeitem"):
        for file_format, name in ((CSV, "export.csv"), (XLSX, "export.xlsx")):
            content = export(client, model, file_format)
            preview = dry_run(client, model, content, file_format, name)
            types = {row.import_type for row in preview.context["result"].rows}
            assert types == {"skip"}, (model, file_format, [r.diff for r in preview.context["result"].rows])


def test_a_changed_limit_in_a_file_needs_a_reason_and_becomes_an_adjustment(client, publisher_a, item_a):
    client.force_login(publisher_a)
    rows = list(csv.DictReader(io.StringIO(export(client, "approvalitem").decode("utf-8-sig"))))  # headers in Chinese
    rows[0]["承諾時限（工作日）"] = "5"
    preview = dry_run(client, "approvalitem", csv_file(rows, list(rows[0])))
    assert [row.number for row in preview.context["result"].invalid_rows] == [1]
    rows[0]["調整理由"] = "壓縮時限"
    confirm(client, "approvalitem", dry_run(client, "approvalitem", csv_file(rows, list(rows[0]))))
    item_a.refresh_from_db()
    assert item_a.promised_limit == 5 and item_a.changes.filter(kind="adjust", reason="壓縮時限").exists()


def test_an_export_holds_only_the_users_departments_and_quotes_formulae(client, publisher_b, item_a, item_b):
    ApprovalItem.objects.filter(pk=item_b.pk).update(name="=1+1")
    client.force_login(publisher_b)
    rows = list(csv.DictReader(io.StringIO(export(client, "approvalitem").decode("utf-8-sig"))))
    assert [row["事項編碼"] for row in rows] == [item_b.code] and rows[0]["名稱"] == "'=1+1"


def test_fee_rows_are_checked_like_the_form(client, publisher_a, item_a, item_b):
    client.force_login(publisher_a)
    columns = ["code", "name", "department", "approval_item", "legal_basis", "standard_kind", "amount", "amount_min",
               "amount_max", "currency", "unit", "reductions"]
    base = {"name": "工本費", "department": "dept-a", "legal_basis": "財綜", "currency": "CNY", "unit": "本"}
    content = csv_file([
        {**base, "code": "F-1", "standard_kind": "fixed", "amount": "10", "approval_item": item_a.code},
        {**base, "code": "F-2", "standard_kind": "range", "amount_min": "50", "amount_max": "20"},
        {**base, "code": "F-3", "standard_kind": "fixed", "amount": "10", "approval_item": item_b.code},  # not theirs
    ], columns)
    preview = dry_run(client, "feeitem", content)
    invalid = {row.number: set(row.error_dict) for row in preview.context["result"].invalid_rows}
    assert invalid == {2: {"amount_max"}, 3: {"approval_item"}}
    assert not FeeItem.objects.exists()


def test_an_xlsx_file_imports_like_a_csv(client, publisher_a, department_a):
    client.force_login(publisher_a)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ITEM_COLUMNS)
    row = item_row()
    sheet.append([row.get(column, "") for column in ITEM_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    confirm(client, "approvalitem", dry_run(client, "approvalitem", out.getvalue(), XLSX, "items.xlsx"))
    assert ApprovalItem.objects.get().materials.count() == 2
