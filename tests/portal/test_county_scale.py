"""County scale (issue 15): public pages cost the same number of queries whatever the
data, their queries are served by indexes on PostgreSQL, and no request runs away."""

import io
import re
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from approvals import selectors as approvals_selectors
from approvals.models import Application, ApprovalItem
from disclosures import search as disclosures_search
from disclosures import selectors
from disclosures.models import Disclosure, PublicTotal
from supervision import stats
from supervision.models import Complaint

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/disclosures/",
    "/disclosures/?page=2",
    "/disclosures/?page=999999",
    "/disclosures/?category=finance",
    "/disclosures/?department=finance&year=2020",
    "/disclosures/?q=政務公開",
    "/disclosures/?q=政務公開&sort=relevance",
    "/api/v1/disclosures/",
    "/api/v1/disclosures/?page=2",
    "/api/v1/disclosures/?q=政務公開",
    "/feeds/disclosures/",
    "/search/?q=政務公開",
    "/supervision/stats/",
    "/approvals/",
    "/approvals/results/",
    "/approvals/results/?department=finance",
]


def _generate(scale):
    call_command("generate_bench_data", scale=scale, force=True, stdout=io.StringIO())


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


def test_public_pages_make_the_same_number_of_queries_at_two_sizes(client, settings):
    """Given a small county and then three times as much, every public list, the home
    page, the API list, the feed and the search make exactly as many queries."""
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    _generate(0.0006)
    assert PublicTotal.objects.get(name="public").count > 50  # page 2 of the API exists
    small = {address: _queries(client, address) for address in _addresses()}
    _generate(0.0012)
    large = {address: _queries(client, address) for address in _addresses()}
    assert Disclosure.objects.count() >= 170
    assert Complaint.objects.count() >= 240 and Application.objects.decided().count() >= 200
    assert small == large


def _addresses() -> list[str]:
    """The pages above, and the service guide of the item with the most applications."""
    item = ApprovalItem.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    return [*PAGES, item.get_absolute_url()]


def test_the_public_total_follows_publication_and_withdrawal(publish, publisher_a, reviewer_a, department_a):
    """The count the list shows is kept by the database: it equals a count of the
    public rows after publishing and after withdrawing."""
    from disclosures import services
    from tests.factories import DisclosureFactory

    disclosure = DisclosureFactory(department=department_a)
    publish(disclosure, publisher_a, reviewer_a)
    public = Disclosure.objects.filter(current_public=True)
    assert PublicTotal.objects.get(name="public").count == public.count() == 1
    services.disclosure_withdraw(actor=reviewer_a, disclosure=Disclosure.objects.get(pk=disclosure.pk), reason="過時")
    key = f"category:{disclosure.category_id}"
    in_category = public.filter(category=disclosure.category).exclude(status="withdrawn").count()
    assert PublicTotal.objects.get(name=key).count == in_category
    assert PublicTotal.objects.get(name="public").count == public.count()


def _plan(queryset) -> str:
    """The plan with a scan of the table, a bitmap scan and a sort made as costly as can
    be: on a test's few rows the planner would otherwise take them. An index that serves
    the ordering is then read in order; without one a Sort still shows."""
    switches = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
        try:
            return queryset.explain()
        finally:
            for switch in switches:
                cursor.execute(f"SET {switch} = on")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_list_pages_are_read_through_their_indexes():
    """The keys of a page of the public list (newest, oldest, by department, by category,
    by date formed) come from the partial indexes on Disclosure, not a sort of the table."""
    _generate(0.0003)
    with connection.cursor() as cursor:  # the planner's statistics of these rows, not of an earlier test's
        cursor.execute("ANALYZE disclosures_disclosure")
    listing = selectors.listing()
    cases = {
        "": "disclosure_public_newest",
        "sort=oldest": "disclosure_public_newest",
        "sort=formed": "disclosure_public_formed",
        "department=finance": "disclosure_public_by_dept",
        "category=budget": "disclosure_public_by_cat",
    }
    from django.http import QueryDict

    for params, index in cases.items():
        filters = disclosures_search.read_filters(QueryDict(params))
        keys = disclosures_search.apply_filters(listing, filters).values_list("pk", flat=True)[40:60]
        plan = _plan(keys)
        assert index in plan, (params, plan)
        assert "Sort" not in plan, (params, plan)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_statistics_and_the_decisions_are_read_through_their_indexes():
    """A year of complaints per department (the statistics, the home page's figures) is read
    from ``complaint_received_figures`` alone — every figure's column is in it, due_on
    included; the years from its two ends; a page of published decisions from
    ``application_decided_newest`` in order; the department filter's choices by probes of
    the items' and applications' indexes, never a pass over the applications."""
    _generate(0.0003)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_complaint; ANALYZE approvals_application; ANALYZE approvals_approvalitem")
    year = Complaint.objects.order_by("-received_on").values_list("received_on", flat=True).first().year
    complaints = Complaint.objects.filter(received_on__year=year)
    plan = _plan(complaints.values("department__code", "department__name").annotate(**stats.figures()).order_by())
    assert "Index Only Scan using complaint_received_figures" in plan, plan
    years = _plan(Complaint.objects.order_by("received_on").values("received_on")[:1])
    assert "complaint_received_figures" in years and "Sort" not in years, years
    keys = _plan(approvals_selectors.decisions().values_list("pk", flat=True)[40:60])
    # In order from a decided_on index: the newest-first one, or — as the planner may choose
    # on these few rows — the covering one with an incremental sort of each day's few rows;
    # never a sort of every decision.
    assert "application_decided_" in keys and "Seq Scan" not in keys, keys
    assert not re.search(r"(^|->  )Sort  \(", keys, re.MULTILINE), keys
    choices = _plan(approvals_selectors.departments_with_decisions())
    # Probes (a semi-join through an index of the applications, whichever the planner takes
    # on these few rows), never a DISTINCT or a pass over them.
    assert "Semi Join" in choices and "Unique" not in choices and "Aggregate" not in choices, choices
    assert "Seq Scan on approvals_application" not in choices, choices


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_statement_past_the_timeout_is_cancelled_and_the_reader_gets_a_clear_page(client, settings):
    """Given the disclosures table locked by another session, a reader's list query waits;
    at the web processes' statement_timeout PostgreSQL cancels it (it does not go on
    running), and the reader gets a 503 page saying the page took too long, not a 500."""
    import psycopg2

    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as locker:
            locker.execute("BEGIN; LOCK TABLE disclosures_disclosure IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 300")
            try:
                started = time.perf_counter()
                response = client.get("/disclosures/")
                elapsed = time.perf_counter() - started
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 0")
            with other.cursor() as check:  # nothing of the reader's is left waiting
                check.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()")
                assert check.fetchone()[0] == 0
            locker.execute("ROLLBACK")
    finally:
        other.close()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "處理時間過長" in response.content.decode()
    assert elapsed < 5


def test_a_hostile_query_on_the_list_returns_quickly(client, settings):
    """A thousand characters of the commonest words, sorted by relevance, on the list and
    the API: answered (or refused) well within the web statement timeout."""
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    _generate(0.0003)
    hostile = ("政務公開 的 是 在 " * 100)[:1000]
    for address in (f"/disclosures/?q={hostile}&sort=relevance", f"/api/v1/disclosures/?q={hostile}&sort=relevance"):
        started = time.perf_counter()
        response = client.get(address)
        assert response.status_code in (200, 400)
        assert time.perf_counter() - started < 5


def test_after_an_invalidation_a_page_is_rendered_once_however_many_ask_at_once(settings):
    """Five readers ask for the same page at once just after an invalidation: one renders
    it, the others are served its copy (no stampede), and all get the same page."""
    import threading

    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from portal import page_cache

    settings.GONGKAI_PAGE_CACHE_SECONDS = 60
    renders = []

    @page_cache.cache_public_page
    def slow_page(request):
        renders.append(1)
        time.sleep(0.5)
        return HttpResponse(f"page {len(renders)}")

    page_cache.invalidate()
    page_cache.generation()
    answers, factory = [], RequestFactory()

    def read():
        request = factory.get("/stampede/")
        request.user = AnonymousUser()
        answers.append(slow_page(request).content)

    readers = [threading.Thread(target=read) for _ in range(5)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(renders) == 1
    assert answers == [b"page 1"] * 5
