"""The public catalogue: an index of the standard catalogue's domains and the county's own
catalogue; each opens in the standard layout with every entry's state (met / due / late /
missing) and the notice that met it; internal obligations never shown; a fixed number of
queries whatever a page holds, and a page never grows past its page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Cadence, CatalogueEntry, Domain, Scope, TimeLimitRule
from tests.factories import CatalogueEntryFactory, DisclosureFactory, category, standard_lists

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_lists(db):
    standard_lists()

URL = "/disclosures/catalogue/"


def page(client, url=URL):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 200
    return response.content.decode()


def domain_entry(domain_code="social-assistance", **fields):
    domain = Domain.objects.get(code=domain_code)
    fields.setdefault("item", "最低生活保障")
    fields.setdefault("sub_item", f"審批結果{CatalogueEntry.objects.count()}")
    return CatalogueEntryFactory(domain=domain, category=None, title="", **fields)


def test_the_addresses_are_stable():
    assert reverse("disclosures:catalogue") == URL
    assert reverse("disclosures:catalogue-domain", args=["social-assistance"]) == URL + "domains/social-assistance/"
    assert reverse("disclosures:catalogue-category", args=["finance"]) == URL + "county/finance/"


def test_the_index_lists_the_26_domains_and_the_eight_disclosures(client, department_a):
    domain_entry(department=department_a)
    html = page(client)
    assert Domain.objects.count() == 26
    for name in ("重大建設項目", "公共資源交易", "財政預決算", "社會救助", "養老服務", "扶貧", "救災"):
        assert name in html
    assert "目標規劃公開" in html and "財務公開" in html
    assert reverse("disclosures:catalogue-domain", args=["social-assistance"]) in html


def test_a_domain_is_shown_in_the_standard_layout_with_states(client, department_a, publisher_a, reviewer_a, publish):
    met = domain_entry(department=department_a, cadence=Cadence.AD_HOC, elements="救助對象、救助金額",
                       legal_basis="《社會救助暫行辦法》、《政府信息公開條例》", time_limit="及時公開",
                       time_limit_rule=TimeLimitRule.PROMPT_DEFAULT, days_allowed=5, responsible_body="縣民政局",
                       channels=["website", "two-micro-one-end"], audience_specific=True, on_request=True)
    disclosure = DisclosureFactory(department=department_a, catalogue_entry=met, formed_on=timezone.localdate())
    publish(disclosure, publisher_a, reviewer_a)
    domain_entry(department=department_a, cadence=Cadence.STANDING)
    domain_entry(department=department_a, scope=Scope.INTERNAL, sub_item="內部事項")
    html = page(client, reverse("disclosures:catalogue-domain", args=["social-assistance"]))
    for text in ("一級事項", "二級事項", "公開內容（要素）", "公開依據", "公開時限", "公開主體", "公開渠道和載體",
                 "公開對象", "公開方式", "救助對象、救助金額", "《社會救助暫行辦法》", "及時公開", "縣民政局",
                 "■政府網站", "■兩微一端", "特定群眾", "依申請公開", "默認"):
        assert text in html, text
    assert 'rowspan="2"' in html  # the 一級事項 spans the two public rows
    assert "內部事項" not in html
    assert "state-met" in html and "state-due" in html
    assert reverse("disclosures:detail", args=[disclosure.pk]) in html


def test_the_county_catalogue_keeps_the_eight_disclosures(client, department_a):
    CatalogueEntryFactory(department=department_a, title="部門預算", category=category("budget"))
    CatalogueEntryFactory(department=department_a, title="招待費明細", scope=Scope.INTERNAL, category=category("hospitality"))
    from disclosures.models import Category

    Category.objects.filter(code="budget").update(parent=Category.objects.get(code="finance"))
    html = page(client, reverse("disclosures:catalogue-category", args=["finance"]))
    assert "部門預算" in html and "招待費明細" not in html


def test_a_missing_obligation_is_shown_as_missing(client, department_a):
    entry = domain_entry(department=department_a, cadence=Cadence.MONTHLY)
    CatalogueEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert "state-missing" in page(client, reverse("disclosures:catalogue-domain", args=["social-assistance"]))


def test_an_unknown_domain_is_not_found(client):
    assert client.get(URL + "domains/no-such-domain/").status_code == 404


def test_the_page_is_accessible_and_printable_markup(client, department_a):
    domain_entry(department=department_a)
    html = page(client, reverse("disclosures:catalogue-domain", args=["social-assistance"]))
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'class="catalogue-print"' in html  # printed on A4 landscape (static/css/portal.css)
    assert "<h3" not in html


def test_catalogue_queries_do_not_grow_with_entries_and_a_page_stays_small(
    client, department_a, publisher_a, reviewer_a, publish, cold_pages
):
    from portal.models import Department

    url = reverse("disclosures:catalogue-domain", args=["social-assistance"])

    def count(address):
        with CaptureQueriesContext(connection) as queries:
            html = page(client, address)
        return len(queries), len(html.encode())

    entry = domain_entry(department=department_a, cadence=Cadence.AD_HOC)
    publish(DisclosureFactory(department=department_a, catalogue_entry=entry, formed_on=timezone.localdate()), publisher_a, reviewer_a)
    few, _ = count(url)
    few_index, _ = count(URL)
    for n in range(6):
        department = Department.objects.create(code=f"c{n}", name=f"第{n}鎮")
        other = domain_entry(department=department, cadence=Cadence.AD_HOC, item=f"事項{n}")
        publish(DisclosureFactory(department=department_a, catalogue_entry=other, formed_on=timezone.localdate()), publisher_a, reviewer_a)
        domain_entry(department=department, cadence=Cadence.MONTHLY, item=f"事項{n}")
    assert count(url)[0] == few
    assert count(URL)[0] == few_index
    CatalogueEntry.objects.bulk_create([
        CatalogueEntry(domain=entry.domain, department=department_a, item=f"大量{n}", sub_item="名單", title=f"大量{n}",
                       elements="救助對象姓名、保障人數、救助金額" * 3, position=100 + n)
        for n in range(300)
    ])
    queries, size = count(url)
    assert queries == few
    assert size < 195_000  # a page of 50 entries, not the whole domain
