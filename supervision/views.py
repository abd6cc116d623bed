"""Public pages of the supervision mailbox: file, track, rate; and the public statistics."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal import throttle
from portal.permissions import has_model_permission
from portal.page_cache import cache_public_page
from supervision import services, stats
from supervision.forms import ComplaintForm, RateForm, TrackForm
from supervision.models import Complaint, Status

#: Filings per client address per hour before a challenge is asked, and the hard limit.
CHALLENGE_AFTER = 3
FILING_LIMIT = 20
#: Wrong tracking codes per client address per hour.
TRACK_FAILURE_LIMIT = 10
HOUR = 3600


def _challenge(request, needed: bool):
    """A simple arithmetic question kept in the session: no outside service needed."""
    if not needed:
        return None
    question = request.session.get("complaint_challenge")
    if question is None:
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        question = [_("What is %(a)d plus %(b)d?") % {"a": a, "b": b}, str(a + b)]
        request.session["complaint_challenge"] = question
    return question


def _initial(request) -> dict:
    initial = {}
    for field, param in (("approval_item_code", "approval_item"), ("fee_item_code", "fee_item"), ("disclosure", "disclosure")):
        value = request.GET.get(param, "")[:40]
        if value:
            initial[field] = value
    if request.GET.get("department"):
        from portal.models import Department

        department = Department.objects.filter(code=request.GET["department"][:32]).first()
        if department:
            initial["department"] = department.pk
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    ip = throttle.client_address(request)
    if request.method == "GET":
        form = ComplaintForm(initial=_initial(request), challenge_question=_challenge(request, throttle.peek("complaint", ip) >= CHALLENGE_AFTER))
        return render(request, "supervision/complaint_form.html", {"form": form})

    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.GONGKAI_COMPLAINT_MAX_REQUEST_BYTES
    if too_big:
        return render(
            request, "supervision/complaint_too_big.html",
            {"limit": settings.GONGKAI_COMPLAINT_MAX_REQUEST_BYTES}, status=413,
        )
    recent = throttle.peek("complaint", ip)
    form = ComplaintForm(request.POST, request.FILES, challenge_question=_challenge(request, recent >= CHALLENGE_AFTER))
    if recent >= FILING_LIMIT:
        # Everything typed stays in the form; only saving waits.
        form.add_error(None, _("Too many filings from your connection in the last hour. Your text is kept below: "
                               "please try again later, or call the supervision office."))
        return render(request, "supervision/complaint_form.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "supervision/complaint_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    identity = None if data["anonymous"] else services.Identity(
        name=data["name"].strip(), phone=data["phone"].strip(), email=data["email"].strip()
    )
    filed = services.complaint_file(
        kind=data["kind"],
        department=data["department"],
        summary=data["summary"],
        details=data["details"],
        happened_on=data["happened_on"],
        disclosure=data["disclosure"],
        approval_item_code=data["approval_item_code"],
        fee_item_code=data["fee_item_code"],
        identity=identity,
        attachments=data["attachments"],
    )
    throttle.count("complaint", ip, HOUR)
    request.session.pop("complaint_challenge", None)
    # Shown once on the next page, then gone from the session.
    request.session["complaint_filed"] = {"code": filed.tracking_code, "secret": filed.secret}
    return redirect("supervision:complaint-filed")


@never_cache
@require_GET
def complaint_filed(request):
    filed = request.session.pop("complaint_filed", None)
    if filed is None:
        return redirect("supervision:complaint-track")
    return render(request, "supervision/complaint_filed.html", filed)


def _track_blocked(request) -> bool:
    return throttle.peek("complaint-track", throttle.client_address(request)) >= TRACK_FAILURE_LIMIT


def _lookup(request, form):
    """The complaint a valid form names, or None with an error on the form."""
    ip = throttle.client_address(request)
    if _track_blocked(request):
        form.add_error(None, _("Too many wrong codes from your connection. Please try again in an hour."))
        return None
    code = services.normalise_code(form.cleaned_data["code"])
    complaint = (
        Complaint.objects.select_related("department", "assigned_department").filter(tracking_code=code).first()
    )
    if complaint is None or not services.may_track(complaint, form.cleaned_data.get("secret")):
        throttle.count("complaint-track", ip, HOUR)
        form.add_error(None, _("No complaint matches this code and secret."))
        return None
    return complaint


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_track(request):
    """Codes are posted, never put in the address, so they stay out of logs and history."""
    complaint, rate_form = None, None
    blocked = request.method == "POST" and _track_blocked(request)
    if request.method == "POST" and request.POST.get("action") == "rate":
        form = RateForm(request.POST)
        if form.is_valid():
            complaint = _lookup(request, form)
            if complaint is not None:
                try:
                    complaint = services.complaint_rate(
                        complaint=complaint,
                        secret=form.cleaned_data.get("secret"),
                        satisfaction=form.cleaned_data["satisfaction"],
                        reopen=form.cleaned_data["reopen"],
                    )
                except (PermissionDenied, ValidationError) as error:
                    form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
    elif request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            complaint = _lookup(request, form)
    else:
        form = TrackForm()
    if complaint is not None and complaint.status == Status.REPLIED:
        rate_form = RateForm(initial={"code": complaint.tracking_code, "secret": request.POST.get("secret", "")})
    replies = list(complaint.replies.select_related("department")) if complaint else []
    # Throttled: 429, with the form and what was typed in it kept on the page.
    status = 429 if blocked else 200
    return render(
        request,
        "supervision/complaint_track.html",
        {"form": form, "complaint": complaint, "replies": replies, "rate_form": rate_form,
         "overdue": complaint is not None and complaint.status in
         (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.REOPENED) and complaint.due_on < timezone.localdate()},
        status=status,
    )


@cache_public_page(params=("year",))
@require_GET
def statistics(request):
    year = stats.requested_year(request.GET.get("year"))
    rows, totals = stats.by_department(year)
    return render(
        request, "supervision/stats.html",
        {"year": year, "rows": rows, "totals": totals, "years": stats.available_years()},
    )


def register_by_staff(request, admin_context: dict):
    """The admin page where the supervision office registers a complaint taken by phone,
    letter, visit or window; the clerk becomes its first receiver."""
    from django.contrib import messages
    from django.urls import reverse

    from supervision.forms import StaffComplaintForm

    if not has_model_permission(request.user, Complaint, "add"):
        raise PermissionDenied
    form = StaffComplaintForm(request.POST or None, request.FILES or None,
                              initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = None if data["anonymous"] else services.Identity(
            name=data["name"].strip(), phone=data["phone"].strip(), email=data["email"].strip(),
            address=data["address"].strip(),
        )
        filed = services.complaint_file(
            kind=data["kind"], department=data["department"], summary=data["summary"], details=data["details"],
            happened_on=data["happened_on"], disclosure=data["disclosure"],
            approval_item_code=data["approval_item_code"], fee_item_code=data["fee_item_code"], identity=identity,
            attachments=data["attachments"], channel=data["channel"], registered_by=request.user,
            received_on=data["received_on"],
        )
        text = _("Registered. Tracking code %(code)s") % {"code": filed.tracking_code}
        if filed.secret:
            text += " · " + _("secret %(secret)s (give it to the caller now; it is not shown again)") % {"secret": filed.secret}
        messages.success(request, text)
        return redirect(reverse("admin:supervision_complaint_change", args=[filed.complaint.pk]))
    return render(request, "admin/supervision/register.html",
                  {**admin_context, "form": form, "title": _("Register a complaint or report")})
