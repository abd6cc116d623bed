"""The disclosures app's deadline kinds, registered with portal's engine."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosures import compliance
from disclosures.events import DisclosureEvent
from disclosures.models import Cadence, CatalogueEntry
from disclosures.models.requests import AnnualReport, InformationRequest, ReportStatus
from portal.deadlines import DeadlineKind
from portal.events import record
from portal.reminders import scanned_day, staff_of
from portal.roles import Role


def _open_obligations():
    return CatalogueEntry.objects.active().filter(next_due_on__isnull=False).select_related("department")


PERIODIC = (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY)


def _recompute(calendar):
    """Each entry's due date follows from its period and its own days allowed; counted on
    the day the deadline scan has reached (in a simulation, the simulated day)."""
    return compliance.refresh(CatalogueEntry.objects.active(), today=scanned_day(), calendar=calendar)


def _roll_forward(day, calendar):
    """Periodic entries whose due date has passed by ``day`` move on to the next period's
    once that period has ended; the period left behind undisclosed is recorded as missed.
    (A disclosure published in time moves the entry on when it is published.)"""
    passed = list(
        CatalogueEntry.objects.active()
        .filter(cadence__in=PERIODIC)
        .filter(Q(next_due_on__lt=day) | Q(next_due_on__isnull=True))
    )
    before = {entry.pk: entry.next_due_on for entry in passed}
    moved = compliance.refresh(passed, today=day, calendar=calendar)
    for entry in moved:
        if before[entry.pk] is not None:
            record(DisclosureEvent.OBLIGATION_MISSED, actor=None, subject=entry,
                   from_state=before[entry.pk].isoformat(), to_state=entry.next_due_on.isoformat() if entry.next_due_on else "")
    return moved


CATALOGUE_OBLIGATION = DeadlineKind(
    name="catalogue_obligation",
    label=_("catalogue obligation"),
    open_items=_open_obligations,
    responsible=lambda entry: staff_of(entry.department, Role.PUBLISHER),
    department=lambda entry: entry.department,
    describe=lambda entry: f"{entry.department.name} · {entry.title}",
    url=lambda entry: f"/admin/disclosures/catalogueentry/{entry.pk}/change/",
    due_field="next_due_on",
    recompute=_recompute,
    roll_forward=_roll_forward,
)


def _request_handlers(request):
    return staff_of(request.department, Role.PUBLISHER, Role.REVIEWER)


def _recompute_requests(calendar):
    """Due dates of running requests on a fresh calendar (a confirmed year, a day changed)."""
    from disclosures.requests import clock

    changed = []
    for request in InformationRequest.objects.running():
        due = clock.request_due(calendar, request)
        if (request.due_on, request.due_provisional) != (due.date, due.provisional):
            request.due_on, request.due_provisional = due.date, due.provisional
            changed.append(request)
    InformationRequest.objects.bulk_update(changed, ["due_on", "due_provisional"])
    return changed


#: Replies owed: reminders before the due date, escalation after (DESIGN §3.3, §3.6). A
#: request waiting for the requester's correction owes nothing and is left out.
INFORMATION_REQUEST = DeadlineKind(
    name="information_request",
    label=_("information request"),
    open_items=lambda: InformationRequest.objects.running().select_related("department"),
    responsible=_request_handlers,
    department=lambda request: request.department,
    describe=lambda request: f"{request.department.name} · {request.tracking_code[:8]}… {request.description[:60]}",
    url=lambda request: f"/admin/disclosures/informationrequest/{request.pk}/change/",
    recompute=_recompute_requests,
)


def _report_responsible(report):
    if report.department_id is None:
        return list(get_user_model().objects.filter(is_active=True, staff_profile__role=Role.COORDINATOR))
    return staff_of(report.department, Role.REVIEWER, Role.PUBLISHER)


#: Yearly reports not yet finalised: a department's by 31 January, the county's by 31 March
#: (``disclosures.requests.report.due_on``).
ANNUAL_REPORT = DeadlineKind(
    name="annual_report",
    label=_("yearly open-government report"),
    open_items=lambda: AnnualReport.objects.filter(status=ReportStatus.DRAFT).select_related("department"),
    responsible=_report_responsible,
    department=lambda report: report.department,
    describe=str,
    url=lambda report: f"/admin/disclosures/annualreport/{report.pk}/change/",
    provisional_field=None,  # fixed calendar dates, not counted in working days
)
