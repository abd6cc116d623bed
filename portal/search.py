"""One search over everything the public may read (DESIGN §6; docs/search.md).

``portal`` imports no app. An app registers a :class:`SearchSource` in its
``AppConfig.ready()``: which published rows it offers (``rows()``, a QuerySet of
exactly what an anonymous citizen may read) and how to turn one row into text
(``document(row)``). The index (``portal.models.SearchEntry``) and ``/search/`` serve
every registered source; the app keeps its entries current by calling
:func:`reindex` when a row is published, amended or withdrawn, and
``manage.py rebuild_search_index`` rebuilds everything from ``rows()``.

Chinese: text is folded (NFKC, lower case, Traditional → Simplified with OpenCC, since
jieba's dictionary is Simplified) and segmented with jieba; the original is kept for
display. A query is folded and segmented the same way, so 政务公开 finds 政務公開 and
the other way round. Identifiers such as document numbers (漢政發〔2007〕12號) are also
indexed whole, as one word, with their numbers.

On PostgreSQL the words are a ``tsvector`` (``simple`` configuration) under a GIN
index, ranked with ``ts_rank``; elsewhere (the embedded SQLite default) each query
word is matched with ``LIKE`` over the folded text, titles first.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from portal.chinese import for_language, to_simplified
from portal.models import Department, SearchEntry

logger = logging.getLogger(__name__)

#: Longer queries are refused with a message rather than searched.
MAX_QUERY_LENGTH = 1000
#: At most this many words of a query are used.
MAX_WORDS = 32
#: At most this many matches (the newest) are ranked and listed.
MAX_MATCHES = 1000
#: Characters of a row's text that are indexed (all of it is kept for display).
MAX_INDEXED_TEXT = 200_000
#: Identifiers indexed whole are cut to this length.
MAX_KEYWORD_LENGTH = 60
PAGE_SIZE = 20

# A word: letters and digits of any script (no punctuation, no underscore).
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


# --- The registry ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchDocument:
    """What the index keeps of one row: original title and text for display, where it
    lives, and ``keywords`` (document numbers, codes, names) indexed but not shown."""

    title: str
    url: str
    text: str = ""
    department_code: str = ""
    published_at: dt.datetime | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchSource:
    """A kind of published row that the search offers.

    ``rows`` returns a QuerySet of every row an anonymous citizen may read, and nothing
    else (never drafts or internal rows); :func:`reindex` filters it by primary key.
    ``document`` turns one row of that QuerySet into a :class:`SearchDocument`.
    """

    name: str
    label: str
    rows: Callable[[], models.QuerySet]
    document: Callable[[models.Model], SearchDocument]
    order: int = 100


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    _sources[source.name] = source


def sources() -> list[SearchSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def get_source(name: str) -> SearchSource:
    return _sources[name]


# --- Folding and words ---------------------------------------------------------------


def fold(text: str) -> str:
    """The form everything is compared in: NFKC (full-width → half-width), lower case,
    Simplified Chinese."""
    return to_simplified(unicodedata.normalize("NFKC", text or "").lower())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = fold(char)
    return folded if len(folded) == 1 else char.lower()


def _fold_aligned(text: str) -> str:
    """``fold(text)`` with one character for each character of ``text``, so that a hit
    found in it marks the same place in the original."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # its dictionary ships in the wheel: nothing is fetched

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(folded: str, *, fine: bool = True) -> list[str]:
    """Words of folded text, punctuation dropped. ``fine`` is jieba's search mode, which
    also yields the shorter words inside long ones (财政局 → 财政, 财政局): used for
    indexing; queries use the coarse mode and fall back to the shorter words."""
    jieba = _jieba()
    tokens = jieba.cut_for_search(folded) if fine else jieba.cut(folded)
    return [word for token in tokens for word in _WORD.findall(token)]


def keyword_words(keyword: str) -> list[str]:
    """An identifier's words, its numbers, and the whole of it as one word."""
    folded = fold(keyword)
    found = words(folded) + _DIGITS.findall(folded)
    whole = _whole(keyword)
    if whole:
        found.append(whole)
    return found


def _whole(text: str) -> str:
    """Folded text as one word: its letters and digits run together (漢政發〔2007〕12號 → 汉政发200712号)."""
    return "".join(_WORD.findall(fold(text)))[:MAX_KEYWORD_LENGTH]


# --- The index -------------------------------------------------------------------------


def _entry(source: SearchSource, row) -> SearchEntry:
    document = source.document(row)
    # PostgreSQL refuses a tsvector over 1 MB: a very long text is indexed by its beginning.
    title, text = fold(document.title), fold(document.text[:MAX_INDEXED_TEXT])
    keywords = [keyword for keyword in document.keywords if keyword]
    title_terms = " ".join(words(title))
    terms = " ".join(words(text) + [word for keyword in keywords for word in keyword_words(keyword)])
    return SearchEntry(
        source=source.name,
        object_id=row.pk,
        department_code=document.department_code,
        title=document.title[:300],
        url=document.url,
        published_at=document.published_at,
        text=document.text,
        folded="\n".join([title, text, *(fold(keyword) for keyword in keywords), *map(_whole, keywords)]),
        title_terms=title_terms,
        terms=terms,
        vector=_vector(title_terms, terms) if _uses_vector() else None,
        updated_at=timezone.now(),
    )


def _vector(title_terms: str, terms: str):
    """The tsvector, computed by PostgreSQL in the INSERT itself (one write per row):
    title words weigh A, the rest B; the ``simple`` configuration keeps words as they are."""
    return SearchVector(Value(title_terms), weight="A", config="simple") + SearchVector(
        Value(terms), weight="B", config="simple"
    )


def _uses_vector() -> bool:
    return connection.vendor == "postgresql"


def index_rows(source: SearchSource, rows: Iterable) -> int:
    """Write (or rewrite) the entries of ``rows``, which must come from ``source.rows()``."""
    entries = [_entry(source, row) for row in rows]
    if not entries:
        return 0
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["source", "object_id"],
            update_fields=[
                "department_code", "title", "url", "published_at", "text", "folded",
                "title_terms", "terms", "vector", "updated_at",
            ],
            batch_size=500,
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


def reindex_on_commit(source_name: str, object_id: int) -> None:
    """For a signal receiver: reindex once the publishing transaction has committed, so
    that the index only ever reflects committed rows and never blocks a publication."""
    transaction.on_commit(lambda: _reindex_logged(source_name, object_id))


def _reindex_logged(source_name: str, object_id: int) -> None:
    try:
        reindex(source_name, [object_id])
    except Exception:  # the index is derived data: rebuild_search_index repairs it
        logger.exception("search: could not reindex %s #%s", source_name, object_id)


def rebuild(names: Iterable[str] | None = None, *, batch_size: int = 500) -> dict[str, int]:
    """Rebuild the entries of the named sources (all by default) from their ``rows()``;
    entries of rows no longer offered, and of sources no longer registered, are removed."""
    chosen = [get_source(name) for name in names] if names else sources()
    counts = {}
    for source in chosen:
        started = timezone.now()
        batch, count = [], 0
        for row in source.rows().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(row)
            if len(batch) == batch_size:
                count += index_rows(source, batch)
                batch = []
        count += index_rows(source, batch)
        SearchEntry.objects.filter(source=source.name, updated_at__lt=started).delete()
        counts[source.name] = count
    if not names:
        SearchEntry.objects.exclude(source__in=list(_sources)).delete()
    return counts


# --- Queries -----------------------------------------------------------------------------


@dataclass
class Query:
    """A citizen's query, folded and segmented.

    ``groups`` must all match; a group matches if any of its alternatives does, and an
    alternative is a tuple of words that must all be there (a long word, or the shorter
    dictionary words it is made of). ``problem`` says why nothing is searched."""

    text: str
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    whole: str = ""
    problem: str = ""

    def __bool__(self):
        return bool(self.groups)

    @property
    def marked_words(self) -> list[str]:
        """Every word worth marking in a result, longest first."""
        found = {word for group in self.groups for alternative in group for word in alternative}
        return sorted(found, key=lambda word: (-len(word), word))


EMPTY, TOO_LONG, NO_WORDS = "empty", "too_long", "no_words"


def parse(text: str | None) -> Query:
    text = (text or "").strip()
    if not text:
        return Query(text, problem=EMPTY)
    if len(text) > MAX_QUERY_LENGTH:
        return Query("", problem=TOO_LONG)
    folded = fold(text)
    groups, seen = [], set()
    for word in words(folded, fine=False):
        if word in seen:
            continue
        seen.add(word)
        alternatives = [(word,)]
        parts = _dictionary_parts(word)
        if parts:
            alternatives.append(parts)
        groups.append(alternatives)
        if len(groups) == MAX_WORDS:
            break
    if not groups:
        return Query(text, problem=NO_WORDS)
    whole = _whole(text) if len(groups) > 1 else ""
    return Query(text, groups, whole)


def _dictionary_parts(word: str) -> tuple[str, ...]:
    """The shorter dictionary words that exactly tile ``word`` (农民负担 → 农民, 负担), or
    nothing. The indexed text may have been segmented either way."""
    if len(word) < 3:
        return ()
    parts = sorted(
        {part for part in words(word) if part != word and len(part) > 1},
        key=lambda part: (word.find(part), -len(part)),
    )
    tiled, position = [], 0
    while position < len(word):
        here = [part for part in parts if word.startswith(part, position)]
        if not here:
            return ()
        tiled.append(here[0])
        position += len(here[0])
    return tuple(tiled)


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def tsquery_text(query: Query) -> str:
    """The query for ``to_tsquery('simple', …)``."""
    groups = [
        "(" + " | ".join("(" + " & ".join(_lexeme(w) for w in alternative) + ")" for alternative in group) + ")"
        for group in query.groups
    ]
    text = " & ".join(groups)
    if query.whole:
        text = f"({text}) | {_lexeme(query.whole)}"
    return text


def search(query: Query, *, source: str | None = None, department: str | None = None) -> models.QuerySet:
    """Entries matching ``query``, best first, each with a ``rank``.

    Only the newest ``MAX_MATCHES`` matches are ranked: ranking reads every candidate's
    words, and a word found in most of the county's notices would otherwise rank tens of
    thousands of rows for one page (docs/search.md has the figures). A query that
    reaches the cap says so on the page; more words narrow it."""
    entries = SearchEntry.objects.all()
    if source:
        entries = entries.filter(source=source)
    if department:
        entries = entries.filter(department_code=department)
    if not query:
        return entries.none()
    if _uses_vector():
        tsquery = SearchQuery(tsquery_text(query), search_type="raw", config="simple")
        matches, rank = entries.filter(vector=tsquery), SearchRank(F("vector"), tsquery)
    else:
        # The fallback: every group's long word somewhere in the folded text; titles first.
        condition = Q()
        for group in query.groups:
            condition &= Q(folded__contains=group[0][0])
        if query.whole:
            condition |= Q(folded__contains=query.whole)
        in_title = [Case(When(title_terms__contains=g[0][0], then=Value(1)), default=Value(0)) for g in query.groups]
        matches = entries.filter(condition)
        rank = models.ExpressionWrapper(sum(in_title[1:], in_title[0]), output_field=IntegerField())
    newest = matches.order_by("-published_at", "-pk").values("pk")[:MAX_MATCHES]
    return (
        SearchEntry.objects.defer("folded", "title_terms", "terms", "vector")
        .filter(pk__in=newest)
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-pk")
    )


# --- Showing results ---------------------------------------------------------------------


def _hits(folded: str, marked: list[str], limit: int = 200) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``marked`` words in ``folded``, longest words first."""
    taken = bytearray(len(folded))
    spans = []
    for word in marked:
        start = folded.find(word)
        while start != -1 and len(spans) < limit:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                spans.append((start, end))
            start = folded.find(word, end)
    return sorted(spans)


def mark(text: str, query: Query, *, start: int = 0, end: int | None = None) -> SafeString:
    """``text[start:end]`` escaped, with the query's words in ``<mark>``."""
    end = len(text) if end is None else end
    spans = [(s, e) for s, e in _hits(_fold_aligned(text), query.marked_words) if s >= start and e <= end]
    merged = []
    for s, e in spans:  # 收费 + 标准 side by side read as one hit: 收费标准
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    pieces, position = [], start
    for s, e in merged:
        pieces.append(escape(text[position:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    pieces.append(escape(text[position:end]))
    return mark_safe("".join(pieces))  # every piece of text above is escaped


def snippet(text: str, query: Query, *, width: int = 160) -> SafeString:
    """About ``width`` characters of ``text`` around its first hit, hits marked."""
    text = " ".join((text or "")[:50_000].split())
    spans = _hits(_fold_aligned(text), query.marked_words, limit=1)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = min(len(text), start + width)
    body = mark(text, query, start=start, end=end)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))


@dataclass
class Result:
    entry: SearchEntry
    source: SearchSource | None
    title: SafeString
    snippet: SafeString
    department: Department | None


def results(entries: Iterable[SearchEntry], query: Query, language: str | None = None) -> list[Result]:
    """Displayable results, in the reader's script, with their departments (one query)."""
    entries = list(entries)
    codes = {entry.department_code for entry in entries if entry.department_code}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)} if codes else {}
    return [
        Result(
            entry=entry,
            source=_sources.get(entry.source),
            title=mark(for_language(entry.title, language), query),
            snippet=snippet(for_language(entry.text, language), query),
            department=departments.get(entry.department_code),
        )
        for entry in entries
    ]


@require_safe
def search_page(request):
    """``/search/?q=``: one search over every registered source, ranked, snippets marked.
    Kept beside the search it shows; a fixed number of queries whatever the data."""
    query = parse(request.GET.get("q"))
    chosen = request.GET.get("source") or None
    if chosen not in _sources:
        chosen = None
    page = Paginator(search(query, source=chosen), PAGE_SIZE).get_page(request.GET.get("page")) if query else None
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "q": request.GET.get("q", "")[:MAX_QUERY_LENGTH],
            "sources": sources(),
            "chosen_source": chosen,
            "page": page,
            "results": results(page.object_list, query, get_language()) if page else [],
            "max_length": MAX_QUERY_LENGTH,
            "query_string": kept.urlencode(),
            "capped": bool(page) and page.paginator.count >= MAX_MATCHES,
        },
    )
