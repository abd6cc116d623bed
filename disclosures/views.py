"""Public pages of disclosures: list (with search and filters), the catalogue of
obligations, detail, revision history, posters, attachments, data tables."""

import re
import segno
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from disclosures import catalogue_pages, diffing, selectors, tables
from disclosures import search as disclosures_search
from disclosures.models import CatalogueEntry, Category, Domain, Validity
from portal import search
from portal.page_cache import cache_public_page
from portal.paging import Pages


@cache_public_page(params=("page", "category", "department", "year", "sort", "validity", "normative"), text=("q",))
@require_safe
def disclosure_list(request):
    """``?q= &category= &department= &year= &sort=`` (``disclosures.search.apply_filters``);
    a fixed number of queries whatever the page or the data (``portal.paging``): the
    total, the page's keys and rows, and the filters' choices."""
    filters = disclosures_search.read_filters(request.GET)
    readable = selectors.readable(request.user)
    queryset = disclosures_search.apply_filters(selectors.listing(request.user), filters)
    page = Pages(queryset, 20, count=selectors.list_total(request.user, filters.active, queryset)).get_page(
        request.GET.get("page")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "disclosures/list.html",
        {
            "page": page,
            "filters": filters,
            "query_string": kept.urlencode(),
            "categories": Category.objects.top_level().public().values_list("code", "name", "name_en"),
            "departments": selectors.departments_with(readable),
            "years": selectors.years_of(readable),
            "sorts": disclosures_search.SORTS,
            "validities": Validity.choices,
            "max_length": search.MAX_QUERY_LENGTH,
        },
    )


@cache_public_page
@require_safe
def catalogue(request):
    """The public catalogue (公開目錄): the domains of the national standard catalogue and the
    county's own catalogue of the eight disclosures, each with how many obligations it holds
    (two aggregate queries); each opens on its own page, in the standard layout."""
    return render(request, "disclosures/catalogue.html", catalogue_pages.index())


@cache_public_page(params=("page",))
@require_safe
def catalogue_domain(request, code):
    """One domain of the standard catalogue in the standard layout, a page of entries at a time."""
    domain = get_object_or_404(Domain, code=code)
    entries = CatalogueEntry.objects.public().filter(domain=domain).order_by("position", "pk")
    return _catalogue_table(request, entries, heading=domain.name, english=domain.name_en, standard=True)


@cache_public_page(params=("page",))
@require_safe
def catalogue_category(request, code):
    """The county's own catalogue (八公開) of one top-level category and its sub-categories."""
    category = get_object_or_404(Category.objects.top_level().public(), code=code)
    entries = (
        CatalogueEntry.objects.public()
        .filter(Q(category=category) | Q(category__parent=category))
        .order_by("category__position", "category__code", "department__code", "title", "pk")
    )
    return _catalogue_table(request, entries, heading=category.name, english=category.name_en, standard=False)


def _catalogue_table(request, entries, *, heading, english, standard):
    """A page of ``entries`` with each one's state (met / due / late / missing) from
    ``compliance.evaluate``: a fixed number of queries whatever the page holds."""
    page = Paginator(entries.select_related("department", "category"), catalogue_pages.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "disclosures/catalogue_table.html", {
        **catalogue_pages.table(list(page)),
        "page": page,
        "heading": heading,
        "heading_en": english,
        "standard": standard,
        "today": timezone.localdate(),
    })


@cache_public_page(params=("table", "sort", "dir", "page", "v"))
@require_safe
def disclosure_detail(request, pk):
    """The current revision. Its data tables are read from the revision's snapshot, one
    of them sorted and paged as ``?table=<n>&sort=<column>&dir=asc|desc&page=<p>`` asks."""
    disclosure = selectors.for_page(request.user, pk, with_tables=True)
    revision = disclosure.current_revision
    chosen = request.GET.get("table")
    table_views = [
        tables.table_view(snapshot, number, request.GET if chosen == str(number) else {})
        for number, snapshot in enumerate(revision.tables)
    ] if not disclosure.is_withdrawn else []
    scanned = (request.GET.get("v") or "")[:64].lower()  # the hash prefix a poster's QR code carries
    if not re.fullmatch(r"[0-9a-f]{8,64}", scanned):
        scanned = ""
    return render(
        request,
        "disclosures/detail.html",
        {
            "disclosure": disclosure,
            "revision": revision,
            "amended": revision.number > 1,
            "tables": table_views,
            "scanned": scanned,
            "scanned_current": bool(scanned) and revision.entry_hash.startswith(scanned),
        },
    )


#: How much of the revision's hash a printed QR code carries (48 bits: enough to tell
#: revisions apart, short enough to keep the code small and easy to scan).
POSTER_HASH_PREFIX = 12


def poster_url(request, disclosure) -> str:
    """The permanent address a poster's QR code holds: the disclosure's page, with the
    printed revision's hash prefix so the page can say whether the paper is current."""
    page = request.build_absolute_uri(disclosure.get_absolute_url())
    return f"{page}?v={disclosure.current_revision.entry_hash[:POSTER_HASH_PREFIX]}"


def _qr_svg(data: str, label: str) -> str:
    """An inline SVG QR code of ``data`` (error correction Q: survives a torn or
    weathered corner), scaled by CSS."""
    svg = segno.make(data, error="q", boost_error=False).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, title=label
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


@require_safe
def disclosure_poster(request, pk):
    """An A4 poster of the current revision for notice boards (print CSS), with a QR code
    back to this page and the ledger hash, so the paper on the wall can be checked."""
    disclosure = selectors.for_page(request.user, pk)
    url = poster_url(request, disclosure)
    return render(
        request,
        "disclosures/poster.html",
        {
            "disclosure": disclosure,
            "revision": disclosure.current_revision,
            "poster_url": url,
            "qr_svg": mark_safe(_qr_svg(url, gettext("QR code: the address of this notice online"))),  # segno escapes
            "hash_prefix": disclosure.current_revision.entry_hash[:POSTER_HASH_PREFIX],
        },
    )


@require_safe
def table_download(request, pk, number):
    """A data table of the current revision as CSV: masked, as published."""
    disclosure = selectors.for_page(request.user, pk, with_tables=True, contents=True)
    snapshots = disclosure.current_revision.tables
    if number >= len(snapshots):
        raise Http404
    snapshot = snapshots[number]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{snapshot['title']}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    tables.write_csv(snapshot, response)
    return response


@require_safe
def disclosure_history(request, pk):
    disclosure = selectors.for_page(request.user, pk)
    revisions = selectors.revisions(request.user, disclosure).defer("tables").order_by("-number")
    return render(request, "disclosures/history.html", {"disclosure": disclosure, "revisions": revisions})


#: The largest number a revision can have (its column is a positive integer).
MAX_REVISION_NUMBER = 2**31 - 1


@require_safe
def revision_detail(request, pk, number):
    """One published revision, as it read then, with what changed from the one before."""
    if number > MAX_REVISION_NUMBER:  # no revision has it, and SQLite cannot even bind it (a 500)
        raise Http404
    disclosure = selectors.for_page(request.user, pk)
    revision, previous = selectors.revision_with_previous(request.user, disclosure, number)
    return render(
        request,
        "disclosures/revision.html",
        {
            "disclosure": disclosure,
            "revision": revision,
            "previous": previous,
            "changes": diffing.revision_changes(previous, revision) if previous else {},
        },
    )


@require_safe
def attachment_download(request, pk, attachment_id):
    """Serve a file that a published revision of a readable disclosure lists."""
    disclosure = selectors.for_page(request.user, pk)
    attachment = selectors.attachment(request.user, disclosure, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
