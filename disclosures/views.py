"""Public pages of disclosures: list, detail, revision history, attachments, data tables."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from disclosures import diffing, tables
from disclosures.models import Attachment, Disclosure, Revision
from disclosures.permissions import public_for


def _readable(request, pk, *, with_tables=False):
    queryset = public_for(request.user).select_related("department", "category", "current_revision")
    if not with_tables:
        queryset = queryset.defer("current_revision__tables")  # may be thousands of rows
    return get_object_or_404(queryset, pk=pk)


@require_GET
def disclosure_list(request):
    queryset = (
        public_for(request.user)
        .select_related("department", "category", "current_revision")
        .defer("current_revision__tables")
        .order_by("-current_revision__published_at", "-pk")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "disclosures/list.html", {"page": page})


@require_GET
def disclosure_detail(request, pk):
    """The current revision. Its data tables are read from the revision's snapshot, one
    of them sorted and paged as ``?table=<n>&sort=<column>&dir=asc|desc&page=<p>`` asks."""
    disclosure = _readable(request, pk, with_tables=True)
    revision = disclosure.current_revision
    chosen = request.GET.get("table")
    table_views = [
        tables.table_view(snapshot, number, request.GET if chosen == str(number) else {})
        for number, snapshot in enumerate(revision.tables)
    ]
    return render(
        request,
        "disclosures/detail.html",
        {"disclosure": disclosure, "revision": revision, "amended": revision.number > 1, "tables": table_views},
    )


@require_GET
def table_download(request, pk, number):
    """A data table of the current revision as CSV: masked, as published."""
    disclosure = _readable(request, pk, with_tables=True)
    snapshots = disclosure.current_revision.tables
    if number >= len(snapshots):
        raise Http404
    snapshot = snapshots[number]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{snapshot['title']}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    tables.write_csv(snapshot, response)
    return response


@require_GET
def disclosure_history(request, pk):
    disclosure = _readable(request, pk)
    revisions = Revision.objects.filter(disclosure=disclosure).defer("tables").order_by("-number")
    return render(request, "disclosures/history.html", {"disclosure": disclosure, "revisions": revisions})


@require_GET
def revision_detail(request, pk, number):
    """One published revision, as it read then, with what changed from the one before."""
    disclosure = _readable(request, pk)
    revisions = {r.number: r for r in Revision.objects.filter(disclosure=disclosure, number__in=[number - 1, number])}
    if number not in revisions:
        raise Http404
    revision, previous = revisions[number], revisions.get(number - 1)
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


@require_GET
def attachment_download(request, pk, attachment_id):
    """Serve a file that a published revision of a readable disclosure lists."""
    disclosure = _readable(request, pk)
    listed = Revision.objects.filter(disclosure=disclosure).values_list("attachments", flat=True)
    if not any(item["id"] == attachment_id for snapshot in listed for item in snapshot):
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_id, disclosure=disclosure)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
