from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self):
        from portal import batched_writes, events, page_cache, permissions
        from portal.models import Department, ImportJob, Reminder, StaffProfile
        from portal.roles import Role, grant_model, sync_role_groups
        from portal.schedule import load_schedule

        grant_model(Role.PUBLISHER, "portal.department", "view")
        grant_model(Role.PUBLISHER, "portal.staffprofile", "view")
        grant_model(Role.REVIEWER, "portal.department", "view")
        grant_model(Role.REVIEWER, "portal.staffprofile", "view")
        for model in ("department", "staffprofile", "calendarday", "calendaryear", "reminderrule"):
            grant_model(Role.COORDINATOR, f"portal.{model}", "view", "add", "change", "delete")
        grant_model(Role.COORDINATOR, "auth.user", "view", "add", "change")
        grant_model(Role.COORDINATOR, "django_celery_beat.periodictask", "view", "change")
        for model in ("department", "staffprofile", "calendarday", "calendaryear", "event"):
            grant_model(Role.SUPERVISOR, f"portal.{model}", "view")
        grant_model(Role.COORDINATOR, "portal.event", "view")
        grant_model(Role.COORDINATOR, "portal.reminder", "view")
        grant_model(Role.SUPERVISOR, "portal.reminder", "view")
        # Imports: everyone sees their own; these roles also those of their departments.
        for role in (Role.PUBLISHER, Role.REVIEWER, Role.COORDINATOR):
            grant_model(role, "portal.importjob", "view")
        events.register(events.CoreEvent)
        batched_writes.connect()  # an import's events and history records, written together
        from django.db.models import Q

        from portal import workspace

        workspace.register(workspace.Tile(
            "notifications-unread", _("Unread notifications"), "portal.Notification",
            lambda user, today: Q(recipient=user, read_at__isnull=True), action=None, position=90))
        workspace.register(workspace.Tile(
            "reminders-undeliverable", _("Reminders nobody could be told of"), "portal.Reminder",
            lambda user, today: Q(state=Reminder.State.UNDELIVERABLE), roles=frozenset({Role.COORDINATOR}),
            urgent=True, position=15))
        permissions.register(Department, permissions.Rules(department="pk"))
        permissions.register(StaffProfile, permissions.Rules(department="department"))
        permissions.register(ImportJob, permissions.Rules(department="department"))
        grant_model(Role.COORDINATOR, "portal.outgoingemail", "view")
        grant_model(Role.SUPERVISOR, "portal.outgoingemail", "view")
        post_migrate.connect(sync_role_groups, dispatch_uid="portal.sync_role_groups")
        post_migrate.connect(load_schedule, sender=self, dispatch_uid="portal.load_schedule")
        # Shown on public pages (names, the calendar behind due dates), saved in the admin.
        page_cache.invalidate_when_saved("portal.Department", "portal.CalendarDay", "portal.CalendarYear")


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes (portal.login_attempts) under a name staff can read in the admin."""

    verbose_name = _("Login attempts")
