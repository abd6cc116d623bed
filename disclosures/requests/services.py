"""Every step of an information request (DESIGN §3.3), run through
``disclosures.workflows.INFORMATION_REQUEST`` (``portal.workflow``: one transaction, the row
locked, permission and state checked, the event written). The public form, the admin's
actions, the demo loader and the tests all call these.

Dates: each step happens today unless the caller says on which day (``on``) — staff record
a letter, a corrected request or a third party's answer on the day it arrived.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from disclosures.models.requests import (
    GIVES_INFORMATION,
    SUB_REASONS,
    AnnualReport,
    InformationRequest,
    Outcome,
    Requester,
    RequesterType,
    RequestChannel,
    RequestFile,
    ReplyForm,
    SubReason,
)
from disclosures.requests import clock, letters
from disclosures.workflows import ANNUAL_REPORT, INFORMATION_REQUEST
from portal import citizen_secrets, page_cache
from portal.calendar import WorkingCalendar
from portal.uploads import CheckedFile
from portal.workflow import TransitionError

@dataclass(frozen=True)
class Filed:
    request: InformationRequest
    tracking_code: str
    #: Shown once to whoever filed; stored hashed. Code and secret together track the request.
    secret: str


@dataclass(frozen=True)
class Identity:
    name: str
    organisation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _refresh_due(request: InformationRequest, calendar: WorkingCalendar | None = None) -> None:
    due = clock.request_due(calendar or WorkingCalendar(), request)
    request.due_on, request.due_provisional = due.date, due.provisional


@contextmanager
def _step(name: str, request: InformationRequest, *, actor, **payload):
    with INFORMATION_REQUEST.step(name, request, actor=actor, **payload) as step:
        yield step
        page_cache.invalidate_on_commit()  # the public statistics count statuses


def _add_files(request: InformationRequest, files, *, with_reply: bool) -> None:
    for uploaded, checked in files:
        RequestFile.objects.create(
            request=request, with_reply=with_reply, file=uploaded, name=uploaded.name[:200],
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        )


@sensitive_variables("secret")
def request_file(
    *,
    department,
    requester_type: RequesterType | str,
    identity: Identity,
    description: str,
    purpose: str = "",
    reply_form: ReplyForm | str = ReplyForm.ELECTRONIC,
    files: list[tuple[object, CheckedFile]] = (),
    channel: RequestChannel | str = RequestChannel.WEB,
    registered_by=None,
    received_on: dt.date | None = None,
) -> Filed:
    """File a request for government information. Online without an account; by letter,
    fax or in person registered by the department's staff (``registered_by``, through
    ``request_register``), with the day it was received. The requester's name and contact go into a separate row that nothing
    public reads. The secret is returned once and stored hashed."""
    if not identity.name.strip():
        raise TransitionError(_("Give the requester's name: the reply is addressed to them."))
    if not description.strip():
        raise TransitionError(_("Describe the information wanted."))
    received = _today(received_on)
    calendar = WorkingCalendar()
    secret = citizen_secrets.new_secret()
    request = InformationRequest(
        tracking_code=citizen_secrets.new_tracking_code(),
        secret_hash=citizen_secrets.hashed(secret),
        department=department,
        channel=RequestChannel(channel),
        requester_type=RequesterType(requester_type),
        description=description,
        purpose=purpose,
        reply_form=ReplyForm(reply_form),
        received_on=received,
        counted_from=clock.counted_from(calendar, received),
    )
    name = "file" if registered_by is None else "register"
    with _step(name, request, actor=registered_by, channel=request.channel) as step:
        _refresh_due(step.obj, calendar)
        step.obj.save()
        Requester.objects.create(request=step.obj, **identity.__dict__)
        _add_files(step.obj, files, with_reply=False)
        step.payload.update(due_on=step.obj.due_on, counted_from=step.obj.counted_from)
    return Filed(step.obj, step.obj.tracking_code, secret)


@sensitive_variables("secret")
def request_register(*, actor, channel: RequestChannel | str, received_on: dt.date, **filing) -> Filed:
    """Register a request received by letter, fax, e-mail or in person: the department's
    staff (``actor``, who may add requests for the department asked) enter it with the day
    it arrived, and the clock counts from that day — or from the next working day if it
    arrived on a day off. ``filing``: what the online form gives (``request_file``'s
    department, requester_type, identity, description, purpose, reply_form, files). The
    tracking code and the secret are made as for the online form; the secret is returned
    once, for the clerk to hand to the requester on a slip."""
    channel = RequestChannel(channel)
    if channel == RequestChannel.WEB:
        raise TransitionError(_("A request made on the website is filed there; register those received by letter, "
                                "fax, e-mail or in person."))
    if received_on > timezone.localdate():
        raise TransitionError(_("A request cannot have been received after today."))
    return request_file(**filing, channel=channel, registered_by=actor, received_on=received_on)


def request_ask_correction(*, actor, request: InformationRequest, notice: str, on: dt.date | None = None,
                           days: int = clock.CORRECTION_DAYS) -> InformationRequest:
    """Send the one correction notice (補正), within 7 working days of receipt, saying what
    to correct and by when. The clock stands until the corrected request arrives."""
    if not notice.strip():
        raise TransitionError(_("Say what the requester must correct."))
    today = _today(on)
    with _step("request_correction", request, actor=actor) as step:
        request = step.obj
        calendar = WorkingCalendar()
        if request.corrected_on is not None:
            raise TransitionError(_("A request gets one correction notice only."))
        latest = calendar.add_working_days(request.counted_from, clock.CORRECTION_NOTICE_DAYS).date
        if today > latest:
            raise TransitionError(_("A correction notice must be given within 7 working days of receipt (by %(date)s).")
                                  % {"date": latest.isoformat()})
        request.correction_notice = notice.strip()
        request.correction_requested_on = today
        request.correction_due_on = calendar.add_working_days(today, days).date
        step.payload.update(correction_due_on=request.correction_due_on)
    return request


def request_correction_received(*, actor, request: InformationRequest, on: dt.date | None = None) -> InformationRequest:
    """The corrected request arrived: the 20 working days count again from that day."""
    received = _today(on)
    with _step("correction_received", request, actor=actor) as step:
        request = step.obj
        if received < request.correction_requested_on:
            raise TransitionError(_("The correction cannot arrive before it was asked for."))
        calendar = WorkingCalendar()
        request.corrected_on = received
        request.counted_from = clock.counted_from(calendar, received)
        _refresh_due(request, calendar)
        step.payload.update(corrected_on=received, due_on=request.due_on)
    return request


def request_abandon(*, actor, request: InformationRequest, on: dt.date | None = None) -> InformationRequest:
    """No correction came by the day the notice gave: the request is no longer processed
    (counted in the yearly report under "other handling")."""
    today = _today(on)
    with _step("abandon", request, actor=actor) as step:
        request = step.obj
        if today <= request.correction_due_on:
            raise TransitionError(_("The requester has until %(date)s to correct the request.")
                                  % {"date": request.correction_due_on.isoformat()})
        request.outcome, request.sub_reason = Outcome.OTHER, SubReason.NOT_CORRECTED
        request.closed_on = today
        request.reply_text = letters.compose(request, outcome=Outcome.OTHER, sub_reason=SubReason.NOT_CORRECTED,
                                             text=request.correction_notice)
    return request


def request_consult(*, actor, request: InformationRequest, third_party: str, on: dt.date | None = None) -> InformationRequest:
    """Ask a third party's opinion (art. 32): the clock is paused until it answers, at most
    its 15 working days."""
    if not third_party.strip():
        raise TransitionError(_("Name the third party consulted."))
    with _step("consult", request, actor=actor, third_party=third_party.strip()[:200]) as step:
        request = step.obj
        request.consultation_started_on = _today(on)
        _refresh_due(request)
        step.payload.update(due_on=request.due_on)
    return request


def request_consultation_ended(*, actor, request: InformationRequest, on: dt.date | None = None) -> InformationRequest:
    """The third party answered (or its time ran out): the clock runs again."""
    ended = _today(on)
    with _step("consultation_ended", request, actor=actor) as step:
        request = step.obj
        calendar = WorkingCalendar()
        if ended < request.consultation_started_on:
            raise TransitionError(_("The answer cannot arrive before the consultation was sent."))
        request.consultation_ended_on = min(ended, clock.consultation_end(calendar, request.consultation_started_on))
        _refresh_due(request, calendar)
        step.payload.update(due_on=request.due_on)
    return request


def request_extend(*, actor, request: InformationRequest, days: int, reason: str,
                   on: dt.date | None = None) -> InformationRequest:
    """Extend the reply period once, by up to 20 working days, with the approval of the head
    of the open-government office (the actor, who holds the permission) and a reason; the
    requester is told on the tracking page and, if they gave an address, by e-mail."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for the extension; the requester is told it."))
    if not 1 <= days <= clock.MAX_EXTENSION_DAYS:
        raise TransitionError(_("An extension is between 1 and 20 working days."))
    today = _today(on)
    with _step("extend", request, actor=actor, days=days, reason=reason.strip()) as step:
        request = step.obj
        if request.extension_days:
            raise TransitionError(_("The reply period can be extended once only."))
        if today > request.due_on:
            raise TransitionError(_("The reply period ended on %(date)s: it can no longer be extended.")
                                  % {"date": request.due_on.isoformat()})
        request.extension_days = days
        request.extension_reason = reason.strip()
        request.extension_approved_by = actor
        request.extended_on = today
        _refresh_due(request)
        step.payload.update(due_on=request.due_on)
        _tell_requester(request.pk, "request_extended")
    return request


def request_reply(*, actor, request: InformationRequest, outcome: Outcome | str, sub_reason: SubReason | str = "",
                  text: str = "", files=(), on: dt.date | None = None) -> InformationRequest:
    """Reply with an outcome (and its reason where the yearly report has sub-rows); the
    letter is composed from the outcome's template with the remedies filled in and the
    department's own text. Replies that give information say where or what; a partial
    disclosure says why the rest is withheld."""
    outcome = Outcome(outcome)
    sub_reason = SubReason(sub_reason) if sub_reason else ""
    reasons = SUB_REASONS.get(outcome, ())
    if reasons and sub_reason not in reasons:
        raise TransitionError(_("Choose the reason for “%(outcome)s”: %(reasons)s.") % {
            "outcome": outcome.label, "reasons": " / ".join(str(SubReason(r).label) for r in reasons)})
    if not reasons and sub_reason:
        raise TransitionError(_("“%(outcome)s” takes no reason.") % {"outcome": outcome.label})
    if outcome in (Outcome.ALREADY_PUBLIC, Outcome.PARTLY) and not text.strip():
        raise TransitionError(_("Say where the information is published, or why part of it is withheld."))
    today = _today(on)
    with _step("reply", request, actor=actor, outcome=outcome, sub_reason=sub_reason) as step:
        request = step.obj
        if today < request.received_on:
            raise TransitionError(_("A reply cannot precede the request."))
        request.outcome, request.sub_reason = outcome, sub_reason
        request.reply_text = letters.compose(request, outcome=outcome, sub_reason=sub_reason, text=text)
        request.replied_by = actor
        request.closed_on = today
        request.on_time = today <= request.due_on
        _add_files(request, files, with_reply=True)
        step.payload.update(on_time=request.on_time)
        _tell_requester(request.pk, "request_replied")
    return request


def _masked(text: str, requester: Requester | None) -> str:
    """``text`` with the requester's name and contact taken out."""
    if requester is None:
        return text
    for value in (requester.name, requester.organisation, requester.phone, requester.email, requester.address):
        if value and len(value.strip()) >= 2:
            text = re.sub(re.escape(value.strip()), "***", text)
    return text


def request_publish_reply(*, actor, request: InformationRequest):
    """Make a reply that gave information into a disclosure draft, without the requester's
    identity (not named, no tracking code), and send it to pre-review: once the reviewer
    approves and publishes it, as any disclosure, everyone reads it."""
    from django.utils.html import escape, linebreaks

    with _step("publish_reply", request, actor=actor) as step, translation.override(settings.LANGUAGE_CODE):
        request = step.obj
        if request.disclosure_id is not None:
            raise TransitionError(_("This reply has already been made a disclosure."))
        if request.outcome not in GIVES_INFORMATION:
            raise TransitionError(_("Only a reply that gave information can be published."))
        requester = Requester.objects.filter(request=request).first()
        letter = _masked(request.reply_text.split("\n\n", 1)[-1], requester)  # without the heading and its code
        asked = _masked(request.description, requester)
        body = (f"<h2>{escape(_('Information asked for'))}</h2>{linebreaks(escape(asked))}"
                f"<h2>{escape(_('Reply'))}</h2>{linebreaks(escape(letter))}")
        disclosure = _new_disclosure(
            actor=actor, department=request.department, category_code=REPLY_CATEGORY,
            title=_("Reply to a request for information, %(department)s, %(date)s") % {
                "department": request.department.name, "date": request.closed_on.isoformat()},
            summary=asked[:200], body=body, formed_on=request.closed_on,
        )
        request.disclosure = disclosure
        step.payload.update(disclosure=disclosure.pk)
    return disclosure


def request_make_proactive(*, actor, request: InformationRequest, title: str = ""):
    """Information asked for repeatedly that may be disclosed (art. 44) becomes an obligation
    of proactive disclosure: an entry of the department's catalogue, watched by the catalogue's
    deadlines from then on. The catalogue is the coordinator's: who may not add to it is
    refused. Returns the entry (the existing one when the same title is already there)."""
    from disclosures.models import CatalogueEntry, Category
    from portal.permissions import can_add

    with _step("make_proactive", request, actor=actor) as step:
        request = step.obj
        if request.outcome not in GIVES_INFORMATION:
            raise TransitionError(_("Only information that was given can be moved into proactive disclosure."))
        requester = Requester.objects.filter(request=request).first()
        title = (title.strip() or _masked(request.description, requester))[:200]
        existing = CatalogueEntry.objects.filter(department=request.department, title=title).first()
        entry = existing or CatalogueEntry(
            department=request.department, category=Category.objects.get(code=REPLY_CATEGORY), title=title,
            legal_basis=_("Regulations on Open Government Information, article 44"),
        )
        if existing is None:
            if not can_add(actor, entry):
                raise PermissionDenied(_("Only the open-government office adds to the catalogue."))
            entry.save()
        step.payload.update(catalogue_entry=entry.pk)
    return entry


#: The catalogue's category for replies published from requests (seeded by migration).
REPLY_CATEGORY = "request-replies"
#: The category of yearly reports published as disclosures (seeded by migration).
REPORT_CATEGORY = "annual-reports"


def _new_disclosure(*, actor, department, category_code: str, title: str, summary: str, body: str, formed_on):
    """A disclosure draft made from a request's reply or a yearly report, sent to pre-review:
    it is published, as every disclosure, by the reviewer."""
    from disclosures import services as disclosure_services
    from disclosures.models import Category, Disclosure

    disclosure = Disclosure(department=department, category=Category.objects.get(code=category_code), title=title,
                            summary=summary, body=body, formed_on=formed_on)
    disclosure = disclosure_services.disclosure_save(actor=actor, disclosure=disclosure, source="request")
    return disclosure_services.disclosure_submit(actor=actor, disclosure=disclosure)


@sensitive_variables("secret")
def may_track(request: InformationRequest, secret: str | None) -> bool:
    """Reading a request on the tracking page needs its code and its secret."""
    return citizen_secrets.matches(secret, request.secret_hash)


def _tell_requester(request_id: int, kind: str) -> None:
    """E-mail a requester who gave an address that there is news (never the news itself),
    after the step commits (``portal.notify``)."""
    from portal.notify import email_on_commit

    if Requester.objects.filter(request_id=request_id).exclude(email="").exists():
        email_on_commit(kind=kind, object_id=request_id)




# --- yearly reports -----------------------------------------------------------------------------


def annual_report_open(*, actor, year: int, department=None) -> AnnualReport:
    """Open the draft of a department's (or, without one, the county's) yearly report, due
    by 31 January (the county's by 31 March) of the next year; the deadline engine reminds."""
    from disclosures.requests import report as yearly

    existing = AnnualReport.objects.filter(year=year, department=department).first()
    if existing is not None:
        return existing
    report = AnnualReport(year=year, department=department, due_on=yearly.due_on(year, department))
    with ANNUAL_REPORT.step("open", report, actor=actor, year=year) as step:
        step.obj.save()
    return step.obj


def annual_reports_schedule(*, year: int) -> int:
    """Open the drafts of ``year`` for every department and the county that has none (run
    early in the next year), so that the deadline engine reminds each of its due date."""
    from disclosures.requests import report as yearly
    from portal.models import Department

    existing = set(AnnualReport.objects.filter(year=year).values_list("department_id", flat=True))
    bodies = [*Department.objects.exclude(pk__in=[pk for pk in existing if pk is not None]), None]
    opened = 0
    for department in bodies:
        if department is None and None in existing:
            continue
        report = AnnualReport(year=year, department=department, due_on=yearly.due_on(year, department))
        with ANNUAL_REPORT.step("schedule", report, actor=None, year=year) as step:
            step.obj.save()
        opened += 1
    return opened


def annual_report_save(*, actor, report: AnnualReport, fields=()) -> AnnualReport:
    """Save what is entered by hand on a draft (the admin form)."""
    with ANNUAL_REPORT.step("edit", report, actor=actor, fields=sorted(fields)) as step:
        locked = step.obj
        # The entries are the caller's; the year, the body, the state and the due date the row's.
        for name in ("year", "department_id", "status", "due_on", "figures", "finalised_at", "finalised_by_id",
                     "disclosure_id", "created_at"):
            setattr(report, name, getattr(locked, name))
        step.obj = report
    return report


def annual_report_finalise(*, actor, report: AnnualReport) -> AnnualReport:
    """Freeze the report's figures. Refused while the requests table does not balance."""
    from disclosures.requests import report as yearly

    with ANNUAL_REPORT.step("finalise", report, actor=actor) as step:
        report = step.obj
        document = yearly.build(report.year, report.department, report)
        if document.problems:
            raise TransitionError(_("The requests table does not balance, so the report cannot be finalised: "
                                    "%(problems)s") % {"problems": " ".join(document.problems)})
        report.figures = yearly.frozen_figures(document)
        report.finalised_at, report.finalised_by = timezone.now(), actor
        step.payload.update(handled=document.requests["handled"][yearly.TOTAL])
    return report


def annual_report_publish(*, actor, report: AnnualReport):
    """Make a final report into a disclosure draft sent to pre-review."""
    from disclosures.requests import output, report as yearly

    with ANNUAL_REPORT.step("publish", report, actor=actor) as step, translation.override(settings.LANGUAGE_CODE):
        report = step.obj
        document = yearly.build(report.year, report.department, report)
        department = report.department or _county_department()
        report.disclosure = _new_disclosure(
            actor=actor, department=department, category_code=REPORT_CATEGORY, title=str(report),
            summary=str(report), body=output.html_fragment(document),
            formed_on=timezone.localtime(report.finalised_at).date(),
        )
        step.payload.update(disclosure=report.disclosure.pk)
    return report.disclosure


def _county_department():
    """The body that publishes the county's report: the open-government office."""
    from portal.models import Department

    office = Department.objects.filter(kind=Department.Kind.OFFICE).order_by("code").first()
    if office is None:
        raise TransitionError(_("The county's report is published by the open-government office; no office exists."))
    return office
