"""Approval items and fees in the one search (approvals/search.py): found in either Chinese
script and by code, cancelled items found but labelled, cancelled fees gone, the index
following the services, rebuilt by the command, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from approvals.search import CANCELLED_ITEMS, FEES, ITEMS
from portal.models import Department, SearchEntry
from tests.approvals.factories import FeeItemFactory, establish
from tests.search_page import found, found_nothing

pytestmark = pytest.mark.django_db

CANCEL = {"effective_on": dt.date(2026, 3, 1), "document_number": "漢政發〔2026〕12號", "reason": "取消"}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and let the index follow, as it does once the transaction commits."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def item(committed, department_a, coordinator):
    return committed(
        establish, coordinator, department=department_a, code="A-001", name="道路客運經營許可",
        basis_law="《中華人民共和國道路運輸條例》", basis_document="國發〔2004〕412號",
    )


@pytest.fixture
def fee(committed, item, coordinator):
    fee = FeeItemFactory.build(department=item.department, approval_item=item, code="FEE-7", name="道路運輸證工本費",
                               amount=Decimal("10.00"), unit="本")
    return committed(services.fee_item_establish, actor=coordinator, fee=fee, effective_on=dt.date(2020, 1, 1))


@pytest.mark.parametrize("q", ["道路客运经营许可", "客运经营", "道路運輸條例"])
def test_a_simplified_query_finds_a_traditional_item(client, item, q):
    assert f'href="{item.get_absolute_url()}"' in found(client, q)


@pytest.mark.parametrize("q", ["A-001", "a001", "國發〔2004〕412號"])
def test_an_item_is_found_by_its_code_and_document_number(client, item, q):
    assert f'href="{item.get_absolute_url()}"' in found(client, q)


@pytest.mark.parametrize("q", ["道路运输证工本费", "FEE-7", "A-001 工本費"])
def test_a_fee_is_found_by_name_code_and_its_items_code(client, fee, q):
    assert 'href="/approvals/fees/#fee-FEE-7"' in found(client, q)


def test_the_search_page_shows_items_and_fees_with_links_and_labels(client, item, fee):
    html = found(client, "道路")
    assert f'href="{item.get_absolute_url()}"' in html and 'href="/approvals/fees/#fee-FEE-7"' in html
    assert '<span class="badge">審批事項</span>' in html and '<span class="badge">收費</span>' in html
    assert f'<a href="{reverse("portal:department-detail", args=[item.department.code])}">' in html
    only_fees = found(client, "道路", source=FEES)
    assert "#fee-FEE-7" in only_fees and item.get_absolute_url() not in only_fees


def test_a_cancelled_item_is_still_found_and_labelled_cancelled(client, committed, item, fee, coordinator):
    committed(services.approval_item_cancel, actor=coordinator, item=item, **CANCEL)
    html = found(client, "客运经营")
    assert f'href="{item.get_absolute_url()}"' in html
    assert '<span class="badge">審批事項 · 已取消</span>' in html
    assert item.get_absolute_url() not in found_nothing(client, "客运经营", source=ITEMS)
    entries = SearchEntry.objects.filter(object_id=item.pk, source__in=[ITEMS, CANCELLED_ITEMS])
    assert list(entries.values_list("source", flat=True)) == [CANCELLED_ITEMS]


def test_the_index_follows_adjustment_delegation_and_the_fee_schedule(client, committed, item, fee, coordinator):
    item.name = "道路旅客運輸經營許可"
    committed(services.approval_item_update, actor=coordinator, item=item, reason="名稱規範")
    assert item.get_absolute_url() in found(client, "旅客运输")
    committed(services.approval_item_delegate, actor=coordinator, item=item, delegated_to="各鎮人民政府", **CANCEL)
    assert item.get_absolute_url() in found(client, "旅客运输", source=ITEMS)  # delegated: still on the register

    committed(services.fee_item_suspend, actor=coordinator, fee=fee, **CANCEL)
    assert "#fee-FEE-7" in found(client, "工本费")  # suspended: still in the schedule
    committed(services.fee_item_cancel, actor=coordinator, fee=fee, **CANCEL)
    assert "#fee-FEE-7" not in found_nothing(client, "工本费")
    assert not SearchEntry.objects.filter(source=FEES).exists()


def test_rebuild_search_index_takes_in_items_and_fees(department_a, item, fee):
    cancelled = establish(department=department_a, code="A-002", name="取水許可", status="cancelled")  # index not followed
    SearchEntry.objects.filter(source__in=[ITEMS, FEES]).delete()
    call_command("rebuild_search_index", verbosity=0)
    assert set(SearchEntry.objects.values_list("source", "object_id")) == {
        (ITEMS, item.pk), (CANCELLED_ITEMS, cancelled.pk), (FEES, fee.pk),
    }


def test_search_queries_do_not_grow_with_items_and_fees(client, committed, department_a, item, fee, coordinator):
    def count():
        with CaptureQueriesContext(connection) as queries:
            found(client, "许可")
        return len(queries)

    few = count()
    for n in range(6):
        department = Department.objects.create(code=f"d{n}", name=f"第{n}局")
        other = committed(establish, coordinator, department=department, code=f"B-{n:03d}", name=f"經營許可{n}")
        committed(services.fee_item_establish, actor=coordinator, fee=FeeItemFactory.build(
            department=department, approval_item=other, name=f"許可證工本費{n}"), effective_on=dt.date(2020, 1, 1))
    assert SearchEntry.objects.count() == 14
    assert count() == few
