"""Applications (辦件): registered at the window, reviewed, paused for correction, decided,
rejected, completed — and their due dates in working days."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approvals import clock, tracking
from approvals.models import Application, ApprovalItem
from approvals.services import checks
from approvals.services.checks import not_before, require_reason
from approvals.workflows import APPLICATION
from portal import page_cache
from portal.calendar import WorkingCalendar
from portal.workflow import TransitionError


def _on(on: dt.date | None, application: Application) -> dt.date:
    on = on or checks.today()
    if on > checks.today():
        raise TransitionError(_("A date in the future cannot be recorded."))
    not_before(on, application.received_on, _("This step"))
    return on


def _pauses(application: Application) -> list[tuple[dt.date, dt.date | None]]:
    return [(c.requested_on, c.resumed_on) for c in application.corrections.all()]


def _set_due(application: Application, calendar: WorkingCalendar) -> None:
    due = clock.due_date(calendar, application.received_on, application.item.promised_limit, _pauses(application))
    application.due_on = due.date if due else None
    application.due_provisional = due.provisional if due else False


def application_register(*, actor, application: Application) -> Application:
    """Register an application received at the window (受理): give it a tracking number and
    its due date, the item's promised limit in working days after receipt."""
    if application.pk is not None:
        raise TransitionError(_("This application is already registered."))
    if application.received_on > checks.today():
        raise TransitionError(_("A date in the future cannot be recorded."))
    item = ApprovalItem.objects.select_related("window").get(pk=application.item_id)
    if item.is_cancelled:
        raise TransitionError(_("“%(item)s” was cancelled; no application can be received for it.") % {"item": item.name})
    with APPLICATION.step("register", application, actor=actor, item=item.code) as step:
        application.item = item
        application.window = item.window
        application.registered_by = actor
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
        step.payload["due_on"] = application.due_on
    return application


def application_update(*, actor, application: Application, fields: list[str]) -> Application:
    """Correct the applicant's details (a typo at the window). The event names the fields
    changed, never their values: the event log is not the place for personal data."""
    with APPLICATION.step("edit", application, actor=actor, fields=sorted(fields)) as step:
        current = step.obj
        application.item_id, application.received_on = current.item_id, current.received_on  # fixed at receipt
        application.status = current.status
        step.obj = application
    return application


def application_start_review(*, actor, application: Application) -> Application:
    with APPLICATION.step("start_review", application, actor=actor) as step:
        pass
    return step.obj


def application_request_correction(
    *, actor, application: Application, missing: str, on: dt.date | None = None
) -> Application:
    """Tell the applicant what is missing (補正告知). The clock stands until it arrives."""
    if not (missing or "").strip():
        raise TransitionError(_("List what is missing."))
    with APPLICATION.step("request_correction", application, actor=actor) as step:
        application = step.obj
        on = _on(on, application)
        last = application.corrections.order_by("-requested_on").first()
        if last is not None:
            not_before(on, last.resumed_on, _("A correction notice"))
        application.corrections.create(
            requested_on=on, missing=missing.strip(), from_status=application.status, requested_by=actor
        )
        application.due_on, application.due_provisional = None, False
        step.payload["on"] = on
    return application


def application_correction_received(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """The corrected materials arrived: the clock runs again from ``on``."""
    with APPLICATION.step("correction_received", application, actor=actor) as step:
        application = step.obj
        on = _on(on, application)
        correction = application.corrections.get(resumed_on__isnull=True)
        not_before(on, correction.requested_on, _("The correction"))
        correction.resumed_on = on
        correction.save(update_fields=["resumed_on"])
        _set_due(application, WorkingCalendar())
        step.to = correction.from_status
        step.payload.update(on=on, due_on=application.due_on)
    return application


def application_decide(*, actor, application: Application, decision: str, on: dt.date | None = None) -> Application:
    """Take the decision (准予許可 …). It is published in the results list."""
    if not (decision or "").strip():
        raise TransitionError(_("Write the decision."))
    with APPLICATION.step("decide", application, actor=actor) as step:
        application = step.obj
        application.decided_on = _on(on, application)
        application.decision = decision.strip()
        page_cache.invalidate_on_commit()  # published in the results
        step.payload.update(on=application.decided_on, on_time=application.kept_on_time)
    return application


def application_reject(*, actor, application: Application, reason: str, on: dt.date | None = None) -> Application:
    """Refuse the application (不予受理 / 不予許可), with the reason. Published as a decision."""
    reason = require_reason(reason)
    with APPLICATION.step("reject", application, actor=actor) as step:
        application = step.obj
        application.decided_on = _on(on, application)
        application.rejection_reason = reason
        page_cache.invalidate_on_commit()  # published in the results
        step.payload.update(on=application.decided_on, on_time=application.kept_on_time)
    return application


def application_complete(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """The applicant has what was decided (辦結): the licence is handed over."""
    with APPLICATION.step("complete", application, actor=actor) as step:
        application = step.obj
        application.completed_on = _on(on, application)
        not_before(application.completed_on, application.decided_on, _("Completion"))
        step.payload["on"] = application.completed_on
    return application
