"""A citizen's query: parsed into words the way the index was written, and matched.

On PostgreSQL the query is a ``to_tsquery('simple', …)`` served by the GIN index and
ranked with ``ts_rank``; elsewhere (the embedded SQLite default) each query word is
matched with ``LIKE`` over the folded text, titles first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When

from portal.models import SearchEntry
from portal.search.folding import fold, whole_word, words
from portal.search.indexing import uses_vector

#: Longer queries are refused with a message rather than searched.
MAX_QUERY_LENGTH = 1000
#: At most this many words of a query are used.
MAX_WORDS = 32
#: At most this many matches (the newest) are ranked and listed.
MAX_MATCHES = 1000


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
    if uses_vector():
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


def ranked_ids(query: Query, *, source: str | None = None, department: str | None = None) -> dict[int, float]:
    """The object ids of ``source`` matching ``query``, best first, with their rank: one
    query over at most ``MAX_MATCHES`` candidates, for a list that filters its own rows
    by them (the disclosures list's ``?q=``)."""
    if not query:
        return {}
    return dict(search(query, source=source, department=department).values_list("object_id", "rank"))
