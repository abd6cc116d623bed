"""Who may see and change what in approvals — the rules ``portal.permissions`` applies.

Items, fees and everything hanging off them belong to the item's department. Applications
do too, and in addition the staff of the department that runs a service hall (the window
clerks: publishers of the service centre) handle the applications of every item assigned
to one of its windows: they register them, and see them whole.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from approvals.models import (
    Application,
    ApprovalItem,
    CorrectionRequest,
    FeeChange,
    FeeItem,
    ItemChange,
    Material,
    ProcedureStep,
    Rating,
    RectificationCase,
    RectificationRule,
    ServiceHall,
    ServiceWindow,
)
from portal.permissions import Rules, departments_for, has_model_permission, register


def fileable_items(user) -> QuerySet:
    """Items ``user`` may register applications for: current items of their departments and
    those at the windows of halls their departments run."""
    if not has_model_permission(user, Application, "add"):
        return ApprovalItem.objects.none()
    departments = departments_for(user)
    return ApprovalItem.objects.current().filter(Q(department__in=departments) | Q(window__hall__department__in=departments))


def _at_halls_of(user) -> Q:
    return Q(item__window__hall__department__in=departments_for(user))


def _may_register(user, application: Application) -> bool:
    return fileable_items(user).filter(pk=application.item_id).exists()


def declare() -> None:
    for model in (ApprovalItem, FeeItem, ServiceHall, RectificationCase, RectificationRule):
        register(model, Rules(department="department"))
    for model in (Material, ProcedureStep, ItemChange):
        register(model, Rules(department="item__department"))
    register(FeeChange, Rules(department="fee__department"))
    register(ServiceWindow, Rules(department="hall__department"))
    register(Application, Rules(department="item__department", also=_at_halls_of, may_add=_may_register))
    for model in (CorrectionRequest, Rating):
        register(model, Rules(department="application__item__department"))
