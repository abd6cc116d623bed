"""What disclosures offer the search (``portal.search``): the current revision of every
published public disclosure, and nothing else — never a draft, an internal disclosure or
a withdrawn one (its page stays, but it leaves the search).

The index follows publication: a receiver of ``post_save`` on ``Disclosure`` (the
publish, amend and withdraw services all save it) reindexes that disclosure once the
transaction commits. ``manage.py rebuild_search_index`` rebuilds it whole.
"""

import datetime as dt
import html
import re
from dataclasses import dataclass
from functools import cached_property

import nh3
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosures import selectors
from disclosures.models import Category, Disclosure, Validity
from portal import search
from portal.models import Department

NAME = "disclosures"

_BLOCK_END = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/tr|/td|/th|/blockquote)\b[^>]*>", re.IGNORECASE)


def body_text(body: str) -> str:
    """Plain text of a sanitised body, block boundaries kept as line breaks (tags dropped
    by nh3, as in ``diffing``: twice as fast as ``strip_tags``, the same text)."""
    text = html.unescape(nh3.clean(_BLOCK_END.sub("\n", body or ""), tags=set()))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def rows():
    """What an anonymous citizen may read, minus the withdrawn."""
    return (
        selectors.current()
        .select_related("department", "category", "current_revision")
        .defer("current_revision__tables")
    )


def document(disclosure: Disclosure) -> search.SearchDocument:
    revision = disclosure.current_revision
    text = "\n".join(part for part in (revision.summary, body_text(revision.body)) if part)
    return search.SearchDocument(
        title=revision.title,
        url=disclosure.get_absolute_url(),
        text=text,
        department_code=revision.department_code,
        published_at=revision.published_at,
        keywords=(
            revision.document_number,
            revision.index_number,
            disclosure.department.name,
            disclosure.category.name,
            disclosure.category.name_en,
        ),
    )


SOURCE = search.SearchSource(name=NAME, label=_("Disclosures"), rows=rows, document=document, order=10)


def disclosure_saved(sender, instance, raw=False, **kwargs):
    """Keep the index in step with publication (a signal only to decouple: the index is
    derived data; nothing in the lifecycle depends on it)."""
    if not raw:
        search.reindex_on_commit(NAME, instance.pk)


# --- The filters of the public list and the API: ?q= &category= &department= &year= &sort=
# &validity= &normative= ---

NEWEST, OLDEST, FORMED, RELEVANCE = "newest", "oldest", "formed", "relevance"
SORTS = {
    NEWEST: _("Newest first"),
    OLDEST: _("Oldest first"),
    FORMED: _("Date formed"),
    RELEVANCE: _("Relevance"),
}
_ORDER = {
    NEWEST: ("-current_published_at", "-pk"),
    OLDEST: ("current_published_at", "pk"),
    FORMED: ("-current_formed_on", "-current_published_at", "-pk"),
}


@dataclass
class Filters:
    query: search.Query
    category: str = ""
    department: str = ""
    year: int | None = None
    sort: str = NEWEST
    validity: str = ""
    normative: bool = False

    @property
    def active(self) -> bool:
        return bool(self.query.text or self.category or self.department or self.year or self.validity or self.normative)


def read_filters(params) -> Filters:
    """The filters a request asks for; anything malformed is ignored, never an error."""
    query = search.parse(params.get("q"))
    year = params.get("year", "")
    sort = params.get("sort") or (RELEVANCE if query else NEWEST)
    if sort not in SORTS or (sort == RELEVANCE and not query):
        sort = NEWEST
    return Filters(
        query=query,
        category=(params.get("category") or "")[:40],
        department=(params.get("department") or "")[:32],
        year=int(year) if year.isdigit() and 1900 <= int(year) <= 2200 else None,
        sort=sort,
        validity=params.get("validity") if params.get("validity") in Validity.values else "",
        normative=params.get("normative") in ("1", "true", "yes"),
    )


def apply_filters(queryset, filters: Filters):
    """Narrow and order a queryset of published disclosures (a top-level category takes
    in its sub-categories). Text goes through the search index, so only public
    disclosures match it, among the search's capped candidates
    (``portal.search.MAX_MATCHES``); a query that cannot be searched (empty of words, too
    long) matches nothing. Every filter and order is served by an index of
    ``Disclosure`` (see its ``Meta.indexes``)."""
    if filters.category:
        queryset = queryset.filter(category__in=list(
            Category.objects.filter(Q(code=filters.category) | Q(parent__code=filters.category)).values_list("pk", flat=True)
        ))
    if filters.department:  # by id: the department's index, not a join
        queryset = queryset.filter(department__in=list(
            Department.objects.filter(code=filters.department).values_list("pk", flat=True)
        ))
    if filters.year:
        queryset = queryset.filter(
            current_formed_on__gte=dt.date(filters.year, 1, 1), current_formed_on__lte=dt.date(filters.year, 12, 31)
        )
    if filters.normative:
        queryset = queryset.normative()
    if filters.validity:
        queryset = queryset.with_validity(filters.validity)
    if filters.query.text or filters.query.problem == search.TOO_LONG:
        ranked = search.ranked_ids(filters.query, source=NAME)
        if filters.sort == RELEVANCE:
            narrowed = bool(filters.category or filters.department or filters.year or filters.normative or filters.validity)
            return RankedList(queryset, ranked, narrowed=narrowed)
        queryset = queryset.filter(pk__in=list(ranked))
    return queryset.order_by(*_ORDER[filters.sort if filters.sort != RELEVANCE else NEWEST])


class RankedList:
    """Search hits in the order of their rank: which of the (at most ``MAX_MATCHES``)
    candidates pass the other filters is one query of their keys (none when no other
    filter ``narrowed`` them: the index holds only what the public may read); a page's
    rows another, read through ``queryset`` — a row no longer readable since it was
    indexed, before the worker has caught up, is left out of its page."""

    def __init__(self, queryset, ranked: dict[int, float], *, narrowed: bool = True):
        self.queryset, self.ranked, self.narrowed = queryset, ranked, narrowed

    def __len__(self):
        return len(self._keys)

    def count(self):
        return len(self._keys)

    @cached_property
    def _keys(self) -> list[int]:
        if not self.narrowed:
            return list(self.ranked)
        candidates = self.queryset.order_by().filter(pk__in=list(self.ranked))  # probes of the keys, no order
        passing = set(candidates.values_list("pk", flat=True))
        return [key for key in self.ranked if key in passing]

    def __getitem__(self, index):
        keys = self._keys[index] if isinstance(index, slice) else [self._keys[index]]
        # By their keys, unordered (the order is the rank's): an ordered read would walk the
        # newest-first index past every public notice looking for these few.
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=keys)} if keys else {}
        found = [rows[key] for key in keys if key in rows]
        return found if isinstance(index, slice) else found[0]
