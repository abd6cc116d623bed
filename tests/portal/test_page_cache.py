"""Public pages are cached for anonymous readers and invalidated when something public
changes (issue 4, point 8; portal/page_cache.py): a warm page runs no SQL, staff are never
served a cached page, a publication, withdrawal or any other public change shows at once,
each language is cached apart, no cached page holds a CSRF token or sets a cookie, a reader
who has the page gets 304, another process never serves a page stale, and with the cache down
every page still renders."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals_services
from approvals.models import ApplicationStatus
from disclosures import services as disclosures_services
from disclosures.models import Scope
from supervision import services as supervision_services
from tests.approvals.factories import ApplicationFactory, FeeItemFactory, establish
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def county(department_a, publisher_a, reviewer_a, publish):
    """A published notice, an approval item with a fee, a complaint: every cached page has rows."""
    notice = DisclosureFactory(department=department_a, title="2026年部門預算公開")
    publish(notice, publisher_a, reviewer_a)
    item = establish(department=department_a, code="A-001", name="道路客運經營許可", on=dt.date(2010, 1, 1))
    FeeItemFactory(department=department_a, approval_item=item, name="道路運輸證工本費")
    supervision_services.complaint_file(kind="complaint", department=department_a, summary="s", details="d", identity=None)
    return {"notice": notice, "item": item}


def get(client, url, **kwargs):
    """The page, and the SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


CACHED = [
    "/",
    "/departments/",
    "/departments/dept-a/",
    "/disclosures/",
    "/disclosures/?category=finance&page=1",
    "/disclosures/{notice}/",
    "/disclosures/catalogue/",
    "/approvals/",
    "/approvals/?q=&department=dept-a",  # an empty search box is no search
    "/approvals/A-001/",
    "/approvals/fees/",
    "/approvals/results/",
    "/approvals/reform/",
    "/approvals/hall/",
    "/supervision/stats/",
    "/api/v1/disclosures/",
    "/api/v1/disclosures/?category=finance&page=1",
    "/api/v1/approval-items/",
    "/feeds/disclosures/",
]


@pytest.mark.parametrize("url", CACHED)
def test_the_second_anonymous_request_of_a_cached_page_runs_no_sql(client, county, url):
    url = url.format(notice=county["notice"].pk)
    first, cold = get(client, url)
    second, warm = get(Client(), url)
    assert cold > 0 and warm == 0
    assert CSRF.sub("", second) == CSRF.sub("", first)


SEARCHES = ["/search/?q=預算", "/disclosures/?q=預算", "/approvals/?q=許可", "/api/v1/disclosures/?q=預算"]


def test_unknown_parameters_are_rendered_every_time(client, county):
    url = "/?utm_source=poster"  # a parameter the page does not read
    get(client, url)
    assert get(client, url)[1] > 0


@pytest.mark.parametrize("url", SEARCHES)
def test_a_search_is_cached_in_its_process_only_and_follows_a_publication(
    client, county, url, department_a, publisher_a, reviewer_a, publish, django_capture_on_commit_callbacks
):
    """Free text never becomes a key in Redis (a crawler's distinct queries would fill
    it): a repeated search is served from this process's own bounded copy, another
    process renders its own, and a publication makes every copy stale."""
    from portal import page_cache

    first, cold = get(client, url)
    again, warm = get(Client(), url)
    assert cold > 0 and warm == 0
    assert CSRF.sub("", again) == CSRF.sub("", first)
    page_cache._local.pages.clear()  # as another process sees it: nothing in Redis
    assert get(client, url)[1] > 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(DisclosureFactory(department=department_a, title="預算許可公告"), publisher_a, reviewer_a)
    assert get(client, url)[1] > 0


def test_a_very_long_address_is_never_cached(client, county):
    url = "/search/?q=" + "預算" * 250  # 500 characters, searched; 4,500 once encoded
    get(client, url)
    assert get(client, url)[1] > 0


def test_tracking_and_filing_pages_are_never_cached(client, county):
    for url in (reverse("approvals:track"), reverse("supervision:complaint-track"), reverse("supervision:complaint-new")):
        assert "no-cache" in client.get(url)["Cache-Control"]


def test_staff_are_never_served_a_cached_page(client, county, department_a, publisher_a, reviewer_a, publish):
    internal = DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL,
                                 title="第三季度招待費")
    publish(internal, publisher_a, reviewer_a)
    anonymous = Client()
    for url in ("/", reverse("disclosures:list")):
        assert "第三季度招待費" not in get(anonymous, url)[0]  # the cache is warm
    assert anonymous.get(internal.get_absolute_url()).status_code == 404

    client.force_login(publisher_a)
    for _ in range(2):
        html, queries = get(client, reverse("disclosures:list"))
        assert "第三季度招待費" in html and queries > 0
        assert client.get(internal.get_absolute_url()).status_code == 200

    html, queries = get(anonymous, reverse("disclosures:list"))
    assert "第三季度招待費" not in html and queries == 0  # what staff saw was never stored
    assert anonymous.get(internal.get_absolute_url()).status_code == 404


def test_a_publication_appears_on_the_cached_list_and_home_page_at_once(
    client, county, department_a, publisher_a, reviewer_a, publish, django_capture_on_commit_callbacks
):
    for url in ("/", reverse("disclosures:list")):
        get(client, url)
        assert get(client, url)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(DisclosureFactory(department=department_a, title="糧食補貼名單公示"), publisher_a, reviewer_a)
    for url in ("/", reverse("disclosures:list")):
        assert "糧食補貼名單公示" in get(client, url)[0]


def test_the_api_list_is_cached_by_format_and_follows_a_publication(
    client, county, department_a, publisher_a, reviewer_a, publish, django_capture_on_commit_callbacks
):
    url = "/api/v1/disclosures/"
    as_json, _ = get(client, url)
    as_csv, _ = get(client, url, HTTP_ACCEPT="text/csv")
    assert as_json.startswith("{") and not as_csv.startswith("{")  # one format never served for the other
    assert get(client, url)[1] == 0 and get(client, url, HTTP_ACCEPT="text/csv")[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(DisclosureFactory(department=department_a, title="糧食補貼名單公示"), publisher_a, reviewer_a)
    assert "糧食補貼名單公示" in get(client, url)[0]


def test_a_withdrawal_shows_on_the_cached_page_at_once(client, county, reviewer_a, django_capture_on_commit_callbacks):
    notice = county["notice"]
    assert "banner-withdrawn" not in get(client, notice.get_absolute_url())[0]
    assert get(client, notice.get_absolute_url())[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        disclosures_services.disclosure_withdraw(actor=reviewer_a, disclosure=notice, reason="數據有誤")
    html = get(client, notice.get_absolute_url())[0]
    assert "banner-withdrawn" in html and "數據有誤" in html


def test_nothing_changes_on_a_cached_page_before_the_commit(client, county, reviewer_a):
    """Invalidation waits for the commit: a page rendered before it may show the old state."""
    notice = county["notice"]
    get(client, notice.get_absolute_url())
    disclosures_services.disclosure_withdraw(actor=reviewer_a, disclosure=notice, reason="數據有誤")  # not committed
    assert get(client, notice.get_absolute_url())[1] == 0


def _decide(coordinator, county):
    today = timezone.localdate()
    application = ApplicationFactory(
        item=county["item"], status=ApplicationStatus.UNDER_REVIEW, received_on=today - dt.timedelta(days=3),
        due_on=today + dt.timedelta(days=7),
    )
    approvals_services.application_decide(actor=coordinator, application=application, decision="准予許可，核發許可證")


def _rename(coordinator, county):
    item = county["item"]
    item.name = "道路旅客運輸經營許可"
    approvals_services.approval_item_update(actor=coordinator, item=item, reason="名稱規範")


def _cancel_fee(coordinator, county):
    fee = county["item"].fees.get()
    approvals_services.fee_item_cancel(actor=coordinator, fee=fee, effective_on=timezone.localdate(),
                                       document_number="", reason="取消收費")


def _accept_complaint(supervisor, county):
    from supervision.models import Complaint

    supervision_services.complaint_accept(actor=supervisor, complaint=Complaint.objects.get())


@pytest.mark.parametrize("who,url,change,shown_after", [
    ("coordinator", "/approvals/A-001/", _rename, "道路旅客運輸經營許可"),
    ("coordinator", "/approvals/results/", _decide, "准予許可，核發許可證"),
    ("coordinator", "/approvals/fees/", _cancel_fee, "取消收費"),
    ("supervisor", "/supervision/stats/", _accept_complaint, "<td>1</td><td>1</td>"),  # received, accepted
], ids=["item adjusted", "application decided", "fee cancelled", "complaint accepted"])
def test_approvals_and_supervision_changes_show_on_cached_pages_at_once(
    request, client, county, who, url, change, shown_after, django_capture_on_commit_callbacks
):
    assert shown_after not in get(client, url)[0]
    assert get(client, url)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        change(request.getfixturevalue(who), county)
    assert shown_after in get(client, url)[0]


def test_languages_are_cached_separately(client, county):
    readers = {
        'lang="zh-Hant"': Client(),
        'lang="zh-Hans"': Client(headers={"accept-language": "zh-hans"}),
        'lang="en"': Client(),
    }
    readers['lang="en"'].cookies["gongkai_language"] = "en"
    for marker, reader in readers.items():
        assert marker in get(reader, "/")[0]
    for marker, reader in readers.items():
        html, queries = get(reader, "/")
        assert marker in html and queries == 0


@pytest.mark.parametrize("url", CACHED)
def test_a_cached_page_holds_no_token_and_sets_no_cookie(client, county, url):
    """The switches on every page post without a CSRF token (portal.switches), so a cached
    page is the same for every reader: a shared cache in front of the site may keep it."""
    url = url.format(notice=county["notice"].pk)
    for reader in (client, Client()):
        response = reader.get(url)
        assert response.status_code == 200
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_form_on_a_cached_page_would_still_get_each_readers_own_token(settings):
    """Should a cached page ever hold a form with a token, the copy keeps a placeholder and
    each reader gets their own token, never the first reader's."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from portal import page_cache

    settings.GONGKAI_PAGE_CACHE_SECONDS = 60

    @page_cache.cache_public_page
    def form_page(request):
        return HttpResponse(f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">')

    def read():
        request = RequestFactory().get("/a-form/")
        request.user = AnonymousUser()
        return form_page(request)

    page_cache.invalidate()
    answers = [read() for _ in range(3)]
    tokens = [CSRF.search(answer.content.decode()).group(1) for answer in answers]
    assert len(set(tokens)) == 3
    assert all(len(token) == 64 for token in tokens)
    # The copy's ETag is made without the token: one for every reader, who may then get 304.
    assert len({answer["ETag"] for answer in answers}) == 1


@pytest.mark.parametrize("url", ["/", "/disclosures/{notice}/", "/approvals/", "/api/v1/disclosures/", "/feeds/disclosures/"])
def test_a_reader_who_has_the_page_gets_304_from_the_cache(client, county, url):
    """Conditional GET on cached pages, the API and feeds: the copy's ETag is the same for
    every reader and outlives an invalidation that left the page as it was."""
    from portal import page_cache

    url = url.format(notice=county["notice"].pk)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert Client().get(url, headers={"if-none-match": etag}).status_code == 304
    page_cache.invalidate()
    assert Client().get(url, headers={"if-none-match": etag}).status_code == 304
    assert Client().get(url, headers={"if-none-match": '"another"'}).status_code == 200


def test_with_the_cache_down_pages_still_render(settings, client, county, publisher_a, reviewer_a, publish,
                                                 department_a, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens
                    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    }
    for _ in range(2):
        html, queries = get(client, "/")
        assert "2026年部門預算公開" in html and queries > 0
    with django_capture_on_commit_callbacks(execute=True):  # invalidating does not fail either
        publish(DisclosureFactory(department=department_a, title="停電通知"), publisher_a, reviewer_a)
    assert "停電通知" in get(client, reverse("disclosures:list"))[0]


READER = """
import sys
import django
django.setup()
from pathlib import Path
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from portal import page_cache

source = Path(sys.argv[1])

@page_cache.cache_public_page
def page(request):
    return HttpResponse(source.read_text())

def read():
    request = RequestFactory().get("/cross-process/")
    request.user = AnonymousUser()
    return page(request).content.decode()

for line in sys.stdin:
    print("|".join(read() for _ in range(3)), flush=True)
"""


@pytest.mark.redis
def test_a_change_made_in_one_process_is_never_served_stale_by_another(settings, tmp_path):
    """Another web process keeps copies of a page and of the generation (no round trip on a
    hit): as soon as this process has invalidated, the other serves the new page, every time."""
    import os
    import subprocess
    import sys

    from portal import page_cache

    source = tmp_path / "page.txt"
    source.write_text("version 0")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(source)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.test_settings", "REDIS_URL": settings.REDIS_URL,
             "ALLOWED_HOSTS": "testserver"},
    )
    try:
        answers = []
        for version in range(300):
            source.write_text(f"version {version}")
            page_cache.invalidate()
            reader.stdin.write("read\n")
            reader.stdin.flush()
            answers.append(reader.stdout.readline().strip())
    finally:
        reader.stdin.close()
        reader.wait(10)
    stale = [answer for version, answer in enumerate(answers) if answer != "|".join([f"version {version}"] * 3)]
    assert stale == []
