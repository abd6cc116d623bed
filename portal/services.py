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
from portal.roles import STAFF_ROLES, Role


def staff_profile_save(*, actor, user, department: Department, role: Role | str, title: str = "", phone: str = ""):
    """Attach ``user`` to ``department`` in ``role``.

    Puts the user in the role's group, marks them staff if the role works in admin,
    and grants the guardian permission to act for the department (revoking the grant
    on a previous department).
    """
    if actor is not None and not may_add_to(actor, StaffProfile, department):
        raise PermissionDenied(_("Only the coordinator manages staff."))
    role = Role(role)
    with transaction.atomic():
        profile = StaffProfile.objects.filter(user=user).select_related("department").first()
        previous = (profile.department, profile.role) if profile else None
        if profile is None:
            profile = StaffProfile(user=user)
        if previous and previous[0] != department:
            remove_perm(MEMBER_PERMISSION, user, previous[0])
        if previous and previous[1] != role:
            user.groups.remove(Group.objects.get(name=previous[1]))
        profile.department, profile.role, profile.title, profile.phone = department, role, title, phone
        profile.save()
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
