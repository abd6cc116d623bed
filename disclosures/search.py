"""What disclosures offer the search (``portal.search``): the current revision of every
published public disclosure, and nothing else — never a draft, an internal disclosure or
a withdrawn one (its page stays, but it leaves the search).

The index follows publication: a receiver of ``post_save`` on ``Disclosure`` (the
publish, amend and withdraw services all save it) reindexes that disclosure once the
transaction commits. ``manage.py rebuild_search_index`` rebuilds it whole.
"""

import html
import re
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from disclosures import selectors
from disclosures.models import Disclosure, Validity
from portal import search

NAME = "disclosures"

_BLOCK_END = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/tr|/td|/th|/blockquote)\b[^>]*>", re.IGNORECASE)


def body_text(body: str) -> str:
    """Plain text of a sanitised body, block boundaries kept as line breaks."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", body or "")))
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
    NEWEST: ("-current_revision__published_at", "-pk"),
    OLDEST: ("current_revision__published_at", "pk"),
    FORMED: ("-current_revision__formed_on", "-current_revision__published_at", "-pk"),
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
    disclosures match it; a query that cannot be searched (empty of words, too long)
    matches nothing."""
    if filters.category:
        queryset = queryset.filter(Q(category__code=filters.category) | Q(category__parent__code=filters.category))
    if filters.department:
        queryset = queryset.filter(department__code=filters.department)
    if filters.year:
        queryset = queryset.filter(current_revision__formed_on__year=filters.year)
    if filters.normative:
        queryset = queryset.normative()
    if filters.validity:
        queryset = queryset.with_validity(filters.validity)
    if filters.query.text or filters.query.problem == search.TOO_LONG:
        hits = search.search(filters.query, source=NAME)
        queryset = queryset.filter(pk__in=hits.values("object_id"))
        if filters.sort == RELEVANCE:
            rank = Subquery(hits.filter(object_id=OuterRef("pk")).values("rank")[:1])
            return queryset.annotate(rank=rank).order_by(F("rank").desc(nulls_last=True), *_ORDER[NEWEST])
    return queryset.order_by(*_ORDER[filters.sort if filters.sort != RELEVANCE else NEWEST])
