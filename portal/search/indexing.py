"""Writing the index (``portal.models.SearchEntry``) from the registered sources.

An app keeps its entries current by calling :func:`reindex` (or, from a signal
receiver, :func:`reindex_on_commit`) when a row is published, amended or withdrawn;
``manage.py rebuild_search_index`` calls :func:`rebuild` to rebuild everything from
each source's ``rows()``.

On PostgreSQL the distinct words of the title, the text and the keywords are stored as a
``tsvector`` of bare lexemes (``array_to_tsvector``: no parser, no positions, no weights —
a query needs none of them) under a GIN index; elsewhere the folded text is kept instead,
and queries fall back to ``LIKE`` (``portal.search.querying``).
"""

from __future__ import annotations

import logging
import multiprocessing
from functools import partial
from typing import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, connections, reset_queries, transaction
from django.db.models import Max, Min
from django.utils import timezone
from psycopg2.extras import execute_values

from portal.models import SearchEntry
from portal.models.search import VECTOR_INDEX
from portal.search.folding import fold, keyword_words, whole_word, words
from portal.search.registry import SearchSource, get_source, sources

logger = logging.getLogger(__name__)

#: Characters of a row's text that are indexed (all of it is kept for display).
MAX_INDEXED_TEXT = 200_000


def uses_vector() -> bool:
    """Whether entries carry a tsvector: on PostgreSQL only."""
    return connection.vendor == "postgresql"


def _entry(source: SearchSource, row, vector: bool) -> SearchEntry:
    """The entry of ``row``; with ``vector``, its words (``lexemes``, one string) for the
    tsvector, instead of the folded text that LIKE reads where there is none."""
    document = source.document(row)
    # PostgreSQL refuses a tsvector over 1 MB: a very long text is indexed by its beginning.
    title, text = fold(document.title), fold(document.text[:MAX_INDEXED_TEXT])
    keywords = [keyword for keyword in document.keywords if keyword]
    title_words = words(title)
    entry = SearchEntry(
        source=source.name,
        object_id=row.pk,
        department_code=document.department_code,
        title=document.title[:300],
        url=document.url,
        published_at=document.published_at,
        text=document.text,
        folded="" if vector else "\n".join([title, text, *map(fold, keywords), *map(whole_word, keywords)]),
        title_terms=" ".join(title_words),
        updated_at=timezone.now(),
    )
    if vector:
        found = {*title_words, *words(text)}
        for keyword in keywords:
            found.update(keyword_words(keyword))
        entry.lexemes = " ".join(found)
    return entry


#: The tsvector of an entry's words, as they are (``array_to_tsvector``, sent as one
#: string): computed by PostgreSQL in the INSERT, without its text parser — a fraction of
#: the cost of ``to_tsvector``, and a third of its size, since no position is kept.
VECTOR_SQL = "array_to_tsvector(string_to_array(%s, ' '))"
_COLUMNS = ("source", "object_id", "department_code", "title", "url", "published_at", "text", "folded",
            "title_terms", "updated_at")
_UPSERT = (
    f"INSERT INTO {SearchEntry._meta.db_table} ({', '.join(_COLUMNS)}, vector) VALUES %s"
    " ON CONFLICT (source, object_id) DO UPDATE SET "
    + ", ".join(f"{column} = EXCLUDED.{column}" for column in (*_COLUMNS[2:], "vector"))
)


def index_rows(source: SearchSource, rows: Iterable, *, bulk: bool = False) -> int:
    """Write (or rewrite) the entries of ``rows``, which must come from ``source.rows()``.
    ``bulk`` (a rebuild): the commit does not wait for the disk (the index is derived
    data: an interrupted rebuild is run again), and the words' index takes them in larger
    batches."""
    vector = uses_vector()
    entries = [_entry(source, row, vector) for row in rows]
    if not entries:
        return 0
    with transaction.atomic():
        if not vector:
            SearchEntry.objects.bulk_create(
                entries, update_conflicts=True, unique_fields=["source", "object_id"],
                update_fields=[*_COLUMNS[2:]], batch_size=500,
            )
            return len(entries)
        # Straight to psycopg2: Django's bulk_create spent more time composing the
        # statement (a value and an expression per row and column) than PostgreSQL writing it.
        with connection.cursor() as cursor:
            if bulk:
                cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL gin_pending_list_limit = '64MB'")
            execute_values(
                cursor.cursor, _UPSERT,
                [tuple(getattr(entry, column) for column in _COLUMNS) + (entry.lexemes,) for entry in entries],
                template=f"({', '.join(['%s'] * len(_COLUMNS))}, {VECTOR_SQL})", page_size=500,
            )
    return len(entries)


def reindex(source_name: str, object_ids: Iterable[int]) -> None:
    """Bring these objects' entries up to date: rows the source still offers are
    (re)indexed, the others (withdrawn, made internal, deleted) leave the index."""
    source = get_source(source_name)
    wanted = set(object_ids)
    rows = list(source.rows().filter(pk__in=wanted))
    index_rows(source, rows)
    SearchEntry.objects.filter(source=source_name, object_id__in=wanted - {row.pk for row in rows}).delete()
    if uses_vector():
        merge_pending_words()


def merge_pending_words() -> None:
    """Merge the words waiting in the GIN index's pending list into the index (PostgreSQL).
    Every search reads that list through in full: left to autovacuum, a rebuild's 64 MB
    made ``/search/?q=救助`` 123 ms instead of 21 at scale 1, and publications would let it
    grow to 4 MB between vacuums. Merging a publication's words costs a few ms in the
    worker. Where the database user does not own the index (PostgreSQL asks for that),
    the merge is left to autovacuum."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])
    except DatabaseError as error:
        logger.warning("search: the words' pending list is left to autovacuum: %s", error)


def reindex_on_commit(source_name: str, object_id: int) -> None:
    """For a signal receiver: once the publishing transaction has committed (the index
    only ever reflects committed rows and never blocks a publication), make the cached
    pages stale and hand the reindexing to a Celery worker (``portal.reindex_search``), so
    a publication's request does not wait for jieba and the index write. Where no worker
    is wanted (``GONGKAI_SEARCH_INDEX_IN_WORKER`` off) or the broker cannot be reached,
    the entry is written here, after the commit."""
    transaction.on_commit(partial(_after_commit, source_name, object_id))


def _after_commit(source_name: str, object_id: int) -> None:
    # The cached pages first: this callback may run before the service's own
    # invalidation (callbacks run in the order they were registered, and the row's save
    # comes first), and pages must not be served stale while the index is written.
    from portal import page_cache

    page_cache.invalidate()
    if settings.GONGKAI_SEARCH_INDEX_IN_WORKER:
        from portal.tasks import reindex_search

        try:
            reindex_search.apply_async(args=[source_name, [object_id]], retry=False)
            return
        except Exception as error:  # a broker down: index here rather than not at all
            logger.warning("search: %s #%s indexed in the web process, the broker refused it: %r", source_name, object_id, error)
    reindex_logged(source_name, [object_id])


def reindex_logged(source_name: str, object_ids: list[int]) -> None:
    """:func:`reindex`, a failure logged and not raised (the index is derived data:
    ``rebuild_search_index`` repairs it); the pages made stale again once it is written,
    for a search page cached while it was written."""
    from portal import page_cache

    try:
        reindex(source_name, object_ids)
    except Exception:
        logger.exception("search: could not reindex %s %s", source_name, object_ids)
    page_cache.invalidate()


def rebuild(names: Iterable[str] | None = None, *, batch_size: int = 500, progress=None, jobs: int = 1) -> dict[str, int]:
    """Rebuild the entries of the named sources (all by default) from their ``rows()``;
    entries of rows no longer offered, and of sources no longer registered, are removed.

    Rows are read in keyset batches (``pk > last`` in primary-key order, ``batch_size``
    at a time), so memory stays bounded whatever the table's size (a client-side
    iterator would hold the whole result: server-side cursors are off, see settings).
    ``jobs`` > 1 splits each source's keys into that many ranges, each indexed by a
    process of its own (jieba and the INSERTs use one CPU each; only for a command: the
    processes read committed rows). ``progress(source_name, done, total)`` is called
    after each batch (with jobs, every half second)."""
    chosen = [get_source(name) for name in names] if names else sources()
    counts = {}
    for source in chosen:
        started = timezone.now()
        total = source.rows().count() if progress else 0
        if jobs > 1:
            count = _index_in_processes(source, jobs, batch_size, progress, total)
        else:
            count = _index_range(source.name, None, None, batch_size,
                                 (lambda done: progress(source.name, done, total)) if progress else None)
        SearchEntry.objects.filter(source=source.name, updated_at__lt=started).delete()
        counts[source.name] = count
    if not names:
        SearchEntry.objects.exclude(source__in=[source.name for source in sources()]).delete()
    if uses_vector():
        table = SearchEntry._meta.db_table
        if connection.in_atomic_block:  # a caller's transaction (a test), where VACUUM cannot run
            merge_pending_words()  # the rebuild's words, written into a 64 MB pending list
            with connection.cursor() as cursor:  # the planner's figures of the rewritten table
                cursor.execute(f"ANALYZE {table}")
        else:
            # Every row was rewritten: VACUUM removes the old versions (left to autovacuum,
            # they made a search's p95 186 ms instead of 41 at scale 1; 8 s there), merges the
            # pending list, and ANALYZE gives the planner the new table's figures.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    return counts


def _index_range(source_name: str, after: int | None, upto: int | None, batch_size: int, reported=None) -> int:
    """Index the source's rows with ``after < pk <= upto`` (either end open), in keyset
    batches; ``reported(rows indexed so far)`` after each one."""
    source = get_source(source_name)
    count = 0
    while True:
        rows = source.rows().order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        if upto is not None:
            rows = rows.filter(pk__lte=upto)
        batch = list(rows[:batch_size])
        if not batch:
            return count
        count += index_rows(source, batch, bulk=True)
        after = batch[-1].pk
        reset_queries()  # with DEBUG on, Django keeps every statement: megabytes of text a batch
        if reported:
            reported(count)


_done = None  # in a child process of _index_in_processes: the rows indexed by all of them


def _child_start(done) -> None:
    global _done
    _done = done


def _index_child(source_name: str, after: int, upto: int, batch_size: int) -> int:
    last = [0]

    def reported(count):
        with _done.get_lock():
            _done.value += count - last[0]
        last[0] = count

    try:
        return _index_range(source_name, after, upto, batch_size, reported)
    finally:
        connections.close_all()


def _index_in_processes(source: SearchSource, jobs: int, batch_size: int, progress, total: int) -> int:
    bounds = source.rows().aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return 0
    step = (bounds["last"] - bounds["first"]) // jobs + 1
    ranges = [(bounds["first"] - 1 + i * step, bounds["first"] - 1 + (i + 1) * step) for i in range(jobs)]
    from portal.search.folding import preload

    preload()  # the dictionary loaded once, shared by the forked processes
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    connections.close_all()  # each process opens its own
    with context.Pool(jobs, initializer=_child_start, initargs=(done,)) as pool:
        result = pool.starmap_async(_index_child, [(source.name, after, upto, batch_size) for after, upto in ranges])
        while not result.ready():
            result.wait(0.5)
            if progress:
                progress(source.name, done.value, total)
        return sum(result.get())
