"""The register of approval items and the fee schedule: establish, adjust, cancel, delegate
(fees: suspend, resume). Each step writes a public change-log entry and an event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from approvals.events import FeeEvent, ItemEvent
from approvals.models import ApprovalItem, ChangeKind, FeeChange, FeeChangeKind, FeeItem, FeeStatus, ItemChange, ItemStatus
from approvals.services import checks
from approvals.services.checks import not_before, require_reason
from approvals.workflows import FEE, ITEM
from portal import page_cache
from portal.permissions import may_add_to
from portal.workflow import TransitionError, Workflow


@dataclass(frozen=True)
class _Register:
    """What differs between the register of items and the fee schedule; the steps are shared."""

    workflow: Workflow
    log: type  # the change-log model
    key: str  # the log's foreign key to the object
    kinds: type  # the change kinds
    adjusted_event: object  # the event of an edit that is an adjustment
    cancelled: str
    substantive: tuple[str, ...]  # fields whose change is an adjustment

    @property
    def model(self) -> type:
        return self.workflow.model

    def adjusted_status(self, current: str) -> str:
        if self.model is ApprovalItem and current != ItemStatus.DELEGATED:
            return ItemStatus.ADJUSTED
        return current  # a fee's status says whether it is charged; a delegated item stays delegated

    def describe(self, before, after) -> str:
        return f"{before.standard} → {after.standard}" if self.model is FeeItem else ""

    def details_at_establishment(self, obj) -> str:
        return obj.standard if self.model is FeeItem else ""


ITEMS = _Register(ITEM, ItemChange, "item", ChangeKind, ItemEvent.ADJUSTED, ItemStatus.CANCELLED,
                  ApprovalItem.SUBSTANTIVE_FIELDS)
FEES = _Register(FEE, FeeChange, "fee", FeeChangeKind, FeeEvent.ADJUSTED, FeeStatus.CANCELLED,
                 FeeItem.SUBSTANTIVE_FIELDS)


def _recorder(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _value(value) -> str:
    return "" if value is None else str(value)


def differences(before, after, fields) -> list[dict]:
    return [
        {"field": name, "from": _value(getattr(before, name)), "to": _value(getattr(after, name))}
        for name in fields
        if getattr(before, name) != getattr(after, name)
    ]


def _establish(register: _Register, *, actor, obj, effective_on, document_number, reason):
    if obj.pk is not None:
        raise TransitionError(_("“%(object)s” is already registered.") % {"object": obj})
    obj.clean()
    payload = {"effective_on": effective_on, "document_number": document_number}
    with register.workflow.step("establish", obj, actor=actor, **payload):
        obj.save()
        register.log.objects.create(
            **{register.key: obj}, kind=register.kinds.ESTABLISH, effective_on=effective_on,
            document_number=document_number, reason=reason, details=register.details_at_establishment(obj),
            recorded_by=_recorder(actor),
        )
        page_cache.invalidate_on_commit()
    return obj


def _update(register: _Register, *, actor, obj, effective_on, document_number, reason):
    if register.workflow.state_of(obj) == register.cancelled:
        raise TransitionError(_("“%(object)s” was cancelled; it is kept as it was.") % {"object": obj})
    with register.workflow.step("update", obj, actor=actor) as step:
        current = step.obj
        if obj.department_id != current.department_id and not may_add_to(actor, register.model, obj.department_id):
            raise PermissionDenied(_("You may not move it to this department."))
        obj.clean()
        changes = differences(current, obj, register.substantive)
        obj.status = current.status
        if changes:
            reason = require_reason(reason)
            step.to, step.event = register.adjusted_status(current.status), register.adjusted_event
            register.log.objects.create(
                **{register.key: obj}, kind=register.kinds.ADJUST, effective_on=effective_on or checks.today(),
                document_number=document_number, reason=reason, details=register.describe(current, obj),
                changed_fields=changes, recorded_by=actor,
            )
        edited = differences(current, obj, [f.attname for f in register.model._meta.concrete_fields if f.name != "updated_at"])
        step.payload["fields"] = [change["field"] for change in edited if change["field"] != "status"]
        step.obj = obj
        page_cache.invalidate_on_commit()
    return obj


def approval_item_parts_save(*, actor, item: ApprovalItem, saved=(), deleted=(), source: str = "admin") -> ApprovalItem:
    """Save an item's service-guide lists — materials (``Material``) and procedure steps
    (``ProcedureStep``): the rows in ``saved`` are written, those in ``deleted`` removed.
    The admin's inlines and the import both come here; the event names what changed."""
    saved, deleted = list(saved), list(deleted)
    with ITEM.step("edit_guide", item, actor=actor, source=source) as step:
        for part in deleted:
            if part.item_id != step.obj.pk:
                raise PermissionDenied(_("That row belongs to another item."))
            part.delete()
        for part in saved:
            part.item = step.obj
            part.save()
        step.payload.update(
            saved=[f"{part._meta.model_name}: {part.name}" for part in saved],
            removed=[f"{part._meta.model_name}: {part.name}" for part in deleted],
        )
        page_cache.invalidate_on_commit()
    return step.obj


def _change(register: _Register, *, actor, obj, name, kind, effective_on, document_number, reason, details=""):
    reason = require_reason(reason)
    payload = {"effective_on": effective_on, "document_number": document_number, "reason": reason}
    with register.workflow.step(name, obj, actor=actor, **payload) as step:
        obj = step.obj
        established = obj.changes.filter(kind=register.kinds.ESTABLISH).values_list("effective_on", flat=True).first()
        if established:
            not_before(effective_on, established, register.kinds(kind).label)
        register.log.objects.create(
            **{register.key: obj}, kind=kind, effective_on=effective_on, document_number=document_number, reason=reason,
            details=details, recorded_by=actor,
        )
        page_cache.invalidate_on_commit()
    return obj


def approval_item_establish(
    *, actor, item: ApprovalItem, effective_on: dt.date, document_number: str = "", reason: str = ""
) -> ApprovalItem:
    """Put a new item on the register: save it in force and log its establishment."""
    return _establish(ITEMS, actor=actor, obj=item, effective_on=effective_on, document_number=document_number,
                      reason=reason)


def approval_item_update(
    *, actor, item: ApprovalItem, effective_on: dt.date | None = None, document_number: str = "", reason: str = ""
) -> ApprovalItem:
    """Save edits to an item. A change of what the item *is* (``SUBSTANTIVE_FIELDS``: name,
    basis, conditions, limits) is an adjustment: it needs a reason and is logged publicly
    with what changed; other edits (phones, window, links) are only audited."""
    return _update(ITEMS, actor=actor, obj=item, effective_on=effective_on, document_number=document_number,
                   reason=reason)


def approval_item_cancel(*, actor, item: ApprovalItem, effective_on: dt.date, document_number: str, reason: str) -> ApprovalItem:
    """Cancel an item (取消). It keeps its page, marked cancelled, with this entry."""
    return _change(ITEMS, actor=actor, obj=item, name="cancel", kind=ChangeKind.CANCEL,
                   effective_on=effective_on, document_number=document_number, reason=reason)


def approval_item_delegate(
    *, actor, item: ApprovalItem, effective_on: dt.date, document_number: str, reason: str, delegated_to: str
) -> ApprovalItem:
    """Delegate an item to a lower level (下放), saying to whom."""
    if not (delegated_to or "").strip():
        raise TransitionError(_("Say to whom the item is delegated."))
    return _change(ITEMS, actor=actor, obj=item, name="delegate", kind=ChangeKind.DELEGATE,
                   effective_on=effective_on, document_number=document_number, reason=reason, details=delegated_to.strip())


def fee_item_establish(
    *, actor, fee: FeeItem, effective_on: dt.date, document_number: str = "", reason: str = ""
) -> FeeItem:
    """Put a fee in the published schedule."""
    return _establish(FEES, actor=actor, obj=fee, effective_on=effective_on, document_number=document_number,
                      reason=reason)


def fee_item_update(
    *, actor, fee: FeeItem, effective_on: dt.date | None = None, document_number: str = "", reason: str = ""
) -> FeeItem:
    """Save edits to a fee. A new standard or basis is an adjustment: it needs a reason and
    is logged publicly, old standard → new."""
    return _update(FEES, actor=actor, obj=fee, effective_on=effective_on, document_number=document_number,
                   reason=reason)


def fee_item_suspend(*, actor, fee: FeeItem, effective_on: dt.date, document_number: str, reason: str) -> FeeItem:
    """Stop charging a fee for now (暫停徵收); it stays in the schedule, marked."""
    return _change(FEES, actor=actor, obj=fee, name="suspend", kind=FeeChangeKind.SUSPEND,
                   effective_on=effective_on, document_number=document_number, reason=reason)


def fee_item_resume(*, actor, fee: FeeItem, effective_on: dt.date, document_number: str, reason: str) -> FeeItem:
    return _change(FEES, actor=actor, obj=fee, name="resume", kind=FeeChangeKind.RESUME,
                   effective_on=effective_on, document_number=document_number, reason=reason)


def fee_item_cancel(*, actor, fee: FeeItem, effective_on: dt.date, document_number: str, reason: str) -> FeeItem:
    """Cancel a fee: it leaves the schedule; its change log stays public."""
    return _change(FEES, actor=actor, obj=fee, name="cancel", kind=FeeChangeKind.CANCEL,
                   effective_on=effective_on, document_number=document_number, reason=reason)
