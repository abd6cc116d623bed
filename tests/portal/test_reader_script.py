"""One script for the reader (issue 12, item 7): every page shows content in the reader's
script, both ways, with its markup untouched, and links to the text as filed."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from portal.chinese import for_language, html_for_language, is_simplified, to_simplified
from tests.approvals.factories import establish
from tests.disclosures.test_tables import make_table, recipients
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db

BODY = '<p title="縣財政局說明">關於<a href="https://example.org/縣?a=1&amp;b=2">預算說明</a>的通知</p>'
AS_FILED = ('<p title="縣財政局說明">關於<a href="https://example.org/縣?a=1&amp;b=2"', "預算說明</a>的通知</p>")


@pytest.fixture
def published(department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(
        department=department_a, title="關於預算執行的說明", summary="財政收支總表", body=BODY
    )
    make_table(disclosure, recipients(2), confirmed_by=publisher_a, title="發放名冊")
    publish(disclosure, publisher_a, reviewer_a)
    return disclosure


def page(client, url, language):
    client.cookies["gongkai_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_simplified_reader_gets_the_whole_notice_in_simplified(client, published):
    """Title, summary, body and data table, not only the title."""
    html = page(client, published.get_absolute_url(), "zh-hans")
    assert "关于预算执行的说明" in html and "财政收支总表" in html
    assert "关于<a" in html and "预算说明</a>的通知" in html
    assert "发放名册" in html and "张三" in html and "發放名冊" not in html
    assert "汉财发〔2026〕" in html  # the document number too
    assert "說明" not in html.split('class="notice-body"')[1].split("</div>")[0].replace('title="縣財政局說明"', "")


def test_markup_attributes_and_addresses_keep_their_script(client, published):
    html = page(client, published.get_absolute_url(), "zh-hans")
    assert 'title="縣財政局說明"' in html
    assert 'href="https://example.org/縣?a=1&amp;b=2"' in html


def test_the_original_link_shows_the_notice_as_filed(client, published):
    html = page(client, published.get_absolute_url(), "zh-hans")
    assert "?original=1" in html
    original = page(client, published.get_absolute_url() + "?original=1", "zh-hans")
    assert "關於預算執行的說明" in original and all(part in original for part in AS_FILED) and "發放名冊" in original
    # The way back, and the interface itself stays in the reader's language.
    assert f'href="{published.get_absolute_url()}"' in original and 'lang="zh-Hans"' in original


def test_a_traditional_reader_of_a_traditional_notice_is_offered_no_original(client, published):
    html = page(client, published.get_absolute_url(), "zh-hant")
    assert all(part in html for part in AS_FILED) and "?original=1" not in html


def test_text_filed_in_simplified_shows_in_traditional_on_the_traditional_site(client, department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(
        department=department_a, title="关于县财政预算的通知", summary="", body='<p title="县">县财政局说明</p>'
    )
    publish(disclosure, publisher_a, reviewer_a)
    html = page(client, disclosure.get_absolute_url(), "zh-hant")
    assert "關於縣財政預算的通知" in html and "縣財政局說明" in html and 'title="县"' in html
    assert "?original=1" in html
    assert "关于县财政预算的通知" in page(client, disclosure.get_absolute_url() + "?original=1", "zh-hant")
    listed = page(client, reverse("disclosures:list"), "zh-hant")
    assert "關於縣財政預算的通知" in listed


def test_text_both_scripts_share_is_never_converted_to_traditional():
    """s2t would write the county's 台 as 臺 and the surname 范 as 範."""
    assert not is_simplified("台北范家村公示") and not is_simplified("縣财政局")
    assert is_simplified("县财政局")
    assert for_language("縣財政局關於范家村的說明", "zh-hant") == "縣財政局關於范家村的說明"
    assert for_language("縣政府通知：年满十八周岁", "zh-hant") == "縣政府通知：年滿十八週歲"  # run by run


def test_a_service_guide_imported_in_simplified_reads_traditional(client, department_a):
    item = establish(department=department_a, name="机动车登记", conditions="车辆经检验合格")
    html = page(client, item.get_absolute_url(), "zh-hant")
    assert "機動車登記" in html and "車輛經檢驗合格" in html and "?original=1" in html


def test_the_complaint_and_request_forms_list_departments_in_the_readers_script(client, department_a):
    department_a.name = "縣財政局"
    department_a.save()
    for url in (reverse("supervision:complaint-new"), reverse("disclosures:request-new")):
        html = page(client, url, "zh-hans")
        assert ">县财政局</option>" in html and "縣財政局" not in html


def test_the_original_of_a_page_is_cached_apart_from_its_conversion(client, published):
    url = published.get_absolute_url()
    for address, shown in ((url, "关于预算执行的说明"), (url + "?original=1", "關於預算執行的說明")):
        assert shown in page(client, address, "zh-hans")
        with CaptureQueriesContext(connection) as queries:
            assert shown in page(Client(), address, "zh-hans")
        assert len(queries) == 0, address


def test_converting_a_long_body_is_quick_and_then_cached():
    """Measured: a 110,000-character body; the page cache spares anonymous readers too."""
    text = "關於縣財政局二〇二六年預算執行情況的說明，請各鄉鎮認真貫徹執行。" * 30
    body = "".join(f'<p title="說明">{text}<a href="/縣">連結</a></p>' for _ in range(110))
    assert len(body) > 100_000
    started = time.perf_counter()
    converted = html_for_language(body, "zh-hans")
    first = time.perf_counter() - started
    started = time.perf_counter()
    assert html_for_language(body, "zh-hans") is converted
    again = time.perf_counter() - started
    assert first < 1.0 and again < first / 10
    assert to_simplified(text) in converted and 'title="說明"' in converted and 'href="/縣"' in converted


def test_search_results_show_a_simplified_import_in_traditional(client, department_a, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        establish(coordinator, department=department_a, code="A-009", name="机动车驾驶证核发", conditions="年满十八周岁")
    html = page(client, reverse("portal:search") + "?" + urlencode({"q": "駕駛證"}), "zh-hant")
    assert "駕駛證</mark>核發" in html and "机动车" not in html
    # The snippet joins fields filed in both scripts: the Simplified clause is converted.
    assert "年滿十八週歲" in html and "《中華人民共和國道路運輸條例》" in html
