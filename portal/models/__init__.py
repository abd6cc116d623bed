"""Models of the shared core: departments and staff, the working-day calendar, events."""

from portal.models.calendar import CalendarDay, CalendarYear
from portal.models.departments import Department, StaffProfile
from portal.models.events import Event
from portal.models.imports import ImportJob
from portal.models.notifications import Notification, OutgoingEmail
from portal.models.reminders import Reminder, ReminderRule, ScanProgress
from portal.models.search import SearchEntry

__all__ = [
    "CalendarDay", "CalendarYear", "Department", "Event", "ImportJob", "Notification", "OutgoingEmail", "Reminder",
    "ReminderRule", "ScanProgress", "SearchEntry", "StaffProfile",
]
