"""State changes of the shared core. Admin, views and commands call these."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from portal import deadlines
from portal.events import CoreEvent, record
from portal.calendar import WorkingCalendar
from portal.notify import notify
from portal.models import CalendarYear, Department, StaffProfile
from portal.models.departments import MEMBER_PERMISSION
from portal.permissions import has_model_permission, may_add_to
from portal.roles import STAFF_ROLES, Role, may_grant, may_manage_account


def role_change_record(*, actor, user, role: Role | str, granted: bool) -> None:
    """Write the audit event of one grant or revocation of ``role`` to ``user``.

    Every path that changes a role (staff profiles, the admin's group field, the demo seed)
    ends here, so that the event log has one shape for it. Call inside the change's transaction.
    """
    record(CoreEvent.ROLE_GRANTED if granted else CoreEvent.ROLE_REVOKED, actor=actor, subject=user, role=Role(role).value)


def role_changes_record(*, actor, user, before: frozenset[Role], after: frozenset[Role]) -> None:
    """Record the grants and revocations between two sets of roles held by ``user``."""
    for role in sorted(after - before):
        role_change_record(actor=actor, user=user, role=role, granted=True)
    for role in sorted(before - after):
        role_change_record(actor=actor, user=user, role=role, granted=False)


def _check_role_change(actor, user, *roles: Role) -> None:
    """Refuse unless ``actor`` may manage ``user`` and grant or revoke each of ``roles``
    (``actor`` None: the system itself — migrations, the demo seed, tests' fixtures)."""
    if actor is None:
        return
    if not may_manage_account(actor, user):
        raise PermissionDenied(_("Only a superuser may change the account or roles of a superuser, a coordinator or a supervisor."))
    if not all(may_grant(actor, role) for role in roles):
        raise PermissionDenied(_("Only a superuser may grant or take away the coordinator's or the supervisor's role."))


def staff_profile_save(*, actor, user, department: Department, role: Role | str, title: str = "", phone: str = ""):
    """Attach ``user`` to ``department`` in ``role``.

    Puts the user in the role's group, marks them staff if the role works in admin,
    and grants the guardian permission to act for the department (revoking the grant
    on a previous department). The coordinator does this for department staff; the
    county-wide roles, and accounts holding one, are the superusers' alone.
    """
    if actor is not None and not may_add_to(actor, StaffProfile, department):
        raise PermissionDenied(_("Only the coordinator manages staff."))
    role = Role(role)
    with transaction.atomic():
        profile = StaffProfile.objects.filter(user=user).select_related("department").first()
        previous = (profile.department, Role(profile.role)) if profile else None
        _check_role_change(actor, user, role, *([previous[1]] if previous else []))
        if profile is None:
            profile = StaffProfile(user=user)
        if previous and previous[0] != department:
            remove_perm(MEMBER_PERMISSION, user, previous[0])
        if previous and previous[1] != role:
            user.groups.remove(Group.objects.get(name=previous[1]))
            role_change_record(actor=actor, user=user, role=previous[1], granted=False)
        profile.department, profile.role, profile.title, profile.phone = department, role, title, phone
        profile.save()
        if not previous or previous[1] != role:
            role_change_record(actor=actor, user=user, role=role, granted=True)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        assign_perm(MEMBER_PERMISSION, user, department)
        if role in STAFF_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.__dict__.pop("_gongkai_roles", None)
        record(
            CoreEvent.STAFF_ATTACHED,
            actor=actor,
            subject=profile,
            from_state=previous[1] if previous else "",
            to_state=role.value,
            department=department.code,
        )
    return profile


def staff_profile_delete(*, actor, profile: StaffProfile) -> None:
    """Detach a member of staff: the role's group and the department grant go with the profile."""
    user, role, department = profile.user, Role(profile.role), profile.department
    with transaction.atomic():
        _check_role_change(actor, user, role)
        user.groups.remove(*Group.objects.filter(name=role.value))
        remove_perm(MEMBER_PERMISSION, user, department)
        role_change_record(actor=actor, user=user, role=role, granted=False)
        profile.delete()
        user.__dict__.pop("_gongkai_roles", None)


def user_role_grant(*, actor, user, role: Role | str) -> None:
    """Give ``user`` a role that belongs to no department (the appointed evaluator)."""
    role = Role(role)
    with transaction.atomic():
        _check_role_change(actor, user, role)
        group = Group.objects.get_or_create(name=role.value)[0]
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            role_change_record(actor=actor, user=user, role=role, granted=True)
        user.__dict__.pop("_gongkai_roles", None)


def calendar_year_confirm(*, actor, year: int, source: str) -> tuple[CalendarYear, int]:
    """Mark ``year``'s official schedule as entered and recompute open deadlines.

    The coordinator enters the State Council's holidays and make-up working days as
    calendar overrides first, then confirms the year. Due dates counted through that
    year stop being provisional, and every registered deadline kind recomputes its
    open items (each kind notifies the people affected). Returns the row and the
    number of items whose due date changed.
    """
    if actor is not None and not has_model_permission(actor, CalendarYear, "change"):
        raise PermissionDenied(_("Only the coordinator confirms the calendar."))
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "confirmed_by": actor}
        )
        record(CoreEvent.CALENDAR_CONFIRMED, actor=actor, subject=calendar_year, to_state=str(year), source=source)
        calendar = WorkingCalendar()
        changed = 0
        for kind in deadlines.kinds():
            if kind.recompute is None:
                continue
            items = kind.recompute(calendar)
            changed += len(items)
            for item in items:
                _tell_due_date_changed(kind, item, year)
    return calendar_year, changed


def _tell_due_date_changed(kind, item, year: int) -> None:
    due = getattr(item, kind.due_field)

    def render():
        return (
            _("Due date recomputed: %(kind)s") % {"kind": kind.label},
            _("The official %(year)s holiday schedule was entered. “%(what)s” is now due on %(due)s.")
            % {"year": year, "what": kind.describe(item), "due": due},
        )

    for user in kind.responsible(item):
        notify(user=user, key=f"recomputed:{kind.name}:{item.pk}:{year}:{due}", render=render, url=kind.url(item))
