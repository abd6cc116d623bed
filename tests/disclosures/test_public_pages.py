"""What citizens see: published revisions only, internal ones never, withdrawn ones marked,
and every earlier revision still readable."""

import pytest
from django.urls import reverse

from disclosures import services
from disclosures.models import Scope
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(department=department_a, title="2026年部門預算公開", body="<p>收入1200萬元</p>")
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    return disclosure


@pytest.fixture
def internal(department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(
        department=department_a, category=category("hospitality"), scope=Scope.INTERNAL, title="第三季度招待費"
    )
    publish(disclosure, publisher_a, reviewer_a)
    return disclosure


def test_a_draft_is_404_to_everyone_outside(client, department_a):
    draft = DisclosureFactory(department=department_a)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("disclosures:history", args=[draft.pk])).status_code == 404


def test_published_is_listed_and_readable(client, published):
    assert "2026年部門預算公開" in client.get(reverse("disclosures:list")).content.decode()
    html = client.get(published.get_absolute_url()).content.decode()
    assert "收入1200萬元" in html and published.current_revision.entry_hash in html


@pytest.mark.parametrize("who,status", [
    (None, 404), ("publisher_b", 404), ("publisher_a", 200), ("reviewer_a", 200), ("supervisor", 200), ("coordinator", 200),
])
def test_internal_disclosure_is_for_its_department_and_county_wide_roles(request, client, internal, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(internal.get_absolute_url()).status_code == status
    assert client.get(reverse("disclosures:revision", args=[internal.pk, 1])).status_code == status
    listed = "第三季度招待費" in client.get(reverse("disclosures:list")).content.decode()
    assert listed == (status == 200)


def test_internal_disclosure_never_reaches_anonymous_pages(client, internal, published):
    """The pages are served, with the public notice beside it, and the internal one is not there."""
    for url in ["/", reverse("disclosures:list")]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "2026年部門預算公開" in html, url
        assert "第三季度招待費" not in html, url
    history = client.get(reverse("disclosures:history", args=[internal.pk]))
    assert history.status_code == 404 and "第三季度招待費" not in history.content.decode()


def test_withdrawn_keeps_its_url_and_says_when_and_why(client, published, reviewer_a):
    services.disclosure_withdraw(actor=reviewer_a, disclosure=published, reason="數據有誤")
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "數據有誤" in html and "banner-withdrawn" in html


def test_amended_notice_shows_banner_history_and_the_old_revision_with_changes(
    client, published, publisher_a, reviewer_a, publish
):
    services.disclosure_amend(actor=publisher_a, disclosure=published)
    published.refresh_from_db()
    published.body = "<p>收入1250萬元</p>"
    published.save()
    publish(published, publisher_a, reviewer_a)
    detail = client.get(published.get_absolute_url()).content.decode()
    assert "1250" in detail and reverse("disclosures:history", args=[published.pk]) in detail
    history = client.get(reverse("disclosures:history", args=[published.pk])).content.decode()
    assert "r1" in history and "r2" in history
    first = client.get(reverse("disclosures:revision", args=[published.pk, 1])).content.decode()
    assert "收入1200萬元" in first and "<small>(r1)</small>" in first and 'role="note"' in first
    second = client.get(reverse("disclosures:revision", args=[published.pk, 2])).content.decode()
    assert "<del>0</del>" in second and "<ins>5</ins>" in second
    assert client.get(reverse("disclosures:revision", args=[published.pk, 3])).status_code == 404


def test_list_queries_do_not_grow_with_disclosures(client, department_a, publisher_a, reviewer_a, publish, cold_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("disclosures:list")).status_code == 200
        return len(queries)

    publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    few = count()
    for _ in range(15):
        publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    assert count() == few
