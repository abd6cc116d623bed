"""The supervision mailbox lifecycle (DESIGN §3.5):

received → accepted | declined (reason) → assigned → replied → closed (with the
complainant's satisfaction) | reopened → assigned …

Every step is a function here, run through the state machine in ``supervision.workflows``
(``portal.workflow``: one transaction, the row locked, permission and state checked, the
event written); admin actions, public views and commands call them.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from portal import citizen_secrets, page_cache
from portal.calendar import WorkingCalendar
from portal.permissions import can
from portal.uploads import CheckedFile
from portal.workflow import TransitionError
from supervision.closing import may_close, rating_closes_on
from supervision.events import ComplaintEvent
from supervision.models import (
    SATISFIED,
    Channel,
    Complaint,
    ComplaintAttachment,
    HandlingTime,
    IdentityAccess,
    Kind,
    Reply,
    ReporterIdentity,
    Satisfaction,
    Status,
)
from supervision.workflows import COMPLAINT

@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str
    #: Shown once to whoever filed (or to the clerk who registered it, to hand over);
    #: stored hashed. Code and secret together track, rate and reopen.
    secret: str


@dataclass(frozen=True)
class Identity:
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


def handling_days(kind: str) -> int:
    row = HandlingTime.objects.filter(kind=kind).first()
    return row.working_days if row else {"complaint": 15, "report": 30, "suggestion": 20}[kind]


def _set_due(complaint: Complaint, start) -> None:
    due = WorkingCalendar().add_working_days(start, handling_days(complaint.kind))
    complaint.due_on, complaint.due_provisional = due.date, due.provisional


@contextmanager
def _step(name: str, complaint: Complaint, *, actor, **payload):
    with COMPLAINT.step(name, complaint, actor=actor, **payload) as step:
        yield step
        page_cache.invalidate_on_commit()  # the public statistics count statuses


@sensitive_variables("secret")
def complaint_file(
    *,
    kind: Kind | str,
    department,
    summary: str,
    details: str,
    identity: Identity | None,
    happened_on=None,
    disclosure=None,
    approval_item_code: str = "",
    fee_item_code: str = "",
    attachments: list[tuple[object, CheckedFile]] = (),
    channel: Channel | str = Channel.WEB,
    registered_by=None,
    received_on=None,
) -> Filed:
    """File a complaint, report or suggestion (anonymous without ``identity``). Every filing
    gets a tracking code and a secret: staff see the code in the admin and exports, so the
    code alone must not let anyone read, rate or reopen the filing; the secret, which only
    the citizen holds, does. It is returned once and stored hashed.

    ``registered_by``: the staff member who took it by phone, letter, visit or window —
    its first receiver (首問責任人), who hands the secret to the citizen.
    """
    secret = citizen_secrets.new_secret()
    complaint = Complaint(
        tracking_code=citizen_secrets.new_tracking_code(),
        secret_hash=citizen_secrets.hashed(secret),
        kind=Kind(kind),
        channel=Channel(channel),
        department=department,
        disclosure=disclosure,
        approval_item_code=approval_item_code,
        fee_item_code=fee_item_code,
        summary=summary,
        details=details,
        happened_on=happened_on,
        anonymous=identity is None,
        first_receiver=registered_by,
        received_on=received_on or timezone.localdate(),
    )
    name = "file" if registered_by is None else "register"
    with _step(name, complaint, actor=registered_by, channel=Channel(channel)):
        _set_due(complaint, complaint.received_on)
        complaint.save()
        if identity is not None:
            ReporterIdentity.objects.create(complaint=complaint, **identity.__dict__)
        for uploaded, checked in attachments:
            ComplaintAttachment.store(uploaded, checked, complaint=complaint)
    return Filed(complaint, complaint.tracking_code, secret)


def complaint_accept(*, actor, complaint: Complaint) -> Complaint:
    """Accept for handling. Whoever accepts first becomes the first receiver if nobody is."""
    with _step("accept", complaint, actor=actor) as step:
        if step.obj.first_receiver_id is None:
            step.obj.first_receiver = actor
    return step.obj


def complaint_decline(*, actor, complaint: Complaint, reason: str) -> Complaint:
    if not reason.strip():
        raise TransitionError(_("Say why the complaint is declined."))
    with _step("decline", complaint, actor=actor, reason=reason) as step:
        if step.obj.first_receiver_id is None:
            step.obj.first_receiver = actor
        step.obj.decline_reason = reason
        step.obj.closed_at = timezone.now()
    return step.obj


def complaint_assign(*, actor, complaint: Complaint, department) -> Complaint:
    """Hand an accepted (or reopened) complaint to the department that must answer it."""
    with _step("assign", complaint, actor=actor, department=department.code) as step:
        step.obj.assigned_department = department
    return step.obj


def complaint_reply(*, actor, complaint: Complaint, body: str) -> Reply:
    """The assigned department (or the supervision office) replies to the complainant."""
    if not body.strip():
        raise TransitionError(_("The reply is empty."))
    with _step("reply", complaint, actor=actor) as step:
        complaint = step.obj
        reply = Reply.objects.create(complaint=complaint, author=actor, department=complaint.assigned_department, body=body)
        complaint.replied_at = timezone.now()
        _tell_complainant(complaint.pk)
    return reply


def complaint_close(*, actor, complaint: Complaint) -> Complaint:
    """Close a replied complaint that the complainant did not rate in time. Refused while
    the complainant may still rate and reopen it (``rating_closes_on``)."""
    with _step("close", complaint, actor=actor) as step:
        if not may_close(step.obj):
            raise TransitionError(
                _("The complainant may rate the reply, and reopen the complaint, until %(date)s; "
                  "close it from that day if they have not rated it.")
                % {"date": rating_closes_on(step.obj).isoformat()}
            )
        _close(step)
    return step.obj


def _close(step) -> None:
    complaint = step.obj
    complaint.closed_at = timezone.now()
    complaint.closed_on_time = timezone.localtime(complaint.replied_at).date() <= complaint.due_on
    step.payload["on_time"] = complaint.closed_on_time


@sensitive_variables("secret")
def complaint_rate(*, complaint: Complaint, secret: str | None, satisfaction: Satisfaction | str, reopen: bool) -> Complaint:
    """The complainant rates the reply. Satisfied: closed. Not satisfied and asking to
    reopen (at most ``GONGKAI_COMPLAINT_MAX_REOPENS`` times): back to the department with
    a new deadline.

    Only the holder of the secret rates or reopens — never the code alone, which staff see:
    otherwise a department could rate its own reply "very satisfied" and close it. A
    real-name complaint filed before every filing got a secret cannot be rated until the
    supervision office issues one (``complaint_reissue_secret``)."""
    satisfaction = Satisfaction(satisfaction)
    with _step("rate", complaint, actor=None, satisfaction=satisfaction) as step:
        complaint = step.obj
        if not complaint.secret_hash:
            raise PermissionDenied(_("This complaint was filed before secrets were issued. To rate the reply or ask "
                                     "for it to be handled again, ask the supervision office for a secret."))
        if not citizen_secrets.matches(secret, complaint.secret_hash):
            raise PermissionDenied(_("Wrong tracking code or secret."))
        complaint.satisfaction = satisfaction
        wants_reopen = reopen and satisfaction not in SATISFIED
        if wants_reopen and complaint.reopen_count < settings.GONGKAI_COMPLAINT_MAX_REOPENS:
            complaint.reopen_count += 1
            complaint.replied_at = None
            _set_due(complaint, timezone.localdate())
            step.to, step.event = Status.REOPENED, ComplaintEvent.REOPENED
        else:
            _close(step)
    return complaint


@sensitive_variables("secret")
def may_track(complaint: Complaint, secret: str | None) -> bool:
    """Reading a filing on the tracking page needs its code and its secret, real-name or
    anonymous: the page shows what the citizen wrote and the replies, and the code is on
    every staff screen.

    One exception keeps what worked before: a real-name complaint filed before every filing
    got a secret has none, and still shows with its code alone (read-only; ``complaint_rate``
    refuses it) until the supervision office issues it a secret."""
    if not complaint.secret_hash:
        return not complaint.anonymous
    return citizen_secrets.matches(secret, complaint.secret_hash)


def may_reissue_secret(user, complaint: Complaint) -> bool:
    """Whether ``user`` may issue ``complaint`` a new secret: who may open its sealed identity,
    to check who is asking (see ``complaint_reissue_secret``)."""
    return user is not None and not complaint.anonymous and can(user, "see_identity", complaint)


@sensitive_variables("secret")
def complaint_reissue_secret(*, actor, complaint: Complaint, reason: str) -> str:
    """Issue a new secret for a real-name filing whose citizen lost theirs, or that was filed
    before every filing got one; the old secret stops working. Supervisors only — never the
    department that answers the complaint — after checking who is asking (the sealed
    identity); the reason is logged. Returned once, to be handed over, and stored hashed.

    An anonymous filing gets none: nobody can show that they filed it."""
    if actor is None or not can(actor, "see_identity", complaint):
        raise PermissionDenied(_("Only supervisors issue a new secret."))
    reason = citizen_secrets.reissue_reason(reason)
    with transaction.atomic():
        # Not a step of the workflow: the complaint's state does not change.
        complaint = COMPLAINT.lock(complaint)
        if complaint.anonymous:
            raise TransitionError(_("An anonymous filing gets no new secret: nobody can show that they filed it."))
        secret = citizen_secrets.reissue(
            complaint, field="secret_hash", actor=actor, kind=ComplaintEvent.SECRET_REISSUED, reason=reason)
    return secret


def identity_view(*, actor, complaint: Complaint, purpose: str) -> Identity | None:
    """Open a sealed identity. Supervisors only, and every view is logged."""
    if not can(actor, "see_identity", complaint):
        raise PermissionDenied(_("Only supervisors may see who filed a complaint or report."))
    if not purpose.strip():
        raise ValidationError(_("Say why you need the identity; it is logged."))
    with transaction.atomic():
        IdentityAccess.objects.create(complaint=complaint, user=actor, purpose=purpose)
        record = ReporterIdentity.objects.filter(complaint=complaint).first()
    if record is None:
        return None
    return Identity(name=record.name, phone=record.phone, email=record.email, address=record.address)


def complaint_attachment_open(*, actor, attachment: ComplaintAttachment) -> ComplaintAttachment:
    """A file filed with a complaint, for staff who may see the complaint. Files often name
    or show the complainant, so every opening is written to the access log, as identity
    views are."""
    if not can(actor, "view", attachment.complaint):
        raise PermissionDenied(_("You may not open the files of this complaint."))
    IdentityAccess.objects.create(
        complaint=attachment.complaint, user=actor, attachment=attachment,
        purpose=_("opened the attachment “%(name)s”") % {"name": attachment.name[:150]},
    )
    return attachment


def _tell_complainant(complaint_id: int) -> None:
    """E-mail a complainant who gave an address that a reply is waiting (not the reply
    itself). Recorded with the reply and sent after it commits by a task that retries: a
    failing mail server never undoes the reply (``supervision.emails``, ``portal.notify``)."""
    from portal.notify import email_on_commit

    if ReporterIdentity.objects.filter(complaint_id=complaint_id).exclude(email="").exists():
        email_on_commit(kind="complaint_replied", object_id=complaint_id)
