"""Supervision activities, rectification orders and accountability (DESIGN §3.5): every write.

Inspections (監督檢查) of the six kinds: opened with a checklist copied from a template,
findings recorded while in progress, concluded with a conclusion. Rectification orders
(整改意見, 限期改正): issued → in rectification → reported done (the department's report,
with evidence files) → verified and closed, or sent back with a reason; the deadline engine
follows the open ones (``supervision.deadlines.RECTIFICATION_ORDER``). Accountability
measures (責任追究) are recorded against a department or a person with what caused them.

Each state change runs through ``supervision.workflows`` (``portal.workflow``).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import deadlines, events, page_cache, permissions
from portal.calendar import WorkingCalendar
from portal.uploads import CheckedFile
from portal.workflow import TransitionError
from supervision.events import AccountabilityEvent
from supervision.models import (
    AccountabilityMeasure,
    ChecklistResult,
    ChecklistTemplate,
    Complaint,
    Finding,
    Inspection,
    InspectionStatus,
    Measure,
    RectificationOrder,
    ResponseFile,
    Severity,
    SupervisionKind,
)
from supervision.workflows import INSPECTION, RECTIFICATION_ORDER


def today() -> dt.date:
    return timezone.localdate()


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionError(message)
    return value


# --- Inspections ----------------------------------------------------------------------------


def inspection_open(
    *,
    actor,
    department,
    kind: SupervisionKind | str,
    title: str,
    inspected_on: dt.date | None = None,
    template: ChecklistTemplate | None = None,
    supervisors: Iterable = (),
    deputies: str = "",
    invited_members: str = "",
) -> Inspection:
    """Open an inspection of ``department`` with the points of ``template`` (by default the
    first active one) copied into its checklist. A department opens only its own
    self-inspection (``supervision.permissions.may_open_inspection``)."""
    if template is None:
        template = ChecklistTemplate.objects.filter(active=True).order_by("pk").first()
    inspection = Inspection(
        department=department, kind=SupervisionKind(kind), title=_text(title, _("Give the inspection a title.")),
        inspected_on=inspected_on or today(), template=template, deputies=deputies.strip(),
        invited_members=invited_members.strip(), created_by=actor,
    )
    with INSPECTION.step("open", inspection, actor=actor, department=department.code):
        inspection.save()
        if template is not None:
            ChecklistResult.objects.bulk_create(
                ChecklistResult(inspection=inspection, position=item.position, text=item.text)
                for item in template.items.all()
            )
        inspection.supervisors.set(list(supervisors))
    return inspection


def _in_progress(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise TransitionError(_("“%(inspection)s” is concluded: nothing more is recorded in it.")
                              % {"inspection": inspection})


def finding_record(
    *,
    actor,
    inspection: Inspection,
    description: str,
    severity: Severity | str = Severity.MODERATE,
    evidence: str = "",
    checklist_point: ChecklistResult | None = None,
    evidence_file: tuple[object, CheckedFile] | None = None,
) -> Finding:
    """Record what an inspection in progress found, with its severity and evidence."""
    if not permissions.can(actor, "change", inspection):
        raise PermissionDenied(INSPECTION["conclude"].denied)
    if checklist_point is not None and checklist_point.inspection_id != inspection.pk:
        raise TransitionError(_("The checklist point belongs to another inspection."))
    finding = Finding(
        checklist_point=checklist_point, severity=Severity(severity), evidence=evidence.strip(),
        description=_text(description, _("Describe what was found.")),
    )
    if evidence_file is not None:
        uploaded, _checked = evidence_file
        finding.evidence_file, finding.evidence_file_name = uploaded, uploaded.name[:200]
    with transaction.atomic():
        finding.inspection = INSPECTION.lock(inspection)  # concluded meanwhile? then nothing more is recorded
        _in_progress(finding.inspection)
        finding.save()
    return finding


def inspection_conclude(*, actor, inspection: Inspection, conclusion: str, on: dt.date | None = None) -> Inspection:
    """Conclude an inspection; its checklist and findings are then a record."""
    conclusion = _text(conclusion, _("Write the inspection's conclusion."))
    with INSPECTION.step("conclude", inspection, actor=actor) as step:
        step.obj.conclusion = conclusion
        step.obj.concluded_on = on or today()
        step.payload["findings"] = step.obj.findings.count()
    return step.obj


# --- Rectification orders -------------------------------------------------------------------


def _due(issued_on: dt.date, working_days: int, calendar: WorkingCalendar | None = None):
    return (calendar or WorkingCalendar()).add_working_days(issued_on, working_days)


def rectification_order_issue(
    *,
    actor,
    department,
    requirement: str,
    working_days: int,
    inspection: Inspection | None = None,
    finding: Finding | None = None,
    complaint: Complaint | None = None,
    on: dt.date | None = None,
) -> RectificationOrder:
    """Order ``department`` to put something right within ``working_days`` working days,
    from an inspection (and one of its findings) or a complaint."""
    if finding is not None:
        if inspection is not None and finding.inspection_id != inspection.pk:
            raise TransitionError(_("The finding belongs to another inspection."))
        inspection = finding.inspection
    if inspection is not None and inspection.department_id != department.pk:
        raise TransitionError(_("The inspection was of another department."))
    if complaint is not None and department.pk not in (complaint.department_id, complaint.assigned_department_id):
        raise TransitionError(_("The complaint concerns another department."))
    try:
        working_days = int(working_days)
    except (TypeError, ValueError):
        working_days = 0
    if not 1 <= working_days <= RectificationOrder.MAX_DAYS:
        raise TransitionError(_("Give between 1 and %(max)d working days to rectify.")
                              % {"max": RectificationOrder.MAX_DAYS})
    issued_on = on or today()
    due = _due(issued_on, working_days)
    order = RectificationOrder(
        department=department, inspection=inspection, finding=finding, complaint=complaint,
        requirement=_text(requirement, _("Say what must be put right.")), issued_on=issued_on, issued_by=actor,
        working_days=working_days, due_on=due.date, due_provisional=due.provisional,
    )
    with RECTIFICATION_ORDER.step("issue", order, actor=actor, due_on=due.date, department=department.code):
        page_cache.invalidate_on_commit()  # the public statistics count orders
    return order


def rectification_order_start(*, actor, order: RectificationOrder) -> RectificationOrder:
    """The department says it is working on the order."""
    with RECTIFICATION_ORDER.step("start", order, actor=actor) as step:
        pass
    return step.obj


def rectification_order_report(
    *,
    actor,
    order: RectificationOrder,
    response: str,
    files: Iterable[tuple[object, CheckedFile]] = (),
    on: dt.date | None = None,
) -> RectificationOrder:
    """The department reports the rectification done: what it did, with evidence files
    (each checked by ``portal.uploads.check_upload`` before it gets here)."""
    response = _text(response, _("Describe what was done to rectify."))
    with RECTIFICATION_ORDER.step("report", order, actor=actor) as step:
        order = step.obj
        order.response = response
        order.reported_on = on or today()
        if order.reported_on < order.issued_on:
            raise TransitionError(_("The report cannot be dated before the order was issued."))
        step.payload["on_time"] = order.reported_on <= order.due_on
        for uploaded, checked in files:
            ResponseFile.store(uploaded, checked, order=order, uploaded_by=actor)
    return order


def rectification_order_verify(*, actor, order: RectificationOrder, on: dt.date | None = None) -> RectificationOrder:
    """The supervision office checked the rectification and closes the order. It counts as
    on time when the report it accepted came by the due date."""
    with RECTIFICATION_ORDER.step("verify", order, actor=actor) as step:
        order = step.obj
        order.closed_on = on or today()
        if order.closed_on < order.reported_on:
            raise TransitionError(_("The order cannot be closed before it was reported done."))
        order.verified_by = actor
        order.closed_on_time = order.reported_on <= order.due_on
        step.payload["on_time"] = order.closed_on_time
        page_cache.invalidate_on_commit()
    return order


def rectification_order_send_back(*, actor, order: RectificationOrder, reason: str) -> RectificationOrder:
    """The rectification reported is not enough: back to the department with the reason.
    The due date stays: a report sent back does not buy time."""
    reason = _text(reason, _("Say why the report is sent back."))
    with RECTIFICATION_ORDER.step("send_back", order, actor=actor, reason=reason) as step:
        step.obj.send_back_reason = reason
        step.obj.sent_back_count += 1
        step.obj.reported_on = None  # the report did not count: the order is open again
    return step.obj


# --- Accountability -------------------------------------------------------------------------


def _overdue_kind_models() -> set:
    return {kind.open_items().model for kind in deadlines.kinds()}


def accountability_record(
    *,
    actor,
    measure: Measure | str,
    department,
    reason: str,
    person: str = "",
    decided_on: dt.date | None = None,
    complaint: Complaint | None = None,
    finding: Finding | None = None,
    rectification_order: RectificationOrder | None = None,
    rating_rectification=None,
    overdue_item=None,
) -> AccountabilityMeasure:
    """Record a measure of accountability against ``department`` (or ``person`` in it),
    linked to what caused it: a complaint, a finding, a rectification order, a bad rating's
    rectification case, or an item of any registered deadline kind (``overdue_item``). Each
    cause must concern the same department."""
    record = AccountabilityMeasure(
        measure=Measure(measure), department=department, person=(person or "").strip(),
        decided_on=decided_on or today(), reason=_text(reason, _("Give the reason for the measure.")),
        complaint=complaint, finding=finding, rectification_order=rectification_order,
        rating_rectification=rating_rectification, recorded_by=actor,
    )
    if overdue_item is not None:
        if type(overdue_item) not in _overdue_kind_models():
            raise TransitionError(_("The overdue item must be one the deadline engine follows."))
        record.overdue_item = overdue_item
    causes = [cause for cause in (complaint, finding, rectification_order, rating_rectification, overdue_item) if cause]
    if not causes:
        raise TransitionError(_("Link the measure to what caused it: a complaint, a finding, a rectification "
                                "order or an overdue item."))
    for cause in causes:
        owners = {permissions.department_of(cause)}
        if isinstance(cause, Complaint):
            owners.add(cause.department_id)
        if department.pk not in owners:
            raise TransitionError(_("“%(cause)s” concerns another department.") % {"cause": cause})
    if not permissions.can_add(actor, record):
        raise PermissionDenied(_("Only the supervision office records accountability measures."))
    with transaction.atomic():
        record.save()
        events.record(AccountabilityEvent.RECORDED, actor=actor, subject=record, measure=record.measure,
                      department=department.code)
        page_cache.invalidate_on_commit()  # the public statistics count measures
    return record
