"""Atom feeds of published disclosures: valid Atom a real parser reads, public notices
only, filtered by category or department, amendments flagged as updates of the same entry."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures import services
from disclosures.models import Scope
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(department_a, publisher_a, reviewer_a, publish):
    budget = DisclosureFactory(department=department_a, category=category("budget"), title="2026年部門預算")
    grain = DisclosureFactory(department=department_a, category=category("grain-subsidies"), title="糧食補貼名單")
    internal = DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL, title="招待費")
    draft = DisclosureFactory(department=department_a, title="未發布草稿")
    for disclosure in (budget, grain, internal):
        publish(disclosure, publisher_a, reviewer_a)
        disclosure.refresh_from_db()
    return {"budget": budget, "grain": grain, "internal": internal, "draft": draft}


def parse(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


def test_the_feed_is_valid_atom_with_public_notices_only(client, notices):
    feed = parse(client, reverse("feeds:disclosures"))
    assert set(titles(feed)) == {"2026年部門預算", "糧食補貼名單"}
    entry = next(e for e in feed.entries if e.title == "2026年部門預算")
    assert entry.link == "http://testserver" + notices["budget"].get_absolute_url()
    assert entry.id == entry.link  # the permanent URL: an amendment updates the same entry
    assert entry.author == "甲局"
    assert entry.published_parsed and entry.updated_parsed


def test_the_feed_filters_by_category_including_sub_categories(client, notices):
    assert titles(parse(client, reverse("feeds:disclosures"), category="finance")) == ["2026年部門預算"]
    assert titles(parse(client, reverse("feeds:disclosures"), category="grain-subsidies")) == ["糧食補貼名單"]
    # The internal group is not a public category: the unfiltered feed, still without internal notices.
    assert set(titles(parse(client, reverse("feeds:disclosures"), category="internal"))) == {"2026年部門預算", "糧食補貼名單"}


def test_a_department_feed_has_that_department_only(client, notices, department_b):
    assert set(titles(parse(client, reverse("feeds:department", args=["dept-a"])))) == {"2026年部門預算", "糧食補貼名單"}
    assert titles(parse(client, reverse("feeds:department", args=["dept-b"]))) == []
    assert client.get(reverse("feeds:department", args=["nope"])).status_code == 404


def test_an_amendment_is_flagged_and_updates_the_entry(client, notices, publisher_a, reviewer_a, publish):
    budget = notices["budget"]
    first = budget.current_revision
    services.disclosure_amend(actor=publisher_a, disclosure=budget)
    budget.refresh_from_db()
    budget.summary = "更正後的收支總表"
    budget.save()
    second = publish(budget, publisher_a, reviewer_a)
    entry = next(e for e in parse(client, reverse("feeds:disclosures")).entries if "2026年部門預算" in e.title)
    assert entry.title in ("Amended: 2026年部門預算", "更正：2026年部門預算")
    assert entry.summary == "更正後的收支總表"
    assert entry.updated_parsed[:6] == second.published_at.utctimetuple()[:6]
    assert entry.published_parsed[:6] == first.published_at.utctimetuple()[:6]


def test_a_withdrawn_notice_leaves_the_feed(client, notices, reviewer_a):
    services.disclosure_withdraw(actor=reviewer_a, disclosure=notices["grain"], reason="有誤")
    assert titles(parse(client, reverse("feeds:disclosures"))) == ["2026年部門預算"]


def test_feed_queries_do_not_grow_with_entries(client, department_a, publisher_a, reviewer_a, publish, settings):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0  # feeds are cached like pages: count what rendering costs

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("feeds:disclosures"), reverse("feeds:disclosures") + "?category=finance", reverse("feeds:department", args=["dept-a"])]
    publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    few = [count(url) for url in urls]
    for _ in range(8):
        publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    assert [count(url) for url in urls] == few
