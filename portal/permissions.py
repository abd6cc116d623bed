"""The one answer to "which objects of this queryset may this user view / change / delete".

Admin querysets, form choices, views, the API and exports all call ``scope``.

The rule (DESIGN §1, §6):

* the role's Django model permission (from the role group) says whether the user may
  take the action on that kind of object at all;
* county-wide roles (coordinator, supervisor) and superusers take it everywhere;
* everyone else only on objects of the departments they act for — a django-guardian
  grant of ``portal.act_for_department`` on the Department;
* a django-guardian grant of the action on a single object adds that object.

A model says where its department is with the attribute ``department_field``
(a lookup path such as ``"department"`` or ``"item__department"``; ``"pk"`` on
Department itself). Models without it are not department-scoped.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from portal.models import Department
from portal.models.departments import MEMBER_PERMISSION
from portal.roles import is_county_wide



def _perm(model: type[Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def departments_for(user) -> QuerySet[Department]:
    """The departments ``user`` acts for (all of them for county-wide roles)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Department.objects.none()
    if is_county_wide(user):
        return Department.objects.all()
    return get_objects_for_user(user, MEMBER_PERMISSION, Department, accept_global_perms=False, with_superuser=False)


def department_filter(model: type[Model], departments) -> Q:
    """A Q object selecting rows of ``model`` that belong to ``departments``."""
    return Q(**{f"{model.department_field}__in": departments})


def scope(user, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The part of ``queryset`` on which ``user`` may take ``action``.

    ``action`` is view, add, change, delete or a custom permission's verb
    (``review`` for ``disclosures.review_disclosure``).
    """
    if not action.isidentifier():
        raise ValueError(f"unknown action {action!r}")
    model = queryset.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    perm = _perm(model, action)
    allowed = Q(pk__in=[])
    if user.has_perm(perm):  # model-level, from the role group
        if is_county_wide(user) or not hasattr(model, "department_field"):
            return queryset
        allowed |= department_filter(model, departments_for(user))
    granted = get_objects_for_user(user, perm, model, accept_global_perms=False, with_superuser=False)
    allowed |= Q(pk__in=granted.values("pk"))
    return queryset.filter(allowed)


def can(user, action: str, obj: Model) -> bool:
    """True if ``user`` may take ``action`` on ``obj``."""
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()
