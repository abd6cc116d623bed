"""State changes of the shared core. Admin, views and commands call these."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from portal import due_dates
from portal.events import CoreEvent, record
from portal.calendar import WorkingCalendar
from portal.models import CalendarDay, CalendarYear, Department, StaffProfile
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
    """Mark ``year``'s official schedule as entered.

    The coordinator enters the State Council's holidays and make-up working days as
    calendar overrides first (``calendar_day_save``: each moves the due dates whose count
    crosses it), then confirms the year. Confirming changes no day, so it moves no due date
    fixed earlier: due dates counted through that year stop being provisional. Kinds that
    recompute themselves do so. Returns the row and the number of items changed.
    """
    if actor is not None and not has_model_permission(actor, CalendarYear, "change"):
        raise PermissionDenied(_("Only the coordinator confirms the calendar."))
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "confirmed_by": actor}
        )
        record(CoreEvent.CALENDAR_CONFIRMED, actor=actor, subject=calendar_year, to_state=str(year), source=source)
        calendar = WorkingCalendar()
        moved, changed = due_dates.recomputed_by_kinds(calendar)
        due_dates.apply(moved, actor=actor, stored=True,
                        reason=format_lazy(gettext_lazy("The official {year} holiday schedule was entered."), year=year))
        settled = due_dates.settle_provisional(calendar)
    return calendar_year, changed + settled


def calendar_day_effect(*, date, is_working_day: bool) -> list[due_dates.Move]:
    """What setting ``date`` to ``is_working_day`` would move, without saving anything."""
    calendar = WorkingCalendar()
    if calendar.is_working_day(date) == is_working_day:
        return []
    calendar.assume(date, is_working_day)
    return due_dates.moves({date: is_working_day}, calendar)


def calendar_day_save(*, actor, date, is_working_day: bool, name: str = "") -> tuple[CalendarDay, int]:
    """Enter or change a calendar override, in any year, and move the open due dates whose
    count crosses it (``portal.due_dates``). Returns the row and the number of items moved."""
    if actor is not None and not has_model_permission(actor, CalendarDay, "change"):
        raise PermissionDenied(_("Only the coordinator changes the calendar."))
    with transaction.atomic():
        was_working = WorkingCalendar().is_working_day(date)
        day, _created = CalendarDay.objects.update_or_create(
            date=date, defaults={"is_working_day": is_working_day, "name": name}
        )
        moved = _calendar_day_changed(actor, day, date, was_working)
    return day, moved


def calendar_day_delete(*, actor, day: CalendarDay) -> int:
    """Remove an override (the packages' answer applies again) and move what it moved."""
    if actor is not None and not has_model_permission(actor, CalendarDay, "delete"):
        raise PermissionDenied(_("Only the coordinator changes the calendar."))
    with transaction.atomic():
        date, was_working = day.date, day.is_working_day
        day.delete()
        return _calendar_day_changed(actor, None, date, was_working)


def _calendar_day_changed(actor, day: CalendarDay | None, date, was_working: bool) -> int:
    calendar = WorkingCalendar()
    working = calendar.is_working_day(date)
    if working == was_working:
        return 0
    if day is not None:
        record(CoreEvent.CALENDAR_DAY_CHANGED, actor=actor, subject=day, to_state=str(working), date=date.isoformat())
    reason = format_lazy(gettext_lazy("The working-day calendar changed on {date}."), date=date.isoformat())
    found = due_dates.moves({date: working}, calendar)
    due_dates.apply(found, actor=actor, reason=reason)
    moved, _changed = due_dates.recomputed_by_kinds(calendar)
    due_dates.apply(moved, actor=actor, reason=reason, stored=True)
    return len(found) + len(moved)
