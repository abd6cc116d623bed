"""Data tables of a disclosure: personal numbers are found and masked, the publisher
confirms the masking before publication, and only masked data ever reaches the public."""

import csv
import io

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from disclosures import services
from disclosures.models import DataTable, Disclosure, Revision, Status
from disclosures.services import TransitionError
from disclosures.tables import read_and_mask, read_table, spreadsheet_safe
from portal.masking import (
    Kind,
    is_bank_account,
    is_id_card,
    is_mobile,
    mask_account,
    mask_id_card,
    mask_phone,
    mask_table,
)
from tests.disclosures.test_admin import disclosure_form, management_data, run_action
from tests.factories import DisclosureFactory
from tests.portal import hostile_files

pytestmark = pytest.mark.django_db

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first_17: str) -> str:
    """An ID number with its check digit, worked out as GB 11643 says."""
    return first_17 + "10X98765432"[sum(int(d) * w for d, w in zip(first_17, WEIGHTS)) % 11]


def with_wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


RAW_ID = id_number("61092119900307123")
RAW_ID_2 = id_number("61092119851124456")
RAW_PHONE = "13812345678"
RAW_ACCOUNT = "6222021234567890123"
HEADER = ["姓名", "身份證號碼", "聯繫電話", "銀行賬號", "發放金額（元）"]


def recipients(count: int) -> list[list[str]]:
    rows = [["張三", RAW_ID, RAW_PHONE, RAW_ACCOUNT, "1200.00"], ["李四", RAW_ID_2, "13998765432", "6217001234567890", "800.50"]]
    for n in range(2, count):
        rows.append([f"戶主{n}", id_number(f"610921198001{(n % 28) + 1:02d}{n % 1000:03d}"), f"139{n:08d}", f"62170099{n:08d}", f"{n}.00"])
    return rows[:count]


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_table(disclosure, rows, *, confirmed_by=None, title="救災資金發放名冊"):
    data = csv_bytes([HEADER, *rows])
    table = DataTable(disclosure=disclosure, title=title, source=ContentFile(data, name="x.csv"), source_name="x.csv", source_sha256="0" * 64)
    table.set_content(read_and_mask(io.BytesIO(data), "csv"))
    table.save()
    if confirmed_by is not None:
        services.data_table_confirm_masking(actor=confirmed_by, table=table)
    return table


def form_values(form):
    """What a browser would send back for ``form`` as rendered (files and unticked boxes left out)."""
    data = {}
    for bound in form:
        value = bound.value()
        if bound.field.disabled or value in (None, False) or isinstance(bound.field, forms.FileField):
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def change_page_data(page):
    data = {**disclosure_form(), **management_data(page)}
    for inline in page.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            data.update(form_values(form))
    return data


# --- detection and masking ----------------------------------------------------------------
def test_id_numbers_are_recognised_by_check_digit_and_birth_date():
    assert is_id_card("11010519491231002X") and is_id_card("11010519491231002x")  # the standard's own example
    assert is_id_card(RAW_ID) and is_id_card("110105491231002")  # old 15-digit form
    assert not is_id_card(with_wrong_check_digit(RAW_ID))
    assert not is_id_card(id_number("61092119901307123"))  # month 13
    assert not is_id_card("6109211990030712")


def test_phones_and_accounts_are_recognised_with_their_separators():
    assert is_mobile("13812345678") and is_mobile("138-1234-5678") and is_mobile("+86 138 1234 5678")
    assert not is_mobile("12812345678") and not is_mobile("1381234567") and not is_mobile("09161234567")
    assert is_bank_account(RAW_ACCOUNT) and is_bank_account("6222 0212 3456 7890")
    assert not is_bank_account("13812345678") and not is_bank_account("1200.00")


def test_masks_keep_only_what_lets_a_recipient_find_their_line():
    assert mask_id_card("610921199003071234") == "610921********1234"
    assert mask_id_card("11010519491231002x") == "110105********002X"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_account("6222 0212 3456 7890 123") == "***************0123"


def test_columns_are_found_by_content_and_by_header():
    header = ["姓名", "號碼", "手機", "卡號", "證件類型", "金額"]
    rows = [
        ["張三", RAW_ID, "0916-2212345", "6217 0012 3456 7890", "居民身份證", "100"],
        ["李四", RAW_ID_2, "未登記", "無", "居民身份證", "200"],
    ]
    masked, columns = mask_table(header, rows)
    kinds = {column.index: (column.kind, column.found_by) for column in columns}
    assert kinds == {1: (Kind.ID_CARD, "content"), 2: (Kind.PHONE, "header"), 3: (Kind.ACCOUNT, "header")}
    assert masked[0][1] == RAW_ID[:6] + "********" + RAW_ID[-4:]
    assert masked[0][2] == "*******2345" and masked[1][2] == "未登記"  # a cell without digits is kept
    assert masked[0][4] == "居民身份證" and masked[0][5] == "100"  # “ID type” in words and amounts are untouched


def test_an_18_digit_number_with_a_wrong_check_digit_among_amounts_is_not_an_id():
    wrong = with_wrong_check_digit(RAW_ID)
    assert not is_id_card(wrong)
    masked, columns = mask_table(["項目", "金額（元）"], [["救災", "1200.00"], ["糧補", wrong], ["農機", "35000"]])
    assert columns == [] and masked[1][1] == wrong


def test_id_and_mobile_numbers_inside_free_text_are_masked():
    masked, columns = mask_table(["備註"], [[f"聯繫人13812345678，身份證{RAW_ID}。"], ["文號2026001234567"]])
    assert columns == []
    assert masked[0][0] == f"聯繫人138****5678，身份證{RAW_ID[:6]}********{RAW_ID[-4:]}。"
    assert masked[1][0] == "文號2026001234567"


# --- reading files ------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    table = read_table(io.BytesIO(csv_bytes([HEADER, *recipients(2), ["", "", "", "", ""]], encoding)), "csv")
    assert table.header == HEADER
    assert table.rows == recipients(2)  # the blank line is dropped


def test_a_file_without_a_header_row_does_not_publish_its_first_person():
    table = read_and_mask(io.BytesIO(csv_bytes(recipients(3))), "csv")
    assert table.header[1:4] == [mask_id_card(RAW_ID), "138****5678", mask_account(RAW_ACCOUNT)]
    assert {c["index"] for c in table.masked_columns} == {1, 2, 3}


def test_tab_separated_csv_is_read():
    assert read_table(io.BytesIO(csv_bytes([HEADER, *recipients(1)], delimiter="\t")), "csv").rows == recipients(1)


def test_xlsx_is_read_with_numbers_typed_as_numbers():
    rows = [HEADER, ["張三", RAW_ID, 13812345678, RAW_ACCOUNT, 1200.5], ["李四", RAW_ID_2, None, None, 800]]
    table = read_and_mask(io.BytesIO(xlsx_bytes(rows)), "xlsx")
    assert table.header == HEADER
    assert table.rows[0] == ["張三", RAW_ID, RAW_PHONE, RAW_ACCOUNT, "1200.5"]
    assert table.rows[1][2:] == ["", "", "800"]
    assert table.masked_rows[0][2] == "138****5678"
    assert {c["index"] for c in table.masked_columns} == {1, 2, 3}


def test_spreadsheet_formulas_are_neutralised():
    assert [spreadsheet_safe(c) for c in ["=1+1", "+1", "-2", "@SUM(A1)", "張三", ""]] == ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "張三", ""]


# --- publication -------------------------------------------------------------------------------------
def approved(disclosure, submitter, reviewer):
    services.disclosure_submit(actor=submitter, disclosure=disclosure)
    services.disclosure_approve(actor=reviewer, disclosure=disclosure)
    return disclosure


def test_publishing_is_refused_until_the_masking_is_confirmed(department_a, publisher_a, reviewer_a):
    disclosure = DisclosureFactory(department=department_a)
    table = make_table(disclosure, recipients(3))
    approved(disclosure, publisher_a, reviewer_a)
    with pytest.raises(TransitionError, match="救災資金發放名冊"):
        services.disclosure_publish(actor=reviewer_a, disclosure=disclosure)
    disclosure.refresh_from_db()
    assert disclosure.status == Status.APPROVED and not Revision.objects.exists()

    with pytest.raises(TransitionError):  # confirmed on the draft, by its publisher
        services.data_table_confirm_masking(actor=publisher_a, table=table)
    services.disclosure_return(actor=reviewer_a, disclosure=disclosure, comment="請確認遮蔽")
    services.data_table_confirm_masking(actor=publisher_a, table=table)
    approved(disclosure, publisher_a, reviewer_a)
    revision = services.disclosure_publish(actor=reviewer_a, disclosure=disclosure)
    assert revision.tables[0]["rows"][0][1] == RAW_ID[:6] + "********" + RAW_ID[-4:]
    assert RAW_ID not in str(revision.tables) and RAW_PHONE not in str(revision.tables)
    call_command("verify_ledger")


def test_another_department_cannot_confirm_a_tables_masking(department_a, publisher_b):
    table = make_table(DisclosureFactory(department=department_a), recipients(2))
    with pytest.raises(PermissionDenied):
        services.data_table_confirm_masking(actor=publisher_b, table=table)


def test_the_tables_are_covered_by_the_revisions_hash_and_the_database_guards_them(
    department_a, publisher_a, reviewer_a, publish
):
    disclosure = DisclosureFactory(department=department_a)
    make_table(disclosure, recipients(2), confirmed_by=publisher_a)
    revision = publish(disclosure, publisher_a, reviewer_a)
    assert "tables" in revision.canonical_content()
    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(pk=revision.pk).update(tables=[])
    forged = Revision.objects.get(pk=revision.pk)
    forged.tables = [{**forged.tables[0], "rows": forged.tables[0]["rows"][:1]}]
    assert forged.compute_hash() != revision.entry_hash


def test_publisher_uploads_previews_confirms_and_only_masked_numbers_are_public(
    client, publisher_a, reviewer_a, department_a
):
    client.force_login(publisher_a)
    add_url = reverse("admin:disclosures_disclosure_add")
    data = {**disclosure_form(title="2026年救災資金發放公示"), **management_data(client.get(add_url))}
    data["tables-0-title"] = "救災資金發放名冊"
    data["tables-0-source"] = SimpleUploadedFile("名冊.xlsx", xlsx_bytes([HEADER, *recipients(60)]))
    data["tables-TOTAL_FORMS"], data["attachments-TOTAL_FORMS"] = 1, 0
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][-1].formset.errors
    disclosure = Disclosure.objects.get()
    table = DataTable.objects.get()
    assert table.row_count == 60 and not table.masking_confirmed

    change_url = reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])
    page = client.get(change_url)
    html = page.content.decode()
    assert "138****5678" in html and "background:#fff3cd" in html and "color:#8c1c13" in html  # masked, unconfirmed
    assert RAW_ID not in html and RAW_PHONE not in html and table.source.name not in html

    confirm = change_page_data(page)
    confirm["tables-0-confirm_masking"] = "on"
    assert client.post(change_url, confirm).status_code == 302
    table.refresh_from_db()
    assert table.masking_confirmed_by == publisher_a and table.masking_confirmed_at

    run_action(client, "submit", [disclosure.pk])
    client.force_login(reviewer_a)
    run_action(client, "approve", [disclosure.pk])
    run_action(client, "publish", [disclosure.pk])
    disclosure.refresh_from_db()
    assert disclosure.status == Status.PUBLISHED

    client.logout()
    responses = [
        client.get(disclosure.get_absolute_url()),
        client.get(disclosure.get_absolute_url(), {"table": 0, "sort": 1, "dir": "desc", "page": 2}),
        client.get(reverse("disclosures:table-csv", args=[disclosure.pk, 0])),
        client.get(reverse("disclosures:history", args=[disclosure.pk])),
        client.get(reverse("disclosures:list")),
    ]
    assert [r.status_code for r in responses] == [200] * 5
    for response in responses:
        body = response.content.decode("utf-8-sig")
        for raw in (RAW_ID, RAW_ID_2, RAW_PHONE, RAW_ACCOUNT):
            assert raw not in body
        assert table.source.name not in body
    assert "610921********" in responses[0].content.decode()
    assert RAW_ID not in str(Revision.objects.get().tables)
    source_url = f"/media/{table.source.name}"
    assert client.get(source_url).status_code == 404


def test_csv_download_is_the_masked_table_with_formulas_escaped(client, department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(department=department_a)
    make_table(disclosure, [["=HYPERLINK(\"http://x\")", RAW_ID, RAW_PHONE, RAW_ACCOUNT, "-5"]], confirmed_by=publisher_a)
    publish(disclosure, publisher_a, reviewer_a)
    response = client.get(reverse("disclosures:table-csv", args=[disclosure.pk, 0]))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", RAW_ID[:6] + "********" + RAW_ID[-4:], "138****5678", "***************0123", "'-5"]
    assert client.get(reverse("disclosures:table-csv", args=[disclosure.pk, 1])).status_code == 404


def test_a_table_is_sorted_and_paged_on_the_server(client, department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(department=department_a)
    make_table(disclosure, recipients(120), confirmed_by=publisher_a)
    publish(disclosure, publisher_a, reviewer_a)
    url = disclosure.get_absolute_url()

    first = client.get(url).context["tables"][0]
    assert len(first.page.object_list) == 50 and first.page.paginator.num_pages == 3
    assert first.page.object_list[0][0] == "張三"  # the file's order
    html = client.get(url).content.decode()
    assert '<th scope="col">' in html and "<caption" in html and 'href="?table=0&amp;page=2#table-0"' in html

    by_amount = client.get(url, {"table": 0, "sort": 4, "dir": "desc"}).context["tables"][0]
    amounts = [float(row[4]) for row in by_amount.page.object_list]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] == 1200.0  # numerically, not as text
    assert by_amount.columns[4].aria_sort == "descending" and by_amount.columns[4].next_dir == "asc"

    last = client.get(url, {"table": 0, "sort": 4, "dir": "asc", "page": 3}).context["tables"][0]
    assert len(last.page.object_list) == 20 and float(last.page.object_list[-1][4]) == 1200.0
    assert client.get(url, {"table": 0, "sort": "99", "page": "x"}).context["tables"][0].sort is None


def test_the_page_runs_the_same_queries_for_10_and_500_rows(client, department_a, publisher_a, reviewer_a, publish):
    counts = []
    for size in (10, 500):
        disclosure = DisclosureFactory(department=department_a)
        make_table(disclosure, recipients(size), confirmed_by=publisher_a)
        make_table(disclosure, recipients(size), confirmed_by=publisher_a, title="第二張表")
        publish(disclosure, publisher_a, reviewer_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(disclosure.get_absolute_url(), {"table": 1, "sort": 0}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_departments_table_preview_in_admin_is_404(client, department_a, publisher_a, publisher_b):
    disclosure = DisclosureFactory(department=department_a)
    table = make_table(disclosure, recipients(3))
    client.force_login(publisher_a)
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[disclosure.pk]))
    forged = change_page_data(page)
    forged["tables-0-confirm_masking"] = "on"

    client.force_login(publisher_b)
    url = reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, forged).status_code == 404
    table.refresh_from_db()
    assert not table.masking_confirmed


def test_a_table_upload_must_be_csv_or_xlsx(client, publisher_a):
    client.force_login(publisher_a)
    add_url = reverse("admin:disclosures_disclosure_add")
    data = {**disclosure_form(), **management_data(client.get(add_url)), "tables-TOTAL_FORMS": 1, "attachments-TOTAL_FORMS": 0}
    data["tables-0-title"] = "名冊"
    data["tables-0-source"] = SimpleUploadedFile("名冊.csv", b"%PDF-1.4\n%%EOF\n")
    response = client.post(add_url, data)
    assert response.status_code == 200 and not Disclosure.objects.exists()
    tables_formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "tables")
    assert tables_formset.errors[0]["source"][0].startswith("“名冊.csv”")


@pytest.mark.parametrize("build", [hostile_files.huge_dimension, hostile_files.shared_string_bomb, hostile_files.entity_expansion])
def test_a_hostile_workbook_uploaded_as_a_data_table_is_refused_before_it_is_parsed(tmp_path, build):
    """Data tables are read by the same bounded reader as imports (portal.import_files)."""
    import time

    path = build(tmp_path / "table.xlsx")
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        read_and_mask(io.BytesIO(path.read_bytes()), "xlsx")
    assert time.perf_counter() - started < 1.0
    assert refused.value.messages and "/" not in refused.value.messages[0]


def test_a_genuine_workbook_still_reads_as_a_data_table():
    table = read_and_mask(io.BytesIO(xlsx_bytes([HEADER, *recipients(3)])), "xlsx")
    assert table.header[0] == HEADER[0] and len(table.rows) == 3


def test_every_role_opens_a_disclosure_with_a_table_in_every_state_after_draft(
    client, department_a, publisher_a, reviewer_a, coordinator, supervisor, superuser
):
    """Issue 12: a non-draft disclosure with a data table crashed its change page (KeyError
    'source' in the table form), so reviewers approved such notices blind."""
    disclosure = DisclosureFactory(department=department_a)
    make_table(disclosure, recipients(3), confirmed_by=publisher_a)
    url = reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])
    steps = [
        lambda: services.disclosure_submit(actor=publisher_a, disclosure=disclosure),
        lambda: services.disclosure_approve(actor=reviewer_a, disclosure=disclosure),
        lambda: services.disclosure_publish(actor=reviewer_a, disclosure=disclosure),
        lambda: services.disclosure_withdraw(actor=reviewer_a, disclosure=disclosure, reason="過期"),
    ]
    for step in steps:
        step()
        for person in (publisher_a, reviewer_a, coordinator, supervisor, superuser):
            client.force_login(person)
            page = client.get(url)
            assert page.status_code == 200, (person, Disclosure.objects.get().status)
            assert "138****5678" in page.content.decode()  # the masked preview is there to review
