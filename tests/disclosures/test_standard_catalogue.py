"""Importing a county's standard-catalogue workbook as it really is, and exporting it back:
two-row header, merged cells, ■ / √ marks, both scripts, both encodings; row-level errors;
all or nothing; idempotent; round trip exact. And the time-limit phrases of 公開時限."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from disclosures import standard_layout, time_limits
from disclosures.catalogue_import import standard_catalogue_export, standard_catalogue_import
from disclosures.models import Cadence, CatalogueEntry, Carrier, TimeLimitRule
from portal.chinese import to_simplified
from tests.factories import standard_lists
from tests.disclosures.standard_workbooks import DOMAINS, csv_bytes, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_lists(db):
    standard_lists()


def run(actor, data, extension="xlsx", department=None, dry_run=False, name="目錄.xlsx"):
    return standard_catalogue_import(
        actor=actor, fileobj=io.BytesIO(data), extension=extension, department=department, name=name, dry_run=dry_run
    )


def entries():
    """Entries by (domain, 一級事項, 二級事項), compared in Simplified: a Simplified file is stored
    converted to Traditional, where OpenCC may choose another variant (審核 / 審覈)."""
    return {
        tuple(map(to_simplified, (e.domain.name, e.item, e.sub_item))): e
        for e in CatalogueEntry.objects.filter(domain__isnull=False).select_related("domain")
    }


def key(*names):
    return tuple(map(to_simplified, names))


def same(stored, expected):
    return to_simplified(stored) == to_simplified(expected)


FILES = {
    "xlsx traditional": (lambda: workbook_bytes(), "xlsx"),
    "xlsx simplified": (lambda: workbook_bytes(simplified=True), "xlsx"),
    "xlsx one sheet": (lambda: workbook_bytes(one_sheet=True), "xlsx"),
    "csv utf-8 traditional": (lambda: csv_bytes(), "csv"),
    "csv utf-8 simplified": (lambda: csv_bytes(simplified=True), "csv"),
    "csv gb18030 simplified": (lambda: csv_bytes(encoding="gb18030", simplified=True), "csv"),
    "csv gb18030 traditional": (lambda: csv_bytes(encoding="gb18030"), "csv"),
}


@pytest.mark.parametrize("kind", FILES)
def test_a_county_workbook_is_read_as_it_is(kind, coordinator, office):
    """Every form a county may have gives the same four entries, in Traditional Chinese."""
    make, extension = FILES[kind]
    report = run(coordinator, make(), extension, department=office)
    assert report.applied, [str(p) for p in report.problems]
    assert len(report.created) == 4
    found = entries()
    assistance = found[key("社會救助", "最低生活保障", "審批結果")]  # its 一級事項 was merged from the row above
    assert same(assistance.elements, "救助對象姓名、保障人數、救助金額")
    assert assistance.channels == ["notice_board", "website"]
    assert (assistance.audience_all, assistance.audience_specific, assistance.proactive, assistance.on_request) == (
        False, True, True, False
    )
    assert assistance.cadence == Cadence.QUARTERLY and assistance.time_limit_rule == TimeLimitRule.PERIODIC
    policy = found[key("社會救助", "最低生活保障", "政策文件")]
    assert policy.channels == ["website", "two-micro-one-end", "service-station"]  # □公開查閱點 was not ticked
    assert policy.days_allowed == 20 and policy.time_limit_rule == TimeLimitRule.WORKING_DAYS
    assert [to_simplified(d) for d in policy.legal_documents] == ["《社会救助暂行办法》", "《政府信息公开条例》"]
    guide = found[key("社會救助", "特困人員救助供養", "辦事指南")]
    assert same(guide.legal_basis, "《最低生活保障審核確認辦法》")  # 同上
    assert guide.on_request and guide.time_limit_rule == TimeLimitRule.REAL_TIME_DEFAULT
    project = found[key("重大建設項目", "批准服務信息", "審批結果")]
    assert project.channels == ["investment-platform", "website"]
    assert project.department == office  # 縣發展和改革局 is no department here: the import's department


def test_the_responsible_body_names_the_department_when_it_is_one(coordinator, office):
    from portal.models import Department

    bureau = Department.objects.create(code="civil", name="縣民政局")
    run(coordinator, workbook_bytes(), department=office)
    assert entries()[key("社會救助", "最低生活保障", "政策文件")].department == bureau


@pytest.mark.parametrize("kind", ["xlsx simplified", "csv gb18030 traditional"])
def test_reimporting_the_same_workbook_changes_nothing(kind, coordinator, office):
    make, extension = FILES[kind]
    run(coordinator, make(), extension, department=office)
    before = {key: (e.pk, e.updated_at) for key, e in entries().items()}
    again = run(coordinator, make(), extension, department=office)
    assert again.applied and again.created == [] and again.updated == [] and again.unchanged == 4
    assert {key: (e.pk, e.updated_at) for key, e in entries().items()} == before


def test_a_changed_row_updates_its_entry(coordinator, office):
    """The guard of the idempotency test: a real change is found and written."""
    run(coordinator, workbook_bytes(), department=office)
    changed = [(name, [list(row) for row in rows]) for name, rows in DOMAINS]
    changed[0][1][0][5] = "信息形成之日起10個工作日內"
    report = run(coordinator, workbook_bytes(domains=changed), department=office)
    assert report.updated == ["政策文件"] and report.unchanged == 3
    assert entries()[key("社會救助", "最低生活保障", "政策文件")].days_allowed == 10


def test_a_dry_run_writes_nothing(coordinator, office):
    report = run(coordinator, workbook_bytes(), department=office, dry_run=True)
    assert len(report.created) == 4 and not report.applied
    assert not CatalogueEntry.objects.exists()


def test_errors_name_the_sheet_row_and_column_and_nothing_is_imported(coordinator, office):
    bad = [(name, [list(row) for row in rows]) for name, rows in DOMAINS]
    bad[0][1][2][7] = "■政務服務中心 ■村村響大喇叭"  # an unknown carrier, ticked
    bad[0][1][1][9] = "x"  # not a tick
    bad.append(("星際航行", [["1", "航線", "時刻表", "航班", "無", "及時公開", "縣局", "■政府網站", "√", "", "√", ""]]))
    report = run(coordinator, workbook_bytes(domains=bad), department=office)
    messages = [str(problem) for problem in report.problems]
    assert any("社會救助" in m and "第 6 行" in m and "公開渠道和載體" in m and "村村響大喇叭" in m for m in messages), messages
    assert any("第 5 行" in m and "特定群眾" in m for m in messages), messages
    assert any("星際航行" in m for m in messages), messages
    assert not report.applied and not CatalogueEntry.objects.exists()  # all or nothing


def test_a_header_without_the_layouts_columns_is_reported(coordinator, office):
    book = openpyxl.Workbook()
    book.active.title = "社會救助"
    book.active.append(["序號", "公開事項", "公開內容（要素）"])
    book.active.append(["", "一級事項", ""])
    book.active.append(["1", "最低生活保障", "名單"])
    out = io.BytesIO()
    book.save(out)
    report = run(coordinator, out.getvalue(), department=office)
    assert any("公開依據" in str(problem) and "社會救助" in str(problem) for problem in report.problems)


def test_a_carrier_added_to_the_list_is_then_accepted(coordinator, office):
    bad = [(name, [list(row) for row in rows]) for name, rows in DOMAINS[:1]]
    bad[0][1][2][7] = "■村村響大喇叭"
    assert not run(coordinator, workbook_bytes(domains=bad), department=office).applied
    Carrier.objects.create(code="village-loudspeaker", name="村村響大喇叭")
    assert run(coordinator, workbook_bytes(domains=bad), department=office).applied


def test_a_publisher_may_not_import_the_catalogue(publisher_a, department_a):
    with pytest.raises(PermissionDenied):
        run(publisher_a, workbook_bytes(), department=department_a)


def test_export_gives_back_the_workbook_it_read(coordinator, office):
    """Round trip: the exported workbook reads as the same rows, and importing it changes nothing."""
    original = workbook_bytes()
    run(coordinator, original, department=office)
    exported = standard_catalogue_export()
    first = standard_layout.read(io.BytesIO(original), "xlsx")
    second = standard_layout.read(io.BytesIO(exported), "xlsx")
    assert not second.problems
    by_domain = lambda reading: sorted((row.cells() for row in reading.rows), key=lambda cells: cells[0])  # noqa: E731
    assert by_domain(second) == by_domain(first)  # domains in the catalogue's order, rows in the file's
    again = run(coordinator, exported, department=office)
    assert again.applied and again.unchanged == 4 and not again.created and not again.updated
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["社會救助"]
    assert sheet.cell(2, 2).value == "公開事項" and sheet.cell(3, 2).value == "一級事項"
    assert "B4:B5" in {str(merged) for merged in sheet.merged_cells.ranges}  # the 一級事項 merged again
    assert sheet.page_setup.orientation == "landscape"


@pytest.mark.parametrize("written, cadence, days, rule", [
    ("信息形成（或變更）之日起20個工作日內", Cadence.STANDING, 20, TimeLimitRule.WORKING_DAYS),
    ("信息形成或者變更之日起20個工作日內予以公開", Cadence.STANDING, 20, TimeLimitRule.WORKING_DAYS),
    ("信息形成20個工作日內公開", Cadence.STANDING, 20, TimeLimitRule.WORKING_DAYS),
    ("信息形成之日起二十個工作日內", Cadence.STANDING, 20, TimeLimitRule.WORKING_DAYS),
    ("自信息形成或者变更之日起20个工作日内", Cadence.STANDING, 20, TimeLimitRule.WORKING_DAYS),
    ("每季度結束後10個工作日內", Cadence.QUARTERLY, 10, TimeLimitRule.WORKING_DAYS),
    ("批准後7日內", Cadence.STANDING, 5, TimeLimitRule.CALENDAR_DAYS),
    ("公示期滿後15天內", Cadence.STANDING, 10, TimeLimitRule.CALENDAR_DAYS),
    ("按年度", Cadence.YEARLY, 20, TimeLimitRule.PERIODIC),
    ("每年1月31日前", Cadence.YEARLY, 20, TimeLimitRule.PERIODIC),
    ("按季度", Cadence.QUARTERLY, 20, TimeLimitRule.PERIODIC),
    ("每半年", Cadence.QUARTERLY, 20, TimeLimitRule.PERIODIC),
    ("每月", Cadence.MONTHLY, 20, TimeLimitRule.PERIODIC),
    ("及時公開", Cadence.STANDING, 5, TimeLimitRule.PROMPT_DEFAULT),
    ("及时公开", Cadence.STANDING, 5, TimeLimitRule.PROMPT_DEFAULT),
    ("實時公開", Cadence.STANDING, 1, TimeLimitRule.REAL_TIME_DEFAULT),
    ("長期公開", Cadence.STANDING, 20, TimeLimitRule.UNPARSED_DEFAULT),
    ("", Cadence.STANDING, 20, TimeLimitRule.UNPARSED_DEFAULT),
])
def test_time_limit_phrases(written, cadence, days, rule):
    assert time_limits.parse(written) == time_limits.TimeLimit(cadence, days, rule)


@override_settings(GONGKAI_CATALOGUE_PROMPT_DAYS=3, GONGKAI_CATALOGUE_DEFAULT_DAYS=15)
def test_the_defaults_are_the_countys():
    assert time_limits.parse("及時公開").days == 3
    assert time_limits.parse("按年度").days == 15
    assert time_limits.parse("及時公開").is_default and not time_limits.parse("20個工作日內").is_default


def test_the_coordinator_checks_then_imports_a_workbook_in_the_admin(client, coordinator, office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(coordinator)
    url = reverse("admin:disclosures_catalogueentry_standard_import")
    assert client.get(url).status_code == 200

    def upload(**buttons):
        data = {"department": office.pk, "file": SimpleUploadedFile("標準目錄.xlsx", workbook_bytes()), **buttons}
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hant")

    checked = upload(check="1")
    assert checked.status_code == 200 and "試匯入" in checked.content.decode()
    assert not CatalogueEntry.objects.exists()
    imported = upload(apply="1")
    assert imported.status_code == 302 and CatalogueEntry.objects.filter(domain__isnull=False).count() == 4
    exported = client.get(reverse("admin:disclosures_catalogueentry_standard_export"))
    assert exported.status_code == 200
    assert standard_layout.read(io.BytesIO(exported.content), "xlsx").rows


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(client, coordinator, office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(coordinator)
    response = client.post(reverse("admin:disclosures_catalogueentry_standard_import"), {
        "department": office.pk, "file": SimpleUploadedFile("目錄.xlsx", b"<html><script>x</script>"), "check": "1",
    })
    assert response.status_code == 200 and response.context["form"].errors
    assert not CatalogueEntry.objects.exists()


def test_the_api_carries_the_layouts_fields(client, coordinator, office):
    run(coordinator, workbook_bytes(), department=office)
    rows = client.get("/api/v1/catalogue/?format=json").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    row = next(row for row in rows if row["sub_item"] == "政策文件")
    assert row["domain"] == "social-assistance" and row["category"] is None and row["item"] == "最低生活保障"
    assert row["time_limit"] == "信息形成（或變更）之日起20個工作日內" and row["days_allowed"] == 20
    assert row["channels"] == ["website", "two-micro-one-end", "service-station"] and row["proactive"] is True


@pytest.mark.parametrize("data, extension", [
    (b"PK\x03\x04 not really a zip", "xlsx"),
    ("最低生活保障".encode("utf-16"), "csv"),
])
def test_a_file_that_cannot_be_read_is_one_problem_not_an_error(data, extension, coordinator, office):
    report = run(coordinator, data, extension, department=office)
    assert report.problems and not report.applied
    assert not CatalogueEntry.objects.exists()


@override_settings(GONGKAI_IMPORT_MAX_UNPACKED_BYTES=2000)
def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(coordinator, office):
    report = run(coordinator, workbook_bytes(), department=office)
    assert any("unpacks" in str(problem) or "解壓" in str(problem) for problem in report.problems), report.problems
