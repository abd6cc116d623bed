"""Staff roles (DESIGN §1) as Django groups, and the registry of what each may do.

A role says *what kind* of action a person may take (Django model permissions on the
group); django-guardian grants on a Department say *where* (see ``portal.permissions``).
Apps add their model permissions to roles in ``AppConfig.ready()`` with ``grant``; the
groups are brought up to date after every ``migrate`` (permissions themselves only exist
after migrate, which is why this is not a data migration).
"""

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PUBLISHER = "publisher", _("Publisher (disclosure liaison)")
    REVIEWER = "reviewer", _("Reviewer (pre-review)")
    COORDINATOR = "coordinator", _("Coordinator (open-government office)")
    SUPERVISOR = "supervisor", _("Supervisor (discipline inspection)")
    EVALUATOR = "evaluator", _("Evaluator (appointed outside evaluator)")


#: Roles whose holders act for every department, not only their own.
COUNTY_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
#: Roles that work in the Django admin.
STAFF_ROLES = frozenset({Role.PUBLISHER, Role.REVIEWER, Role.COORDINATOR, Role.SUPERVISOR})

_permissions: dict[str, set[str]] = defaultdict(set)


def grant(role: Role, *perms: str) -> None:
    """Register model permissions ("app_label.codename") for a role."""
    _permissions[role].update(perms)


def grant_model(role: Role, model_label: str, *actions: str) -> None:
    """Register ``actions`` (view, add, change, delete) on ``app_label.model`` for a role."""
    app_label, model_name = model_label.lower().split(".")
    grant(role, *(f"{app_label}.{action}_{model_name}" for action in actions))


def role_permissions(role: Role) -> frozenset[str]:
    return frozenset(_permissions[role])


def sync_role_groups(**kwargs) -> None:
    """Create a group per role and give it exactly the registered permissions that exist.

    Exactly: a permission a role group holds that the code no longer grants (a grant removed
    from an ``AppConfig.ready()``, or one added by hand in the admin) is taken away, so the
    registry stays the one statement of what a role may do.
    """
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = _permissions[role]
        by_app: dict[str, list[str]] = defaultdict(list)
        for perm in wanted:
            app_label, codename = perm.split(".", 1)
            by_app[app_label].append(codename)
        query = models.Q(pk__in=[])
        for app_label, codenames in by_app.items():
            query |= models.Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(query))


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds, from their group memberships (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_gongkai_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._gongkai_roles = cached
    return cached


def is_county_wide(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(roles_of(user) & COUNTY_WIDE_ROLES)


def may_manage_account(actor, user) -> bool:
    """Whether ``actor`` may change ``user``'s account (password, e-mail, flags, roles).

    Superusers manage every account; the coordinator manages department staff only — never
    a superuser, a coordinator or a supervisor (themselves included): whoever controls such
    an account acts county-wide and reads sealed identities.
    """
    if getattr(actor, "is_superuser", False):
        return True
    return Role.COORDINATOR in roles_of(actor) and not is_county_wide(user)


def may_grant(actor, role: Role | str) -> bool:
    """Whether ``actor`` may grant or revoke ``role``: county-wide roles are the superusers'
    to hand out, department roles the coordinator's too."""
    if getattr(actor, "is_superuser", False):
        return True
    return Role.COORDINATOR in roles_of(actor) and Role(role) not in COUNTY_WIDE_ROLES
