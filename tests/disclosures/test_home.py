"""The home page: the latest public notices, the eight disclosures with their counts, and a
search box on every page; internal and draft notices never counted; fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures import services
from disclosures.models import Scope
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_latest_disclosures_are_public_ones_newest_first(client, department_a, publisher_a, reviewer_a, publish):
    older = DisclosureFactory(department=department_a, title="較早的預算公開")
    newer = DisclosureFactory(department=department_a, title="最新的補貼公示")
    internal = DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL, title="招待費")
    DisclosureFactory(department=department_a, title="草稿不見")
    for disclosure in (older, newer, internal):
        publish(disclosure, publisher_a, reviewer_a)
    html = home(client)
    assert 'id="latest-title"' in html
    assert html.index("最新的補貼公示") < html.index("較早的預算公開")
    assert "招待費" not in html and "草稿不見" not in html


def test_categories_count_published_public_notices_including_sub_categories(
    client, department_a, publisher_a, reviewer_a, publish
):
    for code in ("budget", "final-accounts", "finance"):
        publish(DisclosureFactory(department=department_a, category=category(code)), publisher_a, reviewer_a)
    withdrawn = DisclosureFactory(department=department_a, category=category("budget"))
    publish(withdrawn, publisher_a, reviewer_a)
    services.disclosure_withdraw(actor=reviewer_a, disclosure=withdrawn, reason="錯誤")
    DisclosureFactory(department=department_a, category=category("budget"))  # a draft
    html = home(client)
    finance = html[html.index("?category=finance"):]
    assert "3 notices" in finance[: finance.index("</li>")]
    grain = html[html.index("?category=farmers-burden"):]
    assert "0 notices" in grain[: grain.index("</li>")]


def test_every_page_has_a_labelled_search_box(client):
    html = home(client)
    assert 'role="search"' in html and '<label for="site-search-q">' in html and 'id="site-search-q" name="q"' in html
    assert 'action="/search/"' in html


def test_home_headings_are_in_order(client, department_a, publisher_a, reviewer_a, publish):
    import re

    publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    levels = [int(level) for level in re.findall(r"<h([1-6])", home(client))]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_home_queries_do_not_grow_with_notices(client, department_a, publisher_a, reviewer_a, publish, cold_pages):
    def count():
        with CaptureQueriesContext(connection) as queries:
            home(client)
        return len(queries)

    publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    few = count()
    for code in ("budget", "grain-subsidies", "procurement", "duties", "budget", "cadre-selection", "finance"):
        publish(DisclosureFactory(department=department_a, category=category(code)), publisher_a, reviewer_a)
    assert count() == few
