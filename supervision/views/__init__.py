"""Public pages of the supervision mailbox: file, track, rate; and the public statistics.

The secret of a filing reaches exactly one page, the one that shows it once
(``portal.citizen_secrets``): no later page carries it, not even in a hidden field. The
citizen types it whenever it is needed — to look the filing up and again to rate it — so
nothing about it is kept between requests.
"""


from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal import challenge, citizen_secrets, throttle
from portal.bad_requests import reads_fields_cut
from portal.permissions import has_model_permission
from portal.page_cache import cache_public_page
from supervision import services, stats
from supervision.forms import ComplaintForm, RateForm, TrackForm
from supervision.models import Complaint, Status

#: The one-time hand-over of a web filing's code and secret to the page that shows them.
FILED_COOKIE = "gongkai_filed"
#: The same for the admin's slip page, after staff registered a filing or reissued a secret.
STAFF_SECRET_COOKIE = "gongkai_complaint_secret"

#: Filings per client address per hour before a challenge is asked, and the hard limit.
CHALLENGE_AFTER = 3
FILING_LIMIT = 20
#: Wrong tracking codes per client address per hour.
TRACK_FAILURE_LIMIT = 10
HOUR = 3600


def _challenge(request, needed: bool):
    return challenge.question(request, key="complaint_challenge", needed=needed)


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
@reads_fields_cut
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("filed")
def complaint_new(request):
    ip = throttle.client_address(request)
    if request.method in ("GET", "HEAD"):
        form = ComplaintForm(initial=_initial(request), challenge_question=_challenge(request, throttle.peek("complaint", ip) >= CHALLENGE_AFTER))
        return render(request, "supervision/complaint_form.html", {"form": form})

    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.GONGKAI_COMPLAINT_MAX_REQUEST_BYTES
    if too_big:
        return render(
            request, "portal/filing_too_big.html",
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
    challenge.answered(request, key="complaint_challenge")
    page = reverse("supervision:complaint-filed")
    return citizen_secrets.hand_over(
        redirect(page), name=FILED_COOKIE, path=page,
        payload={"code": filed.tracking_code, "secret": filed.secret, "anonymous": filed.complaint.anonymous},
    )


@never_cache
@require_safe
@sensitive_variables("filed")
def complaint_filed(request):
    """The code and the secret, shown once: the hand-over cookie is deleted as they are."""
    filed = citizen_secrets.take(request, name=FILED_COOKIE)
    if not filed or not {"code", "secret"} <= filed.keys():
        return redirect("supervision:complaint-track")
    response = render(request, "supervision/complaint_filed.html", {
        "code": filed["code"], "secret": filed["secret"], "anonymous": bool(filed.get("anonymous")),
    })
    return citizen_secrets.forget(response, name=FILED_COOKIE, path=request.path)


@never_cache
@require_POST
@sensitive_post_parameters("secret")
def complaint_filed_text(request):
    """"Save as text" on the page that shows the secret (``citizen_secrets.slip_text``)."""
    return citizen_secrets.slip_text(
        request, heading=_("Supervision mailbox — your complaint or report"),
        track_url=reverse("supervision:complaint-track"), filename_prefix="complaint",
        refused_template="supervision/complaint_text_refused.html",
        keep_private=_("Keep this private: the code and the secret together let anyone read the reply, rate it and "
                       "ask for it to be handled again. Staff never see the secret."))


def _track_blocked(request) -> bool:
    return throttle.peek("complaint-track", throttle.client_address(request)) >= TRACK_FAILURE_LIMIT


def _lookup(request, form):
    """The complaint a valid form names, or None with an error on the form."""
    ip = throttle.client_address(request)
    if _track_blocked(request):
        form.add_error(None, _("Too many wrong codes from your connection. Please try again in an hour."))
        return None
    code = citizen_secrets.normalise_code(form.cleaned_data["code"])
    complaint = (
        Complaint.objects.select_related("department", "assigned_department").filter(tracking_code=code).first()
    )
    if complaint is None or not services.may_track(complaint, form.cleaned_data.get("secret")):
        throttle.count("complaint-track", ip, HOUR)
        form.add_error(None, _("No complaint matches this code and secret."))
        return None
    return complaint


@never_cache
@reads_fields_cut
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("secret")
def complaint_track(request):
    """Codes are posted, never put in the address, so they stay out of logs and history.
    The secret is never written back into the page: the look-up form comes back with it
    empty, and the rating form asks for it again."""
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
    # A complaint filed before every filing got a secret shows with its code, read-only.
    needs_secret = complaint is not None and not complaint.secret_hash
    if complaint is not None and complaint.status == Status.REPLIED and not needs_secret:
        rate_form = RateForm(initial={"code": complaint.tracking_code}, auto_id="rate_%s")
    replies = list(complaint.replies.select_related("department")) if complaint else []
    # Throttled: 429, with the form and what was typed in it kept on the page.
    status = 429 if blocked else 200
    return render(
        request,
        "supervision/complaint_track.html",
        {"form": form, "complaint": complaint, "replies": replies, "rate_form": rate_form, "needs_secret": needs_secret,
         "overdue": complaint is not None and complaint.status in
         (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.REOPENED) and complaint.due_on < timezone.localdate()},
        status=status,
    )


@cache_public_page(params=("year",))
@require_safe
def statistics(request):
    year = stats.requested_year(request.GET.get("year"))
    rows, totals = stats.by_department(year)
    return render(
        request, "supervision/stats.html",
        {"year": year, "rows": rows, "totals": totals, "years": stats.available_years(),
         "rectification": stats.rectification_totals(year), "measures": stats.accountability_by_measure(year)},
    )


@sensitive_variables("filed")
def register_by_staff(request, admin_context: dict):
    """The admin page where the supervision office registers a complaint taken by phone,
    letter, visit or window; the clerk becomes its first receiver. The code and secret are
    then shown once, on the admin's slip page, for the clerk to hand over."""
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
        page = reverse("admin:supervision_complaint_secret", args=[filed.complaint.pk])
        return citizen_secrets.hand_over(
            redirect(page), name=STAFF_SECRET_COOKIE, path=page,
            payload={"pk": filed.complaint.pk, "secret": filed.secret, "registered": True},
        )
    return render(request, "admin/supervision/register.html",
                  {**admin_context, "form": form, "title": _("Register a complaint or report")})
