"""Showing results: titles and snippets in the reader's script, escaped, hits marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.chinese import for_language
from portal.models import Department, SearchEntry
from portal.search.folding import fold_aligned
from portal.search.querying import Query
from portal.search.registry import SearchSource, find_source


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
    spans = [(s, e) for s, e in _hits(fold_aligned(text), query.marked_words) if s >= start and e <= end]
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


def snippet(text: str, query: Query, *, width: int = 160, language: str | None = None) -> SafeString:
    """About ``width`` characters of ``text`` around its first hit, in the script of a
    reader of ``language`` (only those characters converted, not the whole text), hits
    marked."""
    text = " ".join((text or "")[:50_000].split())
    spans = _hits(fold_aligned(text), query.marked_words, limit=1)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = min(len(text), start + width)
    body = mark(for_language(text[start:end], language), query)
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
            source=find_source(entry.source),
            title=mark(for_language(entry.title, language), query),
            snippet=snippet(entry.text, query, language=language),
            department=departments.get(entry.department_code),
        )
        for entry in entries
    ]
