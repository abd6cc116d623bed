"""One search over everything public: Traditional and Simplified Chinese folded together,
English and document numbers found, ranked, snippets escaped and marked; drafts,
internal and withdrawn disclosures never found; any query gives a page, never an error."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures import services
from disclosures.models import Scope
from portal import search
from portal.models import Department, SearchEntry
from tests.factories import DisclosureFactory, category
from tests.search_page import found, found_nothing

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish_now(publish, publisher_a, reviewer_a, django_capture_on_commit_callbacks):
    """Publish and let the index follow, as it does once the transaction commits."""

    def run(disclosure):
        with django_capture_on_commit_callbacks(execute=True):
            publish(disclosure, publisher_a, reviewer_a)
        disclosure.refresh_from_db()
        return disclosure

    return run


@pytest.fixture
def notice(department_a, publish_now):
    return publish_now(
        DisclosureFactory(
            department=department_a,
            title="關於推進政務公開工作的通知",
            summary="縣政府辦公室",
            body="<p>各鄉鎮：為推進County budget公開，現將有關事項通知如下。</p>",
            document_number="漢政發〔2007〕12號",
        )
    )


@pytest.mark.parametrize("q", ["政务公开", "政務公開", "政务", "公開", "推进政务公开工作"])
def test_traditional_and_simplified_find_each_other(client, notice, q):
    html = found(client, q)
    assert notice.get_absolute_url() in html


def test_a_simplified_title_is_found_by_a_traditional_query(client, department_a, publish_now):
    simplified = publish_now(DisclosureFactory(department=department_a, title="关于农民负担情况的公告", body=""))
    assert simplified.get_absolute_url() in found(client, "農民負擔")


@pytest.mark.parametrize("q", ["漢政發〔2007〕12號", "汉政发〔2007〕12号", "漢政發[2007]12號", "汉政发200712号", "2007"])
def test_document_numbers_are_found(client, notice, q):
    assert notice.get_absolute_url() in found(client, q)


@pytest.mark.parametrize("q", ["county budget", "COUNTY", "Ｂｕｄｇｅｔ"])
def test_english_words_are_found_whatever_their_case_or_width(client, notice, q):
    assert notice.get_absolute_url() in found(client, q)


def test_the_index_number_and_department_name_are_found(client, notice):
    assert notice.get_absolute_url() in found(client, notice.index_number)
    assert notice.get_absolute_url() in found(client, "甲局")


def test_words_that_are_not_there_find_nothing(client, notice):
    assert notice.get_absolute_url() not in found_nothing(client, "礦產資源")


def test_every_word_must_match(client, notice):
    assert notice.get_absolute_url() in found(client, "政務公開")
    assert notice.get_absolute_url() not in found_nothing(client, "政務公開 礦產")


def test_drafts_internal_and_withdrawn_are_never_found(client, department_a, publish_now, reviewer_a, django_capture_on_commit_callbacks):
    DisclosureFactory(department=department_a, title="草稿政務公開")
    internal = publish_now(
        DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL, title="招待費政務公開")
    )
    withdrawn = publish_now(DisclosureFactory(department=department_a, title="撤回的政務公開"))
    assert withdrawn.get_absolute_url() in found(client, "政務公開")
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_withdraw(actor=reviewer_a, disclosure=withdrawn, reason="有誤")
    html = found_nothing(client, "政務公開")
    assert "草稿" not in html and "招待費" not in html and "撤回" not in html
    assert not SearchEntry.objects.filter(object_id__in=[internal.pk, withdrawn.pk]).exists()


def test_an_amendment_replaces_the_indexed_text(
    client, notice, publisher_a, reviewer_a, publish_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_amend(actor=publisher_a, disclosure=notice)
    notice.refresh_from_db()
    assert notice.get_absolute_url() in found(client, "推进")  # the public still reads revision 1
    notice.body = "<p>改為農機補貼事項</p>"
    notice.save()
    publish_now(notice)
    assert notice.get_absolute_url() in found(client, "农机补贴")
    assert notice.get_absolute_url() not in found_nothing(client, "各鄉鎮")


def test_title_hits_rank_above_text_hits(client, department_a, publish_now):
    in_text = publish_now(DisclosureFactory(department=department_a, title="年度工作安排", body="<p>涉及預算調整</p>"))
    in_title = publish_now(DisclosureFactory(department=department_a, title="預算調整說明", body="<p>見附件</p>"))
    html = found(client, "预算调整")
    assert html.index(in_title.get_absolute_url()) < html.index(in_text.get_absolute_url())


def test_snippets_escape_the_text_and_mark_the_hits(client, department_a, publish_now):
    disclosure = publish_now(
        DisclosureFactory(department=department_a, title="收費標準", body="<p>&lt;script&gt;alert(1)&lt;/script&gt; 收費標準見下表</p>")
    )
    html = found(client, "收费标准")
    assert disclosure.get_absolute_url() in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<mark>收費標準</mark>" in html


def test_a_simplified_reader_sees_simplified_results(client, notice):
    client.cookies["gongkai_language"] = "zh-hans"
    assert "<mark>政务公开</mark>" in found(client, "政務公開")


@pytest.mark.parametrize(
    "q,message",
    [("", "Type a word"), ("x" * 1001, "longer than 1000"), ("〔〕！？…—", "no words"), ("!!! ??? ...", "no words")],
)
def test_empty_long_and_punctuation_only_queries_give_a_page(client, notice, q, message, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies["gongkai_language"] = "en"
    html = found(client, q)
    assert message in html and notice.get_absolute_url() not in html


def test_a_long_query_within_the_limit_is_searched(client, notice):
    assert found(client, "政務公開 " * 150)  # 750 characters: searched, no error


def test_search_queries_do_not_grow_with_results(client, department_a, publish_now):
    def count():
        with CaptureQueriesContext(connection) as queries:
            found(client, "預算")
        return len(queries)

    publish_now(DisclosureFactory(department=department_a, title="預算一"))
    few = count()
    for n in range(12):
        publish_now(DisclosureFactory(department=department_a, title=f"預算{n}", department__code=f"x{n}"))
    assert count() == few


def test_rebuild_indexes_what_is_public_and_drops_the_rest(department_a, publish, publisher_a, reviewer_a):
    disclosure = DisclosureFactory(department=department_a, title="重建索引測試")
    publish(disclosure, publisher_a, reviewer_a)  # no commit callbacks: the index has not followed
    SearchEntry.objects.create(source="disclosures", object_id=999999, title="stale", url="/x/")
    SearchEntry.objects.create(source="gone", object_id=1, title="unregistered", url="/y/")
    call_command("rebuild_search_index", verbosity=0)
    assert list(SearchEntry.objects.values_list("source", "object_id")) == [("disclosures", disclosure.pk)]


def _pending_pages_merged_now() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('search_entry_vector_gin'::regclass)")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_rebuild_leaves_no_words_waiting_in_the_indexs_pending_list(notice):
    """A rebuild writes into the GIN index's pending list (64 MB of it), which every search
    reads in full until merged: the rebuild merges it, so a search after it reads the index."""
    SearchEntry.objects.all().delete()
    _pending_pages_merged_now()
    call_command("rebuild_search_index", verbosity=0)  # new rows: the notice's words pending
    assert SearchEntry.objects.filter(object_id=notice.pk).exists()
    assert _pending_pages_merged_now() == 0


@pytest.mark.postgres
def test_a_publications_words_are_merged_into_the_index_once_written(department_a, publish_now):
    """Publications would otherwise fill the default 4 MB pending list between vacuums."""
    _pending_pages_merged_now()
    publish_now(DisclosureFactory(department=department_a, title="合併待處理詞語"))
    assert SearchEntry.objects.filter(title="合併待處理詞語").exists()
    assert _pending_pages_merged_now() == 0


def test_every_registered_source_is_searched(client, notice):
    """A source of another app (here a stand-in over departments) joins the same search."""
    Department.objects.create(code="fees", name="縣物價局", duties="收費政務公開")
    source = search.SearchSource(
        name="test-departments",
        label="Departments",
        rows=lambda: Department.objects.filter(code="fees"),
        document=lambda d: search.SearchDocument(title=d.name, url=d.get_absolute_url(), text=d.duties, department_code=d.code),
    )
    search.register(source)
    try:
        search.rebuild(["test-departments"])
        html = found(client, "政务公开")
        assert notice.get_absolute_url() in html and "/departments/fees/" in html
        only = found(client, "政务公开", source="test-departments")
        assert notice.get_absolute_url() not in only and "/departments/fees/" in only
    finally:
        search.unregister("test-departments")


def test_query_folding_and_words():
    query = search.parse("縣財政局 政務公開")
    assert query.groups[0][0] == ("县财政局",) or query.groups[0][0][0].startswith("县")
    assert ("政务",) in [alt for group in query.groups for alt in group] or ("政务公开",) in [
        alt for group in query.groups for alt in group
    ]
    assert search.parse("漢政發〔2007〕12號").whole == "汉政发200712号"
    assert search.fold("ＡＢＣ１２３政務") == "abc123政务"


@pytest.mark.postgres
def test_on_postgresql_the_query_can_use_the_gin_index(notice):
    """With sequential scans off, the plan uses search_entry_vector_gin: the query is
    written so that the index serves it (docs/search.md has the figures on 50,000 rows)."""
    with connection.cursor() as cursor:
        # Plain index scans off too: after other tests' rolled-back bulk inserts, the
        # statistics may favour reading the published_at index in order and filtering.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = search.matching(search.parse("政務公開")).order_by("-published_at")[:1000].explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
            cursor.execute("SET enable_indexscan = on")
    assert "search_entry_vector_gin" in plan


# --- /disclosures/?q= &category= &department= &year= &sort= ----------------------------


def test_the_list_filters_by_text_category_department_and_year(client, department_a, department_b, publish_now, make_staff):
    from portal.roles import Role

    budget = publish_now(DisclosureFactory(department=department_a, category=category("budget"), title="部門預算公開"))
    grain = publish_now(DisclosureFactory(department=department_a, category=category("grain-subsidies"), title="糧食補貼名單", summary="", body="<p>名單</p>"))
    publisher_b, reviewer_b = make_staff("pb", Role.PUBLISHER, department_b), make_staff("rb", Role.REVIEWER, department_b)
    other = DisclosureFactory(department=department_b, category=category("budget"), title="乙局預算", formed_on=dt.date(2025, 5, 1))
    services.disclosure_submit(actor=publisher_b, disclosure=other)
    services.disclosure_approve(actor=reviewer_b, disclosure=other)
    services.disclosure_publish(actor=reviewer_b, disclosure=other)

    def listed(**params):
        html = client.get(reverse("disclosures:list"), params).content.decode()
        return {d.pk for d in (budget, grain, other) if d.get_absolute_url() in html}

    assert listed() == {budget.pk, grain.pk, other.pk}
    assert listed(q="预算") == {budget.pk}  # `other` was published without the index following
    assert listed(category="finance") == {budget.pk, other.pk}  # a top-level category takes in its own
    assert listed(category="farmers-burden") == {grain.pk}
    assert listed(department="dept-b") == {other.pk}
    assert listed(year="2025") == {other.pk}
    assert listed(year="nonsense", sort="bogus", category="nope") == set()
    assert listed(q="！！") == set()


def test_the_list_sorts(client, department_a, publish_now):
    first = publish_now(DisclosureFactory(department=department_a, title="預算甲"))
    second = publish_now(DisclosureFactory(department=department_a, title="預算乙"))
    newest = client.get(reverse("disclosures:list")).content.decode()
    oldest = client.get(reverse("disclosures:list"), {"sort": "oldest"}).content.decode()
    assert newest.index(second.get_absolute_url()) < newest.index(first.get_absolute_url())
    assert oldest.index(first.get_absolute_url()) < oldest.index(second.get_absolute_url())
    in_text = publish_now(DisclosureFactory(department=department_a, title="年度工作安排", body="<p>涉及預算調整</p>"))
    relevant = client.get(reverse("disclosures:list"), {"q": "預算", "sort": "relevance"})
    html = relevant.content.decode()
    assert relevant.status_code == 200
    # Title hits above the newer text hit; equal title hits newest first.
    assert html.index(second.get_absolute_url()) < html.index(first.get_absolute_url()) < html.index(in_text.get_absolute_url())


def test_a_word_too_long_for_postgresql_is_left_out_and_the_rest_indexed(department_a, publish_now):
    """A run of 3,000 letters without a break is no word anyone searches for, and
    PostgreSQL refuses a lexeme of 2 KB: it is dropped, and the notice is still found."""
    body = "<p>" + "x" * 3000 + " 全年收入預算</p>"
    notice = publish_now(DisclosureFactory(department=department_a, title="部門公告", body=body))
    assert [hit.object_id for hit in search.search(search.parse("預算"))[:10]] == [notice.pk]
    assert not search.search(search.parse("x" * 3000)).count()


def test_the_filtered_list_runs_a_fixed_number_of_queries(client, department_a, publish_now):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("disclosures:list"), {"q": "預算", "category": "finance", "year": "2026"})
            assert response.status_code == 200
        return len(queries)

    publish_now(DisclosureFactory(department=department_a, title="預算0"))
    few = count()
    for n in range(1, 10):
        publish_now(DisclosureFactory(department=department_a, title=f"預算{n}"))
    assert count() == few


def _entry(number, published_at, title="預算", text="預算 說明"):
    return SearchEntry(source="disclosures", object_id=number, title=title, url=f"/d/{number}/", text=text,
                       folded=search.fold(title + "\n" + text), title_terms=" ".join(search.words(search.fold(title))),
                       published_at=published_at)


def test_the_newest_matches_found_by_windows_are_those_of_the_whole_index(monkeypatch):
    """The candidates are looked for a year at a time; whichever window answers, they are
    the newest ``MAX_MATCHES`` of all the matches, title hits first, then the newest,
    undated ones last — checked against a plain sort of every match."""
    from portal.search import indexing, querying

    now = dt.datetime.now(dt.timezone.utc)
    ages = [3, 40, 200, 500, 800, 1500, 2500, 3000, None]  # days; None: undated
    entries = [
        _entry(i, now - dt.timedelta(days=age) if age is not None else None, title="預算" if i % 3 == 0 else "通知")
        for i, age in enumerate(ages, start=1)
    ]
    indexing_vector = indexing.uses_vector()
    SearchEntry.objects.bulk_create(entries)
    if indexing_vector:
        for entry in entries:
            found = " ".join(set(search.words(search.fold(entry.title + "\n" + entry.text))))
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE portal_searchentry SET vector = {indexing.VECTOR_SQL} WHERE id = %s", [found, entry.pk])
    query = search.parse("預算")
    everything = sorted(entries, key=lambda e: (e.published_at is None, -(e.published_at or now).timestamp(), -e.pk))
    for cap in (2, 4, 6, len(entries) + 1):
        monkeypatch.setattr(querying, "MAX_MATCHES", cap)
        newest = everything[:cap]
        expected = [e.object_id for e in newest if e.title == "預算"] + [e.object_id for e in newest if e.title != "預算"]
        assert [c.object_id for c in search.candidates(query)] == expected, cap


@pytest.mark.postgres
def test_a_common_words_newest_matches_are_read_through_both_indexes():
    """A word in a fifth of 20,000 entries over ten years: its newest matches are read
    from the last bands of the date index (with the words' index), the older bands never
    run — no backward walk of the date index unpacking every row's words, no pass over
    the table."""
    from portal.search import querying

    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO portal_searchentry (source, object_id, department_code, title, url, published_at, text,
                                            folded, title_terms, vector, updated_at)
            SELECT 'disclosures', g, '', '通知', '/d/' || g, now() - (g % 3650) * interval '1 day', '', '', '通知',
                   array_to_tsvector(string_to_array(words, ' ')), now()
            FROM (SELECT g, CASE WHEN g % 5 = 0 THEN '预算 说明' ELSE '工作 安排' END AS words
                  FROM generate_series(1, 20000) g) rows
        """)
        cursor.execute("ANALYZE portal_searchentry")
        sql, params = querying.newest_sql(search.parse("預算"), source="disclosures")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        plan = [line for (line,) in cursor.fetchall()]
    ran = "\n".join(line for line in plan if "never executed" not in line)
    assert "never executed" in "\n".join(plan), plan  # the bands past the year's are not read
    assert "Bitmap Index Scan on search_entry_published" in ran, ran
    assert "Index Scan Backward" not in ran and "Seq Scan" not in ran, ran
    assert len(search.candidates(search.parse("預算"), source="disclosures")) == querying.MAX_MATCHES


@pytest.mark.postgres  # the processes read the database the test wrote (not an in-memory one)
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_in_two_processes_indexes_every_row_once(reference_data, settings, department_a, publish_now):
    """``rebuild_search_index --jobs 2``: the keys split between two processes, every
    published row indexed, each once, and nothing else."""
    notices = [publish_now(DisclosureFactory(department=department_a, title=f"第{n}號預算公告")) for n in range(7)]
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(source="disclosures", object_id=999_999, title="舊", url="/x/")  # no longer offered
    # In a process of its own, as an operator runs it (forking the test process would share
    # its state with the children).
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    subprocess.run([sys.executable, "manage.py", "rebuild_search_index", "--jobs", "2", "--no-progress"], check=True,
                   cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"}, capture_output=True)
    indexed = sorted(SearchEntry.objects.filter(source="disclosures").values_list("object_id", flat=True))
    assert indexed == sorted(n.pk for n in notices)
    # Run as a command (no transaction around it), the rebuild ends with VACUUM, which also
    # merges the index's pending list; the statistics show it ran.
    assert _pending_pages_merged_now() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_vacuum_count('portal_searchentry'::regclass)")
        assert cursor.fetchone()[0] >= 1

