"""Public pages of approvals (DESIGN §4): items and their service guides, the fee schedule,
published results, reform statistics, the hall, progress tracking and ratings.

Each page runs a fixed number of queries, whatever the number of rows (tests assert it).
No page shows an applicant's name unmasked, their ID number or their phone.
"""

import csv

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from approvals import reform, selectors, services, tracking
from approvals.applicants import public_name
from approvals.forms import ItemFilterForm, RatingForm, ResultFilterForm, TrackForm
from approvals.models import (
    Application,
    ApplicationStatus,
    ApprovalItem,
    RatingLevel,
)
from approvals.models.applications import FINISHED
from approvals.ratings import figures, figures_by_department
from portal import throttle
from portal.bad_requests import reads_fields_cut
from portal.masking import mask_in_text
from portal.page_cache import cache_public_page
from portal.paging import Pages
from portal.spreadsheets import escape_formula

COMPLAINT_URL = "/supervision/complaints/new/"


@cache_public_page(params=("page", "department", "kind", "status"), text=("q",))
@require_safe
def item_list(request):
    form = ItemFilterForm(request.GET or None)
    page = Paginator(form.filter(selectors.items()), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "approvals/list.html", {"form": form, "page": page, "query": query.urlencode()})


@cache_public_page
@require_safe
def item_detail(request, code):
    """The service guide (办事指南). A cancelled item keeps its page, marked, with its log."""
    item = selectors.item(code)
    context = {"item": item, **selectors.guide(item)}
    changes = _with_summaries(context["changes"])
    context.update(
        cancellation=next((change for change in reversed(changes) if change.kind == "cancel"), None),
        ratings=figures(item=item),
        complaint_url=f"{COMPLAINT_URL}?approval_item={item.code}",
    )
    return render(request, "approvals/detail.html", context)


#: Long text fields: an adjustment says they changed, the page itself shows the new text.
_LONG_FIELDS = {"conditions"}


def _with_summaries(changes):
    """Give each adjustment a readable list of (field label, from, to)."""
    for change in changes:
        change.summary = []
        for entry in change.changed_fields or []:
            before, after = entry.get("from", ""), entry.get("to", "")
            try:
                field = ApprovalItem._meta.get_field(entry["field"])
            except FieldDoesNotExist:  # a field since removed: show its name
                change.summary.append((entry["field"], before, after))
                continue
            if entry["field"] in _LONG_FIELDS:
                before = after = ""
            elif field.choices:
                labels = dict(field.flatchoices)
                before, after = labels.get(before, before), labels.get(after, after)
            change.summary.append((field.verbose_name, before, after))
    return changes


@require_safe
def blank_form(request, code, material_id):
    """A material's blank form, as uploaded (checked by content on upload)."""
    material = selectors.blank_form(code, material_id)
    if not material.blank_form:
        raise Http404
    response = FileResponse(
        material.blank_form.open("rb"), as_attachment=True,
        filename=material.blank_form_name or f"{material.name}", content_type=material.blank_form_type or None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@cache_public_page(params=("department",))
@require_safe
def fee_schedule(request):
    """The published fee schedule, by department; printable."""
    fees = selectors.fee_schedule(request.GET.get("department"))
    return render(
        request, "approvals/fees.html",
        {"fees": fees, "cancelled": selectors.cancelled_fees(), "today": timezone.localdate()},
    )


def _results(request):
    form = ResultFilterForm(request.GET or None)
    return form, form.filter(selectors.decisions())


def _result_row(application):
    """What is published of a decision: never the ID number or phone, a person's name masked."""
    rejected = application.status == ApplicationStatus.REJECTED
    return {
        "item": application.item,
        "applicant": public_name(application.applicant_kind, application.applicant_name),
        "rejected": rejected,
        "decision": mask_in_text(application.rejection_reason if rejected else application.decision),
        "decided_on": application.decided_on,
    }


@cache_public_page(params=("page", "department", "item", "year", "outcome"))
@require_safe
def results(request):
    """Published decisions (審批結果公示)."""
    form, queryset = _results(request)
    # a deep page costs what the first does; the count is the database's totals, not a count
    page = Pages(queryset, 50, count=form.count(queryset)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [_result_row(application) for application in page]
    return render(request, "approvals/results.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()})


@require_safe
def results_csv(request):
    """The published decisions as CSV, masked as on the page."""
    _form, queryset = _results(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "approval-results.csv")
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")  # spreadsheets read UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow([_("Item code"), _("Approval item"), _("Department"), _("Applicant"), _("Outcome"), _("Decision"), _("Decided on")])
    for application in queryset.iterator(chunk_size=2000):
        row = _result_row(application)
        writer.writerow([escape_formula(cell) for cell in (
            row["item"].code, row["item"].name, row["item"].department.name, row["applicant"],
            _("Rejected") if row["rejected"] else _("Granted"), row["decision"], row["decided_on"].isoformat(),
        )])
    return response


@cache_public_page(params=("year",))
@require_safe
def reform_statistics(request):
    """Items cancelled per year and department, and the cancellation rate — from the change log."""
    years = reform.years()
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 1949 < year < 2200:
        raise Http404
    departments, total = reform.by_department(year)
    return render(request, "approvals/reform.html", {
        "year": year,
        "years": years,
        "departments": departments,
        "total": total,
        "overview": reform.by_year(years),
        "cancelled": reform.cancelled_in(year),
    })


@cache_public_page
@require_safe
def hall(request):
    """The service hall: its windows, the departments at each, the items handled there."""
    return render(request, "approvals/hall.html", {"halls": selectors.halls()})


@require_safe
def ratings(request):
    """Rating figures per department and the published outcomes of rectification cases."""
    return render(request, "approvals/ratings.html", {
        "departments": figures_by_department(),
        "levels": sorted(RatingLevel, reverse=True),
        "outcomes": selectors.rectification_outcomes(),
    })


def _trackable():
    return Application.objects.select_related("item", "window", "rating").prefetch_related("corrections")


def _tracked(request, form):
    """Look the application up by the form's number and phone digits, throttled."""
    return tracking.find(
        _trackable(),
        form.cleaned_data["tracking_number"], form.cleaned_data["phone_last_four"],
        client=throttle.client_address(request),
    )


def _track_context(application, form=None):
    rating_form, needs_secret = None, False
    if application.status in FINISHED and not hasattr(application, "rating"):
        # Registered before receipts carried a secret: it cannot be rated until a supervisor issues one.
        needs_secret = not application.rating_secret_hash
        if not needs_secret:
            rating_form = form or RatingForm(initial={
                "tracking_number": application.tracking_number,
                "phone_last_four": application.applicant_phone[-4:],
            })
    open_correction = next((c for c in application.corrections.all() if c.resumed_on is None), None)
    return {
        "application": application,
        "decision": mask_in_text(application.decision),
        "rejection_reason": mask_in_text(application.rejection_reason),
        "open_correction": open_correction,
        "rating_form": rating_form,
        "needs_secret": needs_secret,
    }


def _refused(blocked: bool) -> tuple[dict, int]:
    """The page's flag and status when a lookup finds nothing or is throttled."""
    return ({"blocked": True}, 429) if blocked else ({"not_found": True}, 404)


@never_cache
@reads_fields_cut
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """Progress by tracking number and the last four digits of the phone (POST: the digits
    stay out of addresses and logs). Shows the progress and nothing about the applicant."""
    form = TrackForm(request.POST or None)
    context, status = {"form": form}, 200
    if request.method == "POST" and form.is_valid():
        application, blocked = _tracked(request, form)
        if application is None:
            flags, status = _refused(blocked)
            context.update(flags)
        else:
            context.update(_track_context(application))
    return render(request, "approvals/track.html", context, status=status)


@never_cache
@reads_fields_cut
@require_POST
@sensitive_post_parameters("secret")
def rate(request):
    """Rate a finished application, once: checked again by number and phone digits, and by
    the secret from the receipt, which the applicant types here and no page ever repeats. A
    wrong secret counts as a wrong guess in the lookup's throttle."""
    form = RatingForm(request.POST)
    context, status = {"form": TrackForm()}, 200
    if not form.is_valid():
        context["rating_invalid"] = True
        return render(request, "approvals/track.html", context, status=400)
    application, blocked = _tracked(request, form)
    if application is None:
        flags, status = _refused(blocked)
        context.update(flags)
        return render(request, "approvals/track.html", context, status=status)
    try:
        context["rated"] = services.rating_submit(
            application=application, secret=form.cleaned_data["secret"], level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
        )
        application = _trackable().get(pk=application.pk)  # now with its rating
    except PermissionDenied as refused:
        tracking.count_failure(client=throttle.client_address(request), number=application.tracking_number)
        context["rating_error"], status = str(refused), 403
        context.update(_track_context(application, form))  # the rating and comment kept, the secret not
        return render(request, "approvals/track.html", context, status=status)
    except ValidationError as error:
        context["rating_error"], status = " ".join(error.messages), 409
    context.update(_track_context(application))
    return render(request, "approvals/track.html", context, status=status)
