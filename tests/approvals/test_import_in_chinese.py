"""Issue 12, item 6: imports that take what departments really have — through the admin's
import and export pages, in the county's language (zh-Hant) and in zh-Hans. Column headers
in Chinese on export and accepted on import, choices by their Chinese names, departments by
name, materials in one cell, GB18030 CSV from Excel, optional guide fields, a template per
importable model and row errors in Chinese under the column's label."""

import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from approvals.models import ApprovalItem, FeeItem
from disclosures.models import Category, Disclosure
from portal.admin_scoping import ScopedImportExportAdmin
from tests import import_pages
from tests.import_pages import CSV, XLSX, confirm, export

pytestmark = pytest.mark.django_db


def read_in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def dry_run(client, url_name, content, file_format=CSV, name="import.csv", language="zh-hant"):
    return import_pages.dry_run(client, url_name, content, file_format, name, HTTP_ACCEPT_LANGUAGE=language)


#: A service guide as a department keeps it, in Simplified Chinese: kind and form by their
#: names, the department by its name, materials in one cell separated by "；" and "|", no
#: acceptance conditions and no phones.
SIMPLIFIED_ITEM = {
    "事项编码": "A-700", "名称": "道路货物运输经营许可", "部门": "甲局", "类型": "行政许可",
    "设定依据：法律法规": "《道路运输条例》", "法定时限（工作日）": "20", "承诺时限（工作日）": "10",
    "申请材料": "1.申请表 | 原件 | 1 | 是；2.营业执照 | 复印件\n身份证|户口簿", "设立日期": "2026-01-05",
}


def test_a_simplified_guide_with_chinese_headers_and_names_imports(client, publisher_a, department_a):
    client.force_login(publisher_a)
    read_in(client, "zh-hans")

    preview = dry_run(client, "approvals_approvalitem", csv_bytes([SIMPLIFIED_ITEM]), language="zh-hans")
    assert not preview.context["result"].has_validation_errors(), [
        row.error_dict for row in preview.context["result"].invalid_rows]
    confirm(client, "approvals_approvalitem", preview)

    item = ApprovalItem.objects.get(code="A-700")
    assert (item.kind, item.department, item.conditions, item.consultation_phone) == ("licensing", department_a, "", "")
    assert [(m.name, m.form, m.mandatory) for m in item.materials.all()] == [
        ("申请表", "original", True), ("营业执照", "copy", True), ("身份证", "original", True), ("户口簿", "original", True)]
    page = client.get(reverse("approvals:detail", args=[item.code]))
    assert page.status_code == 200  # no conditions, no phones: the guide still shows


def test_an_export_in_chinese_has_chinese_headers_and_names_and_imports_again_unchanged(client, publisher_a, item_a):
    client.force_login(publisher_a)
    for language, code, kind in (("zh-hant", "事項編碼", "行政許可"), ("zh-hans", "事项编码", "行政许可")):
        read_in(client, language)
        with translation.override(language):
            for file_format, name in ((CSV, "export.csv"), (XLSX, "export.xlsx")):
                content = export(client, "approvals_approvalitem", file_format)
                if file_format == CSV:
                    row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
                    assert row[code] == item_a.code and row[{"zh-hant": "類型", "zh-hans": "类型"}[language]] == kind
                preview = dry_run(client, "approvals_approvalitem", content, file_format, name, language)
                assert {row.import_type for row in preview.context["result"].rows} == {"skip"}


def test_a_gb18030_csv_from_excel_imports(client, publisher_a, department_a):
    client.force_login(publisher_a)
    read_in(client, "zh-hant")
    rows = [{"索引號": "", "部門": "dept-a", "公開類目": "budget", "標題": "2026年部門預算（GBK）", "成文日期": "2026-03-02",
             "公開範圍": "公開", "公開渠道": "政府網站、公開欄"}]

    preview = dry_run(client, "disclosures_disclosure", csv_bytes(rows, "gb18030"))
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), (
        [row.error_dict for row in result.invalid_rows], [error.error for error in result.base_errors])
    confirm(client, "disclosures_disclosure", preview)

    disclosure = Disclosure.objects.get()
    assert (disclosure.title, disclosure.scope, disclosure.channels) == (
        "2026年部門預算（GBK）", "public", ["website", "notice_board"])


def test_a_fee_standard_with_a_note_in_brackets_is_split(client, publisher_a, department_a):
    client.force_login(publisher_a)
    read_in(client, "zh-hant")
    row = {"收費編碼": "F-9", "名稱": "機動車號牌工本費", "部門": "甲局", "收費依據": "發改價格〔2017〕1186號", "標準類型": "固定金額",
           "金額或費率": "100（不反光號牌80）", "計費單位": "副"}
    confirm(client, "approvals_feeitem", dry_run(client, "approvals_feeitem", csv_bytes([row])))
    fee = FeeItem.objects.get()
    assert (fee.standard_kind, fee.amount, fee.reductions) == ("fixed", 100, "不反光號牌80")


def test_row_errors_are_in_chinese_under_the_columns_label(client, publisher_a, department_a):
    client.force_login(publisher_a)
    read_in(client, "zh-hant")
    bad = {**SIMPLIFIED_ITEM, "类型": "行政罰款", "部门": "丙局"}

    preview = dry_run(client, "approvals_approvalitem", csv_bytes([SIMPLIFIED_ITEM, bad]))

    invalid = preview.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2] and set(invalid[0].error_dict) >= {"kind", "department"}
    html = preview.content.decode()
    assert "「行政罰款」不是以下之一" in html or "“行政罰款”不是以下之一" in html, html[html.find("errors"):][:2000]
    assert '<span class="validation-error-field-label">類型</span>' in html
    assert '<span class="validation-error-field-label">部門</span>' in html
    assert not ApprovalItem.objects.exists()


def test_every_column_name_and_label_means_one_column():
    from approvals.resources import ApprovalItemResource, FeeItemResource
    from disclosures.resources import CatalogueEntryResource, CategoryResource, DisclosureResource
    from portal.resources import FILE_LANGUAGES, folded

    for resource_class in (ApprovalItemResource, FeeItemResource, CategoryResource, CatalogueEntryResource,
                           DisclosureResource):
        resource = resource_class()
        for language in FILE_LANGUAGES:
            with translation.override(language):
                labels = [folded(resource.label(name)) for name in resource.fields]
                assert len(set(labels)) == len(labels), (resource_class, language, labels)
                aliases = resource.column_aliases()
                assert all(aliases[label] == resource.fields[name].column_name
                           for label, name in zip(labels, resource.fields)), (resource_class, language)


def importable_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, ScopedImportExportAdmin)]


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_every_importable_model_has_a_template_that_imports(client, coordinator, publisher_a, language):
    """The template: an XLSX workbook whose first row names the columns in the reader's
    language, with one example row — which passes the dry run as it is."""
    Category.objects.get_or_create(code="budget", defaults={"name": "預算"})
    read_in(client, language)
    tested = []
    for model, model_admin in importable_admins():
        opts = model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        for user in (publisher_a, coordinator):  # the first who may import it
            client.force_login(user)
            page = client.get(reverse(f"admin:{name}_import"), HTTP_ACCEPT_LANGUAGE=language)
            if page.status_code == 200:
                break
        else:
            continue  # the complaints register is exported, never imported
        tested.append(name)
        url = reverse(f"admin:{name}_import_template")
        assert url in page.content.decode(), name
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment") and ".xlsx" in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers, example, *rest = list(sheet.values)
        assert not rest and all(header and not header.isascii() for header in headers), (name, headers)
        assert any(value not in (None, "") for value in example), name
        preview = dry_run(client, name, response.content, XLSX, "template.xlsx", language)
        result = preview.context["result"]
        assert not result.has_errors() and not result.has_validation_errors(), (
            name, [row.error_dict for row in result.invalid_rows], [e.error for e in result.base_errors])
        assert [row.import_type for row in result.valid_rows()] == ["new"], name
    assert set(tested) >= {"approvals_approvalitem", "approvals_feeitem", "disclosures_category",
                           "disclosures_catalogueentry", "disclosures_disclosure"}


def test_the_template_needs_the_import_permission(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("admin:approvals_approvalitem_import_template")).status_code == 403


def test_a_file_naming_a_column_twice_is_refused_in_chinese(client, publisher_a, department_a):
    client.force_login(publisher_a)
    read_in(client, "zh-hant")
    content = "code,事項編碼,名稱\nA-1,A-2,某事項\n".encode()
    preview = dry_run(client, "approvals_approvalitem", content)
    errors = [str(error.error) for error in preview.context["result"].base_errors]
    assert errors and "事項編碼" in errors[0], errors
