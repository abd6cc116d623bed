"""The registry of search sources: what each app offers the search (docs/search.md).

``portal`` imports no app. An app registers a :class:`SearchSource` in its
``AppConfig.ready()``: which published rows it offers and how to turn one row into text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.db import models


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
    else (never drafts or internal rows); ``reindex`` filters it by primary key.
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


def unregister(name: str) -> None:
    """Forget a source (a test's stand-in); its entries leave the index at the next
    full rebuild."""
    _sources.pop(name, None)


def sources() -> list[SearchSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def get_source(name: str) -> SearchSource:
    """The source registered under ``name``; ``KeyError`` if there is none."""
    return _sources[name]


def find_source(name: str | None) -> SearchSource | None:
    """The source registered under ``name``, or ``None`` (a stale entry, a bad parameter)."""
    return _sources.get(name) if name else None
