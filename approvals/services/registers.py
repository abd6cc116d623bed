"""The register of approval items and the fee schedule: establish, adjust, cancel, delegate
(fees: suspend, resume). Each step writes a public change-log entry and an event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from approvals.models import ApprovalItem, ChangeKind, FeeChange, FeeChangeKind, FeeItem, FeeStatus, ItemChange, ItemStatus
from approvals.models.fees import FEE_STATUS_AFTER
from approvals.models.items import STATUS_AFTER
from approvals.permissions import may_add
from approvals.services import transitions
from approvals.services.transitions import TransitionError, differences, expect, not_before, require, require_reason
from portal import page_cache
from portal.audit import record_event


@dataclass(frozen=True)
class _Register:
    """What differs between the register of items and the fee schedule; the steps are shared."""

    model: type
    log: type  # the change-log model
    key: str  # the log's foreign key to the object, and the noun of event verbs
    kinds: type  # the change kinds
    status_after: dict
    cancelled: str
    substantive: tuple[str, ...]  # fields whose change is an adjustment

    def adjusted_status(self, current: str) -> str:
        if self.model is ApprovalItem and current != ItemStatus.DELEGATED:
            return ItemStatus.ADJUSTED
        return current  # a fee's status says whether it is charged; a delegated item stays delegated

    def describe(self, before, after) -> str:
        return f"{before.standard} → {after.standard}" if self.model is FeeItem else ""

    def details_at_establishment(self, obj) -> str:
        return obj.standard if self.model is FeeItem else ""


ITEMS = _Register(ApprovalItem, ItemChange, "item", ChangeKind, STATUS_AFTER, ItemStatus.CANCELLED,
                  ApprovalItem.SUBSTANTIVE_FIELDS)
FEES = _Register(FeeItem, FeeChange, "fee", FeeChangeKind, FEE_STATUS_AFTER, FeeStatus.CANCELLED,
                 FeeItem.SUBSTANTIVE_FIELDS)


def _recorder(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _establish(register: _Register, *, actor, obj, effective_on, document_number, reason):
    if obj.pk is not None:
        raise TransitionError(_("“%(object)s” is already registered.") % {"object": obj})
    if not may_add(actor, register.model, obj.department_id):
        raise PermissionDenied(
            _("You may not add %(model)s to this department.") % {"model": register.model._meta.verbose_name_plural}
        )
    obj.clean()
    with transaction.atomic():
        obj.status = register.status_after[register.kinds.ESTABLISH]
        obj.save()
        register.log.objects.create(
            **{register.key: obj}, kind=register.kinds.ESTABLISH, effective_on=effective_on,
            document_number=document_number, reason=reason, details=register.details_at_establishment(obj),
            recorded_by=_recorder(actor),
        )
        record_event(
            actor=actor, subject=obj, verb=f"{register.key}_established", to_state=obj.status,
            effective_on=effective_on.isoformat(), document_number=document_number,
        )
        page_cache.invalidate_on_commit()
    return obj


def _update(register: _Register, *, actor, obj, effective_on, document_number, reason):
    with transaction.atomic():
        current = register.model.objects.select_for_update().get(pk=obj.pk)
        require(actor, "change", current)
        if current.status == register.cancelled:
            raise TransitionError(_("“%(object)s” was cancelled; it is kept as it was.") % {"object": current})
        if obj.department_id != current.department_id and not may_add(actor, register.model, obj.department_id):
            raise PermissionDenied(_("You may not move it to this department."))
        obj.clean()
        changes = differences(current, obj, register.substantive)
        obj.status = current.status
        if changes:
            reason = require_reason(reason)
            obj.status = register.adjusted_status(current.status)
            register.log.objects.create(
                **{register.key: obj}, kind=register.kinds.ADJUST, effective_on=effective_on or transitions.today(),
                document_number=document_number, reason=reason, details=register.describe(current, obj),
                changed_fields=changes, recorded_by=actor,
            )
        obj.save()
        edited = differences(current, obj, [f.attname for f in register.model._meta.concrete_fields if f.name != "updated_at"])
        record_event(
            actor=actor, subject=obj, verb=f"{register.key}_{'adjusted' if changes else 'edited'}",
            from_state=current.status, to_state=obj.status, fields=[change["field"] for change in edited],
        )
        page_cache.invalidate_on_commit()
    return obj


def _change(register: _Register, *, actor, obj, kind, allowed, effective_on, document_number, reason, details=""):
    reason = require_reason(reason)
    with transaction.atomic():
        obj = register.model.objects.select_for_update().get(pk=obj.pk)
        require(actor, "change", obj)
        expect(obj, allowed, str(obj))
        established = obj.changes.filter(kind=register.kinds.ESTABLISH).values_list("effective_on", flat=True).first()
        if established:
            not_before(effective_on, established, register.kinds(kind).label)
        previous = obj.status
        obj.status = register.status_after[kind]
        obj.save(update_fields=["status", "updated_at"])
        register.log.objects.create(
            **{register.key: obj}, kind=kind, effective_on=effective_on, document_number=document_number, reason=reason,
            details=details, recorded_by=actor,
        )
        record_event(
            actor=actor, subject=obj, verb=f"{register.key}_{kind}", from_state=previous, to_state=obj.status,
            effective_on=effective_on.isoformat(), document_number=document_number, reason=reason,
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
    return _change(ITEMS, actor=actor, obj=item, kind=ChangeKind.CANCEL,
                   allowed={ItemStatus.IN_FORCE, ItemStatus.ADJUSTED, ItemStatus.DELEGATED},
                   effective_on=effective_on, document_number=document_number, reason=reason)


def approval_item_delegate(
    *, actor, item: ApprovalItem, effective_on: dt.date, document_number: str, reason: str, delegated_to: str
) -> ApprovalItem:
    """Delegate an item to a lower level (下放), saying to whom."""
    if not (delegated_to or "").strip():
        raise TransitionError(_("Say to whom the item is delegated."))
    return _change(ITEMS, actor=actor, obj=item, kind=ChangeKind.DELEGATE, allowed={ItemStatus.IN_FORCE, ItemStatus.ADJUSTED},
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
    return _change(FEES, actor=actor, obj=fee, kind=FeeChangeKind.SUSPEND, allowed={FeeStatus.IN_FORCE},
                   effective_on=effective_on, document_number=document_number, reason=reason)


def fee_item_resume(*, actor, fee: FeeItem, effective_on: dt.date, document_number: str, reason: str) -> FeeItem:
    return _change(FEES, actor=actor, obj=fee, kind=FeeChangeKind.RESUME, allowed={FeeStatus.SUSPENDED},
                   effective_on=effective_on, document_number=document_number, reason=reason)


def fee_item_cancel(*, actor, fee: FeeItem, effective_on: dt.date, document_number: str, reason: str) -> FeeItem:
    """Cancel a fee: it leaves the schedule; its change log stays public."""
    return _change(FEES, actor=actor, obj=fee, kind=FeeChangeKind.CANCEL, allowed={FeeStatus.IN_FORCE, FeeStatus.SUSPENDED},
                   effective_on=effective_on, document_number=document_number, reason=reason)
