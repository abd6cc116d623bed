"""Public pages of information requests: file, the slip shown once, track; and the public
statistics. Built as the supervision mailbox's (``portal.citizen_secrets``: the secret is
shown once, on one page, and typed again whenever it is needed; ``portal.throttle`` and
``portal.challenge`` against floods; ``portal.uploads`` for the files)."""


from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosures.models.requests import RUNNING, InformationRequest
from disclosures.requests import services, stats
from disclosures.requests.forms import IDENTITY_FIELDS, RequestForm, TrackForm
from portal import challenge, citizen_secrets, throttle
from portal.bad_requests import reads_fields_cut
from portal.models import Department
from portal.page_cache import cache_public_page

FILED_COOKIE = "gongkai_request_filed"
CHALLENGE_KEY = "request_challenge"
#: Filings per client address per hour before a challenge is asked, and the hard limit.
CHALLENGE_AFTER = 3
FILING_LIMIT = 20
#: Wrong codes or secrets per client address per hour.
TRACK_FAILURE_LIMIT = 10
HOUR = 3600


def _form(request, data=None, files=None):
    recent = throttle.peek("request", throttle.client_address(request))
    initial = {}
    code = request.GET.get("department", "")[:32]
    if code:
        department = Department.objects.filter(code=code).first()
        if department:
            initial["department"] = department.pk
    asked = challenge.question(request, key=CHALLENGE_KEY, needed=recent >= CHALLENGE_AFTER)
    return RequestForm(data, files, initial=initial, challenge_question=asked), recent


@never_cache
@reads_fields_cut
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("filed")
def request_new(request):
    if request.method in ("GET", "HEAD"):
        return render(request, "disclosures/requests/form.html", {"form": _form(request)[0]})
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.GONGKAI_COMPLAINT_MAX_REQUEST_BYTES:
        return render(request, "portal/filing_too_big.html",
                      {"limit": settings.GONGKAI_COMPLAINT_MAX_REQUEST_BYTES}, status=413)
    form, recent = _form(request, request.POST, request.FILES)
    if recent >= FILING_LIMIT:
        form.add_error(None, _("Too many requests from your connection in the last hour. Your text is kept below: "
                               "please try again later, or call the department."))
        return render(request, "disclosures/requests/form.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "disclosures/requests/form.html", {"form": form}, status=400)
    data = form.cleaned_data
    filed = services.request_file(
        department=data["department"], requester_type=data["requester_type"],
        identity=services.Identity(**{name: data[name].strip() for name in IDENTITY_FIELDS}),
        description=data["description"], purpose=data["purpose"], reply_form=data["reply_form"], files=data["files"],
    )
    throttle.count("request", throttle.client_address(request), HOUR)
    challenge.answered(request, key=CHALLENGE_KEY)
    page = reverse("disclosures:request-filed")
    return citizen_secrets.hand_over(
        redirect(page), name=FILED_COOKIE, path=page,
        payload={"code": filed.tracking_code, "secret": filed.secret, "due_on": filed.request.due_on.isoformat()},
    )


@never_cache
@require_safe
@sensitive_variables("filed")
def request_filed(request):
    """The code and the secret, shown once: the hand-over cookie is deleted as they are."""
    filed = citizen_secrets.take(request, name=FILED_COOKIE)
    if not filed or not {"code", "secret"} <= filed.keys():
        return redirect("disclosures:request-track")
    response = render(request, "disclosures/requests/filed.html", filed)
    return citizen_secrets.forget(response, name=FILED_COOKIE, path=request.path)


@never_cache
@require_POST
@sensitive_post_parameters("secret")
def request_filed_text(request):
    """"Save as text" on the slip (``citizen_secrets.slip_text``)."""
    return citizen_secrets.slip_text(
        request, heading=_("Request for government information"), track_url=reverse("disclosures:request-track"),
        filename_prefix="request", refused_template="disclosures/requests/text_refused.html",
        keep_private=_("Keep this private: the code and the secret together let anyone read the reply. Staff never "
                       "see the secret."))


@never_cache
@reads_fields_cut
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("secret")
def request_track(request):
    """Status, deadline and reply, to whoever holds the code and the secret. Both are posted,
    never put in the address; the secret is never written back into the page."""
    found, status = None, 200
    form = TrackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ip = throttle.client_address(request)
        if throttle.peek("request-track", ip) >= TRACK_FAILURE_LIMIT:
            form.add_error(None, _("Too many wrong codes from your connection. Please try again in an hour."))
            status = 429
        else:
            code = citizen_secrets.normalise_code(form.cleaned_data["code"])
            found = InformationRequest.objects.select_related("department").filter(tracking_code=code).first()
            if found is None or not services.may_track(found, form.cleaned_data["secret"]):
                throttle.count("request-track", ip, HOUR)
                form.add_error(None, _("No request matches this code and secret."))
                found = None
            else:
                form = TrackForm()
    files = list(found.files.filter(with_reply=True)) if found else []
    return render(request, "disclosures/requests/track.html", {
        "form": form, "found": found, "reply_files": files,
        "overdue": found is not None and found.status in RUNNING and found.due_on < timezone.localdate(),
    }, status=status)


@cache_public_page(params=("year",))
@require_safe
def statistics(request):
    """Counts per department: received, replied, on time, overdue, by outcome. Never a requester."""
    year = stats.requested_year(request.GET.get("year"))
    rows, totals = stats.by_department(year)
    return render(request, "disclosures/requests/stats.html", {
        "year": year, "rows": rows, "totals": totals, "years": stats.available_years(),
        "outcomes": stats.OUTCOME_COLUMNS,
    })
