"""Applications (辦件): registered at the window, reviewed, paused for correction, decided,
rejected, completed — and their due dates in working days."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approvals import clock, tracking
from approvals.models import Application, ApplicationStatus, ApprovalItem, CorrectionRequest
from approvals.models.applications import RUNNING
from approvals.permissions import fileable_items, may_handle
from approvals.services import transitions
from approvals.services.transitions import TransitionError, expect, not_before, require_reason
from portal import page_cache
from portal.audit import record_event
from portal.calendar import WorkingCalendar


def lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("item").get(pk=application.pk)


def _handle(actor, application: Application) -> None:
    if not may_handle(actor, application):
        raise PermissionDenied(_("You do not handle application %(number)s.") % {"number": application.tracking_number})


def _on(on: dt.date | None, application: Application) -> dt.date:
    on = on or transitions.today()
    if on > transitions.today():
        raise TransitionError(_("A date in the future cannot be recorded."))
    not_before(on, application.received_on, _("This step"))
    return on


def _pauses(application: Application) -> list[tuple[dt.date, dt.date | None]]:
    return [(c.requested_on, c.resumed_on) for c in application.corrections.all()]


def _set_due(application: Application, calendar: WorkingCalendar) -> None:
    due = clock.due_date(calendar, application.received_on, application.item.promised_limit, _pauses(application))
    application.due_on = due.date if due else None
    application.due_provisional = due.provisional if due else False


def _move(application: Application, actor, to, verb: str, **data) -> Application:
    previous = application.status
    application.status = to
    application.save()
    record_event(actor=actor, subject=application, verb=verb, from_state=previous, to_state=to, **data)
    return application


def application_register(*, actor, application: Application) -> Application:
    """Register an application received at the window (受理): give it a tracking number and
    its due date, the item's promised limit in working days after receipt."""
    if application.pk is not None:
        raise TransitionError(_("This application is already registered."))
    if application.received_on > transitions.today():
        raise TransitionError(_("A date in the future cannot be recorded."))
    with transaction.atomic():
        item = ApprovalItem.objects.select_related("window").get(pk=application.item_id)
        if item.is_cancelled:
            raise TransitionError(_("“%(item)s” was cancelled; no application can be received for it.") % {"item": item.name})
        if not fileable_items(actor).filter(pk=item.pk).exists():
            raise PermissionDenied(_("You may not register applications for “%(item)s”.") % {"item": item.name})
        application.item = item
        application.window = item.window
        application.registered_by = actor
        application.status = ApplicationStatus.RECEIVED
        due = clock.due_date(WorkingCalendar(), application.received_on, item.promised_limit)
        application.due_on, application.due_provisional = due.date, due.provisional
        for attempt in range(5):
            application.tracking_number = tracking.new_tracking_number(application.received_on)
            try:
                with transaction.atomic():
                    application.save()
                break
            except IntegrityError:  # the same random number twice: draw again
                application.pk = None
                if attempt == 4:
                    raise
        record_event(
            actor=actor, subject=application, verb="application_registered", to_state=application.status,
            due_on=application.due_on.isoformat(), item=item.code,
        )
    return application


def application_update(*, actor, application: Application, fields: list[str]) -> Application:
    """Correct the applicant's details (a typo at the window). The event names the fields
    changed, never their values: the event log is not the place for personal data."""
    with transaction.atomic():
        current = lock_application(application)
        _handle(actor, current)
        application.item_id, application.received_on = current.item_id, current.received_on  # fixed at receipt
        application.save()
        record_event(actor=actor, subject=application, verb="application_edited", fields=sorted(fields))
    return application


def application_start_review(*, actor, application: Application) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, {ApplicationStatus.RECEIVED}, application.tracking_number)
        return _move(application, actor, ApplicationStatus.UNDER_REVIEW, "application_review_started")


def application_request_correction(
    *, actor, application: Application, missing: str, on: dt.date | None = None
) -> Application:
    """Tell the applicant what is missing (補正告知). The clock stands until it arrives."""
    if not (missing or "").strip():
        raise TransitionError(_("List what is missing."))
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, RUNNING, application.tracking_number)
        on = _on(on, application)
        last = application.corrections.order_by("-requested_on").first()
        if last is not None:
            not_before(on, last.resumed_on, _("A correction notice"))
        CorrectionRequest.objects.create(
            application=application, requested_on=on, missing=missing.strip(), from_status=application.status,
            requested_by=actor,
        )
        application.due_on, application.due_provisional = None, False
        return _move(application, actor, ApplicationStatus.NEEDS_CORRECTION, "application_correction_requested",
                     on=on.isoformat())


def application_correction_received(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """The corrected materials arrived: the clock runs again from ``on``."""
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, {ApplicationStatus.NEEDS_CORRECTION}, application.tracking_number)
        on = _on(on, application)
        correction = application.corrections.get(resumed_on__isnull=True)
        not_before(on, correction.requested_on, _("The correction"))
        correction.resumed_on = on
        correction.save(update_fields=["resumed_on"])
        _set_due(application, WorkingCalendar())
        return _move(application, actor, correction.from_status, "application_corrected",
                     on=on.isoformat(), due_on=application.due_on.isoformat())


def application_decide(*, actor, application: Application, decision: str, on: dt.date | None = None) -> Application:
    """Take the decision (准予許可 …). It is published in the results list."""
    if not (decision or "").strip():
        raise TransitionError(_("Write the decision."))
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, RUNNING, application.tracking_number)
        application.decided_on = _on(on, application)
        application.decision = decision.strip()
        page_cache.invalidate_on_commit()  # published in the results
        return _move(application, actor, ApplicationStatus.DECIDED, "application_decided",
                     on=application.decided_on.isoformat(), on_time=application.kept_on_time)


def application_reject(*, actor, application: Application, reason: str, on: dt.date | None = None) -> Application:
    """Refuse the application (不予受理 / 不予許可), with the reason. Published as a decision."""
    reason = require_reason(reason)
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, RUNNING | {ApplicationStatus.NEEDS_CORRECTION}, application.tracking_number)
        application.decided_on = _on(on, application)
        application.rejection_reason = reason
        page_cache.invalidate_on_commit()  # published in the results
        return _move(application, actor, ApplicationStatus.REJECTED, "application_rejected",
                     on=application.decided_on.isoformat(), on_time=application.kept_on_time)


def application_complete(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """The applicant has what was decided (辦結): the licence is handed over."""
    with transaction.atomic():
        application = lock_application(application)
        _handle(actor, application)
        expect(application, {ApplicationStatus.DECIDED}, application.tracking_number)
        application.completed_on = _on(on, application)
        not_before(application.completed_on, application.decided_on, _("Completion"))
        return _move(application, actor, ApplicationStatus.COMPLETED, "application_completed",
                     on=application.completed_on.isoformat())


def applications_recompute_due(calendar: WorkingCalendar) -> list[Application]:
    """Recompute the due dates of running applications with ``calendar`` (after the
    coordinator entered a year's official schedule). Returns those that changed."""
    changed = []
    running = Application.objects.running().select_related("item").prefetch_related("corrections")
    for application in running:
        before = (application.due_on, application.due_provisional)
        _set_due(application, calendar)
        if (application.due_on, application.due_provisional) != before:
            application.save(update_fields=["due_on", "due_provisional", "updated_at"])
            changed.append(application)
    return changed
