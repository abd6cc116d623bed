"""One search over everything the public may read (DESIGN §6; docs/search.md).

``portal`` imports no app. An app registers a :class:`SearchSource` in its
``AppConfig.ready()``: which published rows it offers (``rows()``, a QuerySet of
exactly what an anonymous citizen may read) and how to turn one row into text
(``document(row)``). The index (``portal.models.SearchEntry``) and ``/search/`` serve
every registered source; the app keeps its entries current by calling
:func:`reindex` when a row is published, amended or withdrawn, and
``manage.py rebuild_search_index`` rebuilds everything from ``rows()``.

One job per module; this package re-exports what apps use, so they write
``from portal import search`` and ``search.register(...)``:

- ``registry``: the sources apps register (``SearchSource``, ``SearchDocument``, ``register``);
- ``folding``: NFKC, lower case, Traditional → Simplified, jieba words, identifiers whole;
- ``indexing``: writing entries (``index_rows``, ``reindex``, ``reindex_on_commit``, ``rebuild``);
- ``querying``: parsing a query and matching it (``parse``, ``matching``, ``candidates``, ``search``);
- ``highlight``: titles and snippets escaped with the hits marked (``results``);
- ``views``: the ``/search/`` page (``search_page``).
"""

from portal.search.folding import MAX_KEYWORD_LENGTH, fold, keyword_words, words
from portal.search.highlight import Result, mark, results, snippet
from portal.search.indexing import MAX_INDEXED_TEXT, index_rows, rebuild, reindex, reindex_on_commit
from portal.search.querying import (
    EMPTY,
    MAX_MATCHES,
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    NO_WORDS,
    TOO_LONG,
    Query,
    candidates,
    matching,
    parse,
    ranked_ids,
    search,
    tsquery_text,
)
from portal.search.registry import (
    SearchDocument,
    SearchSource,
    find_source,
    get_source,
    register,
    sources,
    unregister,
)
from portal.search.views import PAGE_SIZE, search_page

__all__ = [
    "EMPTY", "MAX_INDEXED_TEXT", "MAX_KEYWORD_LENGTH", "MAX_MATCHES", "MAX_QUERY_LENGTH",
    "MAX_WORDS", "NO_WORDS", "PAGE_SIZE", "TOO_LONG",
    "Query", "Result", "SearchDocument", "SearchSource",
    "candidates", "find_source", "fold", "get_source", "index_rows", "keyword_words", "mark", "matching", "parse",
    "ranked_ids", "rebuild", "register", "reindex", "reindex_on_commit", "results", "search", "search_page",
    "snippet", "sources", "tsquery_text", "unregister", "words",
]
