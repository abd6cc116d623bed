"""A citizen's query: parsed into words the way the index was written, and matched.

On PostgreSQL the query is a ``tsquery`` of the words as they are (no parser, like the
index's ``array_to_tsvector``) served by the GIN index;
elsewhere (the embedded SQLite default) each query word is matched with ``LIKE`` over
the folded text. Either way the newest matches are ranked by the query's words in the
title, then by date (``candidates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from portal.models import SearchEntry
from portal.search.folding import fold, whole_word, words
from portal.search.indexing import uses_vector

#: Longer queries are refused with a message rather than searched.
MAX_QUERY_LENGTH = 1000
#: At most this many words of a query are used.
MAX_WORDS = 32
#: At most this many matches (the newest) are ranked and listed: 25 pages of 20, and a
#: common word's newest 500 lie in a month or a quarter of a county's notices (500 rather
#: than 1,000 halved the text-search pages' SQL and ranking at scale 1).
MAX_MATCHES = 500


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
    whole = whole_word(text) if len(groups) > 1 else ""
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


class _Words(SearchQuery):
    """A ``tsquery`` read as it is written (``'…'::tsquery``), its words not parsed again:
    they are the index's words (``array_to_tsvector``)."""

    template = "(%(expressions)s)::tsquery"


def tsquery_text(query: Query) -> str:
    """The query in ``tsquery`` syntax, each word a quoted lexeme taken as it is."""
    groups = [
        "(" + " | ".join("(" + " & ".join(_lexeme(w) for w in alternative) + ")" for alternative in group) + ")"
        for group in query.groups
    ]
    text = " & ".join(groups)
    if query.whole:
        text = f"({text}) | {_lexeme(query.whole)}"
    return text


#: On PostgreSQL the newest matches are read band by band of publication date — the last
#: 30 days, then 30–90 days back, 90 days to a year, one to three years, older, undated —
#: in one statement whose bands PostgreSQL runs in turn, stopping once ``MAX_MATCHES``
#: rows are found: a common word's newest matches come from a month's or a quarter's
#: entries (the date's index combined with the word's GIN index), never from reading
#: every one of its matches (tens of thousands at a county's scale); a rare word runs
#: through every band, each a few GIN hits.
WINDOWS_DAYS = (30, 90, 365, 3 * 365)


def matching(query: Query, *, source: str | None = None, department: str | None = None) -> models.QuerySet:
    """The entries matching ``query``: on PostgreSQL through the GIN index of the words,
    elsewhere by ``LIKE`` over the folded text."""
    entries = SearchEntry.objects.all()
    if source:
        entries = entries.filter(source=source)
    if department:
        entries = entries.filter(department_code=department)
    if not query:
        return entries.none()
    if uses_vector():
        return entries.filter(vector=_Words(tsquery_text(query)))
    # Every group's long word somewhere in the folded text.
    condition = Q()
    for group in query.groups:
        condition &= Q(folded__contains=group[0][0])
    if query.whole:
        condition |= Q(folded__contains=query.whole)
    return entries.filter(condition)


def title_hits(query: Query, title_terms: str) -> int:
    """The rank: how many of the query's word groups the title holds (one of a group's
    alternatives, each of its words) — read from the title's short words, never from
    the whole text; the same rule on both databases."""
    return sum(
        any(all(word in title_terms for word in alternative) for alternative in group) for group in query.groups
    )


class Candidate(NamedTuple):
    pk: int
    object_id: int
    rank: int


_BAND = (
    "(SELECT id, object_id, title_terms FROM {table} WHERE vector @@ %s::tsquery{narrowed} AND {band}"
    # Undated last: an order no index gives, so PostgreSQL combines the words' index with the
    # date's and sorts what they select, rather than reading the date's index backwards and
    # unpacking every row's words to test them.
    " ORDER BY published_at DESC NULLS LAST, id DESC LIMIT %s)"
)


def newest_sql(query: Query, *, source: str | None = None, department: str | None = None,
               now: dt.datetime | None = None) -> tuple[str, list]:
    """The statement (PostgreSQL) of the newest ``MAX_MATCHES`` matches: the bands of
    ``WINDOWS_DAYS`` newest first, joined by UNION ALL under one LIMIT — an Append that
    runs its bands in order and stops when the LIMIT is met."""
    now = now or timezone.now()
    edges = [now - dt.timedelta(days=days) for days in WINDOWS_DAYS]
    narrowed, narrowing = "", []
    if source:
        narrowed, narrowing = narrowed + " AND source = %s", narrowing + [source]
    if department:
        narrowed, narrowing = narrowed + " AND department_code = %s", narrowing + [department]
    bands = [("published_at >= %s", [edges[0]])]
    bands += [("published_at >= %s AND published_at < %s", [after, before]) for before, after in zip(edges, edges[1:])]
    bands += [("published_at < %s", [edges[-1]]), ("published_at IS NULL", [])]
    words = tsquery_text(query)
    parts, params = [], []
    for band, edge_params in bands:
        parts.append(_BAND.format(table=SearchEntry._meta.db_table, narrowed=narrowed, band=band))
        params += [words, *narrowing, *edge_params, MAX_MATCHES]
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) newest LIMIT %s", params + [MAX_MATCHES]


def candidates(query: Query, *, source: str | None = None, department: str | None = None) -> list[Candidate]:
    """The newest ``MAX_MATCHES`` matches of ``query``, best first (title hits, then the
    newest): one query."""
    if not query:
        return []
    if uses_vector():
        with connection.cursor() as cursor:
            cursor.execute(*newest_sql(query, source=source, department=department))
            rows = cursor.fetchall()
    else:  # the embedded default: a small index, read whole
        rows = list(
            matching(query, source=source, department=department)
            .order_by(F("published_at").desc(nulls_last=True), "-pk")
            .values_list("pk", "object_id", "title_terms")[:MAX_MATCHES]
        )
    found = [Candidate(pk, object_id, title_hits(query, title_terms)) for pk, object_id, title_terms in rows]
    # By rank, stable: the newest first among equals, as read.
    return sorted(found, key=lambda candidate: -candidate.rank)


class Hits:
    """Search results for a paginator: the candidates in their order, and the entries of
    one page read by their keys (one query), each with its ``rank``."""

    def __init__(self, found: list[Candidate]):
        self.found = found

    def count(self) -> int:
        return len(self.found)

    __len__ = count

    def __getitem__(self, index):
        chosen = self.found[index] if isinstance(index, slice) else [self.found[index]]
        rows = SearchEntry.objects.defer("folded", "title_terms", "vector").in_bulk([c.pk for c in chosen])
        entries = []
        for candidate in chosen:
            entry = rows.get(candidate.pk)
            if entry is not None:  # rewritten since it was found: its new row is another search's
                entry.rank = candidate.rank
                entries.append(entry)
        return entries if isinstance(index, slice) else entries[0]


def search(query: Query, *, source: str | None = None, department: str | None = None) -> Hits:
    """Entries matching ``query``, best first, each with a ``rank``.

    Only the newest ``MAX_MATCHES`` matches are ranked and listed: a word found in most
    of the county's notices would otherwise rank tens of thousands of rows for one page
    (docs/search.md has the figures). A query that reaches the cap says so on the page;
    more words narrow it."""
    return Hits(candidates(query, source=source, department=department))


def ranked_ids(query: Query, *, source: str | None = None, department: str | None = None) -> dict[int, float]:
    """The object ids of ``source`` matching ``query``, best first, with their rank: one
    query over at most ``MAX_MATCHES`` candidates (usually), for a list that filters its
    own rows by them (the disclosures list's ``?q=``)."""
    return {c.object_id: c.rank for c in candidates(query, source=source, department=department)}
