"""Public pages of disclosures: list, detail, revision history, attachments."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from disclosures.models import Attachment, Disclosure, Revision
from disclosures.permissions import public_for


def _readable(request, pk):
    queryset = public_for(request.user).select_related("department", "category", "current_revision")
    return get_object_or_404(queryset, pk=pk)


@require_GET
def disclosure_list(request):
    queryset = (
        public_for(request.user)
        .select_related("department", "category", "current_revision")
        .order_by("-current_revision__published_at", "-pk")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "disclosures/list.html", {"page": page})


@require_GET
def disclosure_detail(request, pk):
    disclosure = _readable(request, pk)
    revision = disclosure.current_revision
    return render(
        request,
        "disclosures/detail.html",
        {"disclosure": disclosure, "revision": revision, "amended": revision.number > 1},
    )


@require_GET
def disclosure_history(request, pk):
    disclosure = _readable(request, pk)
    revisions = Revision.objects.filter(disclosure=disclosure).order_by("-number")
    return render(request, "disclosures/history.html", {"disclosure": disclosure, "revisions": revisions})


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
