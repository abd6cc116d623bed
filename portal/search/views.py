"""``/search/``: the page over every registered source."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from portal.page_cache import cache_public_page
from portal.search.highlight import results
from portal.search.querying import MAX_MATCHES, MAX_QUERY_LENGTH, parse, search
from portal.search.registry import find_source, sources

PAGE_SIZE = 20


@cache_public_page(params=("source", "page"), text=("q",))
@require_safe
def search_page(request):
    """``/search/?q= &source= &page=``: one search over every registered source (or the
    chosen one), ranked, snippets marked; a fixed number of queries whatever the data."""
    query = parse(request.GET.get("q"))
    chosen = find_source(request.GET.get("source"))
    chosen = chosen.name if chosen else None
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
