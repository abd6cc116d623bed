"""Named reads for the public pages and API of approvals: views ask these and render.

Everything on the register is public — items in force, adjusted, delegated and cancelled
(each keeps its page), the fees in the schedule, decisions (masked), the published
outcomes of rectification cases; applications in progress are reached only by their
tracking number and the applicant's phone digits (``approvals.tracking``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from approvals.models import (
    Application,
    ApprovalItem,
    DecisionTotal,
    FeeChange,
    FeeChangeKind,
    FeeItem,
    RectificationCase,
    ServiceHall,
    ServiceWindow,
)
from portal.models import Department

#: Cancelled fees listed under the schedule.
CANCELLED_FEES = 50
#: Published rectification outcomes on the ratings page.
OUTCOMES = 50


def items() -> QuerySet[ApprovalItem]:
    """Every item on the register, in the order of the printed list."""
    return ApprovalItem.objects.select_related("department", "window").order_by("department__code", "code")


def item(code: str) -> ApprovalItem:
    """One item with its department and window, or 404."""
    return get_object_or_404(ApprovalItem.objects.select_related("department", "window__hall"), code=code)


def guide(item: ApprovalItem) -> dict:
    """What the service guide (办事指南) shows besides the item: its lists, fees, change log
    and the published outcomes of its rectification cases."""
    return {
        "materials": list(item.materials.all()),
        "steps": list(item.steps.all()),
        "fees": list(item.fees.scheduled()),
        "changes": list(item.changes.all()),
        "rectifications": list(item.rectifications.published().order_by("-closed_on")[:10]),
    }


def blank_form(code: str, material_id: int):
    """A material of an item, or 404."""
    return get_object_or_404(get_object_or_404(ApprovalItem, code=code).materials, pk=material_id)


def fee_schedule(department_code: str | None = None) -> QuerySet[FeeItem]:
    fees = (
        FeeItem.objects.scheduled()
        .select_related("department", "approval_item")
        .prefetch_related(Prefetch("changes", to_attr="change_log"))
        .order_by("department__code", "code")
    )
    return fees.filter(department__code=department_code) if department_code else fees


def cancelled_fees() -> QuerySet[FeeChange]:
    return (
        FeeChange.objects.filter(kind=FeeChangeKind.CANCEL)
        .select_related("fee__department")
        .order_by("-effective_on", "-pk")[:CANCELLED_FEES]
    )


def decisions() -> QuerySet[Application]:
    """Published decisions (審批結果公示), newest first."""
    return Application.objects.decided().select_related("item__department").order_by("-decided_on", "-pk")


def decisions_total(*, department=None, year: int | None = None, rejected: bool | None = None) -> int:
    """How many published decisions there are (of ``department``, decided in ``year``,
    rejected or granted): a sum of the totals the database keeps (``DecisionTotal``), at
    most a department's years × two rows — never a count of the applications."""
    totals = DecisionTotal.objects.all()
    if department is not None:
        totals = totals.filter(department=department)
    if year is not None:
        totals = totals.filter(year=year)
    if rejected is not None:
        totals = totals.filter(rejected=rejected)
    return totals.aggregate(n=Sum("count"))["n"] or 0


def departments_with_items() -> QuerySet[Department]:
    """The departments with an item on the register (one index probe each)."""
    return Department.objects.filter(Exists(ApprovalItem.objects.filter(department=OuterRef("pk"))))


def departments_with_decisions() -> QuerySet[Department]:
    """The departments with a published decision: one probe each, through the department's
    items to their first decided application — not a pass over every application."""
    return Department.objects.filter(Exists(Application.objects.decided().filter(item__department=OuterRef("pk"))))


def halls() -> QuerySet[ServiceHall]:
    """The halls, their windows, the departments at each and the current items handled there."""
    windows = ServiceWindow.objects.prefetch_related(
        "departments", Prefetch("items", queryset=ApprovalItem.objects.current().only("code", "name", "window_id"))
    )
    return ServiceHall.objects.select_related("department").prefetch_related(Prefetch("windows", queryset=windows))


def rectification_outcomes() -> QuerySet[RectificationCase]:
    return RectificationCase.objects.published().select_related("department", "item").order_by("-closed_on", "-pk")[:OUTCOMES]
