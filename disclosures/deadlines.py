"""The disclosures app's deadline kinds, registered with portal's engine."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosures import compliance
from disclosures.events import DisclosureEvent
from disclosures.models import Cadence, CatalogueEntry
from portal.deadlines import DeadlineKind
from portal.events import record
from portal.reminders import scanned_day, staff_of
from portal.roles import Role


def _open_obligations():
    return CatalogueEntry.objects.active().filter(next_due_on__isnull=False).select_related("department")


PERIODIC = (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY)


def _recompute(calendar):
    """Each entry's due date follows from its period and its own days allowed; counted on
    the day the deadline scan has reached (in a simulation, the simulated day)."""
    return compliance.refresh(CatalogueEntry.objects.active(), today=scanned_day(), calendar=calendar)


def _roll_forward(day, calendar):
    """Periodic entries whose due date has passed by ``day`` move on to the next period's
    once that period has ended; the period left behind undisclosed is recorded as missed.
    (A disclosure published in time moves the entry on when it is published.)"""
    passed = list(
        CatalogueEntry.objects.active()
        .filter(cadence__in=PERIODIC)
        .filter(Q(next_due_on__lt=day) | Q(next_due_on__isnull=True))
    )
    before = {entry.pk: entry.next_due_on for entry in passed}
    moved = compliance.refresh(passed, today=day, calendar=calendar)
    for entry in moved:
        if before[entry.pk] is not None:
            record(DisclosureEvent.OBLIGATION_MISSED, actor=None, subject=entry,
                   from_state=before[entry.pk].isoformat(), to_state=entry.next_due_on.isoformat() if entry.next_due_on else "")
    return moved


CATALOGUE_OBLIGATION = DeadlineKind(
    name="catalogue_obligation",
    label=_("catalogue obligation"),
    open_items=_open_obligations,
    responsible=lambda entry: staff_of(entry.department, Role.PUBLISHER),
    department=lambda entry: entry.department,
    describe=lambda entry: f"{entry.department.name} · {entry.title}",
    url=lambda entry: f"/admin/disclosures/catalogueentry/{entry.pk}/change/",
    due_field="next_due_on",
    recompute=_recompute,
    roll_forward=_roll_forward,
)
