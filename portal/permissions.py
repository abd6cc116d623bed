"""The one answer to "which objects of this queryset may this user read / view / change / …".

Public pages, admin querysets, form choices, views, the API, exports, imports and the
workflow's transitions all call ``scope`` (or ``can`` / ``can_add`` for one object).
No other module tests roles or model permissions.

The rule (DESIGN §1, §6):

* ``read`` is reading on the public site: the rows the model's rules call public, for
  everyone; staff also read the published rows they may ``view`` (an internal notice of
  their own department);
* every other action needs the role's Django model permission (from the role group);
* county-wide roles (coordinator, supervisor) and superusers take it everywhere;
* everyone else only on objects of the departments they act for — a django-guardian
  grant of ``portal.act_for_department`` on the Department — and on the rows the
  model's rules add (the windows of a service hall);
* a django-guardian grant of the action on a single object adds that object.

Each app declares its models' rules in its ``permissions.py`` with ``register``: where the
department is, which rows are public, what else a user may reach. A model without rules
is not department-scoped and has nothing public.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from portal.models import Department
from portal.models.departments import MEMBER_PERMISSION
from portal.roles import is_county_wide

#: Reading on the public site.
READ = "read"


@dataclass(frozen=True)
class Rules:
    #: Lookup path from the model to its department ("department", "item__department";
    #: "pk" on Department itself). None: not department-scoped.
    department: str | None = None
    #: Rows anyone may read on the public site, anonymous visitors included.
    public: Q | None = None
    #: Rows staff may read on the site when they may also view them (e.g. published
    #: internal notices of their own department). None: only the public rows.
    readable: Q | None = None
    #: Permission names of actions whose codename is not "<action>_<model>".
    perms: dict[str, str] = field(default_factory=dict)
    #: More rows a user who holds the model permission reaches besides their
    #: departments': ``also(user)`` returns a Q (the applications at a hall's windows).
    also: Callable | None = None
    #: Whether ``user`` may add this unsaved object, where the department alone does not say.
    may_add: Callable | None = None
    #: For staff acting for their own departments (not county-wide): the only rows on which
    #: they may take actions other than view (a department changes its own self-inspection,
    #: not the supervision office's inspection of it). None: every row of their departments.
    members_act_on: Q | None = None


_rules: dict[type[Model], Rules] = {}


def register(model: type[Model], rules: Rules) -> None:
    """Declare ``model``'s rules (in the app's ``permissions.py``, loaded in ``ready()``)."""
    _rules[model] = rules


def rules_for(model: type[Model]) -> Rules:
    return _rules.get(model) or _rules.get(getattr(model._meta, "concrete_model", model)) or Rules()


def permission_name(model: type[Model], action: str) -> str:
    perm = rules_for(model).perms.get(action)
    if perm:
        return perm
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def _is_active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def departments_for(user) -> QuerySet[Department]:
    """The departments ``user`` acts for (all of them for county-wide roles)."""
    if not _is_active(user):
        return Department.objects.none()
    if is_county_wide(user):
        return Department.objects.all()
    return get_objects_for_user(user, MEMBER_PERMISSION, Department, accept_global_perms=False, with_superuser=False)


@contextmanager
def departments_remembered(user) -> Iterator[frozenset[int]]:
    """Within it, ``can_add`` and ``may_add_to`` answer for ``user`` from the departments
    read once on entering, instead of a query each: an import asks for every row."""
    remembered = frozenset(departments_for(user).values_list("pk", flat=True))
    user._departments_remembered = remembered
    try:
        yield remembered
    finally:
        del user._departments_remembered


def _acts_for(user, department) -> bool:
    remembered = getattr(user, "_departments_remembered", None)
    if remembered is not None:
        return department in remembered
    return departments_for(user).filter(pk=department).exists()


def acts_county_wide(user) -> bool:
    """True for the coordinator, the supervisor and superusers."""
    return _is_active(user) and is_county_wide(user)


def department_filter(model: type[Model], departments) -> Q:
    """A Q selecting rows of ``model`` that belong to ``departments``."""
    return Q(**{f"{rules_for(model).department}__in": departments})


def _allowed(user, model: type[Model], action: str) -> Q | None:
    """A Q of the rows of ``model`` on which ``user`` may take ``action``; None: all of them."""
    if not _is_active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    rules = rules_for(model)
    perm = permission_name(model, action)
    allowed = Q(pk__in=[])
    if user.has_perm(perm):  # model-level, from the role group
        if is_county_wide(user) or rules.department is None:
            return None
        own = department_filter(model, departments_for(user))
        if rules.members_act_on is not None and action != "view":
            own &= rules.members_act_on
        allowed |= own
        if rules.also is not None:
            allowed |= rules.also(user)
    granted = get_objects_for_user(user, perm, model, accept_global_perms=False, with_superuser=False)
    return allowed | Q(pk__in=granted.values("pk"))


def scope(user, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The part of ``queryset`` on which ``user`` may take ``action``.

    ``action`` is ``read`` (the public site), view, add, change, delete or a custom
    permission's verb (``review`` for ``disclosures.review_disclosure``).
    """
    if not action.isidentifier():
        raise ValueError(f"unknown action {action!r}")
    model = queryset.model
    if action == READ:
        rules = rules_for(model)
        public = rules.public if rules.public is not None else Q(pk__in=[])
        if rules.readable is None or not _is_active(user):
            return queryset.filter(public)
        viewable = _allowed(user, model, "view")
        staff = rules.readable if viewable is None else rules.readable & viewable
        if not staff:  # Q(): every row. (In ``public | staff`` an empty Q would be dropped.)
            return queryset
        return queryset.filter(public | staff)
    allowed = _allowed(user, model, action)
    return queryset if allowed is None else queryset.filter(allowed)


def can(user, action: str, obj: Model) -> bool:
    """True if ``user`` may take ``action`` on ``obj``."""
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


def department_of(obj: Model):
    """The pk of the department ``obj`` belongs to (following its rules' path), or None."""
    path = rules_for(type(obj)).department
    if path is None:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


def can_add(user, obj: Model) -> bool:
    """True if ``user`` may add the unsaved ``obj`` (to its department)."""
    model = type(obj)
    if not _is_active(user) or not user.has_perm(permission_name(model, "add")):
        return False
    rules = rules_for(model)
    if rules.may_add is not None:
        return rules.may_add(user, obj)
    department = department_of(obj)
    if department is None or is_county_wide(user):
        return rules.department is None or is_county_wide(user)
    return _acts_for(user, department)


def may_add_to(user, model: type[Model], department) -> bool:
    """True if ``user`` may add a ``model`` object to ``department`` (import, admin forms)."""
    if not _is_active(user) or not user.has_perm(permission_name(model, "add")):
        return False
    return _acts_for(user, getattr(department, "pk", department))


def has_model_permission(user, model: type[Model], action: str) -> bool:
    """Whether ``user``'s roles allow ``action`` on ``model`` anywhere (admin menus, buttons)."""
    return _is_active(user) and user.has_perm(permission_name(model, action))
