"""Named reads for every public surface of disclosures — pages, feeds, the API, the search
index, the home page. Views ask these and render; what a reader may see is decided by
``portal.permissions.scope(user, …, "read")`` with the rules in ``disclosures.permissions``:
only what was reviewed and published, by the published revision's scope.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from disclosures.models import Attachment, Disclosure, PublicTotal, Revision
from portal.models import Department
from portal.permissions import READ, scope

_PUBLIC = AnonymousUser()


def readable(user=None) -> QuerySet[Disclosure]:
    """Published disclosures (withdrawn ones included, shown as such) ``user`` may read;
    the public's when ``user`` is None."""
    return scope(user or _PUBLIC, Disclosure.objects.all(), READ)


def current(user=None) -> QuerySet[Disclosure]:
    """Readable and not withdrawn: what lists, feeds, the search and the home page show."""
    return readable(user).published()


def listing(user=None) -> QuerySet[Disclosure]:
    """The rows of the list page: only what a row shows (``LIST_SHOWN``), read in one query
    with the department, the category and the current revision — 14 of the four tables'
    81 columns (a row reading any other would cost a query of its own: the list's
    constant-query test fails)."""
    return readable(user).select_related("department", "category", "current_revision").only(*LIST_SHOWN)


#: What a row of the public list shows (``disclosures/list.html``).
LIST_SHOWN = (
    "status", "department__name", "category__name", "category__name_en",
    "current_revision__title", "current_revision__published_at", "current_revision__document_number",
)
#: What no list reads: the working copy's and the revision's body and tables.
LIST_DEFERRED = ("body", "current_revision__body", "current_revision__tables")


def for_page(user, pk, *, with_tables: bool = False, contents: bool = False) -> Disclosure:
    """One readable disclosure with its current revision, or 404. ``contents``: the page
    serves its body, files or tables (a poster, a download), which a withdrawn notice no
    longer publishes anywhere — its page keeps the title, dates, reason and hashes."""
    queryset = readable(user).select_related(
        "department", "category", "current_revision",
        "current_revision__catalogue_entry__domain", "current_revision__catalogue_entry__category",
    )
    if not with_tables:
        queryset = queryset.defer("current_revision__tables")  # may be thousands of rows
    disclosure = get_object_or_404(queryset, pk=pk)
    if contents and disclosure.is_withdrawn:
        raise Http404
    return disclosure


def departments_with(disclosures: QuerySet[Disclosure]) -> QuerySet:
    """``(code, name)`` of the departments with at least one of ``disclosures`` (one probe
    of the department's index each, not a pass over every disclosure)."""
    return Department.objects.filter(Exists(disclosures.filter(department=OuterRef("pk")))).values_list("code", "name")


def years_of(disclosures: QuerySet[Disclosure]) -> list[int]:
    """The years from the newest to the oldest date formed among ``disclosures`` (two
    ends of an index; a year in between with no notice lists nothing)."""
    ends = disclosures.aggregate(first=Min("current_formed_on"), last=Max("current_formed_on"))
    if ends["first"] is None:
        return []
    return list(range(ends["last"].year, ends["first"].year - 1, -1))


def list_total(user, filtered: bool, queryset) -> int:
    """How many rows a list has: for the public's whole list the total the database keeps
    (``PublicTotal``), never a count of the table; otherwise a count of the (indexed)
    narrowed rows."""
    if not filtered and not getattr(user, "is_authenticated", False):
        return PublicTotal.objects.filter(name="public").values_list("count", flat=True).first() or 0
    return queryset.count()


def revisions(user, disclosure: Disclosure) -> QuerySet[Revision]:
    """The published revisions of ``disclosure`` that ``user`` may read: for the public, the
    public ones (an earlier internal revision stays internal), for its staff all of them."""
    return scope(user or _PUBLIC, Revision.objects.filter(disclosure=disclosure), READ)


def revision_with_previous(user, disclosure: Disclosure, number: int) -> tuple[Revision, Revision | None]:
    """Revision ``number`` and the readable one before it (for the differences), or 404."""
    found = {r.number: r for r in revisions(user, disclosure).filter(number__in=[number - 1, number])}
    if number not in found:
        raise Http404
    return found[number], found.get(number - 1)


def attachment(user, disclosure: Disclosure, attachment_id: int) -> Attachment:
    """A file that a readable published revision of ``disclosure`` lists, or 404 (always,
    once the notice is withdrawn)."""
    if disclosure.is_withdrawn:
        raise Http404
    listed = revisions(user, disclosure).values_list("attachments", flat=True)
    if not any(item["id"] == attachment_id for snapshot in listed for item in snapshot):
        raise Http404
    return get_object_or_404(Attachment, pk=attachment_id, disclosure=disclosure)


def with_revisions(queryset: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """``queryset`` with each disclosure's readable revisions (without bodies and tables)
    as ``published_revisions`` — the public's view, for the API."""
    public_revisions = scope(_PUBLIC, Revision.objects.all(), READ).defer("tables", "body").order_by("number")
    return queryset.prefetch_related(Prefetch("revisions", queryset=public_revisions, to_attr="published_revisions"))


def with_first_publication(queryset: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """Annotated with ``first_published_at`` (a feed entry's "published")."""
    first = Revision.objects.filter(disclosure=OuterRef("pk"), number=1).values("published_at")[:1]
    return queryset.annotate(first_published_at=Subquery(first))
