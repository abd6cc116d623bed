"""Who may see and change what in approvals — one place, built on ``portal.permissions``.

Items, fees and everything hanging off them belong to the item's department. Applications
do too, and in addition the staff of the department that runs a service hall (the window
clerks: publishers of the service centre) handle the applications of every item assigned
to one of its windows: they register them, and see them whole.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from approvals.models import Application, ApprovalItem
from portal.permissions import departments_for, scope


def _perm(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def may_add(user, model: type[Model], department) -> bool:
    """True if ``user`` may add a ``model`` object to ``department``."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(_perm(model, "add")):
        return False
    return departments_for(user).filter(pk=getattr(department, "pk", department)).exists()


def applications_for(user, queryset: QuerySet | None = None, action: str = "view") -> QuerySet:
    """Applications ``user`` may take ``action`` on: their departments' items, and the items
    at the windows of halls their departments run."""
    queryset = queryset if queryset is not None else Application.objects.all()
    scoped = scope(user, queryset, action)
    if not getattr(user, "is_authenticated", False) or not user.has_perm(_perm(Application, action)):
        return scoped
    hall_items = Q(item__window__hall__department__in=departments_for(user))
    return queryset.filter(Q(pk__in=scoped.values("pk")) | hall_items)


def may_handle(user, application: Application) -> bool:
    """The handling staff: who may change the application (and so see its applicant whole)."""
    return applications_for(user, Application.objects.filter(pk=application.pk), "change").exists()


def fileable_items(user) -> QuerySet:
    """Items ``user`` may register applications for: current items of their departments and
    those at the windows of halls their departments run."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(_perm(Application, "add")):
        return ApprovalItem.objects.none()
    departments = departments_for(user)
    return ApprovalItem.objects.current().filter(Q(department__in=departments) | Q(window__hall__department__in=departments))
